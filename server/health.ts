// GET /health: 503 while loading, 200 with counts per source once ready, and
// the outcome of the last reload. Counts are taken once per loaded store
// (graphSizes() scans every graph: 0.5–0.85 s on the real data), so /health
// costs nothing per call and keeps answering under load.
import { basename } from "node:path";
import type { Request, Response } from "express";
import type { GraphStore } from "../data/store.ts";
import { heldServed, status, type ServiceState } from "./state.ts";
import { GET_REAL_DATA, SAMPLE_NOTICE } from "../app/sample-notice.ts";

/** Said in every /health answer while the shipped sample is served. */
const sampleFields = (state: ServiceState) => (state.config.sample ? { sample: true, notice: SAMPLE_NOTICE.en, getRealData: GET_REAL_DATA } : {});

interface Counts {
  triples: number;
  graphs: Map<string, number>;
}

const counts = new WeakMap<GraphStore, Promise<Counts>>();

/** The store's counts, taken on the first call for this store (main.ts calls it right after a load). */
export function storeCounts(store: GraphStore): Promise<Counts> {
  let c = counts.get(store);
  if (!c) {
    c = (async () => ({ triples: await store.triples(), graphs: await store.graphSizes() }))();
    counts.set(store, c);
  }
  return c;
}

export function health(state: ServiceState) {
  return async (_req: Request, res: Response) => {
    const served = heldServed(res);
    const { progress, error, lastReload } = state.loading;
    if (!served?.report) {
      res.status(503).json({
        status: status(state),
        ...sampleFields(state),
        error,
        progress: progress && { source: progress.source, bytes: progress.bytes, total: progress.total },
        lastReload,
      });
      return;
    }
    const r = served.report;
    const { triples, graphs: sizes } = await storeCounts(served.store);
    res.json({
      status: "ready",
      ...sampleFields(state),
      loadedAt: served.loadedAt?.toISOString(),
      fromCache: r.fromCache,
      // Which published snapshot this process restored (data/snapshot.ts), and whether it is a read-only replica.
      snapshot: r.fromCache && r.cacheDir ? basename(r.cacheDir) : undefined,
      readOnly: state.config.readOnly ?? false,
      loadSeconds: Number(r.seconds.toFixed(2)),
      triples,
      store: served.store.kind,
      sources: Object.fromEntries(
        r.sources.map((s) => [
          s.source,
          { entities: s.entities, rows: s.rows, triples: sizes.get(s.graph) ?? 0, skipped: s.skipped, graph: s.graph, files: s.files.length },
        ]),
      ),
      links: { sameAs: r.links.links, clusters: r.links.clusters },
      lastReload: state.loading.lastReload,
    });
  };
}
