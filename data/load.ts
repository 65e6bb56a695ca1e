// Loads every source file recognised under a data directory into the store.
// Sources are streamed: rows are filtered as they are read and their triples
// go into the store as they are written, so memory is set by what is kept,
// not by what is read. A malformed file leaves the data being served as it
// was (see loadDataDir). The result is saved to a cache directory and
// restored on the next start when no file has changed.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { cacheFolder, DEFAULT_CACHE_DIR, LOADER_VERSION, sha256, snapshotFiles } from "./cache.ts";
import { LoadError } from "./errors.ts";
import { linkClosure, rebuildLinks, type LinkStats } from "./links.ts";
import { loadEducation } from "./loaders/education.ts";
import { loadRnsr } from "./loaders/rnsr.ts";
import { loadRor } from "./loaders/ror.ts";
import { loadSireneEtablissements, loadSireneUnitesLegales } from "./loaders/sirene.ts";
import { emptyCrossReferences, type Loader, type LoadOutcome } from "./loaders/types.ts";
import { loadUai } from "./loaders/uai.ts";
import { loadWikidata } from "./loaders/wikidata.ts";
import { describeGraph } from "./provenance.ts";
import { currentSnapshot, publishSnapshot } from "./snapshot.ts";
import { graphUri, SOURCES, type SourceId } from "./sources.ts";
import { GraphFiles, readGraphIndex, type GraphFileWriter } from "./graph-files.ts";
import { RemoteUpload, sameAsPairs, sendSavedGraphs } from "./remote-load.ts";
import type { RemoteStore } from "./remote-store.ts";
import { RefStore, type GraphStore } from "./store.ts";
import { TripleSink } from "./triples.ts";

/** Sirene comes last: it keeps the units that the other sources cite. */
export const LOADERS: [SourceId, Loader][] = [
  ["uai", loadUai],
  ["education", loadEducation],
  ["rnsr", loadRnsr],
  ["wikidata", loadWikidata],
  ["ror", loadRor],
  ["sirene-ul", loadSireneUnitesLegales],
  ["sirene-etab", loadSireneEtablissements],
];

export interface LoadProgress {
  source: SourceId;
  file: string;
  bytes: number;
  total: number;
}

export interface LoadOptions {
  dataDir: string;
  /** Base of refx URIs, e.g. http://localhost:3000 */
  base: string;
  /** Where the loaded store is saved between starts; false to neither read nor write a cache. */
  cacheDir?: string | false;
  /** Parse the files even when the saved store is up to date (and save the result). */
  refresh?: boolean;
  /**
   * false: an up-to-date snapshot is only checked, not restored into `store`
   * (left empty); the report names it (`cacheDir`) and the caller serves it
   * otherwise (the SPARQL worker holds the only copy: server/sparql/worker-store.ts).
   */
  restore?: boolean;
  onProgress?: (p: LoadProgress) => void;
  /** Writes what else belongs in a new snapshot (the matcher's records) into `dir`, before it is published. */
  onSnapshot?: (store: GraphStore, dir: string, fingerprint: string) => void | Promise<void>;
  /**
   * Send the graphs to this external store (`refx load --store`) instead of
   * filling `store`, which stays empty: data/remote-load.ts. Needs a cache
   * folder (the graphs are sent from the snapshot's files); `onSnapshot` is
   * given the remote store, filled, to read the matcher's records from.
   */
  remote?: RemoteStore;
  /** Called when a source starts and ends, for logs. */
  onSource?: (event: "start" | "end", source: SourceId, report?: SourceReport) => void;
}

export interface SourceReport extends LoadOutcome {
  source: SourceId;
  graph: string;
  files: string[];
  triples: number;
  seconds: number;
  /** CPU time of this process while the source loaded: on a shared machine, a steadier figure than `seconds`. */
  cpuSeconds: number;
}

export interface LoadReport {
  dataDir: string;
  /** Identifies the files and loader version this store came from; derived caches key on it. */
  fingerprint: string;
  /** The snapshot this store was saved to or restored from (data/snapshot.ts), when caching is on. */
  cacheDir?: string;
  sources: SourceReport[];
  links: LinkStats;
  triples: number;
  seconds: number;
  triplesPerSecond: number;
  fromCache: boolean;
  peakRssMB: number;
  /** CPU seconds of this process for the whole load (sources, links, records, sending). */
  cpuSeconds?: number;
  /** With `remote`: where the graphs went, their sizes in the store and the seconds spent sending (overlapping the parse). */
  sent?: { endpoint: string; graphs: Record<string, number>; seconds: number };
}

/** Files under `dataDir` (three levels deep at most) that a loader recognises, by source. */
export function discoverSources(dataDir: string): Map<SourceId, string[]> {
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    throw new LoadError(dataDir, undefined, "no such data directory");
  }
  const found = new Map<SourceId, string[]>();
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        if (depth < 3 && !name.startsWith(".")) walk(path, depth + 1);
        continue;
      }
      const rel = relative(dataDir, path).split("\\").join("/");
      const source = SOURCES.find((s) => s.filePattern.test(rel));
      if (!source) continue;
      const list = found.get(source.id) ?? [];
      list.push(path);
      found.set(source.id, list);
    }
  };
  walk(dataDir, 0);
  if (!found.size) {
    throw new LoadError(dataDir, undefined, `no source file recognised (expected a layout like ../shared/data: ${SOURCES.map((s) => s.downloadPath).join(", ")})`);
  }
  return found;
}

export async function loadDataDir(store: RefStore, opts: LoadOptions): Promise<LoadReport> {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let peakRss = process.memoryUsage().rss;
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss, highWaterRss()));
  const dataDir = resolve(opts.dataDir);
  const found = discoverSources(dataDir);
  const allFiles = [...found.values()].flat();
  const fingerprint = fingerprintOf(opts.base, allFiles);
  const cache = opts.cacheDir === false ? undefined : cacheFolder(opts.cacheDir ?? DEFAULT_CACHE_DIR, dataDir);

  const remote = opts.remote;
  if (remote && !cache) throw new Error("a load into an external store (--store) needs the cache folder: the graphs are sent from the snapshot's files");
  // The graphs' sizes as the store counts them once swapped in (it drops repeated triples): `refx serve --store` compares them to know the snapshot's records are those of the store.
  const sentReport = async (upload: RemoteUpload) => remote && { endpoint: remote.endpoint, graphs: Object.fromEntries(await remote.graphSizes()), seconds: upload.seconds };

  if (cache && !opts.refresh) {
    const snapshot = currentSnapshot(cache);
    const restored = snapshot && (opts.restore === false || remote ? checkSnapshot(snapshot, fingerprint) : await restoreSnapshot(store, snapshot, fingerprint));
    if (restored) {
      // Unchanged files: the store gets the saved graphs, and the saved records stay valid.
      const sent = remote && (await sentReport(await sendSavedGraphs(remote, snapshotFiles(snapshot).graphs)));
      const seconds = (performance.now() - started) / 1000;
      sample();
      return { ...restored, dataDir, fingerprint, cacheDir: snapshot, seconds, triplesPerSecond: restored.triples / seconds, fromCache: true, peakRssMB: peakRss / 2 ** 20, cpuSeconds: cpuSecondsSince(cpuStart), ...(sent ? { sent } : {}) };
    }
  }

  // The graphs are filled as the loaders write, so nothing of a source is
  // held whole: into `store` itself when it is empty (callers load into a new
  // store and swap it in when complete), else into a staging store copied over
  // at the end. Either way a failed load leaves the data being served as it was.
  // With a cache, each chunk also goes to the snapshot's file of its graph as
  // it is loaded: the save is written along the way, never dumped whole.
  const parse = async (files?: GraphFiles) => {
    if (remote) return parseToRemote(remote, files!);
    const target = store.size === 0 ? store : new RefStore();
    const refs = emptyCrossReferences();
    const parsed: SourceReport[] = [];
    try {
      for (const [source, loader] of LOADERS) {
        const sourceFiles = found.get(source);
        if (!sourceFiles) continue;
        parsed.push(await loadSource(source, loader, sourceFiles, target, refs, files?.writer(graphUri(opts.base, source))));
      }
    } catch (err) {
      if (target === store) store.clear();
      throw err;
    }
    // A staging store's graphs replace those being served; graphs of sources no longer in the directory are dropped.
    const keep = parsed.map((p) => p.graph);
    if (target !== store) {
      for (const s of SOURCES) {
        const g = graphUri(opts.base, s.id);
        store.replaceGraph(g, keep.includes(g) ? target.dumpGraphPieces(g) : []);
      }
    }
    sample();
    const linksGraph = graphUri(opts.base, "links");
    const links = rebuildLinks(store, linksGraph, opts.base);
    sample();
    files?.writeAll(linksGraph, store.dumpGraphPieces(linksGraph));
    files?.finish([...keep, linksGraph]);
    const triples = parsed.reduce((n, s) => n + s.triples, 0) + links.links;
    return { sources: parsed, links, triples, sent: undefined };
  };

  // The remote path: each source's file is sent while the next one is parsed, the links are closed from the
  // owl:sameAs pairs read off the text as it goes, and nothing is loaded into an embedded store.
  const parseToRemote = async (remote: RemoteStore, files: GraphFiles) => {
    const upload = new RemoteUpload(remote);
    const refs = emptyCrossReferences();
    const parsed: SourceReport[] = [];
    const pairs: [string, string][] = [];
    const linksGraph = graphUri(opts.base, "links");
    try {
      for (const [source, loader] of LOADERS) {
        const sourceFiles = found.get(source);
        if (!sourceFiles) continue;
        const graph = graphUri(opts.base, source);
        parsed.push(await loadSource(source, loader, sourceFiles, undefined, refs, files.writer(graph), (text) => {
          for (const pair of sameAsPairs(text)) pairs.push(pair);
        }));
        upload.send(graph, files.pathOf(graph)!);
      }
      const linksFile = files.writer(linksGraph);
      const sink = new TripleSink((text) => linksFile.write(text));
      const links = linkClosure(pairs, sink, opts.base);
      sink.chunks();
      pairs.length = 0;
      upload.send(linksGraph, files.pathOf(linksGraph)!);
      sample();
      const keep = [...parsed.map((p) => p.graph), linksGraph];
      await upload.publish(keep);
      files.finish(keep);
      sample();
      const triples = parsed.reduce((n, s) => n + s.triples, 0) + links.links;
      return { sources: parsed, links, triples, sent: await sentReport(upload) };
    } catch (err) {
      await upload.abandon();
      throw err;
    }
  };

  const loadSource = async (source: SourceId, loader: Loader, files: string[], target: RefStore | undefined, refs: ReturnType<typeof emptyCrossReferences>, file?: GraphFileWriter, onText?: (ntriples: string) => void): Promise<SourceReport> => {
    opts.onSource?.("start", source);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const graph = graphUri(opts.base, source);
    // Encoded once, for the store and the snapshot's file alike.
    const sink = new TripleSink((text) => {
      const bytes = Buffer.from(text, "utf8");
      target?.appendNTriplesBytes(graph, bytes);
      file?.write(bytes);
      onText?.(text);
      sample();
    });
    const total: LoadOutcome = { rows: 0, entities: 0, skipped: {}, warnings: [] };
    for (const f of files) {
      const out = await loader({ base: opts.base, file: f, refs, onProgress: (bytes, size) => opts.onProgress?.({ source, file: f, bytes, total: size }) }, sink);
      total.rows += out.rows;
      total.entities += out.entities;
      total.warnings.push(...out.warnings);
      for (const [k, v] of Object.entries(out.skipped)) total.skipped[k] = (total.skipped[k] ?? 0) + v;
      sample();
    }
    describeGraph(sink, { graph, source: SOURCES.find((s) => s.id === source)!, files, rows: total.rows, entities: total.entities, loadedAt: new Date() });
    sink.chunks();
    const report: SourceReport = { ...total, source, graph, files, triples: sink.count, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSecondsSince(cpu0) };
    opts.onSource?.("end", source, report);
    sample();
    return report;
  };

  let result!: Awaited<ReturnType<typeof parse>>;
  const snapshot =
    cache &&
    (await publishSnapshot(cache, async (dir) => {
      const files = snapshotFiles(dir);
      result = await parse(new GraphFiles(files.graphs));
      await opts.onSnapshot?.(remote ?? store, dir, fingerprint);
      const { sources, links, triples, sent } = result;
      writeFileSync(files.state, JSON.stringify({ fingerprint, base: opts.base, dataDir, sources, links, triples, ...(sent ? { store: { endpoint: sent.endpoint, graphs: sent.graphs } } : {}) }, null, 2));
    }));
  if (!cache) result = await parse();
  const { sources, links, triples, sent } = result;
  sample();
  const seconds = (performance.now() - started) / 1000;
  return { dataDir, fingerprint, cacheDir: snapshot || undefined, sources, links, triples, seconds, triplesPerSecond: triples / seconds, fromCache: false, peakRssMB: peakRss / 2 ** 20, cpuSeconds: cpuSecondsSince(cpuStart), ...(sent ? { sent } : {}) };
}

/** What a snapshot's state.json holds. */
export type SnapshotState = Pick<LoadReport, "fingerprint" | "dataDir" | "sources" | "links" | "triples"> & {
  base: string;
  /** A snapshot made by `refx load --store`: the store its graphs were sent to and their sizes there. */
  store?: { endpoint: string; graphs: Record<string, number> };
};

export function readSnapshotState(snapshot: string): SnapshotState {
  return JSON.parse(readFileSync(snapshotFiles(snapshot).state, "utf8")) as SnapshotState;
}

/** Restores a snapshot into `store` when it was made from the same files (`fingerprint`), or whatever files when it is undefined. */
export async function restoreSnapshot(store: RefStore, snapshot: string, fingerprint?: string): Promise<SnapshotState | undefined> {
  try {
    const state = readSnapshotState(snapshot);
    if (fingerprint !== undefined && state.fingerprint !== fingerprint) return undefined;
    if (!(await store.restore(snapshotFiles(snapshot).graphs))) return undefined;
    return state;
  } catch {
    // A damaged cache is only a slower start: the files are parsed again.
    return undefined;
  }
}

/** The state of a snapshot made from the same files whose saved store is complete, without restoring it. */
export function checkSnapshot(snapshot: string, fingerprint?: string): SnapshotState | undefined {
  try {
    const state = readSnapshotState(snapshot);
    if (fingerprint !== undefined && state.fingerprint !== fingerprint) return undefined;
    return readGraphIndex(snapshotFiles(snapshot).graphs) ? state : undefined;
  } catch {
    return undefined;
  }
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

/** The process's peak RSS so far, as Linux counts it (VmHWM), or 0 elsewhere: samples alone miss short peaks. */
function highWaterRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function fingerprintOf(base: string, files: string[]): string {
  const parts = files.map((f) => {
    const st = statSync(f);
    return `${f}|${st.size}|${st.mtimeMs}`;
  });
  return sha256(JSON.stringify({ v: LOADER_VERSION, base, parts }));
}
