// The matcher's records saved in a snapshot (`records.json`), as JSON Lines:
// a first line `{"key": …}`, then one `[service, record]` a line. Written and
// read a few megabytes at a time: at national size the file is gigabytes,
// past V8's longest string (~512 M characters), so one JSON.stringify or
// JSON.parse of the whole would fail (issue 12).
import { closeSync, openSync, renameSync } from "node:fs";
import { graphFileSlices, writeBytes } from "../data/graph-files.ts";
import type { EntityRecord, ServiceId } from "./types.ts";

const FLUSH = 4 * 2 ** 20;

export function writeRecordsFile(file: string, key: string, records: Map<ServiceId, EntityRecord[]>): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    let buf = `${JSON.stringify({ key })}\n`;
    for (const [service, list] of records) {
      for (const r of list) {
        buf += `${JSON.stringify([service, r])}\n`;
        if (buf.length >= FLUSH) {
          writeAll(fd, buf);
          buf = "";
        }
      }
    }
    writeAll(fd, buf);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

const writeAll = (fd: number, text: string) => writeBytes(fd, Buffer.from(text, "utf8"));

/** The records saved under `key`, or undefined when the file holds another key (other files, other loader). Throws on a damaged file. */
export function readRecordsFile(file: string, key: string): Map<ServiceId, EntityRecord[]> | undefined {
  const records = new Map<ServiceId, EntityRecord[]>();
  let first = true;
  for (const slice of graphFileSlices(file)) {
    for (const line of Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString("utf8").split("\n")) {
      if (!line) continue;
      if (first) {
        first = false;
        if ((JSON.parse(line) as { key?: string }).key !== key) return undefined;
        continue;
      }
      const [service, record] = JSON.parse(line) as [ServiceId, EntityRecord];
      let list = records.get(service);
      if (!list) records.set(service, (list = []));
      list.push(record);
    }
  }
  if (first) throw new Error(`${file} is empty`);
  return records;
}
