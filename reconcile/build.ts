// Builds the matcher after a load. Reading records out of the store costs
// several seconds on the real extracts, so they are saved beside the saved
// store, under the same fingerprint, and read back on the next start.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LoadReport } from "../data/load.ts";
import type { RefStore } from "../data/store.ts";
import { ReconciliationIndex } from "./index.ts";
import { readRecords } from "./records.ts";
import type { EntityRecord, ServiceId } from "./types.ts";

/** Bump when readRecords changes what a record holds. */
const RECORDS_VERSION = 5;

export async function buildMatcher(store: RefStore, base: string, report: Pick<LoadReport, "fingerprint" | "cacheDir">): Promise<ReconciliationIndex> {
  return ReconciliationIndex.fromRecordsAsync(savedRecords(store, base, report));
}

/** Every service's records: read back from the cache when saved under this fingerprint, else read from the store and saved. */
export function savedRecords(store: RefStore, base: string, report: Pick<LoadReport, "fingerprint" | "cacheDir">): Map<ServiceId, EntityRecord[]> {
  const file = report.cacheDir ? join(report.cacheDir, "records.json") : undefined;
  const key = `${RECORDS_VERSION}:${report.fingerprint}:${base}`;
  if (file && existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as { key: string; records: [ServiceId, EntityRecord[]][] };
      if (saved.key === key) return new Map(saved.records);
    } catch {
      // A damaged file only costs the time to read the records again.
    }
  }
  const records = readRecords(store, base);
  if (file) {
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify({ key, records: [...records] }));
    renameSync(tmp, file);
  }
  return records;
}
