// Opening the referentials: load (or restore) the store from a data directory,
// then build the matcher over it. The server, every command and the scripts
// that need the data go through here, so "load, then build the matcher" and
// the snapshot's extra artefact (the matcher's records) are written once.
// What comes out is one frozen value: a reload makes a new one and the server
// swaps it in whole, never field by field.
import { loadDataDir, type LoadOptions, type LoadReport } from "../data/load.ts";
import { RefStore, type GraphStore } from "../data/store.ts";
import { buildMatcher, saveRecords } from "../reconcile/build.ts";
import type { Matcher } from "../reconcile/matcher.ts";

export interface StoreOptions {
  dataDir: string;
  /** Base of entity URIs; the saved records are keyed on it. */
  baseUri: string;
  /** The folder of saved stores (one snapshot per data directory), or false to neither read nor write one. */
  cache: string | false;
  /** Parse the files even when the saved store is up to date. */
  refresh?: boolean;
  /** false: leave an up-to-date snapshot on disk for its reader (the server's SPARQL worker) instead of restoring it here. */
  restore?: boolean;
  onProgress?: LoadOptions["onProgress"];
  onSource?: LoadOptions["onSource"];
  /** `refx load --store`: send the graphs to this external store instead of the embedded one, which stays empty (data/remote-load.ts). */
  remote?: LoadOptions["remote"];
}

/** A loaded store and the report of its load: the embedded store, or an external one (`--store`). */
export interface OpenedStore<S extends GraphStore = RefStore> {
  readonly store: S;
  readonly report: LoadReport;
}

export interface Referentials<S extends GraphStore = RefStore> extends OpenedStore<S> {
  readonly base: string;
  readonly matcher: Matcher;
  /** Seconds the matcher took to build (read back from the snapshot, or read out of the store). */
  readonly indexSeconds: number;
  readonly loadedAt: Date;
}

/** The store alone, for what needs no matching (exports, stats); a new snapshot also saves the matcher's records. */
export async function openStore(o: StoreOptions): Promise<OpenedStore> {
  const store = new RefStore();
  const report = await loadDataDir(store, {
    dataDir: o.dataDir,
    base: o.baseUri,
    cacheDir: o.cache,
    refresh: o.refresh,
    restore: o.restore,
    // The snapshot carries the matcher's records too, so servers and replicas start without reading them out of the store.
    onSnapshot: (s, dir, fingerprint) => saveRecords(s, o.baseUri, dir, fingerprint),
    onProgress: o.onProgress,
    onSource: o.onSource,
    remote: o.remote,
  });
  return { store, report };
}

/** The matcher over a loaded store, and the whole as one frozen value. `readOnly`: never write the records (a replica). */
export async function withMatcher<S extends GraphStore>(opened: OpenedStore<S>, baseUri: string, readOnly = false): Promise<Readonly<Referentials<S>>> {
  const t0 = performance.now();
  const matcher = await buildMatcher(opened.store, baseUri, opened.report, readOnly);
  const indexSeconds = (performance.now() - t0) / 1000;
  return Object.freeze({ ...opened, base: baseUri, matcher, indexSeconds, loadedAt: new Date() });
}

/** Store, report and matcher of a data directory, as reconciliation, lookups and the server need them. */
export async function openReferentials(o: StoreOptions): Promise<Readonly<Referentials>> {
  return withMatcher(await openStore(o), o.baseUri);
}
