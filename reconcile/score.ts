// How well a record answers a query: name similarity first, then the
// evidence of the properties the user gave (city, postcode, country, website,
// acronym, identifiers). Every contribution is returned as a feature, so the
// score explains itself.
import type { Scheme } from "../vocab/identifiers.ts";
import type { IndexedName } from "./name-index.ts";
import { isIdentifierProperty, matchCount, readProperty, recordHolds, type QueryProperty } from "./property-match.ts";
import type { EntityRecord, Feature, PropertyConstraint, PropertyId } from "./types.ts";

export interface QueryToken {
  token: string;
  weight: number;
  /** Vocabulary tokens one typo away, used when the token itself is unknown. */
  near: string[];
}

export interface Scored {
  index: number;
  score: number;
  features: Feature[];
  /** An identifier given by the user (in the cell or a property) names this record. */
  identified: boolean;
}

const FUZZY_CREDIT = 0.8;
const PREFIX_CREDIT = 0.7;

/**
 * Credit a query token earns against a name's tokens: exact, one typo, or an
 * abbreviation ("inform." for "informatique"; `prefixable` says the token may
 * be one, worked out once per query token rather than once per name).
 * Plain loops: it runs for every query token against every name of every candidate.
 */
function credit(q: QueryToken, nameTokens: string[], prefixable: boolean): number {
  const token = q.token;
  for (let k = 0; k < nameTokens.length; k++) if (nameTokens[k] === token) return 1;
  const near = q.near;
  if (near.length) {
    for (let k = 0; k < nameTokens.length; k++) if (near.includes(nameTokens[k])) return FUZZY_CREDIT;
  }
  if (prefixable) {
    const length = token.length;
    for (let k = 0; k < nameTokens.length; k++) {
      const t = nameTokens[k];
      if (t.length > length && t.startsWith(token)) return PREFIX_CREDIT;
    }
  }
  return 0;
}

const mayAbbreviate = (token: string) => token.length >= 4 && !/\d/.test(token);

/** What nameSimilarity reads of a query whatever the name, worked out once per query (the same array for every candidate). */
interface PreparedQuery {
  qWeight: number;
  prefixable: boolean[];
  queryTokens: Set<string>;
}

const preparedQueries = new WeakMap<QueryToken[], PreparedQuery>();

function prepared(query: QueryToken[]): PreparedQuery {
  let p = preparedQueries.get(query);
  if (!p) {
    let qWeight = 0;
    for (const q of query) qWeight += q.weight;
    p = { qWeight, prefixable: query.map((q) => mayAbbreviate(q.token)), queryTokens: new Set(query.map((q) => q.token)) };
    preparedQueries.set(query, p);
  }
  return p;
}

/**
 * Name similarity in [0, 1]: the best weighted Dice between the query and one
 * name, raised by how much of the query the record's names cover together
 * ("LIPN UMR 7030" is the acronym plus the unit code).
 */
export function nameSimilarity(query: QueryToken[], queryKey: string, acronym: string, names: IndexedName[]): { similarity: number; exact: boolean; acronym: boolean } {
  const { qWeight, prefixable, queryTokens } = prepared(query);
  if (!qWeight) {
    // Only stop words ("EN" for École navale): an acronym is all there is to go on.
    const hit = acronym.length >= 2 && names.some((n) => n.acronym === acronym);
    return { similarity: hit ? 0.9 : 0, exact: false, acronym: hit };
  }
  let best = 0;
  let exact = false;
  let acronymHit = false;
  // Called for every candidate of a query: plain loops, and what depends on the query alone worked out once (prepared).
  const covered = new Array<number>(query.length).fill(0);
  // Names wholly present in the query: "LIPN UMR 7030" is the acronym and the unit code.
  let composed: Set<string> | undefined;
  let composedNames = 0;
  for (const n of names) {
    if (n.tokens.length && allIn(n.tokens, queryTokens)) {
      composedNames++;
      composed ??= new Set();
      for (const t of n.tokens) composed.add(t);
    }
    if (n.key === queryKey) exact = true;
    if (n.acronym && n.acronym === acronym && acronym.length >= 2) acronymHit = true;
    let matched = 0;
    for (let i = 0; i < query.length; i++) {
      const c = credit(query[i], n.tokens, prefixable[i]);
      matched += c * query[i].weight;
      if (c > covered[i]) covered[i] = c;
    }
    const dice = (2 * matched) / (qWeight + n.weight);
    if (dice > best) best = dice;
  }
  let coverage = 0;
  for (let i = 0; i < query.length; i++) coverage += covered[i] * query[i].weight;
  coverage /= qWeight;
  let similarity = Math.max(best, 0.55 * best + 0.4 * coverage);
  if (composedNames >= 2 && composed!.size === queryTokens.size) similarity = Math.max(similarity, 0.95);
  if (exact) similarity = 1;
  else if (acronymHit) similarity = Math.max(similarity, 0.9);
  return { similarity: Math.min(1, similarity), exact, acronym: acronymHit };
}

/** Every token of a name is among the query's. */
export function allIn(nameTokens: string[], queryTokens: Set<string>): boolean {
  for (let k = 0; k < nameTokens.length; k++) if (!queryTokens.has(nameTokens[k])) return false;
  return true;
}

/** Adjusts a name score with property evidence; returns the score change and the features. */
export function propertyEvidence(r: EntityRecord, properties: PropertyConstraint[]): Evidence {
  return evidenceOf(r, properties.map(readProperty));
}

export interface Evidence {
  delta: number;
  features: Feature[];
  identified: boolean;
  contradicted: boolean;
}

/** Points a property's agreement adds and its disagreement takes away (identifiers: decisive, or -40). */
const POINTS: Record<Exclude<PropertyId, Scheme | "postcode">, { yes: number; no: number }> = {
  city: { yes: 8, no: -8 },
  country: { yes: 5, no: -30 },
  // Another site says little: a site is often a department's.
  website: { yes: 20, no: 0 },
  acronym: { yes: 10, no: -5 },
};

/** The same, with the query's values already read (readProperty): what the matcher calls for each candidate. */
export function evidenceOf(r: EntityRecord, properties: QueryProperty[]): Evidence {
  let delta = 0;
  let identified = false;
  let contradicted = false;
  const features: Feature[] = [];
  for (const p of properties) {
    if (!p.given) continue;
    const pid = p.pid;
    if (isIdentifierProperty(pid)) {
      if (matchCount(r, p) > 0) {
        identified = true;
        features.push({ id: `${pid}_match`, value: true });
      } else if (p.keys.length && recordHolds(r, p)) {
        contradicted = true;
        delta -= 40;
        features.push({ id: `${pid}_match`, value: false });
      }
      continue;
    }
    if (!recordHolds(r, p)) continue;
    if (pid === "postcode") {
      // The same department (first two digits) is half an agreement.
      const ok = matchCount(r, p) > 0;
      const department = !ok && p.keys.some((k) => k.slice(0, 2) === r.postcode!.slice(0, 2));
      delta += ok ? 8 : department ? 3 : -5;
      features.push({ id: "postcode_match", value: ok ? 1 : department ? 0.5 : 0 });
      continue;
    }
    const ok = matchCount(r, p) > 0;
    delta += ok ? POINTS[pid].yes : POINTS[pid].no;
    features.push({ id: `${pid}_match`, value: ok });
  }
  return { delta, features, identified, contradicted };
}
