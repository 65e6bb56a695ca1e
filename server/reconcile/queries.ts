// Reads reconciliation query batches of both API versions into one shape.
// Validation follows the spec's JSON Schemas (unknown fields, empty queries,
// wrong types are refused) plus what this service knows: its property ids,
// type ids and batch size. Every refusal names the query and the field.
import { TYPES, type MatchQuery, type PropertyConstraint, type PropertyId } from "../../reconcile/types.ts";
import { badRequest, jsonParameter, quote } from "./errors.ts";
import { checkPropertyId, propertyValues } from "./properties.ts";
import { BATCH_SIZE } from "./services.ts";
import { cleanText, isObject, positiveInt } from "./text.ts";

/** A condition enforced on candidates after matching, not only used for ranking. */
export interface HardCondition {
  pid: PropertyId;
  values: string[];
  quantifier: "any" | "all" | "none";
}

export interface ParsedQuery {
  /** What the matcher is asked (type and limit are set per run). */
  match: MatchQuery;
  types: string[];
  limit: number;
  hard: HardCondition[];
  /** 1.0-draft `matchType: "id"`: look these ids up instead of matching. */
  ids: string[];
}

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 100;

const TYPE_IDS = new Set(TYPES.map((t) => t.id));

function checkType(t: unknown, where: string): string {
  if (typeof t !== "string" || !TYPE_IDS.has(t)) {
    throw badRequest(`${where}: unknown type ${quote(t)}; types are ${TYPES.map((x) => x.id).join(", ")}`);
  }
  return t;
}

function checkFields(q: Record<string, unknown>, allowed: string[], where: string): void {
  const extra = Object.keys(q).filter((k) => !allowed.includes(k));
  if (extra.length) throw badRequest(`${where}: unknown field ${quote(extra[0])}; a query has ${allowed.join(", ")}`);
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
  return entries.map(([key, q]) => [key, parseQuery02(q, `query ${quote(key)}`, base)]);
}

const FIELDS_02 = ["query", "type", "type_strict", "limit", "properties"];

function parseQuery02(q: unknown, where: string, base: string): ParsedQuery {
  if (!isObject(q)) throw badRequest(`${where} must be an object`);
  checkFields(q, FIELDS_02, where);
  if (q.query !== undefined && typeof q.query !== "string") throw badRequest(`${where}: query must be a string`);
  const query = cleanText((q.query as string | undefined) ?? "", `${where}: query`);
  let types: string[] = [];
  if (typeof q.type === "string") types = [checkType(q.type, where)];
  else if (Array.isArray(q.type)) types = [...new Set(q.type.map((t) => checkType(t, where)))];
  else if (q.type !== undefined && q.type !== null) throw badRequest(`${where}: type must be a type id or an array of them`);
  const strict = q.type_strict;
  if (strict !== undefined && strict !== "any" && strict !== "all" && strict !== "should") {
    throw badRequest(`${where}: type_strict must be "any", "all" or "should"`);
  }
  if (q.properties !== undefined && !Array.isArray(q.properties)) throw badRequest(`${where}: properties must be an array of {"pid", "v"}`);
  const properties: PropertyConstraint[] = [];
  for (const p of (q.properties as unknown[] | undefined) ?? []) {
    if (!isObject(p) || !("v" in p)) throw badRequest(`${where}: each property is an object {"pid": ..., "v": ...}`);
    const pid = checkPropertyId(p.pid, where);
    const values = propertyValues(pid, p.v, `${where}, property ${pid}`, base);
    if (values.length) properties.push({ pid, values });
  }
  if (!query && !properties.length) throw badRequest(`${where}: needs a non-empty "query" or at least one property with a value`);
  return {
    match: { query, typeStrict: strict as MatchQuery["typeStrict"], properties },
    types,
    limit: positiveInt(q.limit, `${where}: limit`, DEFAULT_LIMIT, MAX_LIMIT),
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
  return body.queries.map((q, i) => parseQuery10(q, `query ${i}`, base));
}

const FIELDS_10 = ["type", "limit", "lang", "dir", "conditions"];

function parseQuery10(q: unknown, where: string, base: string): ParsedQuery {
  if (!isObject(q)) throw badRequest(`${where} must be an object`);
  checkFields(q, FIELDS_10, where);
  if (!Array.isArray(q.conditions) || q.conditions.length === 0) throw badRequest(`${where}: conditions must be a non-empty array`);
  const types = q.type === undefined ? [] : [checkType(q.type, where)];
  let query = "";
  const properties: PropertyConstraint[] = [];
  const hard: HardCondition[] = [];
  const ids: string[] = [];
  q.conditions.forEach((c, j) => {
    const at = `${where}, condition ${j}`;
    if (!isObject(c)) throw badRequest(`${at} must be an object`);
    // The schema names them propertyId/propertyValue; the prose of some drafts says pid/v.
    const pid = c.propertyId ?? c.pid;
    const value = "propertyValue" in c ? c.propertyValue : c.v;
    if (value === undefined) throw badRequest(`${at}: propertyValue is required`);
    if (c.matchQualifier !== undefined) throw badRequest(`${at}: matchQualifier is not supported by this service`);
    if (c.required !== undefined && typeof c.required !== "boolean") throw badRequest(`${at}: required must be a boolean`);
    const quantifier = c.matchQuantifier ?? "any";
    if (quantifier !== "any" && quantifier !== "all" && quantifier !== "none") throw badRequest(`${at}: matchQuantifier must be "any", "all" or "none"`);
    switch (c.matchType) {
      case "name": {
        const names = Array.isArray(value) ? value : [value];
        if (query || names.length !== 1 || typeof names[0] !== "string") throw badRequest(`${at}: a query has at most one name, a string`);
        query = cleanText(names[0], `${at}: name`);
        break;
      }
      case "id":
        for (const id of Array.isArray(value) ? value : [value]) {
          if (typeof id !== "string") throw badRequest(`${at}: ids are strings`);
          const clean = cleanText(id, at, 300);
          if (clean) ids.push(clean);
        }
        break;
      case "property": {
        const p = checkPropertyId(pid, at);
        const values = propertyValues(p, value, `${at}, property ${p}`, base);
        if (!values.length) break;
        if (quantifier !== "none") properties.push({ pid: p, values });
        if (c.required === true || quantifier === "none") hard.push({ pid: p, values, quantifier });
        break;
      }
      default:
        throw badRequest(`${at}: matchType must be "name", "id" or "property"`);
    }
  });
  if (!query && !properties.length && !ids.length) throw badRequest(`${where}: needs a non-empty name, an id, or a property value`);
  return {
    match: { query, properties },
    types,
    limit: positiveInt(q.limit, `${where}: limit`, DEFAULT_LIMIT, MAX_LIMIT),
    hard,
    ids,
  };
}
