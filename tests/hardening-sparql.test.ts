// Issue 15, SPARQL: no query may freeze the main thread or leave the engine
// broken. Each reproduction of the issue, at sizes just past the limits (the
// issue's own sizes blocked for 21 s or broke the engine until a restart), is
// refused at once with a 4xx, and the endpoint answers a known query after it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkQueryShape, measureQuery, QUERY_LIMITS } from "../server/sparql/shape.ts";
import { QueryRefused } from "../server/sparql/analyse.ts";
import { downloadHop, isInternalHost } from "../data/redirects.ts";
import { guardedFetch } from "../server/sparql/federation.ts";
import express from "express";
import type { Server } from "node:http";
import { BASE, SAMPLE_DATA_DIR } from "./helpers.ts";
import { call, listen, serve, type Served } from "./ld-helpers.ts";

let main: Served;
// A SPARQL endpoint that is allow-listed but redirects, and the address it redirects to, which records every hit.
let redirecting: { server: Server; url: string };
let secret: { server: Server; url: string };
const secretHits: string[] = [];
beforeAll(async () => {
  const s = express();
  s.use((req, res) => {
    secretHits.push(req.originalUrl);
    res.type("application/sparql-results+json").send('{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"literal","value":"SECRET"}}]}}');
  });
  secret = await listen(s);
  const r = express();
  r.use((_req, res) => res.redirect(302, `${secret.url}/internal/sparql`));
  redirecting = await listen(r);
  main = await serve(SAMPLE_DATA_DIR, BASE, { sparql: { timeoutMs: 20_000, allowServices: [`${redirecting.url}/sparql`] } });
  main.state.served!.sparql.get().warm();
}, 60_000);
afterAll(() => {
  main?.close();
  redirecting?.server.close();
  secret?.server.close();
});

const post = (q: string) => call(`${main.url}/sparql`, { method: "POST", headers: { "Content-Type": "application/sparql-query" }, body: q });
const KNOWN = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
async function stillAnswers(): Promise<void> {
  const r = await post(KNOWN);
  expect(r.status, r.text).toBe(200);
  expect(Number(r.json.results.bindings[0].n.value)).toBeGreaterThan(100);
}

const braces = (d: number) => "SELECT * WHERE " + "{".repeat(d) + "?s ?p ?o" + "}".repeat(d);
const parens = (d: number) => "SELECT * WHERE { ?s ?p ?o FILTER(" + "(".repeat(d) + "?o" + ")".repeat(d) + ") }";
const unions = (n: number) => "SELECT * WHERE { " + Array.from({ length: n }, () => "{ ?s ?p ?o }").join(" UNION ") + " }";
const optionals = (n: number) => "SELECT * WHERE { ?s ?p ?o " + Array.from({ length: n }, () => "OPTIONAL { ?s ?p ?o }").join(" ") + " }";
const sums = (n: number) => "SELECT * WHERE { ?s ?p ?o FILTER(" + Array.from({ length: n }, () => "?o").join(" + ") + " = 1) }";
const negations = (n: number) => "SELECT * WHERE { ?s ?p ?o FILTER(" + "!".repeat(n) + "?o) }";

describe("the shape of a query is measured before any parser sees it", () => {
  it("counts nesting, algebra keywords and operators, skipping strings, IRIs and comments", () => {
    const s = measureQuery('SELECT * WHERE { ?s <http://x/a-b> "{{{(((UNION" . # {{{{ UNION\n FILTER(?o > 1 && ?o != 2) ?s ex:foo-bar "1"^^xsd:int }');
    // Operators: the * of SELECT *, >, && and !=.
    expect(s).toMatchObject({ nesting: 2, algebra: 2, operators: 4 });
  });

  it("lets ordinary queries through and refuses each kind of excess with a named limit", () => {
    for (const ok of [braces(QUERY_LIMITS.maxNesting - 1), unions(200), optionals(100), sums(400), KNOWN]) expect(() => checkQueryShape(ok)).not.toThrow();
    const refusal = (q: string) => {
      try {
        checkQueryShape(q);
      } catch (err) {
        return err as QueryRefused;
      }
      throw new Error("not refused");
    };
    expect(refusal(braces(QUERY_LIMITS.maxNesting + 1)).message).toMatch(/nests .* more than 64 deep/);
    expect(refusal(unions(QUERY_LIMITS.maxAlgebra + 1)).code).toBe("query_too_complex");
    expect(refusal(sums(QUERY_LIMITS.maxOperators + 1)).message).toMatch(/operators/);
    const big = refusal("SELECT * WHERE { VALUES ?x { " + '"a" '.repeat(QUERY_LIMITS.maxChars / 4) + "} }");
    expect([big.status, big.code]).toEqual([413, "query_too_large"]);
  });

  it("measures a 50,000-deep query in milliseconds (the parsers took minutes)", () => {
    const t0 = performance.now();
    expect(() => checkQueryShape(braces(50_000))).toThrow(QueryRefused);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe("the reproductions of issue 15 over HTTP", () => {
  it("deep braces (the 21 s freeze), deep parentheses, 5,000 UNIONs, OPTIONAL chains, long operator chains: 4xx, then a known query answers", async () => {
    for (const q of [braces(3000), parens(3000), unions(5000), optionals(1000), sums(3000), negations(1000)]) {
      const r = await post(q);
      expect(r.status, r.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.json.error).toMatch(/query_too_complex|query_too_large|malformed_query/);
    }
    await stillAnswers();
  }, 30_000);

  it("an engine failure inside the worker (stack overflow) answers 400 and a fresh worker serves the next query", async () => {
    // Under the shape limits but still too much for Oxigraph's stack: sent to the engine directly.
    const engine = main.state.served!.sparql.get();
    const before = engine.restarts;
    const job = { text: optionals(1000), form: "SELECT" as const, capped: false, maxResults: 10, baseIri: BASE + "/", federated: false, allowServices: [] };
    await expect(engine.run(job)).rejects.toMatchObject({ status: 400, code: "query_too_complex" });
    expect(engine.restarts).toBe(before + 1);
    await stillAnswers();
    const v = await call(`${main.url}/void`, { headers: { Accept: "text/turtle" } });
    expect(v.status).toBe(200);
  }, 60_000);
});

describe("SSRF: redirects are checked at every hop", () => {
  it("an allow-listed SERVICE that answers 302 to another address: refused, the other address never hit", async () => {
    const r = await post(`SELECT ?s WHERE { SERVICE <${redirecting.url}/sparql> { ?s ?p ?o } }`);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.text).not.toMatch(/SECRET/);
    expect(secretHits).toEqual([]);
    await stillAnswers();
  }, 60_000);

  it("the federation's fetch refuses the redirect itself, and follows one that stays on the allow-list", async () => {
    const f = guardedFetch([`${redirecting.url}/sparql`]);
    await expect(f(`${redirecting.url}/sparql?query=x`)).rejects.toThrow(/refused to follow the redirect .* not an allow-listed/);
    const both = guardedFetch([`${redirecting.url}/sparql`, `${secret.url}/internal/sparql`]);
    const ok = await both(`${redirecting.url}/sparql?query=x`);
    expect(ok.status).toBe(200);
    expect(secretHits.length).toBe(1);
  });

  it("downloads: no hop to a private address from a public one, nor from https to http", () => {
    const from = new URL("https://www.data.gouv.fr/fr/datasets/r/abc");
    expect(downloadHop(new URL("https://static.data.gouv.fr/x.csv"), from)).toBeUndefined();
    expect(downloadHop(new URL("http://static.data.gouv.fr/x.csv"), from)).toMatch(/leaves https/);
    for (const internal of ["https://127.0.0.1:8080/", "https://localhost/", "https://10.1.2.3/", "https://192.168.0.1/", "https://169.254.169.254/latest/meta-data", "https://[::1]/"]) {
      expect(downloadHop(new URL(internal), from), internal).toMatch(/local or private/);
    }
    // A test server on loopback may redirect within loopback.
    expect(downloadHop(new URL("http://127.0.0.1:9/b"), new URL("http://127.0.0.1:9/a"))).toBeUndefined();
    expect(isInternalHost("example.org")).toBe(false);
  });
});
