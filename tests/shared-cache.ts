// ../shared/data once per test run. The first test file that asks parses the
// real extracts into the run-wide folder made by tests/global-setup.ts (the
// saved store of data/load.ts and the matcher records of reconcile/build.ts,
// keyed by the files' fingerprint), and says so in `ready.json` with the
// report of that parse; every other file restores from there. A folder taken
// with mkdir is the lock between the test processes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { loadDataDir, type LoadReport } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { savedRecords } from "../reconcile/build.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import type { EntityRecord, ServiceId } from "../reconcile/types.ts";
import { BASE, SHARED_DATA } from "./helpers.ts";

/** What the parse of this run left: its report (fromCache false) and the size of the store it built. */
export interface SharedParse {
  report: LoadReport;
  size: number;
}

/**
 * For a beforeAll that opens ../shared/data: it may wait for the parse in another test file,
 * half a minute on a quiet 2-core machine, several minutes when other work shares the cores.
 */
export const SHARED_HOOK_TIMEOUT = 600_000;

/** The longest a test process waits for another's parse. */
const WAIT_MS = SHARED_HOOK_TIMEOUT - 30_000;

let parsedHere: { store: RefStore; records: Map<ServiceId, EntityRecord[]> } | undefined;
let parse: Promise<SharedParse> | undefined;
let store: Promise<{ store: RefStore; report: LoadReport }> | undefined;
let records: Promise<Map<ServiceId, EntityRecord[]>> | undefined;

let folder: string | undefined;

/** The run-wide folder (the `cacheDir` given to loadDataDir); a folder of this process's own when run without the global setup. */
export function sharedCacheFolder(): string {
  return (folder ??= inject("refxSharedCache") ?? mkdtempSync(join(tmpdir(), "refx-test-shared-")));
}

/** Parses ../shared/data into the run-wide folder unless another process did or is doing it; the report of that parse. */
export function sharedParse(): Promise<SharedParse> {
  return (parse ??= (async () => {
    const dir = sharedCacheFolder();
    const ready = join(dir, "ready.json");
    const failed = join(dir, "failed.txt");
    let mine = false;
    try {
      mkdirSync(join(dir, "lock"));
      mine = true;
    } catch {
      // Another test process parses: wait for its word.
    }
    if (mine) {
      try {
        const s = new RefStore();
        const report = await loadDataDir(s, { dataDir: SHARED_DATA, base: BASE, cacheDir: dir, refresh: true });
        parsedHere = { store: s, records: await savedRecords(s, BASE, report) };
        const done: SharedParse = { report, size: s.size };
        // Written aside then renamed: a waiting process never reads half of it.
        writeFileSync(`${ready}.tmp`, JSON.stringify(done));
        renameSync(`${ready}.tmp`, ready);
        return done;
      } catch (err) {
        writeFileSync(failed, String((err as Error)?.stack ?? err));
        throw err;
      }
    }
    const started = Date.now();
    while (!existsSync(ready)) {
      if (existsSync(failed)) throw new Error(`the parse of ../shared/data failed in another test file:\n${readFileSync(failed, "utf8")}`);
      if (Date.now() - started > WAIT_MS) throw new Error(`no parse of ../shared/data in ${dir} after ${WAIT_MS / 60_000} min`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return JSON.parse(readFileSync(ready, "utf8")) as SharedParse;
  })());
}

/** The store of ../shared/data with its load report: the parsed one in the process that parsed, else restored from the saved store. */
export function sharedStore(): Promise<{ store: RefStore; report: LoadReport }> {
  return (store ??= (async () => {
    const parsed = await sharedParse();
    if (parsedHere) return { store: parsedHere.store, report: parsed.report };
    const s = new RefStore();
    const report = await loadDataDir(s, { dataDir: SHARED_DATA, base: BASE, cacheDir: sharedCacheFolder() });
    if (!report.fromCache) throw new Error("the saved store of ../shared/data was not restored");
    return { store: s, report };
  })());
}

/** Every service's records of ../shared/data, read back from the saved records (no store needed). */
export function sharedRecords(): Promise<Map<ServiceId, EntityRecord[]>> {
  return (records ??= (async () => {
    const { report } = await sharedParse();
    if (parsedHere) return parsedHere.records;
    const file = join(report.cacheDir!, "records.json");
    if (!existsSync(file)) throw new Error(`no saved records at ${file}`);
    // An empty store: the saved records are keyed by the fingerprint of this run's parse, so it is never read.
    const read = await savedRecords(new RefStore(), BASE, report);
    if (![...read.values()].some((list) => list.length)) throw new Error(`the saved records at ${file} were not read back`);
    return read;
  })());
}

/** The matcher of ../shared/data, built from the saved records. */
export async function sharedMatcher(): Promise<ReconciliationIndex> {
  return ReconciliationIndex.fromRecords(await sharedRecords());
}
