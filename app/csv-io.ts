// Reading the CSV files IT teams send, as they come out of Excel, Apogée or
// an HR export: any of four delimiters (detected), UTF-8 with or without BOM,
// UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252/Latin-1;
// quoted fields with line breaks; CRLF or LF. Files are streamed from disk,
// never held whole in memory. Writing: BOM-less UTF-8 with the input's
// delimiter and line ending (docs/rest-api.md#csv-rules).
import { open } from "node:fs/promises";
import { createReadStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { parse, type Options as ParseOptions } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import { DomainError, invalidInput } from "./errors.ts";
import { formulaSafe, type FormulaMode } from "../data/csv-formulas.ts";

export type Encoding = "utf-8" | "windows-1252" | "utf-16le" | "utf-16be";
export const DELIMITERS = [";", ",", "\t", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface CsvFormat {
  encoding: Encoding;
  /** The file started with a byte order mark (dropped on reading, never written). */
  bom: boolean;
  delimiter: Delimiter;
  eol: "\r\n" | "\n";
}

export interface CsvOverrides {
  delimiter?: Delimiter;
  encoding?: Encoding;
}

export interface CsvInfo {
  format: CsvFormat;
  header: string[];
  /** Data rows (records after the header; blank lines are not rows). */
  rows: number;
  bytes: number;
}

/** A record longer than this many characters is refused (usually an unbalanced quote). */
export const MAX_RECORD_CHARS = 100_000;
const SAMPLE_BYTES = 64 * 1024;
const SNIFF_LINES = 50;

export const csvError = (message: string) => invalidInput(message, "invalid_csv");

/** Encoding by BOM, else valid UTF-8, else Windows-1252 (a superset of Latin-1's printable characters). */
export function detectEncoding(sample: Uint8Array): { encoding: Encoding; bom: boolean } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: "utf-8", bom: true };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: "utf-16le", bom: true };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: "utf-16be", bom: true };
  try {
    // `stream: true`: a character cut by the end of the sample is not an error.
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return { encoding: "utf-8", bom: false };
  } catch {
    return { encoding: "windows-1252", bom: false };
  }
}

/** The lines of a text cut outside quotes (a quoted line break stays inside its field). */
function logicalLines(text: string, max: number): { lines: string[]; eol: "\r\n" | "\n"; complete: boolean } {
  const lines: string[] = [];
  let eol: "\r\n" | "\n" | undefined;
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length && lines.length < max; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === "\n" || c === "\r")) {
      lines.push(text.slice(start, i));
      if (c === "\r" && text[i + 1] === "\n") i++;
      eol ??= c === "\r" && text[i] === "\n" ? "\r\n" : "\n";
      start = i + 1;
    }
  }
  const complete = lines.length < max && start < text.length;
  if (complete) lines.push(text.slice(start));
  return { lines: lines.filter((l) => l.trim() !== ""), eol: eol ?? "\n", complete };
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let inQuotes = false;
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === d) n++;
  }
  return n;
}

/**
 * The delimiter that splits the header and the most following lines into the
 * same number of fields (outside quotes); ties go to the one that splits the
 * header most. A file of one column has none: "," is taken, unless its names
 * hold commas (then the candidate they hold least).
 */
export function detectDelimiter(text: string): { delimiter: Delimiter; eol: "\r\n" | "\n" } {
  const { lines, eol } = logicalLines(text, SNIFF_LINES);
  let best: { d: Delimiter; consistent: number; header: number } | undefined;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistent = counts.slice(1).filter((n) => n === header).length;
    if (!best || consistent > best.consistent || (consistent === best.consistent && header > best.header)) best = { d, consistent, header };
  }
  if (best) return { delimiter: best.d, eol };
  // One column: the candidate least present in the data, so that no name is split.
  const total = (d: string) => lines.reduce((n, l) => n + countOutsideQuotes(l, d), 0);
  const least = [...DELIMITERS].sort((a, b) => total(a) - total(b))[0];
  return { delimiter: total(",") === total(least) ? "," : least, eol };
}

async function readSample(path: string): Promise<{ sample: Buffer; bytes: number }> {
  const fh = await open(path, "r");
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return { sample: buf.subarray(0, bytesRead), bytes: size };
  } finally {
    await fh.close();
  }
}

/** Format of a file from its first 64 KB; overrides win. */
export async function sniffFile(path: string, overrides: CsvOverrides = {}): Promise<{ format: CsvFormat; bytes: number }> {
  const { sample, bytes } = await readSample(path);
  const detected = detectEncoding(sample);
  const encoding = overrides.encoding ?? detected.encoding;
  const text = new TextDecoder(encoding).decode(sample, { stream: true });
  if (text.trim() === "") throw csvError("the file is empty: send a CSV whose first line is a header");
  const { delimiter, eol } = detectDelimiter(text);
  return { format: { encoding, bom: detected.bom, delimiter: overrides.delimiter ?? delimiter, eol }, bytes };
}

/** Bytes in the file's encoding → UTF-8 bytes for csv-parse; BOM dropped; invalid UTF-8 is an error. */
function decoder(encoding: Encoding): Transform {
  const d = new TextDecoder(encoding, { fatal: encoding === "utf-8" });
  let offset = 0;
  const fail = (cb: TransformCallback) => cb(csvError(`the file is not valid ${encoding.toUpperCase()} (after byte ${offset}); it mixes encodings`));
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        const text = d.decode(chunk, { stream: true });
        offset += chunk.length;
        cb(null, text ? Buffer.from(text, "utf8") : undefined);
      } catch {
        fail(cb);
      }
    },
    flush(cb) {
      try {
        const text = d.decode();
        cb(null, text ? Buffer.from(text, "utf8") : undefined);
      } catch {
        fail(cb);
      }
    },
  });
}

function parserOptions(format: CsvFormat): ParseOptions {
  return {
    delimiter: format.delimiter,
    quote: '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: MAX_RECORD_CHARS,
  };
}

/** csv-parse's errors, in words a user acts on. */
function parseError(err: unknown): Error {
  if (err instanceof DomainError) return err;
  const e = err as { code?: string; message?: string; lines?: number };
  const at = e.lines ? `line ${e.lines}: ` : "";
  switch (e.code) {
    case "CSV_MAX_RECORD_SIZE":
      return csvError(`${at}a record is longer than ${MAX_RECORD_CHARS} characters (a quote that is never closed?)`);
    case "CSV_QUOTE_NOT_CLOSED":
      return csvError(`${at}a quoted field is never closed`);
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return csvError(`${at}a closing quote is followed by other characters`);
    default:
      return e.code?.startsWith("CSV_") ? csvError(`${at}${e.message ?? "the file is not valid CSV"}`) : (err as Error);
  }
}

export interface RecordStream {
  /** Every record, the header first. */
  records: AsyncIterable<string[]>;
  /** Bytes of the file read so far. */
  bytesRead(): number;
  close(): void;
}

/** Streams the records of a CSV file (header first) without reading it whole. */
export function readRecords(path: string, format: CsvFormat): RecordStream {
  const file = createReadStream(path, { highWaterMark: 64 * 1024 });
  const parser = parse(parserOptions(format));
  const dec = decoder(format.encoding);
  file.on("error", (e) => parser.destroy(e));
  dec.on("error", (e) => parser.destroy(e));
  file.pipe(dec).pipe(parser);
  async function* records(): AsyncGenerator<string[]> {
    try {
      for await (const r of parser) yield r as string[];
    } catch (err) {
      throw parseError(err);
    } finally {
      file.destroy();
    }
  }
  return { records: records(), bytesRead: () => file.bytesRead, close: () => file.destroy() };
}

/**
 * Reads a whole file once, before any answer is written: its format, header
 * and number of rows; a broken file (bad quoting, mixed encodings, a huge
 * record) is a 400 here rather than a truncated answer later. A UTF-8 sample
 * followed by Latin-1 bytes is read again as Windows-1252. Stops counting
 * past `maxRows` (the caller refuses the file then).
 */
export async function inspectCsv(path: string, overrides: CsvOverrides = {}, maxRows = Infinity): Promise<CsvInfo> {
  const { format, bytes } = await sniffFile(path, overrides);
  try {
    return await count(path, format, bytes, maxRows);
  } catch (err) {
    if (format.encoding === "utf-8" && !overrides.encoding && /not valid UTF-8/.test((err as Error).message)) {
      return count(path, { ...format, encoding: "windows-1252" }, bytes, maxRows);
    }
    throw err;
  }
}

async function count(path: string, format: CsvFormat, bytes: number, maxRows: number): Promise<CsvInfo> {
  const stream = readRecords(path, format);
  let header: string[] | undefined;
  let rows = 0;
  try {
    for await (const r of stream.records) {
      if (!header) header = r;
      else if (++rows > maxRows) break;
    }
  } finally {
    stream.close();
  }
  if (!header) throw csvError("the file is empty: send a CSV whose first line is a header");
  return { format, header, rows, bytes };
}

/** CSV lines for these records: the input's delimiter and line ending, quoting only where needed. */
/** CSV text of records; formula-like cells are neutralised unless `format.formulas` is raw (data/csv-formulas.ts). */
export function csvLines(records: string[][], format: Pick<CsvFormat, "delimiter" | "eol"> & { formulas?: FormulaMode }): string {
  return stringify(formulaSafe(records, format.formulas), { delimiter: format.delimiter, record_delimiter: format.eol === "\r\n" ? "windows" : "unix", bom: false });
}

const ENCODING_NAMES: Record<string, Encoding> = {
  "utf-8": "utf-8", utf8: "utf-8",
  "windows-1252": "windows-1252", cp1252: "windows-1252", "latin-1": "windows-1252", latin1: "windows-1252", "iso-8859-1": "windows-1252", "iso-8859-15": "windows-1252",
  "utf-16le": "utf-16le", "utf-16be": "utf-16be", "utf-16": "utf-16le",
};

/** `encoding` and `delimiter` fields as clients write them ("latin1", "tab", ";"). */
export function parseOverrides(encoding: unknown, delimiter: unknown): CsvOverrides {
  const out: CsvOverrides = {};
  if (encoding !== undefined && encoding !== "") {
    const e = typeof encoding === "string" ? ENCODING_NAMES[encoding.trim().toLowerCase()] : undefined;
    if (!e) throw invalidInput(`encoding must be one of utf-8, windows-1252 (latin1), utf-16le, utf-16be, not ${JSON.stringify(encoding)}`);
    out.encoding = e;
  }
  if (delimiter !== undefined && delimiter !== "") {
    const d = delimiter === "tab" || delimiter === "\\t" ? "\t" : delimiter;
    if (typeof d !== "string" || !(DELIMITERS as readonly string[]).includes(d)) {
      throw invalidInput(`delimiter must be one of ";", ",", "tab" or "|", not ${JSON.stringify(delimiter)}`);
    }
    out.delimiter = d as Delimiter;
  }
  return out;
}

/** The header record and an iterable of the rows after it. */
export async function splitHeader(records: AsyncIterable<string[]>): Promise<{ header: string[]; rows: AsyncIterable<string[]> }> {
  const it = records[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) throw csvError("the file is empty: send a CSV whose first line is a header");
  return { header: first.value, rows: { [Symbol.asyncIterator]: () => it } };
}

/** The format and header of a file, from its first records only (a fast check before a job is queued). */
export async function readHeader(path: string, overrides: CsvOverrides = {}): Promise<{ format: CsvFormat; header: string[]; bytes: number }> {
  const { format, bytes } = await sniffFile(path, overrides);
  const stream = readRecords(path, format);
  try {
    const { header } = await splitHeader(stream.records);
    return { format, header, bytes };
  } finally {
    stream.close();
  }
}
