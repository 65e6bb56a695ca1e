// A seeded, bounded fuzz campaign over every route (issue 15): a few hundred
// hostile requests against the sample store, asserting that none answers 5xx,
// none takes over 5 s, /health answers throughout, and a known SPARQL query
// and a known reconciliation query still answer afterwards. The seed is
// fixed, so a failure replays; REFX_FUZZ_SEED and REFX_FUZZ_REQUESTS vary it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../scripts/bench/prng.ts";
import { BASE, SAMPLE_DATA_DIR } from "./helpers.ts";
import { serve, type Served } from "./ld-helpers.ts";

const SEED = Number(process.env.REFX_FUZZ_SEED ?? 20261202);
const REQUESTS = Number(process.env.REFX_FUZZ_REQUESTS ?? 300);
const SLOW_MS = 5000;

let main: Served;
beforeAll(async () => {
  main = await serve(SAMPLE_DATA_DIR, BASE, { sparql: { timeoutMs: 3000 }, matcher: true });
  main.state.served!.sparql.get().warm();
}, 60_000);
afterAll(() => main?.close());

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

function campaign(random: () => number): Req[] {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const int = (n: number) => Math.floor(random() * n);
  const nasty = [
    "", " ", "a", "Université", "0000001B", "0751717J", "199811842K", "Q90", "https://ror.org/02feahw73", "19751717700018",
    "../../../etc/passwd", "%00", "%", "%E0%A4%A", "<script>alert(1)</script>", "' OR 1=1 --", "=HYPERLINK(\"x\")", "\u0000\u0001",
    "x".repeat(5000), "😀".repeat(300), "1e308", "-1", "1.5", "NaN", "null", "[]", "{}", "\\", "\"", "?", "#", "&&&", "Ω≈ç√",
    "[".repeat(2000), "{".repeat(2000), "(".repeat(3000), "SELECT", "}", "\r\n\r\n",
  ];
  const word = () => pick(nasty);
  const enc = (s: string) => encodeURIComponent(s).slice(0, 20_000);
  const deepJson = (d: number) => "[".repeat(d) + "]".repeat(d);
  const services = ["uai", "rnsr", "siret", "wikidata", "ror", "all", "nope", word()];
  const schemes = ["uai", "rnsr", "siren", "siret", "wikidata", "ror", "idref", "grid", "isni", word()];
  const json = (body: string): Partial<Req> => ({ headers: { "Content-Type": "application/json" }, body });
  const jsonValue = () => pick([JSON.stringify(word()), String(random() * 1e10), "true", "null", deepJson(int(200)), `{"a":${JSON.stringify(word())}}`, "[1,2,3]", "1e308", "-0"]);
  const sparql = () =>
    pick([
      "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
      "SELECT * WHERE " + "{".repeat(int(4000)) + "?s ?p ?o" + "}".repeat(int(4000)),
      "SELECT * WHERE { ?s ?p ?o FILTER(" + "(".repeat(int(3000)) + "?o" + ")".repeat(int(3000)) + ") }",
      "SELECT * WHERE { " + Array.from({ length: int(600) + 1 }, () => "{ ?s ?p ?o }").join(" UNION ") + " }",
      "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } ".repeat(int(300)) + "} LIMIT 1",
      "INSERT DATA { <a:b> <a:c> <a:d> }",
      `SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }`,
      "ASK { ?s ?p ?o }",
      "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5",
      "DESCRIBE <" + BASE + "/id/uai/0000001B>",
      word(),
    ]);
  const makers: (() => Req)[] = [
    () => ({ method: "GET", path: `/reconcile/${pick(services)}?queries=${enc(pick([`{"q0":{"query":${JSON.stringify(word())},"limit":${jsonValue()}}}`, word(), deepJson(int(3000))]))}` }),
    () => ({ method: "POST", path: `/reconcile/${pick(services)}`, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `queries=${enc(`{"q0":{"query":${JSON.stringify(word())},"properties":[{"pid":${JSON.stringify(pick(["city", "uai", word()]))},"v":${jsonValue()}}]}}`)}` }),
    () => ({ method: "POST", path: `/reconcile/${pick(services)}/reconcile`, ...json(pick([`{"queries":[{"query":${JSON.stringify(word())}}]}`, deepJson(int(100_000)), word()])) }),
    () => ({ method: "GET", path: `/reconcile/${pick(services)}/suggest/${pick(["entity", "type", "property", word()])}?prefix=${enc(word())}&limit=${enc(word())}&cursor=${enc(word())}` }),
    () => ({ method: "GET", path: `/reconcile/${pick(services)}/preview?id=${enc(word())}` }),
    () => ({ method: "GET", path: `/reconcile/${pick(services)}/extend/propose?type=${enc(word())}&limit=${enc(word())}` }),
    () => ({ method: "POST", path: `/reconcile/${pick(services)}/extend`, headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `extend=${enc(pick([`{"ids":[${JSON.stringify(word())}],"properties":[{"id":${JSON.stringify(word())}}]}`, word()]))}` }),
    () => ({ method: pick(["GET", "POST"]), path: `/sparql?${pick(["", "format=" + enc(word()) + "&"])}query=${enc(sparql())}` }),
    () => ({ method: "POST", path: "/sparql", headers: { "Content-Type": pick(["application/sparql-query", "application/sparql-update", "text/plain"]) }, body: sparql() }),
    () => ({ method: "GET", path: `/id/${pick(schemes)}/${enc(word())}${pick(["", ".ttl", ".jsonld", ".html"])}` }),
    () => ({ method: "GET", path: `/api/search?q=${enc(word())}&limit=${enc(word())}&target=${enc(pick(services))}` }),
    () => ({ method: "GET", path: `/api/lookup/${pick(schemes)}/${enc(word())}` }),
    () => ({ method: "GET", path: `/api/validate/${pick(schemes)}/${enc(word())}` }),
    () => ({ method: "POST", path: "/api/reconcile", ...json(pick([`{"column":"name","rows":[{"name":${JSON.stringify(word())}}]}`, `{"column":${jsonValue()},"rows":${jsonValue()}}`, deepJson(int(100_000)), word()])) }),
    () => ({ method: "POST", path: `/api/reconcile?column=${enc(pick(["name", word()]))}`, headers: { "Content-Type": "text/csv" }, body: `name,x\n${word()},${word()}\n` }),
    () => ({ method: "POST", path: "/api/jobs", ...json(pick([`{"column":"name","rows":[{"name":${JSON.stringify(word())}}]}`, JSON.stringify({ column: "k0", rows: Array.from({ length: int(2000) }, (_, i) => ({ [`k${i}`]: "x" })) }), word()])) }),
    () => ({ method: pick(["GET", "DELETE"]), path: `/api/jobs/${enc(word())}${pick(["", "/result"])}`, headers: pick([{}, { Origin: "https://evil.example" }]) }),
    () => ({ method: "POST", path: "/api/affiliations", ...json(pick([`{"affiliation":${JSON.stringify(word())},"limit":${jsonValue()}}`, `{"affiliations":[${JSON.stringify(word())}]}`, deepJson(int(100_000))])) }),
    () => ({ method: "GET", path: `/api/affiliations?q=${enc(word())}&limit=${enc(word())}` }),
    () => ({ method: "GET", path: `/export/${pick(["uai", "rnsr", "links", "all", word()])}?format=${enc(pick(["ttl", "nt", "nq", "jsonld", word()]))}` }),
    () => ({ method: "POST", path: `/export/resolved?column=${enc(pick(["id", word()]))}&format=${enc(pick(["csv", "ttl", word()]))}`, headers: { "Content-Type": "text/csv" }, body: `id\n${Array.from({ length: int(50) }, () => word()).join("\n")}\n` }),
    () => ({ method: "GET", path: `/export/resolved/${enc(word())}` }),
    () => ({ method: "GET", path: pick(["/void", "/catalog", "/", "/openrefine", "/file", "/api/openapi.json", "/api/docs", `/graph/${enc(word())}`, `/describe?uri=${enc(word())}`, `/assets/web/${enc(word())}`, `/search?q=${enc(word())}`, `/${enc(word())}`]) }),
    () => ({ method: pick(["PUT", "PATCH", "DELETE", "OPTIONS"]), path: pick(["/sparql", "/api/reconcile", "/reconcile/uai", "/health", "/export/all"]) }),
  ];
  return Array.from({ length: REQUESTS }, () => pick(makers)());
}

describe(`fuzz campaign (seed ${SEED}, ${REQUESTS} requests)`, () => {
  it("no 5xx, none over 5 s, /health answering throughout, known queries answered afterwards", async () => {
    const random = new Rng(SEED);
    const requests = campaign(() => random.next());
    const failures: string[] = [];
    let healthChecks = 0;
    let stop = false;
    // /health polled beside the campaign: each answer must be a quick 200.
    const poller = (async () => {
      while (!stop) {
        const t0 = performance.now();
        const h = await fetch(`${main.url}/health`);
        await h.arrayBuffer();
        const ms = performance.now() - t0;
        if (h.status !== 200 || ms > SLOW_MS) failures.push(`/health: ${h.status} in ${ms.toFixed(0)} ms`);
        healthChecks++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    for (const [i, r] of requests.entries()) {
      const t0 = performance.now();
      let status = 0;
      try {
        const res = await fetch(main.url + r.path, { method: r.method, headers: r.headers, body: r.method === "GET" || r.method === "HEAD" ? undefined : r.body, redirect: "manual", signal: AbortSignal.timeout(SLOW_MS * 2) });
        await res.arrayBuffer();
        status = res.status;
      } catch (err) {
        failures.push(`#${i} ${r.method} ${r.path.slice(0, 120)}: ${(err as Error).message}`);
        continue;
      }
      const ms = performance.now() - t0;
      if (status >= 500) failures.push(`#${i} ${r.method} ${r.path.slice(0, 120)}: ${status}`);
      if (ms > SLOW_MS) failures.push(`#${i} ${r.method} ${r.path.slice(0, 120)}: ${ms.toFixed(0)} ms`);
    }
    stop = true;
    await poller;
    expect(failures).toEqual([]);
    expect(healthChecks).toBeGreaterThan(5);

    const q = await fetch(`${main.url}/sparql?query=${encodeURIComponent("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")}`);
    expect(q.status).toBe(200);
    expect(Number((await q.json()).results.bindings[0].n.value)).toBeGreaterThan(100);
    const rec = await fetch(`${main.url}/reconcile/rnsr?queries=${encodeURIComponent('{"q0":{"query":"LIPN"}}')}`);
    expect(rec.status).toBe(200);
    expect((await rec.json()).q0.result[0].id).toMatch(/199811842K/);
  }, 240_000);
});
