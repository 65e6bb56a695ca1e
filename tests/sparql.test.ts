// The SPARQL endpoint over real HTTP (docs/sparql.md): the three protocol
// forms, the dataset parameters, every result format, content negotiation,
// the Service Description, read-only refusals, the time and result-size
// limits, and federation through SERVICE with its allow-list, tested against
// a second endpoint on loopback that records every request it receives.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import express from "express";
import { Parser } from "n3";
import oxigraph from "oxigraph";
import { RefStore } from "../data/store.ts";
import { createApp } from "../server/app.ts";
import { EXAMPLES } from "../server/sparql/examples.ts";
import { closeServed, serviceState, type ServiceState } from "../server/state.ts";
import { BASE, SAMPLE_DATA_DIR } from "./helpers.ts";
import { call, listen, serve, serveState, type Served } from "./ld-helpers.ts";

const enc = encodeURIComponent;
const PREFIXES = "PREFIX wdt: <http://www.wikidata.org/prop/direct/> PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>";

let main: Served;
let limited: Served;
let remote: Served;
const remoteHits: string[] = [];

beforeAll(async () => {
  // The remote endpoint: refx itself on a tiny store, behind a recorder of requests.
  const rstore = new RefStore();
  rstore.replaceGraph("http://remote.test/graph/extra", [
    '<http://www.wikidata.org/entity/Q999763> <http://www.wikidata.org/prop/direct/P571> "1971"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n',
  ]);
  const rstate: ServiceState = serviceState({ base: "http://remote.test" }, { store: rstore });
  const rapp = express();
  rapp.use((req, _res, next) => {
    remoteHits.push(`${req.method} ${req.originalUrl}`);
    next();
  });
  rapp.use(createApp(rstate));
  const r = await listen(rapp);
  remote = {
    state: rstate,
    url: r.url,
    close: () => {
      closeServed(rstate);
      r.server.close();
    },
  };

  main = await serve(SAMPLE_DATA_DIR, BASE, { sparql: { allowServices: [`${remote.url}/sparql`], timeoutMs: 20_000, maxResults: 1000 } });
  // Same data, tight limits: its own engine and worker.
  limited = await serveState(serviceState({ ...main.state.config, sparql: { timeoutMs: 1500, maxResults: 5, allowServices: [] } }, main.state.served));
  main.state.served!.sparql.get().warm();
  limited.state.served!.sparql.get().warm();
}, 60_000);

afterAll(() => {
  main?.close();
  limited?.close();
  remote?.close();
});

const get = (q: string, params: Record<string, string | string[]> = {}, headers: Record<string, string> = {}, url = main.url) => {
  const search = new URLSearchParams();
  search.append("query", q);
  for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) search.append(k, x);
  return call(`${url}/sparql?${search}`, { headers });
};

const COUNT_UAI = `${PREFIXES} SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e wdt:P3202 ?uai }`;
const count = (r: { json: any }) => Number(r.json.results.bindings[0].n.value);

describe("SPARQL 1.1 Protocol: the three ways to send a query", () => {
  it("GET with query=, POST form-encoded and POST application/sparql-query give the same answer", async () => {
    const viaGet = await get(COUNT_UAI);
    const viaForm = await call(`${main.url}/sparql`, { method: "POST", body: new URLSearchParams({ query: COUNT_UAI }) });
    const viaDirect = await call(`${main.url}/sparql`, { method: "POST", headers: { "Content-Type": "application/sparql-query" }, body: COUNT_UAI });
    for (const r of [viaGet, viaForm, viaDirect]) {
      expect(r.status, r.text).toBe(200);
      expect(r.headers.get("content-type")).toMatch(/^application\/sparql-results\+json/);
      expect(r.headers.get("access-control-allow-origin")).toBe("*");
    }
    expect(count(viaGet)).toBeGreaterThan(5);
    expect(count(viaForm)).toBe(count(viaGet));
    expect(count(viaDirect)).toBe(count(viaGet));
  });

  it("refuses malformed protocol requests with a message", async () => {
    const both = await call(`${main.url}/sparql?query=${enc("ASK {}")}`, { method: "POST", body: new URLSearchParams({ query: "ASK {}" }) });
    expect(both.status).toBe(400);
    const wrongType = await call(`${main.url}/sparql`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"query":"ASK {}"}' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.json.message).toMatch(/application\/sparql-query/);
    const put = await call(`${main.url}/sparql`, { method: "PUT", body: "x" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toMatch(/GET, POST/);
    const bad = await get("SELEC * WHERE { ?s ?p ?o }");
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe("malformed_query");
    expect(bad.json.message).toMatch(/does not parse/);
    const noQuery = await call(`${main.url}/sparql`, { method: "POST", body: new URLSearchParams({ format: "json" }) });
    expect(noQuery.status).toBe(400);
    const head = await call(`${main.url}/sparql?query=${enc("ASK {}")}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/sparql-results\+json/);
    const badGraph = await get(COUNT_UAI, { "default-graph-uri": "not a uri" });
    expect(badGraph.status).toBe(400);
  });

  it("default-graph-uri and named-graph-uri set the dataset (GET and POST form)", async () => {
    const union = count(await get(COUNT_UAI));
    const rnsrOnly = count(await get(COUNT_UAI, { "default-graph-uri": `${BASE}/graph/rnsr` }));
    const uaiOnly = count(await get(COUNT_UAI, { "default-graph-uri": `${BASE}/graph/uai` }));
    expect(uaiOnly).toBeGreaterThan(0);
    expect(rnsrOnly).toBeLessThan(union);
    const two = count(await call(`${main.url}/sparql`, {
      method: "POST",
      body: new URLSearchParams([["query", COUNT_UAI], ["default-graph-uri", `${BASE}/graph/uai`], ["default-graph-uri", `${BASE}/graph/rnsr`]]),
    }));
    expect(two).toBeGreaterThanOrEqual(uaiOnly);
    expect(two).toBeLessThanOrEqual(union);

    const graphsQuery = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g";
    const named = await get(graphsQuery, { "named-graph-uri": [`${BASE}/graph/uai`, `${BASE}/graph/ror`] });
    expect(named.json.results.bindings.map((b: any) => b.g.value)).toEqual([`${BASE}/graph/ror`, `${BASE}/graph/uai`]);
    const all = await get(graphsQuery);
    expect(all.json.results.bindings.length).toBe(8);
    // With only named graphs given, the default graph is empty, as the protocol says.
    expect(count(await get(COUNT_UAI, { "named-graph-uri": `${BASE}/graph/uai` }))).toBe(0);
  });

  it("resolves relative IRIs against the service base", async () => {
    const r = await get("ASK { </id/uai/0751717J> ?p ?o }");
    expect(r.json.boolean).toBe(true);
  });
});

describe("result formats and content negotiation", () => {
  const SELECT = `${PREFIXES} SELECT ?uai ?name WHERE { ?e wdt:P3202 ?uai ; skos:prefLabel ?name FILTER(lang(?name) = "fr") } ORDER BY ?uai LIMIT 4`;

  it("answers SELECT as SPARQL JSON, XML, CSV and TSV, by Accept and by format=", async () => {
    const json = await get(SELECT, {}, { Accept: "application/sparql-results+json" });
    expect(json.json.head.vars).toEqual(["uai", "name"]);
    expect(json.json.results.bindings).toHaveLength(4);
    const first = json.json.results.bindings[0];

    const xml = await get(SELECT, {}, { Accept: "application/sparql-results+xml" });
    expect(xml.headers.get("content-type")).toMatch(/^application\/sparql-results\+xml/);
    expect(xml.text).toContain('<sparql xmlns="http://www.w3.org/2005/sparql-results#">');
    expect(xml.text).toContain(`<literal>${first.uai.value}</literal>`);

    const csv = await get(SELECT, {}, { Accept: "text/csv" });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const csvLines = csv.text.trim().split("\r\n");
    expect(csvLines[0]).toBe("uai,name");
    expect(csvLines).toHaveLength(5);
    expect(csvLines[1].startsWith(first.uai.value + ",")).toBe(true);

    const tsv = await get(SELECT, {}, { Accept: "text/tab-separated-values" });
    expect(tsv.headers.get("content-type")).toMatch(/^text\/tab-separated-values/);
    const tsvLines = tsv.text.trim().split("\n");
    expect(tsvLines[0]).toBe("?uai\t?name");
    expect(tsvLines[1]).toContain(`"${first.uai.value}"`);
    expect(tsvLines[1]).toContain("@fr");

    for (const [format, type] of [["json", "sparql-results+json"], ["xml", "sparql-results+xml"], ["csv", "text/csv"], ["tsv", "tab-separated-values"]]) {
      const r = await get(SELECT, { format }, { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" });
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toContain(type);
      expect(r.headers.get("vary")).toMatch(/Accept/);
    }
    // A browser's Accept (no format=) gets JSON, not XML from its application/xml;q=0.9.
    const browser = await get(SELECT, {}, { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" });
    expect(browser.headers.get("content-type")).toMatch(/sparql-results\+json/);
  });

  it("answers ASK in the four result formats", async () => {
    const q = "ASK { </id/uai/0751717J> ?p ?o }";
    expect((await get(q)).json).toEqual({ head: {}, boolean: true });
    expect((await get(q, { format: "xml" })).text).toContain("<boolean>true</boolean>");
    expect((await get(q, { format: "csv" })).text.trim()).toBe("true");
    expect((await get(q, { format: "tsv" })).text.trim()).toBe("true");
  });

  it("answers CONSTRUCT and DESCRIBE as Turtle, N-Triples, JSON-LD and RDF/XML", async () => {
    const construct = `${PREFIXES} CONSTRUCT { ?e wdt:P3202 ?uai } WHERE { ?e wdt:P3202 ?uai }`;
    const ttl = await get(construct, {}, { Accept: "text/turtle" });
    expect(ttl.headers.get("content-type")).toMatch(/^text\/turtle/);
    const triples = new Parser({ format: "Turtle" }).parse(ttl.text);
    expect(triples.length).toBeGreaterThan(5);

    const nt = await get(construct, {}, { Accept: "application/n-triples" });
    expect(new Parser({ format: "N-Triples" }).parse(nt.text)).toHaveLength(triples.length);

    const jsonld = await get(construct, {}, { Accept: "application/ld+json" });
    expect(jsonld.headers.get("content-type")).toMatch(/^application\/ld\+json/);
    expect(Array.isArray(jsonld.json)).toBe(true);
    const s = new oxigraph.Store();
    s.load(jsonld.text, { format: "application/ld+json" });
    expect(s.size).toBe(triples.length);

    const rdfxml = await get(construct, {}, { Accept: "application/rdf+xml" });
    expect(rdfxml.headers.get("content-type")).toMatch(/^application\/rdf\+xml/);
    const x = new oxigraph.Store();
    x.load(rdfxml.text, { format: "application/rdf+xml" });
    expect(x.size).toBe(triples.length);

    const describe = await get("DESCRIBE </id/uai/0751717J>", { format: "ttl" });
    expect(describe.status).toBe(200);
    expect(describe.text).toContain(`${BASE}/id/uai/0751717J`);
    expect(new Parser().parse(describe.text).length).toBeGreaterThan(10);
  });

  it("answers 406 with the available types when Accept names none", async () => {
    const r = await get("ASK {}", {}, { Accept: "image/png" });
    expect(r.status).toBe(406);
    expect(r.json.message).toMatch(/application\/sparql-results\+json/);
    const wrongForm = await get("CONSTRUCT WHERE { ?s ?p ?o }", { format: "csv" });
    expect(wrongForm.status).toBe(406);
  });
});

describe("Service Description", () => {
  it("is returned for a bare GET, in Turtle by default and in JSON-LD on request; a browser gets a query form", async () => {
    const ttl = await call(`${main.url}/sparql`);
    expect(ttl.status).toBe(200);
    expect(ttl.headers.get("content-type")).toMatch(/^text\/turtle/);
    const quads = new Parser({ format: "Turtle" }).parse(ttl.text);
    const SD = "http://www.w3.org/ns/sparql-service-description#";
    const ep = `${BASE}/sparql`;
    expect(quads.some((q) => q.subject.value === ep && q.object.value === `${SD}Service`)).toBe(true);
    expect(quads.some((q) => q.predicate.value === `${SD}endpoint` && q.object.value === ep)).toBe(true);
    expect(quads.filter((q) => q.predicate.value === `${SD}resultFormat`)).toHaveLength(8);
    expect(quads.filter((q) => q.predicate.value === `${SD}name`)).toHaveLength(8);
    expect(quads.some((q) => q.object.value === `${SD}BasicFederatedQuery`)).toBe(true);

    const jsonld = await call(`${main.url}/sparql?format=jsonld`);
    expect(jsonld.headers.get("content-type")).toMatch(/ld\+json/);
    expect(JSON.stringify(jsonld.json)).toContain(`${SD}Service`);

    const html = await call(`${main.url}/sparql`, { headers: { Accept: "text/html,*/*;q=0.8" } });
    expect(html.headers.get("content-type")).toMatch(/text\/html/);
    expect(html.text).toContain('<form method="get" action="/sparql">');
    for (const e of EXAMPLES) expect(html.text).toContain(e.title.replace(/'/g, "&#39;"));
  });
});

describe("read-only", () => {
  it("refuses updates in every form, and the store is unchanged", async () => {
    const insert = `INSERT DATA { GRAPH <${BASE}/graph/uai> { <http://x.test/a> <http://x.test/b> "c" } }`;
    const asQuery = await get(insert);
    const asForm = await call(`${main.url}/sparql`, { method: "POST", body: new URLSearchParams({ update: insert }) });
    const asUpdate = await call(`${main.url}/sparql`, { method: "POST", headers: { "Content-Type": "application/sparql-update" }, body: insert });
    const drop = await get(`DROP GRAPH <${BASE}/graph/uai>`);
    for (const r of [asQuery, asForm, asUpdate, drop]) {
      expect(r.status, r.text).toBe(400);
      expect(r.json.error).toBe("read_only");
      expect(r.json.message).toMatch(/read-only/);
    }
    expect((await get("ASK { <http://x.test/a> ?p ?o }")).json.boolean).toBe(false);
    expect((await get("ASK { </id/uai/0751717J> ?p ?o }")).json.boolean).toBe(true);
  });
});

describe("limits", () => {
  it("cuts results at the result-size limit and says so in headers; a smaller LIMIT is untouched", async () => {
    const r = await get("SELECT * WHERE { ?s ?p ?o }", {}, {}, limited.url);
    expect(r.status).toBe(200);
    expect(r.json.results.bindings).toHaveLength(5);
    expect(r.headers.get("x-result-truncated")).toBe("true");
    expect(r.headers.get("x-result-limit")).toBe("5");
    expect(r.headers.get("warning")).toMatch(/cut at 5 rows/);
    const csv = await get("SELECT * WHERE { ?s ?p ?o }", { format: "csv" }, {}, limited.url);
    expect(csv.text.trim().split("\r\n")).toHaveLength(6);
    expect(csv.headers.get("x-result-truncated")).toBe("true");
    const small = await get("SELECT * WHERE { ?s ?p ?o } LIMIT 3", {}, {}, limited.url);
    expect(small.json.results.bindings).toHaveLength(3);
    expect(small.headers.get("x-result-truncated")).toBeNull();
    const exact = await get("SELECT * WHERE { ?s ?p ?o } LIMIT 5", { format: "tsv" }, {}, limited.url);
    expect(exact.headers.get("x-result-truncated")).toBeNull();
    const construct = await get("CONSTRUCT WHERE { ?s ?p ?o }", { format: "nt" }, {}, limited.url);
    expect(new Parser({ format: "N-Triples" }).parse(construct.text)).toHaveLength(5);
    expect(construct.headers.get("x-result-truncated")).toBe("true");
  });

  it("cuts a query off at the time limit with 503 and a message, keeps serving meanwhile, and answers the next query", async () => {
    const slow = get("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", {}, {}, limited.url);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const page = await call(`${limited.url}/id/uai/0751717J?format=ttl`);
    expect(page.status).toBe(200);
    expect(performance.now() - t0).toBeLessThan(1000);
    const r = await slow;
    expect(r.status).toBe(503);
    expect(r.json.error).toBe("timeout");
    expect(r.json.message).toMatch(/cut off after 1\.5 s/);
    expect(r.headers.get("retry-after")).toBeTruthy();
    expect(limited.state.served!.sparql.get().restarts).toBeGreaterThanOrEqual(1);
    const next = await get("ASK { </id/uai/0751717J> ?p ?o }", {}, {}, limited.url);
    expect(next.status).toBe(200);
    expect(next.json.boolean).toBe(true);
  }, 30_000);

  it("answers 503 while the data loads", async () => {
    const loading = await serveState(serviceState({ base: BASE }));
    try {
      const r = await get("ASK {}", {}, {}, loading.url);
      expect(r.status).toBe(503);
      expect(r.json.error).toBe("loading");
    } finally {
      loading.close();
    }
  });
});

describe("federation through SERVICE", () => {
  const federated = (service: string) => `${PREFIXES}
SELECT ?uai ?item ?inception WHERE {
  GRAPH </graph/links> { ?e owl:sameAs ?item FILTER(STRSTARTS(STR(?item), "http://www.wikidata.org/entity/")) }
  GRAPH </graph/uai> { ?e wdt:P3202 ?uai }
  SERVICE <${service}> { ?item wdt:P571 ?inception }
}`;

  it("joins the local graphs with an allow-listed endpoint", async () => {
    const before = remoteHits.length;
    const r = await get(federated(`${remote.url}/sparql`));
    expect(r.status, r.text).toBe(200);
    expect(r.json.head.vars).toEqual(["uai", "item", "inception"]);
    expect(r.json.results.bindings).toEqual([
      {
        uai: expect.objectContaining({ value: "0751717J" }),
        item: { type: "uri", value: "http://www.wikidata.org/entity/Q999763" },
        inception: { type: "literal", value: "1971", datatype: "http://www.w3.org/2001/XMLSchema#gYear" },
      },
    ]);
    expect(remoteHits.length).toBeGreaterThan(before);
    const csv = await get(federated(`${remote.url}/sparql`), { format: "csv" });
    expect(csv.text).toBe("uai,item,inception\r\n0751717J,http://www.wikidata.org/entity/Q999763,1971\r\n");
  }, 30_000);

  it("refuses any other SERVICE endpoint before anything is sent: 403, and the remote gets no request", async () => {
    const before = remoteHits.length;
    // Same host and port as the allowed endpoint, another path; then another port; then a variable.
    for (const q of [federated(`${remote.url}/other/sparql`), federated("http://127.0.0.1:9/sparql"), `SELECT * WHERE { VALUES ?svc { <${remote.url}/sparql> } SERVICE ?svc { ?s ?p ?o } }`]) {
      const r = await get(q);
      expect(r.status, r.text).toBe(403);
      expect(r.json.error).toBe("service_not_allowed");
      expect(r.json.message).toMatch(/allow-list|variable/);
    }
    // Even nested in a FILTER EXISTS.
    const nested = await get(`SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <${remote.url}/elsewhere> { ?s ?p ?o } } } LIMIT 1`);
    expect(nested.status).toBe(403);
    expect(remoteHits.slice(before)).toEqual([]);
  });

  it("refuses SERVICE entirely when the allow-list is empty", async () => {
    const before = remoteHits.length;
    const r = await get(federated(`${remote.url}/sparql`), {}, {}, limited.url);
    expect(r.status).toBe(403);
    expect(remoteHits.slice(before)).toEqual([]);
  });
});

describe("the example queries of docs/sparql.md", () => {
  for (const e of EXAMPLES.filter((x) => !x.text.includes("SERVICE"))) {
    it(`runs: ${e.title}`, async () => {
      const r = await get(e.text);
      expect(r.status, r.text).toBe(200);
      expect(r.json.results.bindings.length, e.id).toBeGreaterThan(0);
    });
  }
});

// The same endpoint on ../shared/data: tests/linked-data-shared.test.ts (one loaded store for all three concerns).
