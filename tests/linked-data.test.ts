// Linked data over real HTTP (docs/linked-data.md): entity URIs dereference
// with content negotiation (HTML for people, Turtle, JSON-LD, N-Triples and
// RDF/XML for machines, Link and Vary headers), unknown ids give 404,
// malformed ids 400; the DCAT catalogue and the VoID statistics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Parser, type Quad } from "n3";
import oxigraph from "oxigraph";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { esc } from "../server/html/page.ts";
import { BASE, SAMPLE_DATA_DIR } from "./helpers.ts";
import { serviceState } from "../server/state.ts";
import { call, serveState, type Served } from "./ld-helpers.ts";

const P = {
  owl: "http://www.w3.org/2002/07/owl#",
  dcat: "http://www.w3.org/ns/dcat#",
  dcterms: "http://purl.org/dc/terms/",
  void: "http://rdfs.org/ns/void#",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
};
const LO2 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
const CC0 = "https://creativecommons.org/publicdomain/zero/1.0/";
const UAI = `${BASE}/id/uai/0751717J`;
const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const EVIL = `<script>alert("x")</script>`;

let app: Served;

beforeAll(async () => {
  const store = new RefStore();
  const report = await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  // A name with markup, as a source could write one: the page must show it, not run it.
  store.replaceGraph(`${BASE}/graph/test-markup`, [`<${UAI}> <http://www.w3.org/2004/02/skos/core#altLabel> ${JSON.stringify(EVIL)}@fr .\n`]);
  app = await serveState(serviceState({ base: BASE }, { store, report }));
}, 60_000);
afterAll(() => app?.close());

// Pages are French by default; these assertions read the English headings.
const get = (path: string, accept?: string) => call(app.url + path, { headers: { ...(accept ? { Accept: accept } : {}), "Accept-Language": "en" } });
const has = (quads: Quad[], s: string, p: string, o?: string) => quads.some((q) => q.subject.value === s && q.predicate.value === p && (o === undefined || q.object.value === o));

describe("entity URIs", () => {
  it("serve an HTML page to browsers, with name, identifiers, equivalents, address, parents and children, sources and licences", async () => {
    const r = await get("/id/uai/0751717J", BROWSER);
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/html/);
    expect(r.headers.get("vary")).toMatch(/Accept/);
    const html = r.text;
    // (the French name on the English page carries lang="fr")
    expect(html).toMatch(/<h1( lang="fr")?>Université Paris 1 Panthéon-Sorbonne<\/h1>/);
    // identifiers, each with its registry
    expect(html).toContain("<code>0751717J</code>");
    expect(html).toContain("<code>19751717000019</code>");
    expect(html).toContain('href="https://annuaire-entreprises.data.gouv.fr/etablissement/19751717000019"');
    expect(html).toContain('href="https://ror.org/002t25c44"');
    // sameAs: refx URIs by path, external URIs through /describe and as themselves
    expect(html).toContain('href="/id/siren/197517170"');
    expect(html).toContain(`href="/describe?uri=${esc(encodeURIComponent("http://www.wikidata.org/entity/Q999763"))}"`);
    expect(html).toContain('href="http://www.wikidata.org/entity/Q999763"');
    expect(html).toContain("12 place du Panthéon");
    expect(html).toContain('href="/id/academie/A01"');
    // child organisations: RNSR labs whose tutelle it is
    expect(html).toMatch(/<h2>Child organisations<\/h2>\n<ul>[^]*href="\/id\/rnsr\/199798641L"/);
    expect(html).toContain("Institut d&#39;histoire moderne et contemporaine");
    // predecessors (former UAI code)
    expect(html).toContain('href="/id/uai/0755581J"');
    // provenance and licence of each source
    expect(html).toContain("Sources, provenance and licences");
    expect(html).toContain(`href="${LO2}"`);
    expect(html).toContain(`href="${CC0}"`);
    expect(html).toContain("Ministère de l&#39;Enseignement supérieur et de la Recherche (MESR)");
    // escaped, never markup
    expect(html).not.toContain(EVIL);
    expect(html).toContain(esc(EVIL));
    // alternates in the page and in the Link header
    expect(html).toContain('<link rel="alternate" type="text/turtle" href="/id/uai/0751717J?format=ttl">');
    const link = r.headers.get("link")!;
    for (const type of ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]) expect(link).toContain(`rel="alternate"; type="${type}"`);
    expect(link).toContain(`<${UAI}>; rel="canonical"`);
  });

  it("serve Turtle, JSON-LD, N-Triples and RDF/XML on the same URI, by Accept or format=", async () => {
    const reads: Record<string, (text: string) => number> = {
      "text/turtle": (t) => new Parser({ format: "Turtle" }).parse(t).length,
      "application/n-triples": (t) => new Parser({ format: "N-Triples" }).parse(t).length,
      "application/ld+json": (t) => {
        const s = new oxigraph.Store();
        s.load(t, { format: "application/ld+json" });
        return s.size;
      },
      "application/rdf+xml": (t) => {
        const s = new oxigraph.Store();
        s.load(t, { format: "application/rdf+xml" });
        return s.size;
      },
    };
    const sizes: number[] = [];
    for (const [type, read] of Object.entries(reads)) {
      const r = await get("/id/uai/0751717J", type);
      expect(r.status, type).toBe(200);
      expect(r.headers.get("content-type")).toContain(type);
      expect(r.headers.get("vary")).toMatch(/Accept/);
      expect(r.headers.get("link")).toContain('rel="alternate"');
      sizes.push(read(r.text));
    }
    expect(new Set(sizes).size).toBe(1);
    for (const [format, type] of [["ttl", "text/turtle"], ["jsonld", "application/ld+json"], ["nt", "application/n-triples"], ["rdf", "application/rdf+xml"], ["html", "text/html"]]) {
      const r = await get(`/id/uai/0751717J?format=${format}`, BROWSER);
      expect(r.headers.get("content-type"), format).toContain(type);
    }
    const quads = new Parser().parse((await get("/id/uai/0751717J", "text/turtle")).text);
    expect(has(quads, UAI, `${P.owl}sameAs`, "https://ror.org/002t25c44")).toBe(true);
    expect(has(quads, UAI, `${P.owl}sameAs`, "http://www.wikidata.org/entity/Q999763")).toBe(true);
    expect(has(quads, `${BASE}/id/rnsr/199798641L`, "http://schema.org/parentOrganization", UAI)).toBe(true);
    expect(has(quads, UAI, `${P.void}inDataset`, `${BASE}/graph/uai`)).toBe(true);
    expect(has(quads, `${BASE}/graph/uai`, `${P.dcterms}license`, LO2)).toBe(true);
    // Wikidata says its item is this establishment: that source (CC0) is part of the provenance.
    expect(has(quads, `${BASE}/graph/wikidata`, `${P.dcterms}license`, CC0)).toBe(true);
    // labels of what it links to
    expect(has(quads, `${BASE}/id/rnsr/199798641L`, "http://www.w3.org/2004/02/skos/core#prefLabel")).toBe(true);
    // a client sending */* (curl) gets the page
    expect((await get("/id/uai/0751717J", "*/*")).headers.get("content-type")).toMatch(/text\/html/);
    expect((await get("/id/uai/0751717J", "image/png")).status).toBe(406);
  });

  it("answer 404 for unknown ids and 400 for malformed ones, as a page or JSON; lower case redirects to the canonical id", async () => {
    const unknown = await get("/id/uai/0000000A", BROWSER);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/text\/html/);
    expect(unknown.text).toContain("no source loaded here knows UAI 0000000A");
    expect((await get("/id/rnsr/200000000Z", "text/turtle")).json.error).toBe("not_found");

    for (const path of ["/id/uai/12", "/id/uai/0751717JJ", "/id/rnsr/abc", "/id/siret/1975171700001", "/id/siren/ABC", "/id/academie/B1"]) {
      const r = await get(path, BROWSER);
      expect(r.status, path).toBe(400);
      expect(r.text, path).toMatch(/is not a well-formed/);
    }
    const json = await get("/id/uai/%3Cscript%3E", "text/turtle");
    expect(json.status).toBe(400);
    expect(json.json.error).toBe("malformed_id");
    expect((await get("/id/foo/1", BROWSER)).status).toBe(404);

    const lower = await get("/id/uai/0751717j?format=ttl");
    expect(lower.status).toBe(301);
    expect(lower.headers.get("location")).toBe("/id/uai/0751717J?format=ttl");
  });

  it("dereference every refx entity scheme, and describe external URIs", async () => {
    for (const path of ["/id/rnsr/199798641L", "/id/siren/197517170", "/id/siret/19751717000019", "/id/academie/A01"]) {
      const r = await get(path, BROWSER);
      expect(r.status, path).toBe(200);
    }
    expect((await get("/id/academie/A01", BROWSER)).text).toContain("Establishments in this place");
    const ror = await get(`/describe?uri=${encodeURIComponent("https://ror.org/002t25c44")}`, "text/turtle");
    expect(ror.status).toBe(200);
    expect(has(new Parser().parse(ror.text), "https://ror.org/002t25c44", `${P.owl}sameAs`, UAI)).toBe(true);
    expect((await get(`/describe?uri=${encodeURIComponent("https://ror.org/0abcdef12")}`)).status).toBe(404);
    expect((await get("/describe?uri=not%20a%20uri")).status).toBe(400);
    const own = await get(`/describe?uri=${encodeURIComponent(UAI)}`);
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toBe("/id/uai/0751717J");
  });
});

describe("DCAT catalogue", () => {
  it("describes each loaded dataset: publisher, licence, dates, distributions, and the SPARQL endpoint as a data service", async () => {
    const r = await get("/catalog", "text/turtle");
    expect(r.status).toBe(200);
    const q = new Parser().parse(r.text);
    const cat = `${BASE}/catalog`;
    expect(has(q, cat, `${P.rdf}type`, `${P.dcat}Catalog`)).toBe(true);
    const datasets = q.filter((x) => x.subject.value === cat && x.predicate.value === `${P.dcat}dataset`).map((x) => x.object.value);
    expect(datasets).toHaveLength(8);
    const licence: Record<string, string> = { uai: LO2, education: LO2, rnsr: LO2, "sirene-ul": LO2, "sirene-etab": LO2, links: LO2, wikidata: CC0, ror: CC0 };
    for (const [source, lic] of Object.entries(licence)) {
      const g = `${BASE}/graph/${source}`;
      expect(datasets, source).toContain(g);
      expect(has(q, g, `${P.dcterms}license`, lic), source).toBe(true);
      expect(has(q, g, `${P.dcterms}publisher`), source).toBe(true);
      expect(has(q, g, `${P.dcterms}issued`), source).toBe(true);
      expect(has(q, g, `${P.dcterms}modified`), source).toBe(true);
      expect(has(q, g, `${P.dcat}distribution`, `${g}#export-nt`), source).toBe(true);
      expect(has(q, `${g}#export-nt`, `${P.dcat}downloadURL`, `${BASE}/export/${source}?format=nt`), source).toBe(true);
    }
    // the publisher's own file, as a distribution
    expect(has(q, `${BASE}/graph/uai#file-1`, `${P.dcat}downloadURL`)).toBe(true);
    const sparql = `${BASE}/sparql`;
    expect(has(q, sparql, `${P.rdf}type`, `${P.dcat}DataService`)).toBe(true);
    expect(has(q, sparql, `${P.dcat}endpointURL`, sparql)).toBe(true);
    expect(has(q, sparql, `${P.dcat}servesDataset`, `${BASE}/graph/ror`)).toBe(true);

    const html = await get("/catalog", BROWSER);
    expect(html.text).toContain("Catalogue of the loaded datasets");
    expect(html.text).toContain("Licence Ouverte 2.0");
    expect((await get("/catalog", "application/ld+json")).json).toBeInstanceOf(Array);
  });

  it("dereferences each dataset's graph URI", async () => {
    const r = await get("/graph/rnsr", "text/turtle");
    expect(r.status).toBe(200);
    const q = new Parser().parse(r.text);
    expect(has(q, `${BASE}/graph/rnsr`, `${P.dcterms}license`, LO2)).toBe(true);
    expect(has(q, `${BASE}/graph/rnsr`, `${P.void}triples`)).toBe(true);
    expect((await get("/graph/nothing")).status).toBe(404);
  });
});

describe("VoID", () => {
  it("counts triples and entities of each graph and its links to the other datasets", async () => {
    const r = await get("/void", "text/turtle");
    expect(r.status).toBe(200);
    const q = new Parser().parse(r.text);
    const value = (s: string, p: string) => Number(q.find((x) => x.subject.value === s && x.predicate.value === p)?.object.value);
    const sparql = await call(`${app.url}/sparql?query=${encodeURIComponent(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${BASE}/graph/ror> { ?s ?p ?o } }`)}`);
    expect(value(`${BASE}/graph/ror`, `${P.void}triples`)).toBe(Number(sparql.json.results.bindings[0].n.value));
    expect(value(`${BASE}/graph/uai`, `${P.void}entities`)).toBeGreaterThan(5);
    expect(has(q, `${BASE}/graph/ror`, `${P.void}classPartition`)).toBe(true);
    const linksets = q.filter((x) => x.predicate.value === `${P.rdf}type` && x.object.value === `${P.void}Linkset`).map((x) => x.subject.value);
    expect(linksets.length).toBeGreaterThan(5);
    // UAI → Wikidata and UAI → ROR sameAs links, each a linkset with its count
    const uaiTo = (target: string) =>
      linksets.some((l) => l.startsWith(`${BASE}/graph/uai#`) && has(q, l, `${P.void}objectsTarget`, target) && has(q, l, `${P.void}linkPredicate`, `${P.owl}sameAs`) && value(l, `${P.void}triples`) > 0);
    expect(uaiTo(`${BASE}/void#wikidata`)).toBe(true);
    expect(uaiTo(`${BASE}/void#ror`)).toBe(true);
    expect(has(q, `${BASE}/void#wikidata`, `${P.void}uriSpace`, "http://www.wikidata.org/entity/")).toBe(true);
    const wellKnown = await get("/.well-known/void", "text/turtle");
    expect(wellKnown.status).toBe(200);
    expect((await get("/void", BROWSER)).text).toContain("VoID");
  });
});

// Entity pages on ../shared/data: tests/linked-data-shared.test.ts.
