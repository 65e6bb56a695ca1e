// Read-only replicas: `refx serve --snapshot <dir>` (or `--read-only` with the
// loader's --data-dir and --cache-dir) starts from the snapshot `refx load`
// published, without parsing a file and without writing anything, so any
// number of processes can share one snapshot folder with a loader.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { cacheFolder, snapshotFiles } from "../data/cache.ts";
import { checkSnapshot, readSnapshotState, type LoadReport } from "../data/load.ts";
import { currentSnapshot } from "../data/snapshot.ts";

/** The folder a replica follows: --snapshot, else the loader's cache folder of --data-dir. */
export function replicaSnapshotDir(o: { snapshot?: string; dataDir: string; cacheDir: string }): string {
  return o.snapshot ? resolve(o.snapshot) : cacheFolder(o.cacheDir, o.dataDir);
}

/** The snapshot to serve now: the one `current` names, or `dir` itself when it is a snapshot. */
export function snapshotToServe(dir: string): string {
  const files = snapshotFiles(dir);
  if (existsSync(files.state) && existsSync(files.graphs)) return dir;
  const current = currentSnapshot(dir);
  if (!current) throw new Error(`no snapshot published in ${dir}: run \`refx load\` with the same --data-dir and --cache-dir first`);
  return current;
}

/** Entity URIs must be those the snapshot was made with; --base-uri may only restate it. */
export function replicaBase(dir: string, explicit?: string): string {
  const base = readSnapshotState(snapshotToServe(dir)).base;
  const wanted = (explicit ?? process.env.REFX_BASE_URI)?.replace(/\/+$/, "");
  if (wanted && wanted !== base) throw new Error(`the snapshot in ${dir} was loaded with base URI ${base}, not ${wanted}: run \`refx load --base-uri ${wanted}\``);
  return base;
}

/**
 * The report of the current snapshot of `dir` (fromCache, and from where:
 * cacheDir), checked but not restored: the SPARQL worker restores it and the
 * main thread reads the store through it (server/sparql/worker-store.ts), so
 * a replica holds one copy of the store, as a server started from a snapshot
 * does. The matcher comes from the snapshot's records.
 */
export function checkReplica(dir: string): LoadReport {
  const started = performance.now();
  const snapshot = snapshotToServe(dir);
  const state = checkSnapshot(snapshot);
  if (!state) throw new Error(`the snapshot ${snapshot} could not be read`);
  const seconds = (performance.now() - started) / 1000;
  return {
    dataDir: state.dataDir,
    fingerprint: state.fingerprint,
    cacheDir: snapshot,
    sources: state.sources,
    links: state.links,
    triples: state.triples,
    seconds,
    triplesPerSecond: state.triples / seconds,
    fromCache: true,
    peakRssMB: process.memoryUsage().rss / 2 ** 20,
  };
}
