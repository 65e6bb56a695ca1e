// History-aware answers: a query that names a closed or merged establishment
// (its former name, a former UAI, a predecessor in RNSR, ROR, Wikidata or the
// ESR file) is answered with the current successor first, the predecessor it
// was matched through right after it. A one-to-one succession may be
// auto-matched; a split (several successors) never is. See docs/matching.md.
import { normaliseId, SCHEME_NAMES } from "../../vocab/identifiers.ts";
import type { NameIndex } from "../name-index.ts";
import type { Candidate, Related } from "../types.ts";

/** Index positions of the records a related entity is, in this index (by its own id, or by an identifier of another scheme). */
export function resolveRelated(idx: NameIndex, r: Related): number[] {
  const direct = (r.id !== undefined ? idx.record(r.id) : undefined) ?? idx.record(r.uri);
  if (direct !== undefined) return [direct];
  if (!r.id) return [];
  const out = new Set<number>();
  for (const scheme of SCHEME_NAMES) if (normaliseId(scheme, r.id) === r.id) for (const i of idx.withIdentifier(scheme, r.id)) out.add(i);
  return [...out];
}

/** The live successors of a withdrawn record, following successions of successions (at most a few steps). */
export function successorsOf(idx: NameIndex, i: number): number[] {
  const found = new Set<number>();
  let frontier = [i];
  for (let step = 0; step < 4 && frontier.length; step++) {
    const next: number[] = [];
    for (const j of frontier) {
      for (const r of idx.records[j].replacedBy) for (const k of resolveRelated(idx, r)) {
        if (k === i || found.has(k)) continue;
        if (idx.records[k].withdrawn && idx.records[k].replacedBy.length) next.push(k);
        else found.add(k);
      }
    }
    frontier = next;
  }
  return [...found].filter((k) => !idx.records[k].withdrawn);
}

export interface History<T extends Candidate> {
  /** Successors first (at the predecessor's score), then the predecessor, then the rest. */
  ranked: T[];
  /** The candidates the decision compares: the predecessor left out, so it does not stand as its successor's rival. */
  forDecision: T[];
  /** Several successors: nothing may be auto-matched. */
  split: boolean;
}

/**
 * When the first candidate has been replaced and its successors are live records of this index,
 * puts them first. `candidateFor` scores a successor that the query's words
 * did not bring (its own name may share nothing with the former one).
 */
export function successorsFirst<T extends Candidate>(idx: NameIndex, ranked: T[], candidateFor: (i: number) => T | undefined): History<T> | undefined {
  const [first] = ranked;
  // Replaced, whether its own source says it is closed or a linked one does (a Wikidata item clustered with a closed ROR record).
  if (!first?.record.replacedBy.length) return undefined;
  if (activeRnsrStructure(first.record)) return undefined;
  const at = idx.record(first.record.id);
  if (at === undefined) return undefined;
  const successors = successorsOf(idx, at);
  if (!successors.length) return undefined;
  const lifted: T[] = [];
  for (const k of successors) {
    const c = ranked.find((x) => x.record.id === idx.records[k].id) ?? candidateFor(k);
    if (!c) continue;
    lifted.push({
      ...c,
      score: Math.max(c.score, first.score),
      features: [...c.features.filter((f) => f.id !== "successor_of_match"), { id: "successor_of_match", value: true }, { id: "successors", value: successors.length }],
    });
  }
  if (!lifted.length) return undefined;
  const predecessor = { ...first, match: false, features: [...first.features, { id: "replaced_by_first", value: true }] };
  const liftedIds = new Set(lifted.map((c) => c.record.id));
  const rest = ranked.slice(1).filter((c) => !liftedIds.has(c.record.id));
  return { ranked: [...lifted, predecessor, ...rest], forDecision: [...lifted, ...rest], split: lifted.length > 1 };
}

/**
 * A structure with a row of its own in RNSR's file, which lists active structures only: it is live,
 * whatever a later unit says it came from (a spin-off, "essaimage", leaves its origin in place; 62 of the
 * 1,431 predecessors in the real file are such live rows). Its successors are not its replacement.
 */
function activeRnsrStructure(r: Candidate["record"]): boolean {
  return !r.withdrawn && (r.identifiers.rnsr ?? []).some((id) => r.uri.endsWith(`/id/rnsr/${id}`));
}
