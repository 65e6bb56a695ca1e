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
