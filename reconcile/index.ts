// The matching engine: one NameIndex per service, built from the store after
// each load, answering reconciliation and suggest queries.
import type { RefStore } from "../data/store.ts";
import { normaliseId, SCHEME_NAMES, type Scheme } from "../vocab/identifiers.ts";
import type { Matcher } from "./matcher.ts";
import { NameIndex, TypoIndex } from "./name-index.ts";
import { prefixHits } from "./prefix-index.ts";
import { fold, tokens } from "./normalise.ts";
import { candidatePool, readQuery } from "./query.ts";
import { readRecords } from "./records.ts";
import { internPool } from "./strings.ts";
import { matchAffiliation, townsOf, type AffiliationOrganisation, type AffiliationResult } from "./affiliation/match.ts";
import { splitAffiliation } from "./affiliation/segments.ts";
import { oncePerEstablishment, prepareEstablishments, unionRecord } from "./merge.ts";
import type { AffiliationDecision } from "./decision/affiliation.ts";
import { namesNothing, recordsWithProperties } from "./decision/weak-query.ts";
import { successorsFirst } from "./decision/successors.ts";
import { acronymContext } from "./decision/acronym-context.ts";
import { FORMER_NAME_COST, formerNameMatch, isSplit, namesakeElsewhere, namesakeThroughFormerName, predecessorAfter, successorBeforeAliases } from "./decision/former-names.ts";
import { contradicted, marginNeeded, matchProbability, RECONCILIATION_MODEL, type ReconciliationDecision } from "./decision/reconciliation.ts";
import { evidenceOf, nameSimilarity } from "./score.ts";
import { readCondition, readProperty, satisfies, type QueryCondition } from "./property-match.ts";
import { TYPES, type Candidate, type EntityRecord, type MatchQuery, type ServiceId, type TypeInfo } from "./types.ts";

/**
 * Auto-match only a candidate at least this strong and this far ahead of the
 * next: a wrong auto-match silently corrupts a user's data, a missing one
 * costs a click. Tuned with `npm run bench` (docs/matching.md).
 */
export const AUTO_MATCH_SCORE = 88;
export const AUTO_MATCH_GAP = 12;

const CANDIDATE_POOL = 60;
/** A query this close to one record's whole name is that name, even with commas in it. */
const WHOLE_NAME_SIMILARITY = 0.95;
/** Establishments an answer keeps at least, whatever its limit: the decision's features count the close candidates. */
const ENOUGH_ESTABLISHMENTS = 30;

export class ReconciliationIndex implements Matcher {
  private readonly indexes = new Map<ServiceId, NameIndex>();
  /** Who flags the first candidate `match`: the calibrated model, or the score rule alone (the bench's same-run baseline). */
  decision: ReconciliationDecision = "model";

  private constructor() {}

  /** Builds one service's index a step, so the async form can give the event loop a turn between them. */
  private static *steps(m: ReconciliationIndex, records: Map<ServiceId, EntityRecord[]>): Generator<void> {
    const tokenCache = new Map<string, string[]>();
    const typos = new TypoIndex();
    // One copy of each key string across the services (a name is in its service's index and in "all"'s).
    const intern = internPool();
    for (const [service, list] of records) {
      m.indexes.set(service, new NameIndex(list, tokenCache, typos, intern));
      yield;
      prepareEstablishments(list, intern);
      yield;
    }
  }

  static fromRecords(records: Map<ServiceId, EntityRecord[]>): ReconciliationIndex {
    const m = new ReconciliationIndex();
    for (const _ of ReconciliationIndex.steps(m, records));
    return m;
  }

  /** The same, for a server that must keep answering /health while it builds. */
  static async fromRecordsAsync(records: Map<ServiceId, EntityRecord[]>): Promise<ReconciliationIndex> {
    const m = new ReconciliationIndex();
    for (const _ of ReconciliationIndex.steps(m, records)) await new Promise((resolve) => setImmediate(resolve));
    return m;
  }

  static build(store: RefStore, base: string): ReconciliationIndex {
    return ReconciliationIndex.fromRecords(readRecords(store, base));
  }

  private index(service: ServiceId): NameIndex {
    const idx = this.indexes.get(service);
    if (!idx) throw new Error(`unknown service ${service}`);
    return idx;
  }

  size(service: ServiceId): number {
    return this.index(service).size;
  }

  get(service: ServiceId, id: string): EntityRecord | undefined {
    const idx = this.index(service);
    const i = idx.record(id) ?? idx.record(service === "all" ? id : normaliseId(service as Scheme, id) ?? id);
    return i === undefined ? undefined : idx.records[i];
  }

  types(service: ServiceId): TypeInfo[] {
    const counts = new Map<string, number>();
    for (const r of this.index(service).records) for (const t of r.types) counts.set(t, (counts.get(t) ?? 0) + 1);
    return TYPES.filter((t) => counts.has(t.id)).sort((a, b) => counts.get(b.id)! - counts.get(a.id)!);
  }

  reconcile(service: ServiceId, q: MatchQuery): Candidate[] {
    const idx = this.index(service);
    const limit = Math.max(1, Math.min(q.limit ?? 5, 100));
    const properties = q.properties ?? [];
    const cell = q.query ?? "";
    const typedIds = identifiersIn(cell, properties);
    // A placeholder ("n/a", "néant"), digits that are no identifier or one letter name nothing: read as no name.
    const text = !typedIds.length && namesNothing(cell) ? "" : cell;
    if (!text && !typedIds.length && !properties.some((p) => p.values.some((v) => v.trim()))) return [];

    const query = readQuery(idx, text);
    const { tokens: queryTokens, key: queryKey, acronym } = query;
    // The values given are read once for the whole pool, and so are the conditions and types.
    const given = properties.map(readProperty);
    const conditions = (q.conditions ?? []).map(readCondition);
    const types = [...new Set([...(q.type ? [q.type] : []), ...(q.types ?? [])])];
    const typed = (r: EntityRecord) => (q.typeStrict === "all" ? types.every((t) => r.types.includes(t)) : types.some((t) => r.types.includes(t)));

    // Candidates: by name tokens (and their typo neighbours), acronym, and any identifier given.
    const pool = candidatePool(idx, query, CANDIDATE_POOL);
    // Successors that a closed predecessor's name finds (their own names may share nothing with it).
    for (const i of idx.withFormerName(queryTokens, CANDIDATE_POOL)) pool.add(i);
    for (const { scheme, id } of typedIds) for (const i of idx.withIdentifier(scheme, id)) pool.add(i);
    // No name: the records the properties select, scored by what they prove alone.
    if (!text) for (const i of recordsWithProperties(idx, properties)) pool.add(i);

    const cityGiven = properties.some((p) => p.pid === "city" && p.values.some((v) => v.trim()));
    const acronymInContext = acronymContext(queryTokens, cityGiven);
    const scoreAll = (fromAffiliation?: Map<number, AffiliationOrganisation>) => {
      const scored: Scoring[] = [];
      for (const i of pool) {
        const r = idx.records[i];
        let name = nameSimilarity(queryTokens, queryKey, acronym, idx.names[i]);
        const former = formerNameMatch(idx, i, queryTokens, queryKey, name.similarity);
        if (former) name = { similarity: former.similarity, exact: former.exact, acronym: false };
        // "LIRIS Lyon": an acronym with words that describe this bearer of it (town, tutelle, unit code).
        let inContext = !former && !name.exact ? acronymInContext?.(r, idx.names[i]) : undefined;
        if (inContext && inContext.similarity > name.similarity) name = { ...name, similarity: inContext.similarity, acronym: true };
        else inContext = undefined;
        const evidence = evidenceOf(r, given);
        const typedHere = typedIds.some(({ scheme, id }) => (r.identifiers[scheme] ?? []).includes(id));
        const identified = evidence.identified || typedHere;
        const inAffiliation = fromAffiliation?.get(i);
        const similarity = Math.max(name.similarity, (inAffiliation?.score ?? 0) / 100);
        let score = 100 * similarity + evidence.delta;
        const features = [
          { id: "name_similarity", value: round(name.similarity) },
          { id: "exact_name", value: name.exact },
          { id: "acronym", value: name.acronym },
          ...evidence.features,
        ];
        if (inContext) {
          score += inContext.delta;
          features.push(...inContext.features);
        }
        if (former) features.push(...former.features);
        if (typedHere) features.push({ id: "identifier_in_query", value: true });
        if (inAffiliation) features.push({ id: "affiliation_score", value: inAffiliation.score });
        if (identified && !evidence.contradicted) score = 100;
        if (r.withdrawn) {
          score -= 3;
          features.push({ id: "withdrawn", value: true });
        }
        if (types.length && !typed(r)) {
          if (q.typeStrict === "should" || !q.typeStrict) {
            score -= 15;
            features.push({ id: "type_match", value: false });
          } else continue;
        }
        score = Math.max(0, Math.min(100, score));
        // After the cap: a former name never ties a current one, whatever evidence both get.
        if (former) score = Math.max(0, score - FORMER_NAME_COST);
        scored.push({ record: r, score: round(score), match: false, features, identified: identified && !evidence.contradicted, nameSimilarity: name.similarity, ...(former ? { formerly: former.of } : {}) });
      }
      return scored.sort((a, b) => b.score - a.score || Number(b.identified) - Number(a.identified) || a.record.name.length - b.record.name.length);
    };

    // Copies of one establishment (merge.ts) are one candidate, before any auto-match decision; the
    // answer and the decision read the best few establishments only.
    // Conditions drop candidates at the end: every establishment is kept until then.
    let scored = oncePerEstablishment(scoreAll(), (c) => c.record, joinCopies, conditions.length ? Infinity : Math.max(2 * limit, ENOUGH_ESTABLISHMENTS));
    // Without a name, a record the properties do not support is no candidate.
    if (!text) scored = scored.filter((c) => c.score > 0 || c.identified);
    // A whole affiliation string ("Dept. of Physics, Humboldt-Universität zu Berlin, Germany"), unless it is
    // some record's whole name ("Mines Paris, Univ. PSL, Centre de Mise en Forme des Matériaux"): each
    // organisation it names is a candidate with its affiliation score, and the one it is an affiliation to leads.
    const towns = this.indexes.get("all");
    const wholeName = scored[0] && scored[0].nameSimilarity >= WHOLE_NAME_SIMILARITY;
    if (!typedIds.length && !wholeName && looksLikeAffiliation(text, towns)) {
      const affiliation = matchAffiliation(idx, text, { limit, towns });
      if (affiliation.primary) {
        const fromAffiliation = new Map<number, AffiliationOrganisation>();
        for (const o of affiliation.organisations) {
          const i = idx.record(o.record.id);
          if (i === undefined) continue;
          fromAffiliation.set(i, o);
          pool.add(i);
        }
        scored = oncePerEstablishment(scoreAll(fromAffiliation), (c) => c.record, joinCopies);
        return affiliationRanking(scored, affiliation, limit, conditions);
      }
    }
    // The display name of a closed predecessor that live candidates bear only as an alias: its successor first.
    scored = successorBeforeAliases(scored, queryKey, (name) => tokens(name).join(" "), (c) => c.record.names.some((n) => n.kind === "pref" && tokens(n.value).join(" ") === queryKey)) ?? scored;
    // A closed establishment named (a former name, a former UAI): its successor first, the predecessor after it.
    const history = successorsFirst(idx, scored, (k) => {
      pool.add(k);
      return scoreAll().find((c) => c.record.id === idx.records[k].id);
    });
    // A successor found by its predecessor's name: the predecessor right after it, out of the decision.
    const formerly = history ? undefined : predecessorAfter(scored);
    const ranked = history?.forDecision ?? formerly?.forDecision ?? scored;
    const [first, second] = ranked;
    if (first) {
      const gap = second ? first.score - second.score : 100;
      // An identifier the user gave is sure, unless it names several records.
      const uniquelyIdentified = first.identified && !(second?.identified);
      first.match = uniquelyIdentified || (first.score >= AUTO_MATCH_SCORE && gap >= AUTO_MATCH_GAP && !second?.identified);
      // Otherwise the calibrated decision (reconcile/decision/), unless an identifier given names another record.
      const p = this.decision === "model" && !first.identified && !second?.identified ? matchProbability(service, queryTokens.length, ranked) : undefined;
      if (p !== undefined) {
        first.match = p >= RECONCILIATION_MODEL.threshold && gap >= marginNeeded(queryTokens.length, AUTO_MATCH_GAP) && !contradicted(first);
        first.features.push({ id: "match_probability", value: Math.round(p * 1000) / 1000 });
      }
      // A split (one predecessor, several successors) is for the user to settle.
      if (history?.split || isSplit(first) || namesakeThroughFormerName(ranked) || namesakeElsewhere(first)) first.match = false;
    }
    // Hard conditions filter the answer, after the decision: it was made against every candidate the name brought.
    return meeting(history?.ranked ?? formerly?.ranked ?? scored, conditions).slice(0, limit).map(({ identified: _, nameSimilarity: __, ...c }) => c);
  }

  affiliation(service: ServiceId, text: string, limit?: number, decision?: AffiliationDecision): AffiliationResult {
    return matchAffiliation(this.index(service), text, { limit, towns: this.indexes.get("all"), decision });
  }

  suggest(service: ServiceId, prefix: string, limit = 10): EntityRecord[] {
    const idx = this.index(service);
    const words = fold(prefix).split(" ").filter(Boolean);
    if (!words.length) return [];
    // The best-ranked prefix hits, without collecting them all (reconcile/prefix-index.ts).
    const best = prefixHits(idx, prefix, limit * 3);
    if (!best.length) {
      // Nothing by prefix: fall back to fuzzy reconciliation of what was typed.
      return this.reconcile(service, { query: prefix, limit }).map((c) => c.record);
    }
    // Enough to fill `limit` once copies of one establishment are folded together.
    return oncePerEstablishment(best.slice(0, limit * 3), (r) => r, unionRecord).slice(0, limit);
  }
}

/** A cell that names several things: two or more parts that could be organisations (a town is not one). */
function looksLikeAffiliation(text: string, towns: NameIndex | undefined): boolean {
  if (!/[,;()\[\]]|\s[-–—]\s/.test(text)) return false;
  const known = towns ? townsOf(towns) : new Set<string>();
  return splitAffiliation(text, (k) => known.has(k)).filter((s) => s.kind === "organisation" || s.kind === "department" || s.kind === "context").length >= 2;
}

/** The first copy kept, with the other's identifiers; sure if either was identified. */
const joinCopies = (keep: Scoring, drop: Scoring): Scoring => ({ ...keep, record: unionRecord(keep.record, drop.record), identified: keep.identified || drop.identified });

interface Scoring extends Candidate {
  identified: boolean;
  /** The whole query against the record's names, before any affiliation reading. */
  nameSimilarity: number;
}

/**
 * For an affiliation string, the organisation it is an affiliation to comes
 * first and is the only one that can be auto-matched; the others it names follow.
 */
function affiliationRanking(scored: Scoring[], affiliation: AffiliationResult, limit: number, conditions: QueryCondition[]): Candidate[] {
  const primaryId = affiliation.primary?.record.id;
  const ordered = [...scored.filter((c) => c.record.id === primaryId), ...scored.filter((c) => c.record.id !== primaryId)];
  const [first] = ordered;
  // Sure only when nothing else read from the whole cell scores higher.
  if (first && first.record.id === primaryId && ordered.every((c) => c === first || c.score <= first.score)) {
    const contradicted = first.features.some((f) => f.value === false && /_match$/.test(f.id)) || first.features.some((f) => f.id === "type_match" && f.value === false);
    first.match = !!affiliation.primary?.match && !contradicted;
  }
  return meeting(ordered, conditions).slice(0, limit).map(({ identified: _, nameSimilarity: __, ...c }) => c);
}

/** The candidates that satisfy every hard condition of the query. */
function meeting<T extends Candidate>(candidates: T[], conditions: QueryCondition[]): T[] {
  return conditions.length ? candidates.filter((c) => conditions.every((k) => satisfies(c.record, k))) : candidates;
}

/** Identifiers typed in the cell ("0751717J", "https://ror.org/...") or given as properties. */
function identifiersIn(text: string, properties: MatchQuery["properties"] = []): { scheme: Scheme; id: string }[] {
  const found: { scheme: Scheme; id: string }[] = [];
  const candidates = [text.trim(), ...text.split(/[\s,;()]+/)];
  for (const c of candidates) {
    // Every scheme's identifiers hold digits: a word without one is no identifier of any.
    if (!c || !/\d/.test(c)) continue;
    for (const scheme of SCHEME_NAMES) {
      const id = normaliseId(scheme, c);
      if (id) found.push({ scheme, id });
    }
  }
  for (const p of properties) {
    if (!(SCHEME_NAMES as readonly string[]).includes(p.pid)) continue;
    for (const v of p.values) {
      const id = normaliseId(p.pid as Scheme, v);
      if (id) found.push({ scheme: p.pid as Scheme, id });
    }
  }
  return found;
}

const round = (x: number) => Math.round(x * 100) / 100;
