// Batch reconciliation of whole tables, shared by `POST /api/reconcile`, the
// job API and `refx reconcile`: which columns say what (the spec), one row →
// one matcher query → the refx_* result columns, and a run over a stream of
// rows into a CSV or JSON writer, with backpressure and progress.
import type { Writable } from "node:stream";
import type { Matcher } from "../reconcile/matcher.ts";
import { serviceId } from "./targets.ts";
import { controlsAsSpaces } from "./text.ts";
import { PROPERTY_IDS, type Candidate, type PropertyConstraint, type PropertyId, type ServiceId } from "../reconcile/types.ts";
import type { Scheme } from "../vocab/identifiers.ts";
import { invalidInput, quote } from "./errors.ts";
import { csvLines, type CsvFormat } from "./csv-io.ts";
import type { FormulaMode } from "../data/csv-formulas.ts";

/** `error`: the matcher failed on this row (a bug to report); the run goes on. */
export type Status = "matched" | "ambiguous" | "none" | "error";

/**
 * Identifier columns, in the order they are written (docs/rest-api.md): every scheme of vocab, the
 * French registries' numbers beside the UAI. The order is the format's; the set is vocab's, checked below.
 */
export const ID_SCHEMES = ["uai", "siren", "siret", "rnsr", "wikidata", "ror", "grid", "isni", "idref"] as const satisfies readonly Scheme[];
// A scheme added to vocab without its column here fails to compile.
const everySchemeHasAColumn: Exclude<Scheme, (typeof ID_SCHEMES)[number]> extends never ? true : never = true;
void everySchemeHasAColumn;

/** Columns added to every row; `refx_` so that they never collide with a user's own. */
export const RESULT_COLUMNS: readonly string[] = [
  "refx_id", "refx_name", "refx_score", "refx_status", "refx_candidates",
  ...ID_SCHEMES.map((s) => `refx_${s}`),
];

/** Candidates shown for an ambiguous row. */
export const AMBIGUOUS_CANDIDATES = 3;
/** Below this score a candidate is noise: a row with only such candidates is `none`. */
export const DEFAULT_MIN_SCORE = 50;
/** Longest cell read as a name (longer ones are cut) or as a property value. */
const MAX_NAME = 1000;
const MAX_VALUE = 500;

export interface BatchSpec {
  /** Column holding the establishment's name (or an identifier). */
  column: string;
  target: ServiceId;
  /** Other columns, each the value of a matcher property (city, postcode, uai, ...). */
  properties: { pid: PropertyId; column: string }[];
  minScore: number;
}

/** Fields of a batch request that are not the spec itself (file, rows, CSV overrides, output format). */
export const OTHER_FIELDS = ["file", "rows", "delimiter", "encoding", "format", "formulas"];
export const SPEC_FIELDS = ["column", "target", "min_score", ...PROPERTY_IDS];

const badRequest = (message: string) => invalidInput(message);

function columnName(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw badRequest(`${field} must be a column name (a string), not ${quote(v)}`);
  if (v.length > 200) throw badRequest(`${field} is longer than 200 characters: it should name a column`);
  return v;
}

/**
 * The spec from request fields (form fields, JSON body, CLI options): `column`
 * (required), `target` (default `all`), `min_score`, and one column name per
 * property (`city=ville`, `uai=code_uai`). Unknown fields are refused, since a
 * misspelt one would silently reconcile without the column meant.
 */
export function parseBatchSpec(fields: Record<string, unknown>): BatchSpec {
  const unknown = Object.keys(fields).filter((k) => !SPEC_FIELDS.includes(k) && !OTHER_FIELDS.includes(k));
  if (unknown.length) throw badRequest(`unknown field ${quote(unknown[0])}; fields are ${[...SPEC_FIELDS, ...OTHER_FIELDS].join(", ")}`);
  const column = columnName(fields.column, "column");
  if (!column) throw badRequest("column is required: the name of the column that holds the establishments' names");
  const target = serviceId(fields.target ?? "all");
  let minScore = DEFAULT_MIN_SCORE;
  if (fields.min_score !== undefined && fields.min_score !== "") {
    minScore = Number(fields.min_score);
    if (!Number.isFinite(minScore) || minScore < 0 || minScore > 100) throw badRequest(`min_score must be a number from 0 to 100, not ${quote(fields.min_score)}`);
  }
  const properties: BatchSpec["properties"] = [];
  for (const pid of PROPERTY_IDS) {
    const c = columnName(fields[pid], pid);
    if (c) properties.push({ pid, column: c });
  }
  return { column, target: target as ServiceId, properties, minScore };
}

/** Where the spec's columns are in a header. */
export interface BoundSpec {
  spec: BatchSpec;
  name: number;
  properties: { pid: PropertyId; index: number }[];
}

/** A column by its exact name, else by its name without case, accents or surrounding spaces when that is unique. */
function findColumn(header: string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const key = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").trim().toLowerCase();
  const loose = header.map((h, i) => [key(h), i] as const).filter(([h]) => h === key(name));
  return loose.length === 1 ? loose[0][1] : -1;
}

export function bindSpec(spec: BatchSpec, header: string[]): BoundSpec {
  const locate = (name: string, field: string) => {
    const i = findColumn(header, name);
    if (i < 0) {
      const shown = header.slice(0, 30).map((h) => JSON.stringify(h)).join(", ");
      throw invalidInput(`${field}: no column ${quote(name)} in the file; its columns are ${shown}${header.length > 30 ? ", …" : ""}`, "missing_column");
    }
    return i;
  };
  return {
    spec,
    name: locate(spec.column, "column"),
    properties: spec.properties.map(({ pid, column }) => ({ pid, index: locate(column, pid) })),
  };
}

export interface CandidateRef {
  id: string;
  name: string;
  score: number;
}

export interface RowResult {
  status: Status;
  id?: string;
  name?: string;
  score?: number;
  candidates: CandidateRef[];
  identifiers: Partial<Record<Scheme, string[]>>;
}

/** A cell as text for the matcher: control characters and runs of spaces become one space, cut to `max`. */
const cleanCell = (s: string | undefined, max: number) => controlsAsSpaces(s ?? "").replace(/\s+/g, " ").trim().slice(0, max);

/** Identifier cells may list several ids ("0751717J; 0755581J"). */
const splitIds = (s: string) => s.split(/[;,|]/).map((v) => v.trim()).filter(Boolean);

const ref = (c: Candidate): CandidateRef => ({ id: c.record.id, name: c.record.name, score: c.score });

/** One row: a query from its cells, the matcher's answer as a status and result columns; `onError` hears why a row failed. */
export function reconcileRow(matcher: Matcher, bound: BoundSpec, cells: string[], onError: (query: string, err: unknown) => void = () => {}): RowResult {
  const query = cleanCell(cells[bound.name], MAX_NAME);
  const properties: PropertyConstraint[] = [];
  for (const { pid, index } of bound.properties) {
    const v = cleanCell(cells[index], MAX_VALUE);
    if (!v) continue;
    const values = (pid === "city" || pid === "country" || pid === "website" || pid === "postcode" || pid === "acronym") ? [v] : splitIds(v);
    if (values.length) properties.push({ pid, values: values.slice(0, 20) });
  }
  if (!query && !properties.length) return { status: "none", candidates: [], identifiers: {} };
  let found: Candidate[];
  try {
    found = matcher.reconcile(bound.spec.target, { query, properties, limit: AMBIGUOUS_CANDIDATES });
  } catch (err) {
    // One row must not sink a run of a hundred thousand: the row says so, the log says why.
    onError(query, err);
    return { status: "error", candidates: [], identifiers: {} };
  }
  const top = found[0];
  if (top?.match) {
    return { status: "matched", id: top.record.id, name: top.record.name, score: top.score, candidates: [], identifiers: top.record.identifiers };
  }
  const plausible = found.filter((c) => c.score >= bound.spec.minScore);
  if (plausible.length) return { status: "ambiguous", score: plausible[0].score, candidates: plausible.map(ref), identifiers: {} };
  return { status: "none", candidates: [], identifiers: {} };
}

/** Result columns of a row as CSV cells (several values joined by "|"). */
export function resultCells(r: RowResult): string[] {
  return [
    r.id ?? "",
    r.name ?? "",
    r.score === undefined ? "" : String(r.score),
    r.status,
    r.candidates.map((c) => `${c.id} ${c.name} (${c.score})`).join(" | "),
    ...ID_SCHEMES.map((s) => (r.identifiers[s] ?? []).join("|")),
  ];
}

/** Result columns of a row for JSON: typed values, lists as arrays. */
export function resultFields(r: RowResult): Record<string, unknown> {
  return {
    refx_id: r.id ?? null,
    refx_name: r.name ?? null,
    refx_score: r.score ?? null,
    refx_status: r.status,
    refx_candidates: r.candidates,
    ...Object.fromEntries(ID_SCHEMES.map((s) => [`refx_${s}`, r.identifiers[s] ?? []])),
  };
}

export interface Summary {
  rows: number;
  matched: number;
  ambiguous: number;
  none: number;
  /** Rows the matcher failed on (status `error`); 0 unless something is broken. */
  error: number;
  seconds: number;
  rowsPerSecond: number;
}

/** Where result rows go: a CSV or JSON document on a stream. */
export interface RowWriter {
  start(header: string[]): string;
  row(cells: string[], result: RowResult): string;
  end(summary: Summary): string;
}

/** Input columns that carry a result column's name are replaced by the fresh result (a file reconciled twice). */
function kept(header: string[]): number[] {
  const ours = new Set(RESULT_COLUMNS);
  return header.map((_, i) => i).filter((i) => !ours.has(header[i]));
}

export function csvWriter(format: Pick<CsvFormat, "delimiter" | "eol"> & { formulas?: FormulaMode }): RowWriter {
  let keep: number[] = [];
  let width = 0;
  const pending: string[][] = [];
  return {
    start(header) {
      keep = kept(header);
      width = header.length;
      return csvLines([[...keep.map((i) => header[i]), ...RESULT_COLUMNS]], format);
    },
    row(cells, result) {
      // Short rows are padded to the header; cells beyond the header have no column to go in and are dropped (documented).
      const own = keep.map((i) => (i < width ? (cells[i] ?? "") : ""));
      pending.push([...own, ...resultCells(result)]);
      if (pending.length < 200) return "";
      return csvLines(pending.splice(0), format);
    },
    end() {
      return pending.length ? csvLines(pending.splice(0), format) : "";
    },
  };
}

/** Keys of a JSON row: the header, with blank names filled and repeated names numbered. */
export function jsonKeys(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((h, i) => {
    const base = h.trim() === "" ? `column_${i + 1}` : h;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

export interface JsonMeta {
  target: ServiceId;
  column: string;
  input?: { encoding?: string; delimiter?: string; bom?: boolean };
}

/** `{"target", "column", "input", "columns", "rows": [...], "summary"}`, written as rows come. */
export function jsonWriter(meta: JsonMeta): RowWriter {
  let keys: number[] = [];
  let names: string[] = [];
  let first = true;
  return {
    start(header) {
      keys = kept(header);
      const all = jsonKeys(header);
      names = keys.map((i) => all[i]);
      const head = { ...meta, columns: [...names, ...RESULT_COLUMNS] };
      return JSON.stringify(head).slice(0, -1) + ',"rows":[\n';
    },
    row(cells, result) {
      const obj: Record<string, unknown> = {};
      keys.forEach((i, k) => (obj[names[k]] = cells[i] ?? ""));
      Object.assign(obj, resultFields(result));
      const s = (first ? "" : ",\n") + JSON.stringify(obj);
      first = false;
      return s;
    },
    end(summary) {
      return `\n],"summary":${JSON.stringify(summary)}}\n`;
    },
  };
}

export interface BatchRun {
  header: string[];
  /** Data rows, after the header. */
  rows: AsyncIterable<string[]> | Iterable<string[]>;
  spec: BatchSpec;
  /** The matcher for the next row: a job's is the server's current one (a reload between rows is picked up), a request's the one it took at its start. */
  matcher: () => Matcher;
  writer: RowWriter;
  out: Writable;
  onProgress?: (rows: number, summary: Summary) => void;
  signal?: AbortSignal;
}

/** Writes `chunk`, waiting while the destination is full (a slow client, a slow disk). */
export async function write(out: Writable, chunk: string, signal?: AbortSignal): Promise<void> {
  if (!chunk) return;
  if (out.destroyed) throw new Error("output closed");
  if (out.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      out.off("drain", ok);
      out.off("close", closed);
      signal?.removeEventListener("abort", aborted);
      err ? reject(err) : resolve();
    };
    const ok = () => done();
    const closed = () => done(new Error("output closed"));
    const aborted = () => done(new Error("cancelled"));
    out.on("drain", ok);
    out.on("close", closed);
    signal?.addEventListener("abort", aborted);
  });
}

const YIELD_EVERY = 100;

/**
 * Reconciles every row into the writer. The header is checked first (a
 * missing column is a 400 before anything is written), rows are matched one
 * at a time, and the event loop gets a turn every 100 rows so that a server
 * running a job keeps answering.
 */
export async function runBatch(run: BatchRun): Promise<Summary> {
  const bound = bindSpec(run.spec, run.header);
  const t0 = performance.now();
  const summary: Summary = { rows: 0, matched: 0, ambiguous: 0, none: 0, error: 0, seconds: 0, rowsPerSecond: 0 };
  const stamp = () => {
    summary.seconds = Math.round((performance.now() - t0)) / 1000;
    summary.rowsPerSecond = summary.seconds > 0 ? Math.round(summary.rows / summary.seconds) : 0;
  };
  // The first failure of each run is logged (the rows say the rest): a broken matcher shows in every run's log, not only the process's first.
  let logged = false;
  const onError = (query: string, err: unknown) => {
    if (!logged) console.error(`refx: matching failed on ${JSON.stringify(query.slice(0, 80))}: ${(err as Error).stack ?? err}`);
    logged = true;
  };
  await write(run.out, run.writer.start(run.header), run.signal);
  for await (const cells of run.rows) {
    if (run.signal?.aborted) throw new Error("cancelled");
    const result = reconcileRow(run.matcher(), bound, cells, onError);
    summary.rows++;
    summary[result.status]++;
    await write(run.out, run.writer.row(cells, result), run.signal);
    if (summary.rows % YIELD_EVERY === 0) {
      stamp();
      run.onProgress?.(summary.rows, summary);
      await new Promise((r) => setImmediate(r));
    }
  }
  stamp();
  run.onProgress?.(summary.rows, summary);
  await write(run.out, run.writer.end(summary), run.signal);
  return summary;
}
