// ../shared/data once per test run. The parse is made into the run-wide
// folder of tests/global-setup.ts (by its child process, tests/shared-parse.ts,
// or, run without that setup, by the first test file that asks); every test
// file restores from there. The files that read it run in one non-isolated
// process per worker (the "shared-data" project of vitest.config.ts), so the
// store, the records and the matcher below are restored or built once per
// process, not once per file; they are only read, never changed.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { loadDataDir, type LoadReport } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { savedRecords } from "../reconcile/build.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import type { EntityRecord, ServiceId } from "../reconcile/types.ts";
import { BASE, SHARED_DATA } from "./helpers.ts";
import { parseShared, sharedFiles, takeParseLock, type SharedParse } from "./shared-parse.ts";

export type { SharedParse };

/**
 * For a beforeAll that opens ../shared/data: it may wait for the parse, under a minute on a quiet
 * 2-core machine, several minutes when other work shares the cores.
 */
export const SHARED_HOOK_TIMEOUT = 600_000;

/** The longest a test process waits for the parse. */
const WAIT_MS = SHARED_HOOK_TIMEOUT - 30_000;

let parsedHere: { store: RefStore; records: Map<ServiceId, EntityRecord[]> } | undefined;
let parse: Promise<SharedParse> | undefined;
let store: Promise<{ store: RefStore; report: LoadReport }> | undefined;
let records: Promise<Map<ServiceId, EntityRecord[]>> | undefined;
let matcher: Promise<ReconciliationIndex> | undefined;

let folder: string | undefined;

/** The run-wide folder (the `cacheDir` given to loadDataDir); a folder of this process's own when run without the global setup. */
export function sharedCacheFolder(): string {
  return (folder ??= inject("refxSharedCache") ?? mkdtempSync(join(tmpdir(), "refx-test-shared-")));
}

/** The report of this run's parse of ../shared/data, once it is saved (made here if nobody else took the lock). */
export function sharedParse(): Promise<SharedParse> {
  return (parse ??= (async () => {
    const dir = sharedCacheFolder();
    if (takeParseLock(dir)) {
      const mine = await parseShared(dir);
      parsedHere = mine;
      return mine.parse;
    }
    // The global setup's child (or another test process) parses: wait for its word.
    const { ready, failed } = sharedFiles(dir);
    const started = Date.now();
    while (!existsSync(ready)) {
      if (existsSync(failed)) throw new Error(`the parse of ../shared/data failed:\n${readFileSync(failed, "utf8")}`);
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

/** The matcher of ../shared/data, built from the saved records once per process. */
export function sharedMatcher(): Promise<ReconciliationIndex> {
  return (matcher ??= sharedRecords().then((r) => ReconciliationIndex.fromRecords(r)));
}
