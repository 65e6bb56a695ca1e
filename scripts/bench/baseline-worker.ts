// A worker thread running the baseline: it holds one Fuse index per service
// and answers batches of queries, timing each query on its own thread.
import { parentPort } from "node:worker_threads";
import type Fuse from "fuse.js";
import { buildFuse, searchBaseline, type BaselineDoc, type BaselineHit } from "./baseline.ts";

export type WorkerRequest =
  | { type: "docs"; service: string; docs: BaselineDoc[] }
  | { type: "batch"; id: number; service: string; queries: string[] };

export type WorkerReply =
  | { type: "built"; service: string; ms: number }
  | { type: "batch"; id: number; ms: number[]; hits: BaselineHit[][] };

const indexes = new Map<string, Fuse<BaselineDoc>>();

parentPort!.on("message", (m: WorkerRequest) => {
  if (m.type === "docs") {
    const t0 = performance.now();
    indexes.set(m.service, buildFuse(m.docs));
    parentPort!.postMessage({ type: "built", service: m.service, ms: performance.now() - t0 } satisfies WorkerReply);
    return;
  }
  const fuse = indexes.get(m.service)!;
  const ms: number[] = [];
  const hits = m.queries.map((q) => {
    const t0 = performance.now();
    const h = searchBaseline(fuse, q);
    ms.push(performance.now() - t0);
    return h;
  });
  parentPort!.postMessage({ type: "batch", id: m.id, ms, hits } satisfies WorkerReply);
});
