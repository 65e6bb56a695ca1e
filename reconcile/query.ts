// A text read against one service's index, and the records worth scoring for
// it: shared by reconciliation (reconcile/index.ts) and by each mention of an
// affiliation string (reconcile/affiliation/match.ts).
import type { NameIndex } from "./name-index.ts";
import { acronymKey, tokens } from "./normalise.ts";
import type { QueryToken } from "./score.ts";

export interface IndexQuery {
  /** Distinct tokens with their weights, and vocabulary tokens one typo away for unknown ones. */
  tokens: QueryToken[];
  /** The tokens joined, for exact-name equality. */
  key: string;
  /** The text as an acronym ("U.G.A." is "uga"). */
  acronym: string;
}

export function readQuery(idx: NameIndex, text: string): IndexQuery {
  const queryTokens: QueryToken[] = [...new Set(tokens(text))].map((token) => ({
    token,
    weight: idx.weight(token),
    near: idx.has(token) ? [] : idx.nearTokens(token),
  }));
  return { tokens: queryTokens, key: queryTokens.map((t) => t.token).join(" "), acronym: acronymKey(text) };
}

/**
 * Records found by the query's tokens (and their typo neighbours, at 0.8 of the weight) and by its acronym.
 * `fewestWordsFirst`: among records holding the same words, those whose names hold fewest others (NameIndex.candidates).
 */
export function candidatePool(idx: NameIndex, q: IndexQuery, limit: number, maxScanned?: number, fewestWordsFirst = false): Set<number> {
  const pool = new Set<number>();
  const lookup = q.tokens.flatMap((t) => (t.near.length ? t.near.map((n) => ({ token: n, weight: t.weight * 0.8 })) : [{ token: t.token, weight: t.weight }]));
  for (const i of idx.candidates(lookup, limit, maxScanned, fewestWordsFirst)) pool.add(i);
  if (q.acronym.length >= 2 && q.acronym.length <= 12) for (const i of idx.withAcronym(q.acronym).slice(0, limit)) pool.add(i);
  return pool;
}
