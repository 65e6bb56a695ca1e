// The SPARQL endpoint, entity pages and exports on the real extracts in
// ../shared/data, over real HTTP: one loaded store (restored from the run's
// parse, tests/shared-cache.ts) and one query worker for the whole file.
// Skipped with a message when ../shared/data is absent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { Parser } from "n3";
import { EXAMPLES } from "../server/sparql/examples.ts";
import { serviceState } from "../server/state.ts";
import type { RefStore } from "../data/store.ts";
import { BASE, HAS_SHARED_DATA, SHARED_DATA, SKIP_SHARED_MESSAGE } from "./helpers.ts";
import { call, serveState, type Served } from "./ld-helpers.ts";
import { SHARED_HOOK_TIMEOUT, sharedStore } from "./shared-cache.ts";

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const OWL_SAME = "http://www.w3.org/2002/07/owl#sameAs";

describe.skipIf(!HAS_SHARED_DATA)("on ../shared/data", () => {
  let shared: Served;
  const sparql = (q: string) => call(`${shared.url}/sparql?query=${encodeURIComponent(q)}`, { headers: { Accept: "application/sparql-results+json" } });

  beforeAll(async () => {
    const { store, report } = await sharedStore();
    shared = await serveState(serviceState({ base: BASE }, { store, report, loadedAt: new Date() }));
    // The worker copies the saved store from disk while the page and export tests run.
    shared.state.served!.sparql.get().warm();
  }, SHARED_HOOK_TIMEOUT);
  afterAll(() => shared?.close());

  describe("linked data", () => {
    it("the page of UAI 0751717J links its ROR record, its Wikidata item and its labs", async () => {
      const r = await call(`${shared.url}/id/uai/0751717J`, { headers: { Accept: BROWSER } });
      expect(r.status).toBe(200);
      expect(r.text).toContain('href="https://ror.org/002t25c44"');
      expect(r.text).toContain("Q999763");
      const labs = r.text.match(/href="\/id\/rnsr\/[0-9]{9}[A-Z]"/g) ?? [];
      expect(labs.length).toBeGreaterThan(5);
      const ttl = await call(`${shared.url}/id/uai/0751717J`, { headers: { Accept: "text/turtle" } });
      const quads = new Parser().parse(ttl.text);
      expect(quads.some((q) => q.predicate.value === OWL_SAME && q.object.value === "https://ror.org/002t25c44")).toBe(true);
    });

    it("the ROR record's description lists its sub-organisations", async () => {
      const r = await call(`${shared.url}/describe?uri=${encodeURIComponent("https://ror.org/002t25c44")}`, { headers: { Accept: BROWSER } });
      expect(r.status).toBe(200);
      expect((r.text.match(/href="\/describe\?uri=https%3A%2F%2Fror\.org%2F/g) ?? []).length).toBeGreaterThan(10);
    });

    it("the catalogue lists the four loaded sources and the links graph", async () => {
      const r = await call(`${shared.url}/catalog`, { headers: { Accept: "text/turtle" } });
      const datasets = new Parser().parse(r.text).filter((q) => q.predicate.value === "http://www.w3.org/ns/dcat#dataset").map((q) => q.object.value.replace(`${BASE}/graph/`, ""));
      expect(datasets.sort()).toEqual(["education", "links", "rnsr", "ror", "uai"]);
    });
  });

  describe("exports", () => {
    it("streams the RNSR graph and every triple re-parses; reports the rate", async () => {
      const g = `${BASE}/graph/rnsr`;
      const n = (shared.state.served!.store as RefStore).graphSizeOf(g);
      const t0 = performance.now();
      const r = await call(`${shared.url}/export/rnsr?format=nt`);
      const seconds = (performance.now() - t0) / 1000;
      expect(new Parser({ format: "N-Triples" }).parse(r.text)).toHaveLength(n);
      console.log(`export of the RNSR graph (${n} triples) as N-Triples over HTTP: ${seconds.toFixed(2)} s, ${Math.round(n / seconds)} triples/s`);
    });

    it("resolves the ROR ids of the gold affiliations file, as CSV with the same rows and as RDF", async () => {
      const gold = readFileSync(join(SHARED_DATA, "gold", "crossref-affiliations-ror.train.csv"), "utf8").split("\n").slice(0, 301).join("\n");
      const reread = (t: string) => parse(t, { bom: true }) as string[][];
      const r = await call(`${shared.url}/export/resolved?column=ror_id&service=ror`, { method: "POST", headers: { "Content-Type": "text/csv" }, body: gold });
      expect(r.status).toBe(200);
      const [header, ...rows] = reread(r.text);
      expect(rows.map((x) => x.slice(0, 2))).toEqual(reread(gold).slice(1));
      const found = rows.filter((x) => x[header.indexOf("refx_status")] === "found");
      expect(found.length).toBeGreaterThan(150);
      expect(found.every((x) => x[header.indexOf("refx_ror")] && x[header.indexOf("refx_name")])).toBe(true);
      const ttl = await call(`${shared.url}/export/resolved?column=ror_id&service=ror&format=ttl`, { method: "POST", headers: { "Content-Type": "text/csv" }, body: gold });
      const quads = new Parser().parse(ttl.text);
      expect(quads.filter((q) => q.predicate.value === OWL_SAME).length).toBeGreaterThanOrEqual(found.length);
    });
  });

  describe("SPARQL", () => {
    it("reaches UAI 0751717J from its ROR id", async () => {
      const r = await sparql(EXAMPLES.find((e) => e.id === "ror-to-uai")!.text);
      expect(r.status).toBe(200);
      expect(r.json.results.bindings.map((b: any) => b.uai.value)).toContain("0751717J");
    }, 60_000);

    it("runs the researchers' examples, each well within the time limit", async () => {
      const timings: string[] = [];
      for (const e of EXAMPLES.filter((x) => !x.text.includes("SERVICE"))) {
        const t0 = performance.now();
        const r = await sparql(e.text);
        const ms = performance.now() - t0;
        expect(r.status, `${e.id}: ${r.text.slice(0, 300)}`).toBe(200);
        expect(r.json.results.bindings.length, e.id).toBeGreaterThan(0);
        expect(ms, e.id).toBeLessThan(10_000);
        timings.push(`${e.id} ${r.json.results.bindings.length} rows ${Math.round(ms)} ms (${r.headers.get("server-timing")})`);
      }
      console.log(`SPARQL examples on ../shared/data:\n  ${timings.join("\n  ")}`);
    }, 60_000);

    it("answers VoID statistics computed by the query worker", async () => {
      const r = await call(`${shared.url}/void`, { headers: { Accept: "text/turtle" } });
      expect(r.status).toBe(200);
      const q = new Parser().parse(r.text);
      const triples = (g: string) => Number(q.find((x) => x.subject.value === `${BASE}/graph/${g}` && x.predicate.value === "http://rdfs.org/ns/void#triples")?.object.value);
      expect(triples("ror")).toBeGreaterThan(800_000);
      expect(triples("links")).toBeGreaterThan(10_000);
    }, 60_000);
  });
});

if (!HAS_SHARED_DATA) console.warn(SKIP_SHARED_MESSAGE);
