// The one parse of ../shared/data a test run makes, into the run-wide folder
// (tests/global-setup.ts starts it in a child process of its own as the run
// begins, so that it overlaps the test files that do not need it). Imports no
// vitest: run as `node --import tsx tests/shared-parse.ts <folder>`.
//
// The folder's protocol, read by tests/shared-cache.ts: `lock/` is taken (mkdir)
// by whoever parses; `ready.json` (the report, written aside then renamed) says
// the saved store and the matcher records are there; `failed.txt` says why not.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadDataDir, type LoadReport } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { savedRecords } from "../reconcile/build.ts";
import type { EntityRecord, ServiceId } from "../reconcile/types.ts";
import { BASE, SHARED_DATA } from "./helpers.ts";

/** What the parse of this run left: its report (fromCache false) and the size of the store it built. */
export interface SharedParse {
  report: LoadReport;
  size: number;
}

export const sharedFiles = (dir: string) => ({ lock: join(dir, "lock"), ready: join(dir, "ready.json"), failed: join(dir, "failed.txt") });

/** Takes the folder's lock: true when this caller is the one to parse. */
export function takeParseLock(dir: string): boolean {
  try {
    mkdirSync(sharedFiles(dir).lock);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses ../shared/data into `dir` (the caller holds the lock): the saved store of data/load.ts and the
 * matcher records of reconcile/build.ts, keyed by the files' fingerprint; then says so in `ready.json`.
 */
export async function parseShared(dir: string): Promise<{ parse: SharedParse; store: RefStore; records: Map<ServiceId, EntityRecord[]> }> {
  const { ready, failed } = sharedFiles(dir);
  try {
    const store = new RefStore();
    const report = await loadDataDir(store, { dataDir: SHARED_DATA, base: BASE, cacheDir: dir, refresh: true });
    const records = await savedRecords(store, BASE, report);
    const parse: SharedParse = { report, size: store.size };
    writeFileSync(`${ready}.tmp`, JSON.stringify(parse));
    renameSync(`${ready}.tmp`, ready);
    return { parse, store, records };
  } catch (err) {
    writeFileSync(failed, String((err as Error)?.stack ?? err));
    throw err;
  }
}

// The global setup's child: the lock is already taken for it.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: tests/shared-parse.ts <folder>");
  await parseShared(dir);
}
