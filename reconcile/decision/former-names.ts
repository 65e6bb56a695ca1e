// Former names: a query that gives the name of a closed predecessor (ROR's
// "Université de Cergy-Pontoise", a Wikidata item's old label) finds its
// successor on every service, even where the predecessor has no record of its
// own (the uai service). The successor answers with the predecessor named
// (`formerly`, feature `former_name`); a split (a predecessor replaced by
// several establishments) is never auto-matched. See docs/matching.md.
import type { NameIndex } from "../name-index.ts";
import { nameSimilarity, type QueryToken } from "../score.ts";
import type { Candidate, Feature, Related } from "../types.ts";

/**
 * What a former name costs against a current one: a live establishment that bears the name today
 * comes before one that bore it once, and the two are too close for an auto-match.
 */
export const FORMER_NAME_COST = 2;

/**
 * A former name counts only when it is nearly what the query says: a successor is no candidate for
 * a word its predecessor's name shared ("ENS" in "ENS Cachan"), which only crowded the acronym and
 * name-and-town queries of other records (bench: 9 of their auto-matches lost without this floor).
 */
export const FORMER_NAME_FLOOR = 0.85;

export interface FormerNameMatch {
  similarity: number;
  exact: boolean;
  /** The predecessor whose name the query gave. */
  of: Related;
  /** How many establishments replaced it (more than one: a split). */
  successors: number;
  features: Feature[];
}

/**
 * The record's former names against the query, when one of them explains the query better than
 * every current name does (`current`: the current names' similarity).
 */
export function formerNameMatch(idx: NameIndex, i: number, query: QueryToken[], queryKey: string, current: number): FormerNameMatch | undefined {
  const former = idx.formerNamesOf(i);
  if (!former.length || current >= 1) return undefined;
  let best: { similarity: number; exact: boolean; from: number } | undefined;
  for (const n of former) {
    const s = nameSimilarity(query, queryKey, "", [n]);
    if (!best || s.similarity > best.similarity) best = { similarity: s.similarity, exact: s.exact, from: n.from };
  }
  if (!best || best.similarity <= current || best.similarity < FORMER_NAME_FLOOR) return undefined;
  const f = idx.records[i].formerNames![best.from];
  return {
    similarity: best.similarity,
    exact: best.exact,
    of: f.of,
    successors: f.successors,
    features: [{ id: "former_name", value: true }, { id: "former_name_successors", value: f.successors }],
  };
}

/** A split: the query named a predecessor that several establishments replaced. */
export const isSplit = (c: Candidate): boolean => !!c.formerly && Number(c.features.find((f) => f.id === "former_name_successors")?.value ?? 1) > 1;

/**
 * When the first candidate was found through a former name, the predecessor it names (a closed
 * record of this service, when it has one) comes right after it and is left out of the decision:
 * a successor is not its predecessor's rival.
 */
export function predecessorAfter<T extends Candidate>(ranked: T[]): { ranked: T[]; forDecision: T[] } | undefined {
  const [first] = ranked;
  if (!first?.formerly) return undefined;
  const of = first.formerly;
  const isPredecessor = (c: T) => c !== first && c.record.sameAs.includes(of.uri);
  const predecessors = ranked.filter(isPredecessor);
  if (!predecessors.length) return undefined;
  // Marked as successorsFirst marks them: the same answer whichever way the successor was reached.
  const successors = first.features.find((f) => f.id === "former_name_successors")?.value ?? 1;
  const successor = { ...first, features: [...first.features, { id: "successor_of_match", value: true }, { id: "successors", value: successors }] };
  const marked = predecessors.map((c) => ({ ...c, match: false, features: [...c.features, { id: "replaced_by_first", value: true }] }));
  const rest = ranked.slice(1).filter((c) => !isPredecessor(c));
  return { ranked: [successor, ...marked, ...rest], forDecision: [successor, ...rest] };
}

/**
 * Another establishment's former name is the query too, as exactly as the first's name: the name is
 * shared between a live establishment and a closed one's successor (the Moroccan and the French
 * "Institut National de la Recherche Agronomique", INRAE since 2020), for the user to settle.
 */
export function namesakeThroughFormerName(ranked: Candidate[]): boolean {
  const [first, ...rest] = ranked;
  if (!first) return false;
  const exact = (c: Candidate) => c.features.some((f) => f.id === "exact_name" && f.value === true);
  // Also when the first is that predecessor itself, live in this service's source and closed in another
  // (the RNSR row of "Adaptation Biologique et Vieillissement", replaced in ROR): the sources disagree.
  return exact(first) && rest.some((c) => !!c.formerly && exact(c) && c.score >= first.score - FORMER_NAME_COST);
}


/**
 * The query is the display name a closed predecessor bore ("Institute of Parasitology", merged into the
 * Czech Academy of Sciences' Biology Centre), and the live candidates ranked above its successor bear it
 * only as an alias or with their words in another order (the Slovak institute's short alias): the
 * successor comes first, at their score. Another establishment still bears the name in some form, so it is
 * never auto-matched (feature `namesake_elsewhere`). A live candidate whose own display name the query is
 * (Morocco's "Institut National de la Recherche Agronomique") keeps its place.
 * `displayNamed`: whether a candidate's display name reads as the query.
 */
export function successorBeforeAliases<T extends Candidate & { identified: boolean }>(ranked: T[], queryKey: string, keyOf: (name: string) => string, displayNamed: (c: T) => boolean): T[] | undefined {
  const at = ranked.findIndex((c) => !!c.formerly);
  if (at <= 0) return undefined;
  const successor = ranked[at];
  if (!successor.formerly!.name || keyOf(successor.formerly!.name) !== queryKey) return undefined;
  const above = ranked.slice(0, at);
  if (above.some((c) => c.identified || c.record.withdrawn || displayNamed(c))) return undefined;
  const lifted = { ...successor, score: Math.max(successor.score, above[0].score), features: [...successor.features, { id: "namesake_elsewhere", value: true }] };
  return [lifted, ...above, ...ranked.slice(at + 1)];
}

/** Set by successorBeforeAliases: a live establishment bears the name too. */
export const namesakeElsewhere = (c: Candidate): boolean => c.features.some((f) => f.id === "namesake_elsewhere" && f.value === true);
