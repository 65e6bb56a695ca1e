// `refx serve --store <url>`: serve from an external SPARQL store that
// `refx load --store <url>` filled. The server never writes to the store; it
// reads what the load report needs from the graphs' own descriptions
// (data/provenance.ts) and builds its matcher by streaming the records out.
import { readSnapshotState, type LoadReport, type SourceReport } from "../data/load.ts";
import type { RemoteStore } from "../data/remote-store.ts";
import { graphUri, SOURCES, type SourceId } from "../data/sources.ts";
import { VOID } from "../vocab/namespaces.ts";

/** Waits until the store answers (it may still be starting), at most `seconds`. */
export async function waitForStore(store: RemoteStore, seconds = 60): Promise<void> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await store.ping();
    } catch (err) {
      if (Date.now() > end) throw new Error(`the store at ${store.endpoint} does not answer: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** A load report read from the store: per source graph, its entities and triples. */
export async function remoteReport(store: RemoteStore, base: string): Promise<LoadReport> {
  const started = performance.now();
  const sizes = await store.graphSizes();
  const entities = new Map((await store.select(`SELECT ?g ?n WHERE { GRAPH ?g { ?g <${VOID.entities}> ?n } }`)).map((r) => [r.g, Number(r.n)]));
  const sources: SourceReport[] = [];
  for (const s of SOURCES) {
    const graph = graphUri(base, s.id as SourceId);
    if (!sizes.has(graph)) continue;
    sources.push({ source: s.id, graph, files: [], rows: 0, entities: entities.get(graph) ?? 0, skipped: {}, warnings: [], triples: sizes.get(graph)!, seconds: 0, cpuSeconds: 0 });
  }
  if (!sources.length) throw new Error(`the store at ${store.endpoint} holds no refx graph under ${base}/graph/: run \`refx load --store ${store.endpoint} --base-uri ${base}\` first`);
  const links = sizes.get(graphUri(base, "links")) ?? 0;
  const triples = [...sizes.values()].reduce((a, b) => a + b, 0);
  const seconds = (performance.now() - started) / 1000;
  return {
    dataDir: store.endpoint,
    fingerprint: `remote:${store.endpoint}:${triples}`,
    sources,
    links: { links, clusters: 0, largest: 0 },
    triples,
    seconds,
    triplesPerSecond: triples / seconds,
    fromCache: false,
    peakRssMB: process.memoryUsage().rss / 2 ** 20,
  };
}

/**
 * The report with the snapshot that `refx load --store` published beside the
 * store (`snapshot`), when that snapshot's graphs are those the store holds
 * (same base, same endpoint, same size of every graph): the matcher then
 * starts from the snapshot's records file instead of streaming them out of
 * the store. Otherwise the report as it was.
 */
export function withLoadSnapshot(report: LoadReport, store: RemoteStore, base: string, snapshot: string | undefined): LoadReport {
  if (!snapshot) return report;
  try {
    const state = readSnapshotState(snapshot);
    const sent = state.store;
    if (!sent || state.base !== base || sent.endpoint !== store.endpoint) return report;
    const sizes = new Map(report.sources.map((s) => [s.graph, s.triples]));
    const links = graphUri(base, "links");
    if (report.links.links) sizes.set(links, report.links.links);
    const same = Object.keys(sent.graphs).length === sizes.size && Object.entries(sent.graphs).every(([g, n]) => sizes.get(g) === n);
    return same ? { ...report, fingerprint: state.fingerprint, cacheDir: snapshot, links: state.links } : report;
  } catch {
    return report;
  }
}
