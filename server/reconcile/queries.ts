// Reads reconciliation query batches of both API versions into one shape.
// Only a body that is not a batch (not JSON, not an object of queries, more
// than batchSize queries) is refused as a whole; inside a batch each query is
// read on its own, and what a cell can hold never fails its neighbours: an
// unreadable query gets an `error`, a query read after an adjustment (type
// ignored, property named by its label, cell cut short) gets `warnings`
// (outcomes.ts). Every notice names the query and the field.
import { fold } from "../../reconcile/normalise.ts";
import { PROPERTY_IDS, TYPES, type MatchQuery, type PropertyCondition, type PropertyConstraint, type PropertyId } from "../../reconcile/types.ts";
import { badRequest, jsonParameter, quote } from "../http/errors.ts";
import { Notes, QueryRefusal, refuse, type Notice } from "./outcomes.ts";
import { propertyValues, resolvePropertyId } from "./properties.ts";
import { BATCH_SIZE } from "./services.ts";
import { cellText, isObject } from "../../app/text.ts";

/** A condition candidates must meet, not only used for ranking (the matcher enforces it). */
export type HardCondition = PropertyCondition;

export interface ParsedQuery {
  /** What the matcher is asked (type and limit are set per run). */
  match: MatchQuery;
  types: string[];
  limit: number;
  hard: HardCondition[];
  /** 1.0-draft `matchType: "id"`: look these ids up instead of matching. */
  ids: string[];
  warnings: Notice[];
  /** Set when the query could not be answered: it gets no candidates. */
  error?: Notice;
}

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 100;
/** A longer cell is matched on its first MAX_QUERY characters. */
export const MAX_QUERY = 1000;

const TYPE_BY_NAME = new Map<string, string>();
for (const t of TYPES) for (const n of [t.id, t.name]) TYPE_BY_NAME.set(fold(n), t.id);
const TYPE_LIST = TYPES.map((x) => x.id).join(", ");

/** A type id, read leniently: its id or name in any case; `any` (or nothing) is no constraint; an unknown one is ignored. */
function readType(t: unknown, where: string, notes: Notes): string | undefined {
  if (t === undefined || t === null || t === "") return undefined;
  if (typeof t === "string" && fold(t) === "any") return undefined;
  const id = typeof t === "string" ? TYPE_BY_NAME.get(fold(t)) : undefined;
  if (!id) notes.warn("unknown_type", `${where}: unknown type ${quote(t)} ignored (no type constraint); types are ${TYPE_LIST}`);
  return id;
}

function readTypes(t: unknown, where: string, notes: Notes): string[] {
  const list = Array.isArray(t) ? t : [t];
  return [...new Set(list.map((x) => readType(x, where, notes)).filter((x): x is string => !!x))];
}

function readLimit(value: unknown, where: string, notes: Notes): number {
  if (value === undefined || value === null || value === "") return DEFAULT_LIMIT;
  const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    notes.warn("bad_limit", `${where}: limit must be a positive integer, not ${quote(value)}; ${DEFAULT_LIMIT} used`);
    return DEFAULT_LIMIT;
  }
  if (n > MAX_LIMIT) notes.warn("bad_limit", `${where}: limit ${quote(value)} is over ${MAX_LIMIT}; ${MAX_LIMIT} used`);
  return Math.min(n, MAX_LIMIT);
}

function ignoreExtraFields(q: Record<string, unknown>, allowed: string[], where: string, notes: Notes): void {
  for (const k of Object.keys(q).filter((k) => !allowed.includes(k))) {
    notes.warn("unknown_field", `${where}: unknown field ${quote(k)} ignored; a query has ${allowed.join(", ")}`);
  }
}

function readPid(pid: unknown, where: string, notes: Notes): PropertyId | undefined {
  const id = resolvePropertyId(pid);
  if (!id) notes.warn("unknown_property", `${where}: unknown property ${quote(pid)} ignored; properties are ${PROPERTY_LIST}`);
  else if (id !== pid) notes.warn("property_renamed", `${where}: property ${quote(pid)} read as ${quote(id)}`);
  return id;
}
const PROPERTY_LIST = PROPERTY_IDS.join(", ");

function queryText(value: unknown, where: string, notes: Notes): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") throw refuse("bad_query", `${where}: query must be a string, not ${quote(value)}`);
  return cellText(value, `${where}: query`, MAX_QUERY, notes);
}

/** Reads one query; a refusal becomes that query's error, never the batch's. */
function readOne(read: (notes: Notes) => Omit<ParsedQuery, "warnings">): ParsedQuery {
  const notes = new Notes();
  try {
    return { ...read(notes), warnings: notes.warnings };
  } catch (err) {
    if (!(err instanceof QueryRefusal)) throw err;
    return { match: { query: "" }, types: [], limit: DEFAULT_LIMIT, hard: [], ids: [], warnings: notes.warnings, error: { code: err.code, message: err.message } };
  }
}

function checkBatchSize(n: number): void {
  if (n === 0) throw badRequest("the batch holds no query");
  if (n > BATCH_SIZE) throw badRequest(`the batch holds ${n} queries; at most ${BATCH_SIZE} (the manifest's batchSize): split it`);
}

/** `queries=` of API 0.2: an object of queries keyed by the client's ids. */
export function parseBatch02(raw: unknown, base: string): [string, ParsedQuery][] {
  const batch = jsonParameter(raw, "queries is not valid JSON; expected an object such as {\"q0\": {\"query\": \"Université Paris 1\"}}");
  if (!isObject(batch)) throw badRequest("queries must be a JSON object of queries keyed by id, such as {\"q0\": {\"query\": \"...\"}}");
  const entries = Object.entries(batch);
  checkBatchSize(entries.length);
  return entries.map(([key, q]) => [key, readOne((notes) => parseQuery02(q, `query ${quote(key)}`, base, notes))]);
}

const FIELDS_02 = ["query", "type", "type_strict", "limit", "properties"];

function parseQuery02(q: unknown, where: string, base: string, notes: Notes): Omit<ParsedQuery, "warnings"> {
  if (!isObject(q)) throw refuse("bad_query", `${where} must be an object such as {"query": "..."}`);
  ignoreExtraFields(q, FIELDS_02, where, notes);
  const query = queryText(q.query, where, notes);
  const types = readTypes(q.type, where, notes);
  let strict = q.type_strict;
  if (strict !== undefined && strict !== "any" && strict !== "all" && strict !== "should") {
    notes.warn("bad_type_strict", `${where}: type_strict must be "any", "all" or "should", not ${quote(strict)}; "should" used`);
    strict = undefined;
  }
  const properties: PropertyConstraint[] = [];
  const given = q.properties === undefined || q.properties === null ? [] : Array.isArray(q.properties) ? q.properties : [q.properties];
  for (const p of given) {
    if (!isObject(p)) {
      notes.warn("bad_property", `${where}: a property is an object {"pid": ..., "v": ...}, not ${quote(p)}; ignored`);
      continue;
    }
    const pid = readPid(p.pid ?? p.propertyId, where, notes);
    if (!pid) continue;
    const values = propertyValues(pid, p.v ?? p.propertyValue, `${where}, property ${pid}`, base, notes);
    if (values.length) properties.push({ pid, values });
  }
  if (!query && !properties.length) throw refuse("empty_query", `${where}: nothing to match; it needs a non-empty "query" or a property with a value`);
  return {
    match: { query, typeStrict: strict as MatchQuery["typeStrict"], properties },
    types,
    limit: readLimit(q.limit, where, notes),
    hard: [],
    ids: [],
  };
}

/** JSON body of API 1.0-draft: `{"queries": [{"conditions": [...]}]}`. */
export function parseBatch10(body: unknown, base: string): ParsedQuery[] {
  if (!isObject(body) || !Array.isArray(body.queries)) {
    throw badRequest("expected a JSON object {\"queries\": [{\"conditions\": [{\"matchType\": \"name\", \"propertyValue\": \"...\"}]}]}");
  }
  checkBatchSize(body.queries.length);
  return body.queries.map((q, i) => readOne((notes) => parseQuery10(q, `query ${i}`, base, notes)));
}

const FIELDS_10 = ["type", "limit", "lang", "dir", "conditions"];

function parseQuery10(q: unknown, where: string, base: string, notes: Notes): Omit<ParsedQuery, "warnings"> {
  if (!isObject(q)) throw refuse("bad_query", `${where} must be an object such as {"conditions": [...]}`);
  ignoreExtraFields(q, FIELDS_10, where, notes);
  if (!Array.isArray(q.conditions) || q.conditions.length === 0) {
    throw refuse("empty_query", `${where}: conditions must be a non-empty array such as [{"matchType": "name", "propertyValue": "..."}]`);
  }
  const types = readTypes(q.type, where, notes);
  let query = "";
  const properties: PropertyConstraint[] = [];
  const hard: HardCondition[] = [];
  const ids: string[] = [];
  q.conditions.forEach((c, j) => {
    const at = `${where}, condition ${j}`;
    if (!isObject(c)) return notes.warn("bad_condition", `${at} must be an object; ignored`);
    // The schema names them propertyId/propertyValue; the prose of some drafts says pid/v.
    const pid = c.propertyId ?? c.pid;
    const value = "propertyValue" in c ? c.propertyValue : c.v;
    if (value === undefined || value === null) return notes.warn("bad_condition", `${at}: propertyValue is required; ignored`);
    if (c.matchQualifier !== undefined) notes.warn("unsupported", `${at}: matchQualifier is not supported by this service; ignored`);
    let quantifier = c.matchQuantifier ?? "any";
    if (quantifier !== "any" && quantifier !== "all" && quantifier !== "none") {
      notes.warn("bad_condition", `${at}: matchQuantifier must be "any", "all" or "none", not ${quote(quantifier)}; "any" used`);
      quantifier = "any";
    }
    switch (c.matchType) {
      case "name": {
        const names = (Array.isArray(value) ? value : [value]).map((n) => queryText(n, at, notes)).filter(Boolean);
        if (names.length > 1 || (query && names.length)) notes.warn("several_names", `${at}: a query has one name; the first is matched`);
        query ||= names[0] ?? "";
        break;
      }
      case "id":
        for (const id of Array.isArray(value) ? value : [value]) {
          const clean = typeof id === "string" || typeof id === "number" ? cellText(String(id), `${at}: id`, 300, notes) : "";
          if (clean) ids.push(clean);
        }
        break;
      case "property": {
        const p = readPid(pid, at, notes);
        if (!p) break;
        const values = propertyValues(p, value, `${at}, property ${p}`, base, notes);
        if (!values.length) break;
        if (quantifier !== "none") properties.push({ pid: p, values });
        if (c.required === true || quantifier === "none") hard.push({ pid: p, values, quantifier: quantifier as HardCondition["quantifier"] });
        break;
      }
      default:
        notes.warn("bad_condition", `${at}: matchType must be "name", "id" or "property", not ${quote(c.matchType)}; ignored`);
    }
  });
  if (!query && !properties.length && !ids.length) throw refuse("empty_query", `${where}: nothing to match; it needs a non-empty name, an id or a property value`);
  return { match: { query, properties }, types, limit: readLimit(q.limit, where, notes), hard, ids };
}
