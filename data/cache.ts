// The cache: where the saved artefacts of a data directory live, what each
// file of a snapshot is, and the versions that invalidate them. Every reader
// and writer of the cache (data/load.ts, data/snapshot.ts, reconcile/build.ts,
// the SPARQL worker, replicas) asks here rather than joining names itself:
//
//   <cache dir>/<hash of the data dir>/           the folder of one data directory (cacheFolder)
//     current                                    the id of the snapshot to serve (data/snapshot.ts)
//     snapshots/<id>/graphs/…                    the store (RefStore.save)
//     snapshots/<id>/state.json                  the load report and the base of entity URIs
//     snapshots/<id>/records.json                the matcher's records (reconcile/build.ts)
//   <cache dir>/jobs/<id>/                       the jobs a server was sent (jobsFolder; server/api/job-store.ts)
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";

/** Where the cache goes when no --cache-dir says otherwise. */
export const DEFAULT_CACHE_DIR = ".refx/cache";

/** Bump when loaders change what they write: a saved store made by other loaders is then ignored. */
export const LOADER_VERSION = 1;

/** Bump when readRecords changes what a record holds (6: records.json as JSON Lines; 7: records in one order). */
export const RECORDS_VERSION = 7;

/** The folder of `dataDir`'s snapshots under a cache directory: one folder per data directory. */
export function cacheFolder(cacheDir: string, dataDir: string): string {
  return join(resolve(cacheDir), sha256(resolve(dataDir)).slice(0, 16));
}

/** Where a server keeps the jobs it was sent, so that they survive a restart. */
export function jobsFolder(cacheDir: string): string {
  return join(resolve(cacheDir), "jobs");
}

/** The files of one snapshot directory. */
export interface SnapshotFiles {
  /** The saved store: a folder of graph files (data/graph-files.ts). */
  graphs: string;
  /** The load report and the base of entity URIs (SnapshotState in data/load.ts). */
  state: string;
  /** The matcher's records, as JSON Lines (reconcile/records-file.ts). */
  records: string;
}

export function snapshotFiles(snapshot: string): SnapshotFiles {
  return { graphs: join(snapshot, "graphs"), state: join(snapshot, "state.json"), records: join(snapshot, "records.json") };
}

/** The key the saved records are checked against: other records, other files or another base make them stale. */
export function recordsKey(fingerprint: string, base: string): string {
  return `${RECORDS_VERSION}:${fingerprint}:${base}`;
}

export function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}
