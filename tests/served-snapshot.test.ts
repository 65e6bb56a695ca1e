// The served data is one value replaced whole on reload (server/state.ts): a
// request takes it at its start and reads only it, and the value's SPARQL
// engine ends once the value is replaced and no request holds it. The request
// here is GET /void, which reads the store (the dataset facts) and, after an
// await, the engine (the counts): a reload between the two must not give it
// one load's facts with another load's counts.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Parser } from "n3";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import type { QueryJob } from "../server/sparql/engine.ts";
import { serve, serviceState, type ServiceState } from "../server/state.ts";
import { BASE, SAMPLE_DATA_DIR } from "./helpers.ts";
import { call, serveState, type Served } from "./ld-helpers.ts";

const UAI_GRAPH = `${BASE}/graph/uai`;
const VOID_TRIPLES = "http://rdfs.org/ns/void#triples";

/** `store` seen through a proxy that counts its reads and, when `gate` is given, holds the first one until it opens. */
function watched(store: RefStore, gate?: { reached: () => void; open: Promise<void> }) {
  const reads = { count: 0 };
  let first = true;
  const proxy = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "select" || prop === "selectTerms") {
        return async (q: string) => {
          reads.count++;
          if (gate && first) {
            first = false;
            gate.reached();
            await gate.open;
          }
          return (value as (q: string) => unknown).call(target, q);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store: proxy, reads };
}

async function sampleStore() {
  const store = new RefStore();
  const report = await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  return { store, report };
}

const voidTriples = async (url: string): Promise<number> => {
  const r = await call(`${url}/void`, { headers: { Accept: "text/turtle" } });
  expect(r.status).toBe(200);
  const q = new Parser().parse(r.text).find((x) => x.subject.value === UAI_GRAPH && x.predicate.value === VOID_TRIPLES);
  return Number(q?.object.value);
};

const ASK: QueryJob = { text: "ASK {}", form: "ASK", capped: false, maxResults: 1, baseIri: `${BASE}/`, resultsFormat: "json", federated: false, allowServices: [] };

let first: Awaited<ReturnType<typeof sampleStore>>;
let second: Awaited<ReturnType<typeof sampleStore>>;
let app: Served | undefined;

beforeAll(async () => {
  first = await sampleStore();
  // The second load differs from the first by one triple in the UAI graph.
  second = await sampleStore();
  await second.store.appendNTriples(UAI_GRAPH, `<${BASE}/id/uai/0000000A> <http://www.w3.org/2000/01/rdf-schema#label> "reloaded" .\n`);
}, 60_000);
afterAll(() => app?.close());

describe("a reload while a request runs", () => {
  it("the request reads the value it took at its start throughout; that value's engine ends when the request has finished", async () => {
    let reached!: () => void;
    const inRead = new Promise<void>((r) => (reached = r));
    let open!: () => void;
    const gate = { reached, open: new Promise<void>((r) => (open = r)) };
    const before = watched(first.store, gate);
    const after = watched(second.store);
    const state: ServiceState = serviceState({ base: BASE }, { store: before.store, report: first.report, loadedAt: new Date() });
    app = await serveState(state);
    const oldValue = state.served!;
    oldValue.sparql.get().warm();
    const oldTriples = (await first.store.graphSizes()).get(UAI_GRAPH)!;

    const pending = voidTriples(app.url);
    await inRead; // the request holds the first value and waits inside its first read
    serve(state, { store: after.store, report: second.report, loadedAt: new Date() });
    expect(state.served).not.toBe(oldValue);
    expect(Object.isFrozen(state.served)).toBe(true);
    // Replaced, but held by the running request: its engine still answers.
    expect(oldValue.sparql.isEnded).toBe(false);
    expect((await oldValue.sparql.get().run(ASK)).body).toContain("true");
    open();

    // Facts and counts both from the first load; the second store was never read by that request.
    expect(await pending).toBe(oldTriples);
    expect(after.reads.count).toBe(0);
    await vi.waitFor(() => expect(oldValue.sparql.isEnded).toBe(true), { timeout: 10_000 });
    await expect(oldValue.sparql.get().run(ASK)).rejects.toMatchObject({ status: 503 });

    // The next request takes the second value, with its own engine.
    expect(await voidTriples(app.url)).toBe(oldTriples + 1);
    expect(after.reads.count).toBeGreaterThan(0);
    expect(state.served!.sparql.isEnded).toBe(false);
    app.close();
    app = undefined;
  }, 60_000);

  it("a value no request holds has its engine ended at the swap, and the new value starts its own even over the same store", async () => {
    const state = serviceState({ base: BASE }, { store: first.store, report: first.report, loadedAt: new Date() });
    const oldValue = state.served!;
    const oldEngine = oldValue.sparql.get();
    expect((await oldEngine.run(ASK)).body).toContain("true");
    serve(state, { ...oldValue });
    expect(oldValue.sparql.isEnded).toBe(true);
    await expect(oldEngine.run(ASK)).rejects.toMatchObject({ status: 503 });
    const newEngine = state.served!.sparql.get();
    expect(newEngine).not.toBe(oldEngine);
    expect((await newEngine.run(ASK)).body).toContain("true");
    state.served!.sparql.end();
  }, 60_000);
});
