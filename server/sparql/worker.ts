// The query worker: a thread holding its own copy of the store, so that a
// query running past the time limit can be stopped by ending the thread while
// the main thread keeps serving (Oxigraph runs a query synchronously in WASM
// and cannot be interrupted). The copy comes from the saved store on disk when
// there is one, else from N-Triples dumps the main thread sends.
import oxigraph from "oxigraph";
import { parentPort } from "node:worker_threads";
import { RefStore } from "../../data/store.ts";
import { RDF_TYPES, RESULTS_TYPES, type RdfFormat, type ResultsFormat } from "../http/negotiation.ts";
import { writeResults, type JsonResults } from "./results.ts";
import { serialiseQuads } from "../../app/rdf-out.ts";

/** graphs: each graph's N-Triples in bounded pieces (RefStore.dumpGraphPieces), when there is no saved store. */
export type WorkerInit = { type: "init"; graphsDir?: string; graphs?: { graph: string; pieces: string[] }[] };

export interface WorkerQuery {
  type: "query";
  id: number;
  text: string;
  form: "SELECT" | "CONSTRUCT" | "ASK" | "DESCRIBE";
  capped: boolean;
  maxResults: number;
  baseIri: string;
  resultsFormat?: ResultsFormat;
  rdfFormat?: RdfFormat;
  /** Protocol dataset (default-graph-uri / named-graph-uri); absent: the union of all graphs. */
  dataset?: { default: string[]; named: string[] };
  federated: boolean;
  allowServices: string[];
}

/**
 * One of the store's own operations (GraphStore's reads), when the worker
 * holds the only copy of the store (server/sparql/worker-store.ts): refx's
 * bounded queries for entity pages, exports and counts, run without a time
 * limit. Answers are plain data (SPARQL JSON, TSV, arrays).
 */
export interface WorkerOp {
  type: "op";
  id: number;
  op: "select-json" | "select-tsv" | "ask" | "construct" | "graph-sizes" | "graph-names" | "triples";
  sparql?: string;
  mediaType?: string;
}

export type WorkerReply =
  | { type: "op-result"; id: number; value: unknown }
  | { type: "ready"; triples: number; ms: number }
  | { type: "init-error"; message: string }
  | { type: "result"; id: number; body: string; truncated: boolean; ms: number }
  /** fatal: the engine itself failed (WASM trap, stack overflow) and must not be used again. */
  | { type: "error"; id: number; message: string; fatal?: boolean };

const store = new RefStore();

async function init(m: WorkerInit): Promise<void> {
  const t0 = performance.now();
  // Streamed from the files in slices, checksums checked (RefStore.restore).
  if (m.graphsDir && !(await store.restore(m.graphsDir))) throw new Error(`no saved store at ${m.graphsDir}`);
  for (const g of m.graphs ?? []) for (const piece of g.pieces) store.appendNTriples(g.graph, piece);
  parentPort!.postMessage({ type: "ready", triples: store.size, ms: performance.now() - t0 } satisfies WorkerReply);
}

function queryOptions(q: WorkerQuery, resultsFormat?: string) {
  const base = { base_iri: q.baseIri, ...(resultsFormat ? { results_format: resultsFormat } : {}) };
  if (!q.dataset) return { ...base, use_default_graph_as_union: true };
  return {
    ...base,
    default_graph: q.dataset.default.map((g) => oxigraph.namedNode(g)),
    // Without named-graph-uri no named graph is visible, as the protocol says.
    named_graphs: q.dataset.named.map((g) => oxigraph.namedNode(g)),
  };
}

function runLocal(q: WorkerQuery): { body: string; truncated: boolean } {
  if (q.form === "ASK" || (q.form === "SELECT" && !q.capped)) {
    const format = RESULTS_TYPES[q.resultsFormat ?? "json"];
    return { body: store.query(q.text, queryOptions(q, format)) as string, truncated: false };
  }
  if (q.form === "SELECT") {
    // Capped at maxResults + 1: one row more than the limit says the result was cut.
    const text = store.query(q.text, queryOptions(q, RESULTS_TYPES.json)) as string;
    const json = JSON.parse(text) as JsonResults;
    const rows = json.results!.bindings;
    const truncated = rows.length > q.maxResults;
    if (!truncated && (q.resultsFormat ?? "json") === "json") return { body: text, truncated };
    if (truncated) rows.length = q.maxResults;
    return { body: writeResults(json, q.resultsFormat ?? "json"), truncated };
  }
  if (!q.capped) return { body: store.query(q.text, queryOptions(q, RDF_TYPES[q.rdfFormat ?? "turtle"])) as string, truncated: false };
  const quads = store.query(q.text, queryOptions(q)) as oxigraph.Quad[];
  const truncated = quads.length > q.maxResults;
  return { body: serialiseQuads(truncated ? quads.slice(0, q.maxResults) : quads, q.rdfFormat ?? "turtle"), truncated };
}

function runOp(m: WorkerOp): unknown {
  const union = { use_default_graph_as_union: true };
  switch (m.op) {
    case "select-json":
      return store.query(m.sparql!, { ...union, results_format: RESULTS_TYPES.json });
    case "select-tsv":
      return store.query(m.sparql!, { ...union, results_format: "text/tab-separated-values" });
    case "ask":
      return store.query(m.sparql!, union);
    case "construct":
      return store.query(m.sparql!, { ...union, results_format: m.mediaType });
    case "graph-sizes":
      return [...store.graphSizes()];
    case "graph-names":
      return store.graphNames();
    case "triples":
      return store.size;
  }
}

parentPort!.on("message", async (m: WorkerInit | WorkerQuery | WorkerOp) => {
  if (m.type === "op") {
    try {
      parentPort!.postMessage({ type: "op-result", id: m.id, value: runOp(m) } satisfies WorkerReply);
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      parentPort!.postMessage({ type: "error", id: m.id, message, fatal: isEngineFailure(err, message) } satisfies WorkerReply);
    }
    return;
  }
  if (m.type === "init") {
    try {
      await init(m);
    } catch (err) {
      parentPort!.postMessage({ type: "init-error", message: (err as Error).message } satisfies WorkerReply);
    }
    return;
  }
  const t0 = performance.now();
  try {
    const { body, truncated } = m.federated
      ? await (await import("./federation.ts")).runFederated(store, m)
      : runLocal(m);
    parentPort!.postMessage({ type: "result", id: m.id, body, truncated, ms: performance.now() - t0 } satisfies WorkerReply);
  } catch (err) {
    const message = String((err as Error)?.message ?? err);
    parentPort!.postMessage({ type: "error", id: m.id, message, fatal: isEngineFailure(err, message) } satisfies WorkerReply);
  }
});

/** A trap or stack overflow inside Oxigraph: its WASM memory may be corrupt, so every later query would fail too. */
function isEngineFailure(err: unknown, message: string): boolean {
  return err instanceof WebAssembly.RuntimeError || err instanceof RangeError || /memory access out of bounds|unreachable|call stack/i.test(message);
}
