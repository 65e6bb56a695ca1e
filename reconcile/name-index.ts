// The index one service searches: records' names as token postings with IDF
// weights, acronyms and identifiers as exact keys, and a one-edit deletion
// neighbourhood of the vocabulary for typos. Built once per load; queries
// never scan every record.
import type { Scheme } from "../vocab/identifiers.ts";
import { acronymKey, tokens } from "./normalise.ts";
import type { EntityRecord, NameKind } from "./types.ts";

export interface IndexedName {
  kind: NameKind;
  tokens: string[];
  /** Sum of the tokens' IDF weights. */
  weight: number;
  /** Folded full text, for exact-name equality. */
  key: string;
  /** For acronyms: the acronym without dots, spaces or case ("uga"). */
  acronym?: string;
}

/** A predecessor's name indexed on its successor; `from` is its place in the record's `formerNames`. */
export interface FormerIndexedName extends IndexedName {
  from: number;
}

/** Tokens shared by more records than this are used to rank candidates, not to find them. */
const MAX_POSTINGS_SCANNED = 4000;
/** Postings at least this long are tested as bit sets (a few kB each, for a few dozen tokens) rather than searched. */
const BITSET_POSTINGS = 512;

export class NameIndex {
  readonly records: EntityRecord[];
  readonly names: IndexedName[][] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly idf = new Map<string, number>();
  private readonly acronyms = new Map<string, number[]>();
  /** One record's index as a number, several as a list: most identifiers name one record, and a list each was a quarter of the index (issue 12). */
  private readonly ids = new Map<string, number | number[]>();
  private readonly byId = new Map<string, number>();
  private vocabulary: string[] = [];
  /** Former names (a closed predecessor's), kept apart: they find a successor but never stand as its own name. */
  private readonly former = new Map<number, FormerIndexedName[]>();
  private readonly formerPostings = new Map<string, number[]>();
  private readonly typos: TypoIndex;
  private scratch?: Float64Array;
  /** Postings of the commonest tokens as bit sets, made the first time a query ranks by them. */
  private readonly bitsets = new Map<string, Uint32Array>();
  /**
   * Per record, how many distinct words its names hold: among records holding every word of the
   * query, the one with the fewest other words comes first ("New York University" before the State
   * University of New York's thirty campuses, which would otherwise fill the pool and leave it out).
   */
  private readonly wordCount: Uint8Array;

  /** `intern` gives one copy of each key string to the indexes of one build (the same name in a service and in "all"). */
  constructor(records: EntityRecord[], tokenCache: Map<string, string[]>, typos: TypoIndex, intern: (s: string) => string = (s) => s) {
    this.typos = typos;
    this.records = records;
    this.wordCount = new Uint8Array(records.length);
    const tok = (s: string) => {
      let t = tokenCache.get(s);
      if (!t) tokenCache.set(s, (t = tokens(s).map(intern)));
      return t;
    };
    records.forEach((r, i) => {
      this.byId.set(r.id, i);
      // The cross-source service answers for every URI of the establishment.
      if (r.service === "all") for (const uri of r.sameAs) if (!this.byId.has(uri)) this.byId.set(uri, i);
      const seen = new Set<string>();
      const names: IndexedName[] = [];
      for (const n of r.names) {
        const t = tok(n.value);
        const acronym = n.kind === "acronym" ? acronymKey(n.value) : undefined;
        // An acronym made of stop words ("EN", "DU") has no tokens but is still a key.
        const key = intern(t.join(" ") || (acronym ? `#${acronym}` : ""));
        if (!key || seen.has(`${n.kind}|${key}`)) continue;
        seen.add(`${n.kind}|${key}`);
        names.push({ kind: n.kind, tokens: t, weight: 0, key, acronym: acronym === undefined ? undefined : intern(acronym) });
        if (acronym) push(this.acronyms, acronym, i);
      }
      this.names.push(names);
      const distinct = new Set(names.flatMap((n) => n.tokens));
      this.wordCount[i] = Math.min(255, distinct.size);
      for (const t of distinct) push(this.postings, t, i);
      (r.formerNames ?? []).forEach((f, from) => {
        const t = tok(f.value);
        const key = intern(t.join(" "));
        const held = this.former.get(i) ?? [];
        if (!key || held.some((n) => n.key === key && r.formerNames![n.from].of.uri === f.of.uri)) return;
        held.push({ kind: "pref", tokens: t, weight: 0, key, from });
        this.former.set(i, held);
        for (const token of new Set(t)) push(this.formerPostings, token, i);
      });
      for (const [scheme, values] of Object.entries(r.identifiers)) {
        for (const v of values ?? []) pushCompact(this.ids, intern(`${scheme}:${v}`), i);
      }
    });
    const n = records.length || 1;
    for (const [t, list] of this.postings) this.idf.set(t, Math.log(1 + n / list.length));
    for (const names of [...this.names, ...this.former.values()]) for (const nm of names) nm.weight = nm.tokens.reduce((s, t) => s + this.weight(t), 0);
    this.vocabulary = [...this.postings.keys()].sort();
    typos.addAll(this.vocabulary);
  }

  get size(): number {
    return this.records.length;
  }

  weight(token: string): number {
    return this.idf.get(token) ?? Math.log(1 + this.records.length);
  }

  postingsOf(token: string): number[] {
    return this.postings.get(token) ?? [];
  }

  has(token: string): boolean {
    return this.postings.has(token);
  }

  record(id: string): number | undefined {
    return this.byId.get(id);
  }

  withAcronym(key: string): number[] {
    return this.acronyms.get(key) ?? [];
  }

  /** The former names indexed on record `i`, each with its place in `record.formerNames`. */
  formerNamesOf(i: number): FormerIndexedName[] {
    return this.former.get(i) ?? [];
  }

  /** Records a former name of which holds at least half of the query's weight, best first. */
  withFormerName(query: { token: string; weight: number }[], limit: number): number[] {
    const total = query.reduce((s, q) => s + q.weight, 0);
    if (!total || !this.formerPostings.size) return [];
    const acc = new Map<number, number>();
    for (const { token, weight } of query) for (const i of this.formerPostings.get(token) ?? []) acc.set(i, (acc.get(i) ?? 0) + weight);
    return [...acc].filter(([, w]) => w >= total / 2).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit).map(([i]) => i);
  }

  withIdentifier(scheme: Scheme, id: string): number[] {
    const held = this.ids.get(`${scheme}:${id}`);
    return held === undefined ? [] : typeof held === "number" ? [held] : held;
  }

  /** This service's tokens one edit away (insertion, deletion, substitution, adjacent swap). */
  nearTokens(token: string): string[] {
    return this.typos.near(token).filter((t) => this.postings.has(t));
  }

  /** Vocabulary tokens starting with `prefix`, most frequent first. */
  tokensWithPrefix(prefix: string, max = 50): string[] {
    let lo = 0;
    let hi = this.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.vocabulary[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.vocabulary.length && this.vocabulary[i].startsWith(prefix); i++) out.push(this.vocabulary[i]);
    return out.sort((a, b) => this.postingsOf(b).length - this.postingsOf(a).length).slice(0, max);
  }

  /**
   * Candidate records for a set of query tokens, by accumulated IDF weight.
   * Rare tokens are scanned first; common ones ("univ") only when nothing
   * rarer is there, so a query costs the size of its rarest postings.
   */
  /**
   * `fewestWordsFirst`: ties go to the record whose names hold the fewest words (affiliations, where a
   * mention of three common words ties with hundreds of records and keeps 25); otherwise to record order.
   */
  candidates(query: { token: string; weight: number }[], limit: number, maxScanned = MAX_POSTINGS_SCANNED, fewestWordsFirst = false): number[] {
    // Scores accumulate in one array kept between queries (a Map per query was a quarter of an affiliation's time).
    const acc = (this.scratch ??= new Float64Array(this.records.length));
    const touched: number[] = [];
    const ordered = [...query].sort((a, b) => this.postingsOf(a.token).length - this.postingsOf(b.token).length);
    let scanned = 0;
    for (const { token, weight } of ordered) {
      const list = this.postingsOf(token);
      if (!list.length) continue;
      if (scanned > 0 && scanned + list.length > maxScanned) {
        // Too common to scan: only rank what rarer tokens found.
        if (list.length >= BITSET_POSTINGS) {
          const bits = this.bitsetOf(token, list);
          for (const i of touched) if (bits[i >>> 5] & (1 << (i & 31))) acc[i] += weight;
        } else for (const i of touched) if (binaryHas(list, i)) acc[i] += weight;
        continue;
      }
      const take = Math.min(list.length, maxScanned);
      for (let k = 0; k < take; k++) {
        const i = list[k];
        if (acc[i] === 0) touched.push(i);
        acc[i] += weight;
      }
      scanned += take;
    }
    // The best `limit` by accumulated weight, then record order: selected, then only they are sorted
    // (an affiliation's mention touches thousands of records and keeps 25).
    const words = this.wordCount;
    const best = fewestWordsFirst
      ? firstSorted(touched, limit, (a, b) => acc[b] - acc[a] || words[a] - words[b] || a - b)
      : firstSorted(touched, limit, (a, b) => acc[b] - acc[a] || a - b);
    for (const i of touched) acc[i] = 0;
    return best;
  }

  /**
   * A common token's postings as one bit per record: the records rarer tokens found are
   * each tested against it (an affiliation's "univ" or "dept" has thousands of postings,
   * and a binary search per record was a fifth of the candidate search).
   */
  private bitsetOf(token: string, list: number[]): Uint32Array {
    let bits = this.bitsets.get(token);
    if (!bits) {
      bits = new Uint32Array((this.records.length >>> 5) + 1);
      for (const i of list) bits[i >>> 5] |= 1 << (i & 31);
      this.bitsets.set(token, bits);
    }
    return bits;
  }
}

/**
 * Tokens one edit away from another, by the deletion neighbourhood (SymSpell,
 * distance 1): two tokens are one edit apart when they share a one-deletion
 * variant, or one is a deletion of the other. Shared by every service's index.
 */
export class TypoIndex {
  private readonly deletions = new Map<string, string[]>();
  private readonly known = new Set<string>();

  addAll(vocabulary: Iterable<string>): void {
    for (const t of vocabulary) {
      if (this.known.has(t)) continue;
      this.known.add(t);
      if (!TypoIndex.eligible(t)) continue;
      for (const d of deletionsOf(t)) push(this.deletions, d, t);
    }
  }

  near(token: string): string[] {
    if (!TypoIndex.eligible(token)) return [];
    const found = new Set<string>();
    for (const t of this.deletions.get(token) ?? []) found.add(t);
    for (const d of deletionsOf(token)) {
      if (this.known.has(d)) found.add(d);
      for (const t of this.deletions.get(d) ?? []) if (t !== token) found.add(t);
    }
    return [...found];
  }

  /** Short tokens and numbers are too easily one edit from another: "lyon 2" is not "lyon 3". */
  private static eligible(t: string): boolean {
    return t.length >= 4 && !/\d/.test(t);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

/** `push` for a map whose single values are kept bare. */
function pushCompact(map: Map<string, number | number[]>, key: string, value: number): void {
  const held = map.get(key);
  if (held === undefined) map.set(key, value);
  else if (typeof held === "number") {
    if (held !== value) map.set(key, [held, value]);
  } else if (held[held.length - 1] !== value) held.push(value);
}

function deletionsOf(t: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) out.push(t.slice(0, i) + t.slice(i + 1));
  return out;
}

/**
 * The first `k` items of `list` in the order `cmp` (a strict total order: no two
 * items compare equal), sorted; `list` is reordered. Quickselect (Hoare's
 * partition) puts the k first in front, then only those are sorted.
 */
function firstSorted(list: number[], k: number, cmp: (a: number, b: number) => number): number[] {
  if (list.length <= 4 * k) return list.sort(cmp).slice(0, k);
  const target = k - 1;
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const pivot = list[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (cmp(list[i], pivot) < 0) i++;
      while (cmp(list[j], pivot) > 0) j--;
      if (i <= j) {
        const t = list[i];
        list[i] = list[j];
        list[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return list.slice(0, k).sort(cmp);
}

/** Postings are built in record order, so they are sorted. */
export function binaryHas(list: number[], x: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] === x) return true;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
