// Issue 12, "no second full copy of the store for SPARQL": a server starting
// from a snapshot restores it in the SPARQL worker only (server/sparql/worker-store.ts);
// entity pages, exports and counts are asked of that worker. Issue 15's
// guarantees stay: a query past the time limit is cut off, the worker is
// replaced by a fresh one restored from the snapshot, and what waited is answered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { servedStore, WorkerStore } from "../server/sparql/worker-store.ts";
import { serviceState } from "../server/state.ts";
import { BASE, SAMPLE_DATA_DIR, tempDir } from "./helpers.ts";
import { call, serveState, type Served } from "./ld-helpers.ts";

const cache = tempDir("refx-worker-store-");
let parsed: RefStore;
let served: Served;
const sparql = { timeoutMs: 1500, maxResults: 1000, allowServices: [] };
const ask = (query: string) => call(`${served.url}/sparql?query=${encodeURIComponent(query)}`, { headers: { Accept: "application/sparql-results+json" } });

beforeAll(async () => {
  parsed = new RefStore();
  await loadDataDir(parsed, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: cache.path });
  const store = new RefStore();
  const report = await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: cache.path, restore: false });
  expect(report.fromCache).toBe(true);
  expect(store.size).toBe(0); // checked, not restored here
  const state = serviceState({ base: BASE, sparql }, { store: servedStore(store, report, sparql), report, loadedAt: new Date() });
  served = await serveState(state);
}, 120_000);

afterAll(() => {
  served?.close();
  cache.remove();
});

describe("the SPARQL worker holds the only copy of a snapshot's store", () => {
  it("serves counts, entity pages and SPARQL from the worker, as the parsed store would", async () => {
    expect(served.state.served!.store).toBeInstanceOf(WorkerStore);
    expect(served.state.served!.sparql.get()).toBe((served.state.served!.store as WorkerStore).engine);
    expect(await served.state.served!.store.triples()).toBe(parsed.size);
    expect(await served.state.served!.store.graphSizes()).toEqual(parsed.graphSizes());
    const page = await call(`${served.url}/id/uai/0751717J?format=ttl`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("0751717J");
    const n = await ask("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    expect(n.status).toBe(200);
    expect(Number(n.json.results.bindings[0].n.value)).toBe(Number(parsed.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0].n));
    const health = await call(`${served.url}/health`);
    expect(health.status).toBe(200);
    expect(health.json.triples).toBe(parsed.size);
  });

  it("cuts a query off at the time limit, restores a fresh worker from the snapshot, and answers what waited meanwhile", async () => {
    const engine = served.state.served!.sparql.get();
    const before = engine.restarts;
    const slow = ask("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }");
    await new Promise((r) => setTimeout(r, 300));
    // Asked while the slow query holds the worker: waits for the fresh worker, then answers.
    const page = call(`${served.url}/id/uai/0751717J?format=ttl`);
    const r = await slow;
    expect(r.status).toBe(503);
    expect(r.json.error).toBe("timeout");
    expect(engine.restarts).toBe(before + 1);
    expect((await page).status).toBe(200);
    expect((await page).text).toContain("0751717J");
    const next = await ask("ASK { </id/uai/0751717J> ?p ?o }");
    expect(next.status).toBe(200);
    expect(next.json.boolean).toBe(true);
  }, 60_000);

  it("is read-only: a served snapshot is changed by publishing a new one", () => {
    expect(() => served.state.served!.store.appendNTriples("http://refx.test/graph/x", "")).toThrow(/read-only/);
  });
});
