// Receiving a batch request: a multipart form (`file` + fields), a raw CSV
// body (`Content-Type: text/csv`, fields in the query string) or a JSON body
// with `rows`. Files are streamed to a temporary file on disk, never held in
// memory; limits are checked as the bytes arrive.
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { Transform, type Readable } from "node:stream";
import busboy from "busboy";
import type { Request } from "express";
import { HttpError } from "../http/errors.ts";
import { isObject } from "../../app/text.ts";
import { refuseDeclaredSize } from "../limits/body-size.ts";

export interface Received {
  /** Request fields (form fields and query string, or the JSON body without its rows). */
  fields: Record<string, unknown>;
  /** The uploaded CSV, on disk. */
  file?: { path: string; name?: string; bytes: number };
  /** JSON rows, as sent. */
  rows?: unknown[];
  kind: "multipart" | "csv" | "json";
}

const tooLarge = (what: string, limit: number) =>
  new HttpError(413, "payload_too_large", `${what} is larger than the ${Math.round(limit / 2 ** 20)} MB limit`);

/** Query-string fields: each at most once. */
function queryFields(req: Request): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (Array.isArray(v)) throw new HttpError(400, "bad_request", `${k} is given more than once`);
    out[k] = v;
  }
  return out;
}

function merge(into: Record<string, unknown>, name: string, value: unknown): void {
  if (Object.hasOwn(into, name)) throw new HttpError(400, "bad_request", `${name} is given more than once`);
  into[name] = value;
}

/** Past the limit, the rest of a body is read and dropped (so the client reads the 413 instead of a reset), up to this many times the limit. */
const DRAIN_FACTOR = 4;

async function toFile(stream: Readable, path: string, maxBytes: number, what: string): Promise<number> {
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes <= maxBytes) return done(null, chunk);
      // Over the limit: stop writing, but keep reading so the answer reaches the client; a body that goes on and on is cut.
      done(bytes > maxBytes * DRAIN_FACTOR ? tooLarge(what, maxBytes) : null);
    },
  });
  try {
    await pipeline(stream, limit, createWriteStream(path));
  } catch (err) {
    if (bytes > maxBytes) throw tooLarge(what, maxBytes);
    throw err;
  }
  if (bytes > maxBytes) throw tooLarge(what, maxBytes);
  return bytes;
}


function multipart(req: Request, path: string, maxBytes: number): Promise<Received> {
  return new Promise((resolve, reject) => {
    const fields = queryFields(req);
    let file: Received["file"];
    let writing: Promise<void> | undefined;
    let failed: Error | undefined;
    const fail = (err: Error) => {
      failed ??= err;
      req.unpipe(bb);
      req.resume();
      reject(failed);
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fields: 40, parts: 42, fieldSize: 8 * 1024, fileSize: maxBytes }, defParamCharset: "utf8" });
    } catch {
      return reject(new HttpError(400, "bad_request", "the multipart form has no boundary"));
    }
    bb.on("file", (name, stream, info) => {
      if (name !== "file") {
        stream.resume();
        return fail(new HttpError(400, "bad_request", `unexpected file field ${JSON.stringify(name)}: send the CSV as the field "file"`));
      }
      let truncated = false;
      stream.on("limit", () => (truncated = true));
      writing = pipeline(stream, createWriteStream(path)).then(async () => {
        if (truncated) throw tooLarge("the file", maxBytes);
        file = { path, name: info.filename, bytes: (await stat(path)).size };
      });
      writing.catch(fail);
    });
    bb.on("field", (name, value, info) => {
      if (failed) return;
      if (info.valueTruncated) return fail(new HttpError(400, "bad_request", `field ${JSON.stringify(name)} is too long`));
      try {
        merge(fields, name, value);
      } catch (err) {
        fail(err as Error);
      }
    });
    bb.on("filesLimit", () => fail(new HttpError(400, "bad_request", "send one file only, as the field \"file\"")));
    bb.on("fieldsLimit", () => fail(new HttpError(413, "payload_too_large", "the form has too many fields")));
    bb.on("partsLimit", () => fail(new HttpError(413, "payload_too_large", "the form has too many parts")));
    bb.on("error", () => fail(new HttpError(400, "bad_request", "the multipart form is malformed")));
    bb.on("close", () => {
      if (failed) return;
      Promise.resolve(writing)
        .then(() => {
          if (failed) return;
          if (!file) return reject(new HttpError(400, "bad_request", 'no file: send the CSV as the multipart field "file"'));
          resolve({ fields, file, kind: "multipart" });
        })
        .catch(fail);
    });
    req.pipe(bb);
  });
}

/**
 * Reads a batch request. `path` is where an uploaded CSV is written; JSON
 * bodies are parsed by express.json before this (their size limit is its).
 */
export async function receive(req: Request, path: string, maxBytes: number): Promise<Received> {
  refuseDeclaredSize(req, maxBytes);
  if (req.is("multipart/form-data")) return multipart(req, path, maxBytes);
  if (req.is(["text/csv", "text/plain", "application/csv", "text/tab-separated-values", "application/octet-stream"])) {
    const fields = queryFields(req);
    const bytes = await toFile(req, path, maxBytes, "the CSV body");
    return { fields, file: { path, bytes }, kind: "csv" };
  }
  if (req.is("json")) {
    const body = req.body as unknown;
    if (!isObject(body)) throw new HttpError(400, "bad_request", 'the JSON body must be an object: {"column": "name", "rows": [{"name": "…"}]}');
    const { rows, ...rest } = body;
    const fields = queryFields(req);
    for (const [k, v] of Object.entries(rest)) merge(fields, k, v);
    if (!Array.isArray(rows)) throw new HttpError(400, "bad_request", 'rows must be an array of objects, such as [{"name": "Université Paris 1"}]');
    return { fields, rows, kind: "json" };
  }
  throw new HttpError(415, "unsupported_media_type", "send a CSV as multipart/form-data (field \"file\"), a text/csv body, or a JSON body with rows");
}

/** Columns of one batch (JSON keys or CSV header): a table is rows × columns, so both are bounded. */
export const MAX_COLUMNS = 1000;
/** Cells (rows × columns) of JSON rows: every row gets a cell per column of the union, so 30,000 rows of distinct keys made 900 million. */
export const MAX_JSON_CELLS = 1_000_000;

export const tooManyColumns = (n: number) =>
  new HttpError(413, "too_many_columns", `${n > MAX_COLUMNS ? `more than ${MAX_COLUMNS}` : n} columns: a batch takes at most ${MAX_COLUMNS} (the union of the rows' keys for JSON rows); keep only the columns to match on and to carry`);

/** Refuses a header wider than MAX_COLUMNS. */
export function checkColumns(header: readonly string[]): void {
  if (header.length > MAX_COLUMNS) throw tooManyColumns(header.length);
}

/** Cells of JSON rows under the union of their keys, first seen first. */
export function jsonTable(rows: unknown[]): { header: string[]; records: string[][] } {
  const header: string[] = [];
  const index = new Map<string, number>();
  rows.forEach((r, n) => {
    if (!isObject(r)) throw new HttpError(400, "bad_request", `rows[${n}] must be an object of column → value`);
    for (const k of Object.keys(r)) if (!index.has(k)) index.set(k, header.push(k) - 1);
    // Checked as keys arrive, before any cell is made.
    if (header.length > MAX_COLUMNS) throw tooManyColumns(header.length);
  });
  if (rows.length * header.length > MAX_JSON_CELLS) {
    throw new HttpError(413, "too_many_cells", `${rows.length} rows × ${header.length} columns is more than ${MAX_JSON_CELLS} cells: send fewer columns, or the rows as a CSV file`);
  }
  const records = rows.map((r, n) =>
    header.map((k) => {
      const v = (r as Record<string, unknown>)[k];
      if (v === undefined || v === null) return "";
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      throw new HttpError(400, "bad_request", `rows[${n}].${k} must be a string, a number or a boolean`);
    }),
  );
  return { header, records };
}
