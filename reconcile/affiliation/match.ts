// Every organisation an affiliation string names, resolved against one
// service's index with the reconciliation scoring, the rest of the string
// serving as evidence (country, city). See docs/affiliations.md.
import type { NameIndex } from "../name-index.ts";
import { acronymKey, cityKey, fold, tokens } from "../normalise.ts";
import { recordTown } from "../property-match.ts";
import { candidatePool, readQuery, type IndexQuery } from "../query.ts";
import { allIn, nameSimilarity } from "../score.ts";
import type { EntityRecord, Feature } from "../types.ts";
import { AFFILIATION_AUTO_SCORE, decideAffiliation, type AffiliationDecision } from "../decision/affiliation.ts";
import { namesNothing } from "../decision/weak-query.ts";
import { countriesIn, decodeEntities, headsBeforeSubunit, splitAffiliation, splitConjunctions, type Segment, type SegmentKind } from "./segments.ts";

/** An organisation found in the string. */
export interface AffiliationOrganisation {
  record: EntityRecord;
  /** 0 to 100 */
  score: number;
  /** Strong and clearly ahead of what else the same words could name. */
  match: boolean;
  /** The words that name it: the text and its offsets in the string. */
  mention: { text: string; start: number; end: number };
  features: Feature[];
  /** Ids of other organisations found in the same string that this one belongs to (its tutelle, its university). */
  parentOf: string[];
  childOf: string[];
}

export interface AffiliationResult {
  text: string;
  segments: Segment[];
  countries: string[];
  /** Best first; one entry per organisation. */
  organisations: AffiliationOrganisation[];
  /**
   * The organisation the string is an affiliation to, for a caller that wants
   * one answer: among the strong ones, a university or school first, then the
   * last one named, since affiliations go from the smallest unit to the
   * largest ("Institut X, Université Y"); see primaryOf.
   */
  primary?: AffiliationOrganisation;
}

/**
 * Thresholds tuned on the development part of the Crossref set only
 * (`npm run bench -- --affiliations-only`, docs/affiliations.md). The score
 * is defined beside the decision, which reads it too.
 */
export { AFFILIATION_AUTO_SCORE };
export const AFFILIATION_GAP = 8;
/** Organisations weaker than this are not reported at all. */
export const AFFILIATION_MIN_SCORE = 60;

const POOL = 25;
/** Postings read a mention: an affiliation has several mentions, and a name's rare words find it first. */
const MAX_SCANNED = 1500;
const DEPARTMENT_PENALTY = 16;
const ACRONYM_BONUS = 5;
const ACRONYM_ONLY = 0.85;
const PROMINENCE = 0.08;
const UNORDERED_CAP = 0.84;
/** The score of a system of establishments ("University of California") when the string does not say which member: below certainty. */
const SYSTEM_CAP = 80;
const COUNTRY_MISMATCH = 30;
const COUNTRY_MATCH = 4;
const CITY_MATCH = 5;
/** Longer strings are not one organisation's name. */
const WHOLE_NAME_TOKENS = 14;
const CITY_MISMATCH = 10;

interface Mention {
  text: string;
  start: number;
  end: number;
  kind: SegmentKind;
}

interface Scored {
  index: number;
  /** The record the words named before the rest of the string narrowed it (a system of establishments). */
  origin?: number;
  score: number;
  mention: Mention;
  features: Feature[];
}

/** A segment that is only a legal form of company. */
const LEGAL_FORM = /^(?:co|ltd|inc|llc|gmbh|plc|corp)\.?$/i;

/** The pieces worth querying: organisation and department segments, split at conjunctions, and each with a short next segment ("University of California, Los Angeles"). */
function mentionsOf(text: string, segments: Segment[]): Mention[] {
  const out: Mention[] = [];
  const seen = new Set<string>();
  const add = (m: Mention) => {
    // A company's legal form ("Co., LTD") is no organisation's acronym (issue 14: "LTD" was the Laboratoire de Théorie du Droit).
    if (LEGAL_FORM.test(m.text.trim())) return;
    const key = `${m.start}:${m.end}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(m);
    }
  };
  // The whole string first: some names hold commas themselves ("Mines Paris, Univ. PSL, Centre de Mise en Forme des Matériaux").
  const named = segments.filter((s) => s.kind !== "country" && s.kind !== "address" && s.kind !== "city");
  if (named.length >= 2 && tokens(text).length <= WHOLE_NAME_TOKENS) add({ text, start: 0, end: text.length, kind: "organisation" });
  segments.forEach((s, i) => {
    if (s.kind !== "organisation" && s.kind !== "department" && s.kind !== "context") return;
    for (const part of splitConjunctions(s)) if (part.kind === "organisation" || part.kind === "department" || part.kind === "context") add(part);
    if (s.kind !== "organisation") return;
    add(s);
    for (const head of headsBeforeSubunit(s)) add(head);
    const next = segments[i + 1];
    if (next && next.kind !== "country" && tokens(next.text).length <= 3) {
      add({ text: text.slice(s.start, next.end), start: s.start, end: next.end, kind: "organisation" });
    }
  });
  return out;
}

/** The mention's words as mentionScore reads them, once per mention rather than once per candidate. */
const mentionWordsOf = new WeakMap<IndexQuery, { qWeight: number; qSet: Set<string>; order: string[] }>();
function mentionWords(query: IndexQuery): { qWeight: number; qSet: Set<string>; order: string[] } {
  let w = mentionWordsOf.get(query);
  if (!w) {
    const order = query.tokens.map((t) => t.token);
    w = { qWeight: query.tokens.reduce((s, t) => s + t.weight, 0) || 1, qSet: new Set(order), order };
    mentionWordsOf.set(query, w);
  }
  return w;
}

/** How well one mention names one record, before the evidence of the rest of the string. */
function mentionScore(idx: NameIndex, i: number, query: IndexQuery, capitals: () => string): { score: number; features: Feature[] } {
  const { tokens: q, key, acronym } = query;
  const names = idx.names[i];
  const sim = nameSimilarity(q, key, acronym, names);
  const { qWeight, qSet, order } = mentionWords(query);
  // A name wholly inside the mention ("University of Pittsburgh" in "University of Pittsburgh School of Medicine"):
  // the more of the mention it explains, the surer.
  let contained = 0;
  for (const n of names) {
    if (!n.tokens.length || !allIn(n.tokens, qSet)) continue;
    // An acronym counts only as written in capitals, so "ice" or "art" in a sentence is not one (a name's key is its tokens joined).
    if (n.kind === "acronym" && !wordPattern(n.key).test(capitals())) continue;
    // One common word ("Medicine") explains too little to be a name.
    if (n.tokens.length === 1 && n.kind !== "acronym" && idx.postingsOf(n.tokens[0]).length > 20) continue;
    contained = Math.max(contained, n.weight / qWeight);
  }
  const c = Math.min(1, contained);
  // Exact on the preferred name, then exact on another name, then every word present in another order.
  const containment = c > 0 ? 0.6 + 0.38 * c * c : 0;
  let similarity = Math.max(sim.exact ? 0.99 : sim.similarity, containment);
  if (sim.exact && names.some((n) => n.kind === "pref" && n.key === key)) similarity = 1;
  // The same words in another order may be another establishment: "Washington University" (St. Louis) is not the "University of Washington".
  if (!sim.exact && q.length >= 2 && similarity > UNORDERED_CAP && !names.some((n) => n.tokens.length >= 2 && (isSubsequence(n.tokens, order) || isSubsequence(order, n.tokens)))) {
    similarity = UNORDERED_CAP;
  }
  // One word alone ("Image", "KAIST") names many things around the world: never enough for certainty by itself.
  if (q.length === 1) similarity = Math.min(similarity, ACRONYM_ONLY);
  // Between namesakes ("University of Georgia" in Athens and in Tbilisi), the better-known one: more names in more languages, more units.
  similarity += PROMINENCE * Math.min(1, Math.log1p(idx.records[i].names.length + idx.records[i].children.length) / Math.log1p(60));
  return {
    score: 100 * similarity,
    features: [
      { id: "name_similarity", value: round(sim.similarity) },
      { id: "name_contained", value: round(Math.min(1, contained)) },
      { id: "exact_name", value: sim.exact },
      { id: "acronym", value: sim.acronym },
    ],
  };
}

/** Upper-case words of the text, lower-cased, for matching acronyms written as acronyms. */
function acronymCase(s: string): string {
  return (s.match(/\b[\p{Lu}\d][\p{Lu}\d&-]+\b/gu) ?? []).map((w) => fold(w)).join(" ");
}

/** `\bwords\b`, built once per acronym: every candidate of every mention tests its acronyms. */
const wordPatterns = new Map<string, RegExp>();
function wordPattern(words: string): RegExp {
  let re = wordPatterns.get(words);
  if (!re) wordPatterns.set(words, (re = new RegExp(`\\b${escapeRe(words)}\\b`)));
  return re;
}

/** A value computed the first time it is asked for, then kept. */
function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

function isSubsequence(small: string[], big: string[]): boolean {
  let j = 0;
  for (const t of big) if (t === small[j]) j++;
  return j === small.length;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each index's towns, read once: a segment that is only a town is evidence, not an organisation. */
const townsCache = new WeakMap<NameIndex, Set<string>>();
export function townsOf(idx: NameIndex): Set<string> {
  let set = townsCache.get(idx);
  if (!set) {
    set = new Set();
    for (const r of idx.records) if (r.city) set.add(cityKey(r.city));
    set.delete("");
    townsCache.set(idx, set);
  }
  return set;
}

export interface AffiliationOptions {
  limit?: number;
  /** Towns known anywhere (the cross-source index's), so that "Rome 2" reads as a town in the UAI index too. */
  towns?: NameIndex;
  /** Who sets `match`: the calibrated model (default) or the score rule alone (the bench's baseline). */
  decision?: AffiliationDecision;
}

export function matchAffiliation(idx: NameIndex, raw: string, options: AffiliationOptions = {}): AffiliationResult {
  const limit = options.limit ?? 10;
  // Entities are decoded in place of equal length or shorter; spans refer to the decoded text, which is returned.
  const text = decodeEntities(raw);
  if (namesNothing(text)) return { text, segments: [], countries: [], organisations: [] };
  const places = townsOf(options.towns ?? idx);
  const segments = splitAffiliation(text, (k) => places.has(k));
  const townSegments = segments.filter((s) => s.kind === "city").map((s) => cityKey(s.text));
  const countries = countriesIn(segments);
  const folded = ` ${fold(text)} `;
  const cityCache = new Map<string, boolean>();
  const cityInText = (r: EntityRecord) => {
    const city = r.city!;
    let hit = cityCache.get(city);
    if (hit === undefined) {
      // The record's town key is kept with the record (property-match.ts): strings of one city ask for it again and again.
      const k = recordTown(r);
      hit = k.length >= 3 && folded.includes(` ${k} `);
      cityCache.set(city, hit);
    }
    return hit;
  };

  // "Institute for Molecular Infection Biology (IMIB)": the acronym after a name confirms the records that have it.
  const aliasAt = new Map<number, string>();
  segments.forEach((s, i) => {
    if (s.kind === "acronym" && i > 0) aliasAt.set(segments[i - 1].end, acronymKey(s.text));
  });
  const best = new Map<number, Scored>();
  // Per mention, its strongest records: the gap to another reading of the same words says whether they are ambiguous.
  const readings: { mention: Mention; top: { index: number; score: number }[] }[] = [];
  for (const m of mentionsOf(text, segments)) {
    const query = readQuery(idx, m.text);
    if (!query.tokens.length) continue;
    // "New York University" holds three words that hundreds of records hold: the ones that hold few others come first.
    const pool = candidatePool(idx, query, POOL, MAX_SCANNED, true);
    const alias = aliasAt.get(m.end);
    const top: { index: number; score: number }[] = [];
    const capitals = once(() => acronymCase(m.text));
    for (const i of pool) {
      const r = idx.records[i];
      const { score: base, features } = mentionScore(idx, i, query, capitals);
      let score = base;
      if (m.kind === "department" || m.kind === "context") {
        score -= DEPARTMENT_PENALTY;
        features.push({ id: m.kind, value: true });
      }
      if (countries.length && r.country) {
        const ok = countries.includes(r.country);
        score += ok ? COUNTRY_MATCH : -COUNTRY_MISMATCH;
        features.push({ id: "country_match", value: ok });
      }
      if (r.city && cityInText(r)) {
        score += CITY_MATCH;
        features.push({ id: "city_match", value: true });
      } else if (r.city && townSegments.length) {
        // The string names a town, and it is not this record's: "Université Lumière - Rome 2" is not Lyon 2.
        score -= CITY_MISMATCH;
        features.push({ id: "city_match", value: false });
      }
      if (r.withdrawn) {
        score -= 3;
        features.push({ id: "withdrawn", value: true });
      }
      if (alias && idx.names[i].some((n) => n.acronym === alias)) {
        score += ACRONYM_BONUS;
        features.push({ id: "acronym_beside", value: true });
      }
      // Not capped yet: a name read exactly must stay ahead of one merely contained, however much evidence both get.
      score = Math.max(0, score);
      top.push({ index: i, score });
      const prev = best.get(i);
      if (!prev || score > prev.score) best.set(i, { index: i, score, mention: m, features });
    }
    top.sort((a, b) => b.score - a.score);
    readings.push({ mention: m, top: top.slice(0, 3) });
  }

  // Ties go to the longer mention: "University of California, Los Angeles" is UCLA, not the UC system.
  const found = [...best.values()]
    .filter((s) => s.score >= AFFILIATION_MIN_SCORE)
    .sort((a, b) => b.score - a.score || (b.mention.end - b.mention.start) - (a.mention.end - a.mention.start) || a.mention.start - b.mention.start);
  const kept: Scored[] = [];
  for (const s of found) {
    // One organisation per stretch of text: a weaker record whose mention lies within a kept one's is the same words read otherwise.
    if (kept.some((k) => overlaps(k.mention, s.mention))) continue;
    const n = narrowed(idx, s, cityInText);
    // "University at Buffalo, State University of New York": two mentions of one organisation.
    if (kept.some((k) => k.index === n.index)) continue;
    kept.push(n);
  }
  // Narrowing may have lowered a system's score: best first again.
  kept.sort((a, b) => b.score - a.score);
  const organisations = kept.slice(0, limit).map((s) => {
    const r = idx.records[s.index];
    const gap = s.score - runnerUpOf(s, readings);
    return {
      record: r,
      score: round(Math.min(100, s.score)),
      match: s.score >= AFFILIATION_AUTO_SCORE && gap >= AFFILIATION_GAP,
      mention: { text: s.mention.text, start: s.mention.start, end: s.mention.end },
      features: [...s.features, { id: "margin", value: round(Math.min(100, gap)) }],
      parentOf: [] as string[],
      childOf: [] as string[],
    };
  });
  linkRelatives(organisations);
  const result: AffiliationResult = { text, segments, countries, organisations, primary: primaryOf(organisations) };
  decideAffiliation(result, options.decision);
  return result;
}

function primaryOf(orgs: AffiliationOrganisation[]): AffiliationOrganisation | undefined {
  const strong = orgs.filter((o) => o.score >= AFFILIATION_AUTO_SCORE && !o.features.some((f) => f.id === "department" || f.id === "context"));
  if (!strong.length) return orgs[0];
  // A university or school beside an institute, a hospital or a funder is what the author is affiliated to
  // (measured on the development part of the Crossref set, docs/affiliations.md); otherwise the last one named.
  const education = (o: AffiliationOrganisation) => o.record.kinds.includes("education") || o.record.types.includes("CollegeOrUniversity");
  const chosen = strong.reduce((a, b) => (education(b) && !education(a)) || (education(b) === education(a) && b.mention.start > a.mention.start) ? b : a);
  // A unit named with the organisation it belongs to ("Institut X, ..., Université Y" where X is Y's): the organisation.
  return strong.find((o) => chosen.childOf.includes(o.record.id)) ?? chosen;
}

/**
 * "University of California, ..., La Jolla": a system of establishments
 * narrows to the one of its members that the rest of the string names (by
 * its name or its town). A system that nothing narrows is left uncertain:
 * publishers mean one of its members.
 */
function narrowed(idx: NameIndex, s: Scored, cityInText: (r: EntityRecord) => boolean): Scored {
  const r = idx.records[s.index];
  if (r.children.length < 2) return s;
  const mentionTokens = tokens(s.mention.text);
  // Members named "<the system's name> <their town>": "University of California, Berkeley", "University of Wisconsin–Madison".
  const members: number[] = [];
  for (const c of r.children) {
    const ci = idx.record(c.id ?? c.uri) ?? idx.record(c.uri);
    if (ci === undefined) continue;
    const child = idx.records[ci];
    if (!child.city) continue;
    const town = new Set(tokens(child.city));
    const namesake = idx.names[ci].some((n) => {
      const extra = n.tokens.filter((t) => !mentionTokens.includes(t));
      return n.kind !== "acronym" && extra.length > 0 && extra.length < n.tokens.length && mentionTokens.every((t) => n.tokens.includes(t)) && extra.every((t) => town.has(t));
    });
    if (namesake) members.push(ci);
  }
  if (members.length < 2) return s;
  const named = members.filter((ci) => cityInText(idx.records[ci]));
  if (named.length === 1) return { ...s, index: named[0], origin: s.index, features: [...s.features, { id: "narrowed_by_town", value: true }] };
  return { ...s, score: Math.min(s.score, SYSTEM_CAP), features: [...s.features, { id: "system_of_establishments", value: true }] };
}

/** The strongest other record read from the same words. */
function runnerUpOf(s: Scored, readings: { mention: Mention; top: { index: number; score: number }[] }[]): number {
  let other = 0;
  for (const r of readings) {
    if (r.mention.start !== s.mention.start || r.mention.end !== s.mention.end) continue;
    for (const t of r.top) if (t.index !== s.index && t.index !== s.origin && t.score > other) other = t.score;
  }
  return other;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** "LIPN, Université Sorbonne Paris Nord": the lab is a child of the university found beside it. */
function linkRelatives(orgs: AffiliationOrganisation[]): void {
  for (const a of orgs) {
    const parents = new Set(a.record.parents.map((p) => p.uri));
    for (const b of orgs) {
      if (a === b) continue;
      if (b.record.sameAs.some((u) => parents.has(u)) || b.record.children.some((c) => a.record.sameAs.includes(c.uri))) {
        a.childOf.push(b.record.id);
        b.parentOf.push(a.record.id);
      }
    }
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
