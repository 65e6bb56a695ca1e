// Builds the matcher after a load. Reading records out of the store costs
// several seconds on the real extracts, so they are saved beside the saved
// store, under the same fingerprint, and read back on the next start.
import { existsSync } from "node:fs";
import { recordsKey, snapshotFiles } from "../data/cache.ts";
import type { LoadReport } from "../data/load.ts";
import { RefStore, type GraphStore } from "../data/store.ts";
import { ReconciliationIndex } from "./index.ts";
import { readRecordsFile, RecordsWriter, writeRecordsFile } from "./records-file.ts";
import { eachRecordFromFiles, readRecords, readRecordsFrom } from "./records.ts";
import type { EntityRecord, ServiceId } from "./types.ts";

/**
 * The matcher of a loaded store: from the records saved in its snapshot
 * (`report.cacheDir`) when they match, else read from the store and saved
 * there, unless `readOnly` (a replica never writes into a snapshot).
 */
export async function buildMatcher(store: GraphStore, base: string, report: Pick<LoadReport, "fingerprint" | "cacheDir">, readOnly = false): Promise<ReconciliationIndex> {
  return ReconciliationIndex.fromRecordsAsync(await savedRecords(store, base, report, readOnly));
}

/** Every service's records: read back from the snapshot when saved under this fingerprint, else read from the store and saved (unless `readOnly`). */
export async function savedRecords(store: GraphStore, base: string, report: Pick<LoadReport, "fingerprint" | "cacheDir">, readOnly = false): Promise<Map<ServiceId, EntityRecord[]>> {
  const file = report.cacheDir ? snapshotFiles(report.cacheDir).records : undefined;
  const key = recordsKey(report.fingerprint, base);
  if (file && existsSync(file)) {
    try {
      const saved = readRecordsFile(file, key);
      if (saved) return saved;
    } catch {
      // A damaged file only costs the time to read the records again.
    }
  }
  // The embedded store answers at once: no turn of the event loop a row.
  const records = store instanceof RefStore ? readRecords(store, base) : await readRecordsFrom(store, base);
  if (file && !readOnly) writeRecords(file, key, records);
  return records;
}

/**
 * Saves the matcher's records into a snapshot being written
 * (LoadOptions.onSnapshot), so no server has to read them out of the store:
 * read from the embedded store at once, or, for a remote one (`refx load
 * --store`), from the graph files the load sent it, in the snapshot.
 */
export function saveRecords(store: GraphStore, base: string, dir: string, fingerprint: string): void {
  const files = snapshotFiles(dir);
  if (store instanceof RefStore) return writeRecords(files.records, recordsKey(fingerprint, base), readRecords(store, base));
  // From the files, each record is written as it is made: the load never holds them all (at national size, gigabytes).
  const writer = new RecordsWriter(files.records, recordsKey(fingerprint, base));
  try {
    eachRecordFromFiles(files.graphs, base, (service, r) => writer.add(service, r));
  } catch (err) {
    writer.abandon();
    throw err;
  }
  writer.close();
}

/** Written a line per record (reconcile/records-file.ts): one JSON string of them all would not fit in V8 at national size. */
function writeRecords(file: string, key: string, records: Map<ServiceId, EntityRecord[]>): void {
  writeRecordsFile(file, key, records);
}
