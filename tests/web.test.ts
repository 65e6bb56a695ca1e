// The web pages over plain HTTP (docs/web.md): home, /search (the no-JS
// fallback of the typeahead) and /openrefine, their language choice, and
// their error cases: a query too long or malformed is a 400 page, never a
// 500; while the data loads the home page says so and search answers 503.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { esc, withLang } from "../server/html/page.ts";
import { BASE, SAMPLE_DATA_DIR } from "./helpers.ts";
import { serviceState } from "../server/state.ts";
import { call, serveState, type Served } from "./ld-helpers.ts";

let ready: Served;
let loading: Served;

beforeAll(async () => {
  const store = new RefStore();
  const report = await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  ready = await serveState(serviceState({ base: BASE }, { store, report, matcher: ReconciliationIndex.build(store, BASE), loadedAt: new Date() }));
  loading = await serveState(serviceState({ base: BASE }, undefined, { progress: { source: "ror", file: "ror.json", bytes: 30, total: 120 } }));
}, 60_000);
afterAll(() => {
  ready?.close();
  loading?.close();
});

const get = (s: Served, path: string, headers: Record<string, string> = {}) => call(s.url + path, { headers });

describe("home page", () => {
  it("lists every loaded source with entity counts and licences, in French by default", async () => {
    const r = await get(ready, "/");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/html/);
    expect(r.headers.get("vary")).toMatch(/Accept-Language/);
    expect(r.text).toContain('<html lang="fr">');
    for (const source of ["uai", "education", "rnsr", "wikidata", "ror", "sirene-ul", "sirene-etab", "links"]) expect(r.text, source).toContain(`data-source="${source}"`);
    const uai = ready.state.served!.report!.sources.find((s) => s.source === "uai")!;
    expect(r.text).toMatch(new RegExp(`data-source="uai">[^]*?<dt>Entités</dt><dd><span class="big">${uai.entities}</span>`));
    expect(r.text).toContain('href="https://creativecommons.org/publicdomain/zero/1.0/">CC0 1.0</a>');
    expect(r.text).toContain(`<span class="big">${ready.state.served!.report!.links.links}</span>`);
    // The search form works without JavaScript: a GET to /search.
    expect(r.text).toMatch(/<form class="search" role="search" action="\/search" method="get"/);
    expect(r.text).toContain('<input type="search" id="q" name="q"');
    expect(r.text).toContain('<label for="q">');
  });

  it("answers in English for ?lang=en or Accept-Language: en, and keeps an explicit choice in the links", async () => {
    const byHeader = await get(ready, "/", { "Accept-Language": "en-GB,en;q=0.9" });
    expect(byHeader.text).toContain('<html lang="en">');
    expect(byHeader.text).toContain("What the service holds");
    expect(byHeader.text).toContain('<a href="/search">Search</a>');
    const byQuery = await get(ready, "/?lang=en", { "Accept-Language": "fr" });
    expect(byQuery.text).toContain('<html lang="en">');
    expect(byQuery.text).toContain('<a href="/search?lang=en">Search</a>');
    expect(byQuery.text).toContain('<input type="hidden" name="lang" value="en">');
    expect(byQuery.text).toContain('<a href="/?lang=fr" hreflang="fr" lang="fr">FR');
  });

  it("says the data is loading instead of failing, with the progress", async () => {
    const r = await get(loading, "/");
    expect(r.status).toBe(200);
    expect(r.text).toContain("Chargement des données en cours");
    expect(r.text).toContain("Source en cours : ror, 25 %.");
    expect(r.text).not.toContain('id="sources"');
    const failed = await serveState(serviceState({ base: BASE }, undefined, { error: "rnsr.csv:1: wrong delimiter" }));
    try {
      const f = await get(failed, "/?lang=en");
      expect(f.status).toBe(200);
      expect(f.text).toContain("Loading the data failed");
      expect(f.text).toContain("rnsr.csv:1: wrong delimiter");
    } finally {
      failed.close();
    }
  });
});

describe("/search (results page, the typeahead without JavaScript)", () => {
  it("lists hits with type, city, country and identifiers, each linked to its entity page", async () => {
    const r = await get(ready, "/search?q=sorbonne");
    expect(r.status).toBe(200);
    expect(r.text).toContain("<h1>Résultats pour « sorbonne »</h1>");
    expect(r.text).toContain('<a class="hit-name" href="/id/uai/0755890V">Sorbonne Université</a>');
    expect(r.text).toContain('<a class="hit-name" href="/id/rnsr/200612455S">');
    expect(r.text).toContain('<div class="hit-meta">Université · Paris 6e · France</div>');
    expect(r.text).toContain("<span>UAI <code>0755890V</code></span>");
    expect(r.text).toContain('value="sorbonne"');
    // Wikidata- or ROR-only records lead to /describe.
    const foreign = await get(ready, "/search?q=humboldt&lang=en");
    expect(foreign.text).toContain(`href="${esc(`/describe?uri=${encodeURIComponent("http://www.wikidata.org/entity/Q990000005")}`)}"`);
    expect(foreign.text).toContain("University · Berlin · Germany");
  });

  it("without q shows the form; a query with no hit says so", async () => {
    const empty = await get(ready, "/search");
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('name="q" value=""');
    const none = await get(ready, "/search?q=zzzzqqqq");
    expect(none.status).toBe(200);
    expect(none.text).toContain("Aucun résultat");
  });

  it("refuses a 2,000-character query with a 400 page holding the query cut to 200 characters", async () => {
    const long = "université ".repeat(182).slice(0, 2000);
    const r = await get(ready, `/search?q=${encodeURIComponent(long)}`);
    expect(r.status).toBe(400);
    expect(r.headers.get("content-type")).toMatch(/^text\/html/);
    expect(r.text).toContain("La recherche dépasse 200 caractères");
    const value = /name="q" value="([^"]*)"/.exec(r.text)![1];
    expect(value.length).toBeLessThanOrEqual(200);
    expect(long.startsWith(value)).toBe(true);
  });

  it("refuses control characters and a repeated q with 400, escapes markup, and answers 503 while loading", async () => {
    expect((await get(ready, "/search?q=a%00b")).status).toBe(400);
    expect((await get(ready, "/search?q=a&q=b")).status).toBe(400);
    const evil = await get(ready, `/search?q=${encodeURIComponent('<script>alert(1)</script>"')}`);
    expect(evil.status).toBe(200);
    expect(evil.text).not.toContain("<script>alert(1)</script>");
    expect(evil.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    const busy = await get(loading, "/search?q=sorbonne");
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("10");
    expect(busy.text).toContain("en cours de chargement");
  });
});

describe("/openrefine", () => {
  it("gives each reconciliation service's URL on the host the browser reached, with the how-to", async () => {
    const r = await get(ready, "/openrefine");
    expect(r.status).toBe(200);
    for (const path of ["/reconcile", "/reconcile/uai", "/reconcile/rnsr", "/reconcile/siret", "/reconcile/wikidata", "/reconcile/ror"]) {
      expect(r.text, path).toContain(`value="${ready.url}${path}" readonly`);
    }
    expect(r.text).toContain("Ajouter un service standard");
    expect(r.text).toContain("Ajouter des colonnes à partir des valeurs réconciliées");
    const en = await get(ready, "/openrefine?lang=en");
    expect(en.text).toContain("Add standard service");
    expect(en.text).toContain("Add columns from reconciled values");
    // It answers while loading too: the URLs do not depend on the data.
    expect((await get(loading, "/openrefine")).status).toBe(200);
  });
});

describe("layout", () => {
  it("the language switch keeps the path and its parameters, and never leaves the site", () => {
    expect(withLang("/describe?uri=https%3A%2F%2Fror.org%2F01hcx6992", "en")).toBe("/describe?uri=https%3A%2F%2Fror.org%2F01hcx6992&lang=en");
    expect(withLang("/search?q=a+b&lang=en", "fr")).toBe("/search?q=a+b&lang=fr");
    expect(withLang("//evil.example/x", "en")).toBe("/?lang=en");
    expect(withLang("https://evil.example/", "en")).toBe("/?lang=en");
  });

  it("entity pages are French by default, English on request, and vary on Accept-Language", async () => {
    const fr = await get(ready, "/id/uai/0751717J", { Accept: "text/html" });
    expect(fr.text).toContain("<h2>Identifiants</h2>");
    expect(fr.text).toContain("<h2>Tutelles et organisations parentes</h2>");
    expect(fr.headers.get("vary")).toMatch(/Accept-Language/);
    expect(fr.text).toContain('href="/id/uai/0751717J?lang=en"');
    const en = await get(ready, "/id/uai/0751717J?lang=en", { Accept: "text/html" });
    expect(en.text).toContain("<h2>Identifiers</h2>");
    expect(en.text).toContain('href="/id/uai/0755581J">UAI 0755581J</a>');
    // Turtle is untouched by the language.
    const ttl = await get(ready, "/id/uai/0751717J?lang=en", { Accept: "text/turtle" });
    expect(ttl.headers.get("content-type")).toMatch(/^text\/turtle/);
  });
});
