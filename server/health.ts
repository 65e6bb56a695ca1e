// GET /health: 503 while loading, 200 with counts per source once ready.
import { basename } from "node:path";
import type { Request, Response } from "express";
import type { ServiceState } from "./state.ts";
import { GET_REAL_DATA, SAMPLE_NOTICE } from "./sample-notice.ts";

/** Said in every /health answer while the shipped sample is served. */
const sampleFields = (state: ServiceState) => (state.sample ? { sample: true, notice: SAMPLE_NOTICE.en, getRealData: GET_REAL_DATA } : {});

export function health(state: ServiceState) {
  return async (_req: Request, res: Response) => {
    if (state.status !== "ready" || !state.report) {
      res.status(503).json({
        status: state.status,
        ...sampleFields(state),
        error: state.error,
        progress: state.progress && { source: state.progress.source, bytes: state.progress.bytes, total: state.progress.total },
      });
      return;
    }
    const r = state.report;
    const sizes = await state.store.graphSizes();
    res.json({
      status: "ready",
      ...sampleFields(state),
      loadedAt: state.loadedAt?.toISOString(),
      fromCache: r.fromCache,
      // Which published snapshot this process restored (data/snapshot.ts), and whether it is a read-only replica.
      snapshot: r.fromCache && r.cacheDir ? basename(r.cacheDir) : undefined,
      readOnly: state.readOnly ?? false,
      loadSeconds: Number(r.seconds.toFixed(2)),
      triples: await state.store.triples(),
      store: state.store.kind,
      sources: Object.fromEntries(
        r.sources.map((s) => [
          s.source,
          { entities: s.entities, rows: s.rows, triples: sizes.get(s.graph) ?? 0, skipped: s.skipped, graph: s.graph, files: s.files.length },
        ]),
      ),
      links: { sameAs: r.links.links, clusters: r.links.clusters },
    });
  };
}
