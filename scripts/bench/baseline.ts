// The baseline: a plain fuse.js search over every name of a service's
// records (the same names refx pools for each record: its own and those of
// its owl:sameAs cluster, read from the store by catalogue.ts). Fuse sees the
// query text only, not its properties.
import Fuse from "fuse.js";

/** As the brief fixes them: one key over the name strings, scores, threshold 0.4, no location bias. */
export const FUSE_OPTIONS = { keys: ["names"], includeScore: true, threshold: 0.4, ignoreLocation: true } as const;

/**
 * Fuse has no notion of a sure match; the baseline auto-matches when the top
 * score is near perfect (0 is a perfect match, 1 none) and clearly ahead.
 */
export const BASELINE_AUTO_MATCH = { maxScore: 0.05, minGap: 0.1 } as const;

export interface BaselineDoc {
  /** Index of the record in the service's catalogue. */
  key: number;
  names: string[];
}

export interface BaselineHit {
  key: number;
  /** Fuse score: 0 perfect, 1 no match. */
  score: number;
}

export function buildFuse(docs: BaselineDoc[]): Fuse<BaselineDoc> {
  return new Fuse(docs, { ...FUSE_OPTIONS, keys: [...FUSE_OPTIONS.keys] });
}

export function searchBaseline(fuse: Fuse<BaselineDoc>, query: string, limit = 5): BaselineHit[] {
  return fuse.search(query, { limit }).map((r) => ({ key: r.item.key, score: r.score ?? 1 }));
}

export function baselineAutoMatch(hits: BaselineHit[]): boolean {
  const [first, second] = hits;
  if (!first || first.score > BASELINE_AUTO_MATCH.maxScore) return false;
  return !second || second.score - first.score >= BASELINE_AUTO_MATCH.minGap;
}
