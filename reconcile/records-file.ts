// The matcher's records saved in a snapshot (`records.json`), as JSON Lines:
// a first line `{"key": …}`, then one `[service, record]` a line. Written and
// read a few megabytes at a time: at national size the file is gigabytes,
// past V8's longest string (~512 M characters), so one JSON.stringify or
// JSON.parse of the whole would fail (issue 12).
import { closeSync, openSync, renameSync } from "node:fs";
import { graphFileSlices, writeBytes } from "../data/graph-files.ts";
import { internPool } from "./strings.ts";
import { SERVICE_IDS, type EntityRecord, type ServiceId } from "./types.ts";

const FLUSH = 4 * 2 ** 20;

/**
 * A records file written a record at a time, in any order of services (a
 * load hands each record over as it is made and keeps none: issue 12); it
 * replaces `file` only when closed.
 */
export class RecordsWriter {
  private readonly tmp: string;
  private readonly fd: number;
  private buf: string;

  constructor(private readonly file: string, key: string) {
    this.tmp = `${file}.tmp-${process.pid}`;
    this.fd = openSync(this.tmp, "w");
    this.buf = `${JSON.stringify({ key })}\n`;
  }

  add(service: ServiceId, record: EntityRecord): void {
    this.buf += `${JSON.stringify([service, record])}\n`;
    if (this.buf.length >= FLUSH) this.flush();
  }

  /** Writes what is left and puts the file in place. */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
    renameSync(this.tmp, this.file);
  }

  /** Leaves `file` as it was (a load that failed while writing). */
  abandon(): void {
    closeSync(this.fd);
  }

  private flush(): void {
    writeBytes(this.fd, Buffer.from(this.buf, "utf8"));
    this.buf = "";
  }
}

export function writeRecordsFile(file: string, key: string, records: Map<ServiceId, EntityRecord[]>): void {
  const writer = new RecordsWriter(file, key);
  try {
    for (const [service, list] of records) for (const r of list) writer.add(service, r);
  } catch (err) {
    writer.abandon();
    throw err;
  }
  writer.close();
}

/**
 * The records saved under `key`, or undefined when the file holds another key
 * (other files, other loader). Throws on a damaged file. Services come in
 * SERVICE_IDS order whatever the order of the lines; the strings records
 * repeat (a cluster's URIs in each of its records, a name in its service's
 * record and in "all", towns, types, sources) are one string each.
 */
export function readRecordsFile(file: string, key: string): Map<ServiceId, EntityRecord[]> | undefined {
  const read = new Map<ServiceId, EntityRecord[]>();
  const intern = internPool();
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
      let list = read.get(service);
      if (!list) read.set(service, (list = []));
      list.push(shareStrings(record, intern));
    }
  }
  if (first) throw new Error(`${file} is empty`);
  const records = new Map<ServiceId, EntityRecord[]>();
  for (const s of SERVICE_IDS) if (read.has(s)) records.set(s, read.get(s)!);
  for (const [s, list] of read) if (!records.has(s)) records.set(s, list);
  return records;
}

/** One empty list for every record's empty lists (no parents, no websites, ...): nothing changes a record's lists. */
const EMPTY: readonly never[] = Object.freeze([]);

/** `value` with each string in it (at any depth) replaced by the pool's copy, and each empty list by EMPTY. */
function shareStrings<T>(value: T, intern: (s: string) => string): T {
  if (typeof value === "string") return intern(value) as T;
  if (Array.isArray(value)) {
    if (!value.length) return EMPTY as T;
    for (let i = 0; i < value.length; i++) value[i] = shareStrings(value[i], intern);
  } else if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    for (const k in o) o[k] = shareStrings(o[k], intern);
  }
  return value;
}
