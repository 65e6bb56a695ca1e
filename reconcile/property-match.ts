// "Does this record match this property value?", answered once per property
// for everything that asks it: the score's evidence (reconcile/score.ts), the
// hard conditions of a query (1.0-draft `required`, `matchQuantifier`) and
// the features the API shows. A query's values are read once per query, a
// record's side once per record, so that scoring a pool of candidates
// compares keys only. See docs/decisions.md, "One comparator per property".
import { normaliseId, SCHEME_NAMES, type Scheme } from "../vocab/identifiers.ts";
import { countryCode } from "./countries.ts";
import { acronymKey, cityKey, domainKey } from "./normalise.ts";
import type { EntityRecord, PropertyCondition, PropertyConstraint, PropertyId } from "./types.ts";

// Every identifier scheme of vocab is a property (PropertyId lists them for the API's types).
const ID_SET = new Set<string>(SCHEME_NAMES);

/** A record's side of a property, normalised the first time a query asks, then kept with the record. */
function perRecord<T>(compute: (r: EntityRecord) => T): (r: EntityRecord) => T {
  const kept = new WeakMap<EntityRecord, T>();
  return (r) => {
    let v = kept.get(r);
    if (v === undefined) kept.set(r, (v = compute(r)));
    return v;
  };
}

/** The record's town as cityKey reads it ("" without one). */
export const recordTown = perRecord((r) => (r.city ? cityKey(r.city) : ""));
const sitesOf = perRecord((r) => r.websites.map(domainKey).filter((d): d is string => !!d));
const acronymsOf = perRecord((r) => r.names.filter((n) => n.kind === "acronym").map((n) => acronymKey(n.value)));

/** Two towns are one when equal or when one is the start of the other at a word boundary ("Villeneuve" of "Villeneuve d ascq"). */
const sameTown = (a: string, b: string) => !!a && (a === b || b.startsWith(a + " ") || a.startsWith(b + " "));
/** Two sites are one when equal or when one is a subdomain of the other (a department's site is its university's). */
const sameSite = (a: string, b: string) => !!a && (a === b || b.endsWith("." + a) || a.endsWith("." + b));

/**
 * One property's comparison. `read` turns a value the user gave into its key
 * (undefined: the value says nothing of the property and is dropped, as a
 * string that is no identifier of the scheme); `holds` says whether the record
 * has anything to compare with (else there is no evidence either way);
 * `matches` whether the record has the value.
 */
interface Comparator {
  read(value: string): string | undefined;
  holds(r: EntityRecord): boolean;
  matches(r: EntityRecord, key: string): boolean;
}

function identifierComparator(scheme: Scheme): Comparator {
  return {
    read: (v) => normaliseId(scheme, v),
    holds: (r) => !!r.identifiers[scheme]?.length,
    // A SIREN also identifies each of its SIRETs (the SIREN is the SIRET's first nine digits).
    matches: (r, key) => !!r.identifiers[scheme]?.includes(key) || (scheme === "siren" && !!r.identifiers.siret?.some((s) => s.slice(0, 9) === key)),
  };
}

const COMPARATORS: Record<PropertyId, Comparator> = {
  ...(Object.fromEntries(SCHEME_NAMES.map((s) => [s, identifierComparator(s)])) as Record<Scheme, Comparator>),
  city: { read: cityKey, holds: (r) => !!r.city, matches: (r, key) => sameTown(key, recordTown(r)) },
  postcode: { read: (v) => v.replace(/\s/g, ""), holds: (r) => !!r.postcode, matches: (r, key) => key === r.postcode },
  // A country the reader does not know is a value that matches no record.
  country: { read: (v) => countryCode(v) ?? "", holds: (r) => !!r.country, matches: (r, key) => !!key && key === r.country },
  website: { read: (v) => domainKey(v) ?? "", holds: (r) => r.websites.length > 0, matches: (r, key) => sitesOf(r).some((d) => sameSite(key, d)) },
  acronym: { read: acronymKey, holds: (r) => acronymsOf(r).length > 0, matches: (r, key) => acronymsOf(r).includes(key) },
};

/** A property of a query, its values read once: what scoring and conditions compare records with. */
export interface QueryProperty {
  pid: PropertyId;
  /** The keys of the values given, blank and unreadable values left out. */
  keys: string[];
  /** How many values were given (an unreadable one counts, and matches nothing). */
  given: number;
}

export function readProperty(p: PropertyConstraint): QueryProperty {
  const c = COMPARATORS[p.pid];
  const values = p.values.map((v) => v.trim()).filter(Boolean);
  return { pid: p.pid, keys: values.map((v) => c.read(v)).filter((k): k is string => k !== undefined), given: values.length };
}

export const isIdentifierProperty = (pid: PropertyId): pid is Scheme => ID_SET.has(pid);

/** The record has something to compare this property with. */
export function recordHolds(r: EntityRecord, p: QueryProperty): boolean {
  return COMPARATORS[p.pid].holds(r);
}

/** How many of the query's values the record has. */
export function matchCount(r: EntityRecord, p: QueryProperty): number {
  const c = COMPARATORS[p.pid];
  let n = 0;
  for (const k of p.keys) if (c.matches(r, k)) n++;
  return n;
}

export interface QueryCondition {
  property: QueryProperty;
  quantifier: PropertyCondition["quantifier"];
}

export function readCondition(c: PropertyCondition): QueryCondition {
  return { property: readProperty(c), quantifier: c.quantifier };
}

export function satisfies(r: EntityRecord, c: QueryCondition): boolean {
  const n = matchCount(r, c.property);
  return c.quantifier === "none" ? n === 0 : c.quantifier === "all" ? n === c.property.given : n > 0;
}
