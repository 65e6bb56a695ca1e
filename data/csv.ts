// Streams the rows of a published CSV file, with the line each row starts on,
// and turns every format problem into a LoadError naming file and line.
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { parse, CsvError } from "csv-parse";
import { LoadError } from "./errors.ts";

export interface CsvOptions {
  delimiter: string;
  /** Columns without which a row cannot be read: a file lacking one is not this source's file. */
  required: readonly string[];
  /** Called with the bytes read so far, for progress bars. */
  onBytes?: (bytes: number) => void;
}

export interface CsvRow {
  line: number;
  get(column: string): string;
}

/** Opens `file` (or reads `stream`, named `file` in errors) and yields its rows. */
export async function* readCsv(file: string, opts: CsvOptions, stream?: Readable): AsyncGenerator<CsvRow> {
  const input = stream ?? createReadStream(file);
  let bytes = 0;
  if (opts.onBytes) {
    input.on("data", (chunk: string | Buffer) => {
      bytes += chunk.length;
      opts.onBytes!(bytes);
    });
  }
  // The header is checked as soon as it is parsed, before any later line can
  // fail on a delimiter that was wrong from the start.
  let headerError: LoadError | undefined;
  let sawHeader = false;
  const parser = input.pipe(
    parse({
      delimiter: opts.delimiter,
      bom: true,
      info: true,
      skip_empty_lines: true,
      columns: (h: string[]) => {
        sawHeader = true;
        const header = h.map((c) => c.trim());
        try {
          checkHeader(file, header, opts);
        } catch (e) {
          headerError = e as LoadError;
          throw e;
        }
        return header;
      },
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { line: info.lines, get: (c) => record[c]?.trim() ?? "" };
    }
  } catch (err) {
    if (headerError) throw headerError;
    if (err instanceof LoadError) throw err;
    if (err instanceof CsvError) {
      const e = err as CsvError & { lines?: number };
      throw new LoadError(file, e.lines, describeCsvError(e));
    }
    throw new LoadError(file, undefined, (err as Error).message);
  } finally {
    input.destroy();
  }
  if (!sawHeader) throw new LoadError(file, 1, "the file is empty: expected a header row");
}

function checkHeader(file: string, header: string[], opts: CsvOptions): void {
  const missing = opts.required.filter((c) => !header.includes(c));
  if (!missing.length) return;
  if (header.length === 1) {
    const other = [";", ",", "\t", "|"].find((d) => d !== opts.delimiter && header[0].includes(d));
    if (other) {
      throw new LoadError(file, 1, `wrong delimiter: expected '${show(opts.delimiter)}'-separated columns, the header looks '${show(other)}'-separated`);
    }
  }
  throw new LoadError(file, 1, `unknown columns: the header lacks ${missing.map((m) => `'${m}'`).join(", ")}; found ${header.slice(0, 8).map((h) => `'${h}'`).join(", ")}${header.length > 8 ? ", ..." : ""}`);
}

function describeCsvError(e: CsvError): string {
  switch (e.code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
    case "CSV_RECORD_INCONSISTENT_COLUMNS": {
      const m = /length is (\d+), got (\d+)/.exec(e.message);
      return m ? `bad row: ${m[2]} cells where the header has ${m[1]} columns` : `bad row: ${e.message}`;
    }
    case "CSV_QUOTE_NOT_CLOSED":
      return "bad row: a quoted field is never closed (truncated file?)";
    default:
      return `bad row: ${e.message}`;
  }
}

const show = (d: string) => (d === "\t" ? "\\t" : d);

/** Splits a multi-valued cell ("a;b;c") keeping empty positions, which align lists. */
export function splitAligned(cell: string, sep = ";"): string[] {
  return cell === "" ? [] : cell.split(sep).map((v) => v.trim());
}

/** Splits a multi-valued cell and drops empty values. */
export function splitList(cell: string, seps = /[;,|]/): string[] {
  return cell.split(seps).map((v) => v.trim()).filter(Boolean);
}

/**
 * A cheap test of a record's raw bytes (UTF-8, `bytes[start..end)`, without
 * the line end), before it is decoded or split into cells.
 */
export type LineFilter = (bytes: Uint8Array, start: number, end: number) => boolean;

export interface ScanOptions extends CsvOptions {
  /**
   * Made from the header once it is read (a filter may look at a column by
   * its place). A record it refuses is counted and never decoded nor parsed.
   * Must accept every record the caller could keep (it may accept more).
   */
  prefilter?: (header: readonly string[]) => LineFilter;
}

export interface ScanResult {
  /** Records read, header excluded. */
  rows: number;
  /** Records the prefilter refused. */
  rejected: number;
}

/**
 * Reads a large CSV (the Sirene stocks: tens of millions of rows) record by
 * record without csv-parse: records are cut at line ends outside quotes, the
 * prefilter sees the raw bytes, and only records it accepts are decoded,
 * split into cells and handed to `onRow`. A refused record costs no string
 * and no object: at ~1 % kept, the rows refused are the whole cost of the
 * scan. Memory stays at one read buffer. Same errors as readCsv for the
 * header, unclosed quotes and rows with a wrong number of cells (these
 * checked on the parsed rows only).
 */
export async function scanCsv(file: string, opts: ScanOptions, onRow: (row: CsvRow) => void, stream?: Readable): Promise<ScanResult> {
  const input = stream ?? createReadStream(file, { highWaterMark: 1 << 20 });
  let prefilter: LineFilter | undefined;
  let bytes = 0;
  let lineNo = 0;
  let header: Map<string, number> | undefined;
  let width = 0;
  let rows = 0;
  let rejected = 0;
  let rest: Buffer | undefined;
  // A record cut by a line break inside quotes: its text so far and its first line.
  let open = "";
  let openLine = 0;
  // The next quote byte at or after the current line in `quoteIn` (its length when none):
  // one search finds it for every line up to it, so lines without quotes are never searched.
  let quoteIn: Buffer | undefined;
  let quoteAt = 0;

  const readHeader = (text: string, line: number) => {
    const cells = splitRecord(file, line, text.replace(/^\uFEFF/, ""), opts.delimiter).map((c) => c.trim());
    checkHeader(file, cells, opts);
    header = new Map(cells.map((c, i) => [c, i]));
    width = cells.length;
    prefilter = opts.prefilter?.(cells);
  };
  const parsed = (text: string, line: number) => {
    const cells = splitRecord(file, line, text, opts.delimiter);
    if (cells.length !== width) throw new LoadError(file, line, `bad row: ${cells.length} cells where the header has ${width} columns`);
    const columns = header!;
    onRow({ line, get: (c) => { const i = columns.get(c); return i === undefined ? "" : cells[i].trim(); } });
  };
  /** A record on one line, `buf[s..e)`: decoded only once the prefilter accepts it. */
  const recordBytes = (buf: Buffer, s: number, e: number, line: number) => {
    if (!header) return readHeader(buf.toString("utf8", s, e), line);
    rows++;
    if (prefilter && !prefilter(buf, s, e)) {
      rejected++;
      return;
    }
    parsed(buf.toString("utf8", s, e), line);
  };
  /** A record over several lines (a quoted cell holding a line break): rare, so it is decoded first. */
  const recordText = (text: string, line: number) => {
    if (!header) return readHeader(text, line);
    rows++;
    if (prefilter) {
      const b = Buffer.from(text, "utf8");
      if (!prefilter(b, 0, b.length)) {
        rejected++;
        return;
      }
    }
    parsed(text, line);
  };

  const physicalLine = (buf: Buffer, s: number, e: number) => {
    lineNo++;
    if (e > s && buf[e - 1] === 13) e--;
    if (open) {
      const text = buf.toString("utf8", s, e);
      open += "\n" + text;
      if (quoteCount(text) % 2 === 1) {
        const raw = open;
        open = "";
        recordText(raw, openLine);
      }
      return;
    }
    if (e === s) return;
    if (quoteIn !== buf || quoteAt < s) {
      quoteIn = buf;
      quoteAt = buf.indexOf(34, s);
      if (quoteAt === -1) quoteAt = buf.length;
    }
    if (quoteAt < e && quoteBytes(buf, quoteAt, e) % 2 === 1) {
      open = buf.toString("utf8", s, e);
      openLine = lineNo;
      return;
    }
    recordBytes(buf, s, e, lineNo);
  };

  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      let start = 0;
      // The line cut by the previous read is joined to its end alone, not the whole read to it.
      if (rest) {
        const nl = chunk.indexOf(10);
        if (nl === -1) {
          rest = Buffer.concat([rest, chunk]);
          opts.onBytes?.(bytes);
          continue;
        }
        const line = Buffer.concat([rest, chunk.subarray(0, nl)]);
        rest = undefined;
        physicalLine(line, 0, line.length);
        start = nl + 1;
      }
      for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
        physicalLine(chunk, start, end);
        start = end + 1;
      }
      rest = start < chunk.length ? chunk.subarray(start) : undefined;
      opts.onBytes?.(bytes);
    }
    if (rest) physicalLine(rest, 0, rest.length);
  } catch (err) {
    if (err instanceof LoadError) throw err;
    throw new LoadError(file, undefined, (err as Error).message);
  } finally {
    input.destroy();
  }
  if (open) throw new LoadError(file, openLine, "bad row: a quoted field is never closed (truncated file?)");
  if (!header) throw new LoadError(file, 1, "the file is empty: expected a header row");
  return { rows, rejected };
}

/** Quote bytes in `buf[from..to)`. */
function quoteBytes(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === 34) n++;
  return n;
}

function quoteCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** The cells of one record (RFC 4180 quoting: "" is a quote inside a quoted cell). */
export function splitRecord(file: string, line: number, raw: string, delimiter: string): string[] {
  if (raw.indexOf('"') === -1) return raw.split(delimiter);
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (raw[i] === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        const q = raw.indexOf('"', j);
        if (q === -1) throw new LoadError(file, line, "bad row: a quoted field is never closed (truncated file?)");
        value += raw.slice(j, q);
        if (raw[q + 1] === '"') {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      cells.push(value);
      if (i >= raw.length) return cells;
      if (raw[i] !== delimiter) throw new LoadError(file, line, `bad row: text after the closing quote of cell ${cells.length}`);
      i++;
    } else {
      const d = raw.indexOf(delimiter, i);
      if (d === -1) {
        cells.push(raw.slice(i));
        return cells;
      }
      cells.push(raw.slice(i, d));
      i = d + 1;
    }
  }
}
