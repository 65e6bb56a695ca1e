// One candidate per establishment. The sources describe one laboratory
// several times (its RNSR record, its Wikidata item with its ROR id), and the
// owl:sameAs closure joins only what some source states. When it does not,
// two copies of one establishment would stand side by side at the same score
// and block each other's auto-match. Two records of one answer are the same
// establishment when the closure or a shared identifier joins them, or when
// they bear the same name in the same town (or on the same web site) and no
// registry gives them different identifiers. The first (best-ranked) copy is
// kept, with the union of both copies' identifiers and URIs.
import type { Scheme } from "../vocab/identifiers.ts";
import { cityKey, domainKey, fold } from "./normalise.ts";
import type { EntityRecord } from "./types.ts";

/**
 * What is costly to work out about a record (folded names, town, web
 * domains), made for every record at index build. URIs and identifiers are
 * read off the record when compared: keeping them too (as sets, with the join
 * keys) was a third of a serving process's matcher (issue 12).
 */
interface Keys {
  names: readonly string[];
  city?: string;
  domains: readonly string[];
}

const cache = new WeakMap<EntityRecord, Keys>();
const NONE: readonly string[] = Object.freeze([]);

/** Names compared without spaces, punctuation, case or accents: "Paris-Nord" is "Paris Nord", ’ is '. */
const nameKey = (s: string) => fold(s).replace(/[^a-z0-9]+/g, "");

const distinct = (xs: string[]): readonly string[] => (xs.length > 1 ? [...new Set(xs)] : xs.length ? xs : NONE);

/** `intern` gives one copy of each key string to the records of one index build (a name in its service's record and in "all"). */
function keysOf(r: EntityRecord, intern: (s: string) => string = (s) => s): Keys {
  let k = cache.get(r);
  if (!k) {
    const names = distinct([r.name, ...r.names.filter((n) => n.kind === "pref").map((n) => n.value)].map(nameKey).filter(Boolean).map(intern));
    const city = r.city ? intern(cityKey(r.city)) || undefined : undefined;
    const domains = distinct(r.websites.map(domainKey).filter((d): d is string => !!d).map(intern));
    k = city ? { names, city, domains } : { names, domains };
    cache.set(r, k);
  }
  return k;
}

/** Every URI of the record's establishment: its sameAs is its cluster, itself first. */
const urisOf = (r: EntityRecord): readonly string[] => (r.sameAs.includes(r.uri) ? r.sameAs : [r.uri, ...r.sameAs]);

function idsOf(r: EntityRecord): string[] {
  const ids: string[] = [];
  for (const [scheme, values] of Object.entries(r.identifiers)) for (const v of values ?? []) ids.push(`${scheme}:${v}`);
  return ids;
}

/**
 * Works out every record's keys at index build: an answer groups the 30 or so
 * establishments it returns, and reading their keys for the first time (folded
 * names, towns, domains) cost more than the rest of the query.
 */
export function prepareEstablishments(records: EntityRecord[], intern?: (s: string) => string): void {
  for (const r of records) keysOf(r, intern);
}

function meets(a: readonly string[], b: readonly string[]): boolean {
  if (a.length * b.length > 64) {
    const set = new Set(b);
    return a.some((x) => set.has(x));
  }
  for (const x of a) if (b.includes(x)) return true;
  return false;
}

/** Both have identifiers of one scheme, and none in common: the registry says they are two. */
function distinctByRegistry(a: EntityRecord, b: EntityRecord): boolean {
  for (const [scheme, values] of Object.entries(a.identifiers) as [Scheme, string[]][]) {
    const other = b.identifiers[scheme];
    if (values?.length && other?.length && !values.some((v) => other.includes(v))) return true;
  }
  return false;
}

export function sameEstablishment(a: EntityRecord, b: EntityRecord): boolean {
  if (a === b || a.uri === b.uri) return true;
  if (meets(urisOf(a), urisOf(b)) || meets(idsOf(a), idsOf(b))) return true;
  const ka = keysOf(a);
  const kb = keysOf(b);
  if (!meets(ka.names, kb.names) || distinctByRegistry(a, b)) return false;
  return (!!ka.city && ka.city === kb.city) || meets(ka.domains, kb.domains);
}

/** The kept copy, knowing every identifier and URI of the other. */
export function unionRecord(keep: EntityRecord, drop: EntityRecord): EntityRecord {
  const identifiers: EntityRecord["identifiers"] = { ...keep.identifiers };
  for (const [scheme, values] of Object.entries(drop.identifiers) as [Scheme, string[]][]) {
    identifiers[scheme] = [...new Set([...(identifiers[scheme] ?? []), ...(values ?? [])])];
  }
  return {
    ...keep,
    identifiers,
    sameAs: [...new Set([...keep.sameAs, ...drop.sameAs])],
    sources: [...new Set([...keep.sources, ...drop.sources])],
  };
}

/**
 * `items` best first, with each establishment's later copies folded into its
 * first one by `combine`. A candidate pool holds hundreds of records, so an
 * item is compared only with the groups that share one of its keys (a URI, an
 * identifier, a name in a town or on a site), not with every group. A caller
 * that reads only the best answers says how many establishments are `enough`:
 * the items after the one that completes them are left out.
 */
export function oncePerEstablishment<T>(items: T[], recordOf: (t: T) => EntityRecord, combine: (keep: T, drop: T) => T, enough = Infinity): T[] {
  const kept: T[] = [];
  // The records each kept item stands for: a third copy may resemble the second only.
  const members: EntityRecord[][] = [];
  const groupsByKey = new Map<string, number[]>();
  for (const item of items) {
    if (kept.length >= enough) break;
    const r = recordOf(item);
    const keys = joinKeys(r);
    let i = -1;
    const seen = new Set<number>();
    for (const key of keys) {
      const groups = groupsByKey.get(key);
      if (!groups) continue;
      for (const g of groups) {
        if (seen.has(g)) continue;
        seen.add(g);
        if ((i < 0 || g < i) && members[g].some((m) => sameEstablishment(m, r))) i = g;
      }
    }
    if (i < 0) {
      i = kept.length;
      kept.push(item);
      members.push([r]);
    } else {
      kept[i] = combine(kept[i], item);
      members[i].push(r);
    }
    for (const key of keys) {
      const list = groupsByKey.get(key);
      if (!list) groupsByKey.set(key, [i]);
      else if (!list.includes(i)) list.push(i);
    }
  }
  return kept;
}

/**
 * Every key two copies of one establishment share at least one of
 * (sameEstablishment decides). A URI is its own key: it holds no space, so it
 * is none of the others.
 */
function joinKeys(r: EntityRecord): string[] {
  const { names, city, domains } = keysOf(r);
  const out: string[] = [...urisOf(r)];
  for (const id of idsOf(r)) out.push(`i ${id}`);
  for (const n of names) {
    if (city) out.push(`c ${n} ${city}`);
    for (const d of domains) out.push(`d ${n} ${d}`);
  }
  return out;
}
