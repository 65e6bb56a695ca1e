// The figures, from the answers: precision@1, recall@5, auto-match precision
// and recall, wrong auto-matches on negatives; and latency percentiles.
import type { Answer, LabelledQuery } from "./types.ts";

export interface Figures {
  queries: number;
  /** Queries that have a right answer in the data. */
  positives: number;
  negatives: number;
  top1Correct: number;
  top5Correct: number;
  autoMatches: number;
  correctAutoMatches: number;
  /** Auto-matches on negatives (always wrong). */
  negativeAutoMatches: number;
  /** Queries the system failed on (exception). */
  failures: number;
  /** top1Correct / positives */
  precisionAt1: number | null;
  /** top5Correct / positives */
  recallAt5: number | null;
  /** correctAutoMatches / autoMatches (negatives included) */
  autoPrecision: number | null;
  /** correctAutoMatches / positives */
  autoRecall: number | null;
  /** negativeAutoMatches / negatives */
  negativeAutoRate: number | null;
  /** 95 % Wilson intervals of the three headline ratios: how far a small sample can be trusted. */
  ci95: { precisionAt1: Interval; autoPrecision: Interval; autoRecall: Interval };
}

export type Interval = [number, number] | null;

/** Wilson score interval of k successes out of n. */
export function wilson(k: number, n: number, z = 1.96): Interval {
  if (!n) return null;
  const p = k / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return [r(Math.max(0, centre - half)), r(Math.min(1, centre + half))];
}

const ratio = (a: number, b: number) => (b ? a / b : null);

export function isAutoMatch(a: Answer): boolean {
  return a.candidates.some((c) => c.match);
}

export function figures(queries: LabelledQuery[], answers: Answer[], indices: number[]): Figures {
  let positives = 0, negatives = 0, top1 = 0, top5 = 0, auto = 0, autoOk = 0, negAuto = 0, failures = 0;
  for (const i of indices) {
    const q = queries[i];
    const a = answers[i];
    if (!a) continue;
    if (a.error) failures++;
    const matched = a.candidates.find((c) => c.match);
    if (matched) auto++;
    if (q.expected) {
      positives++;
      if (a.candidates[0]?.correct) top1++;
      if (a.candidates.some((c) => c.correct)) top5++;
      if (matched?.correct) autoOk++;
    } else {
      negatives++;
      if (matched) negAuto++;
    }
  }
  return {
    queries: positives + negatives, positives, negatives,
    top1Correct: top1, top5Correct: top5, autoMatches: auto, correctAutoMatches: autoOk, negativeAutoMatches: negAuto, failures,
    precisionAt1: ratio(top1, positives), recallAt5: ratio(top5, positives),
    autoPrecision: ratio(autoOk, auto), autoRecall: ratio(autoOk, positives), negativeAutoRate: ratio(negAuto, negatives),
    ci95: { precisionAt1: wilson(top1, positives), autoPrecision: wilson(autoOk, auto), autoRecall: wilson(autoOk, positives) },
  };
}

export interface Latency {
  queries: number;
  batches: number;
  totalMs: number;
  queriesPerSecond: number;
  p50BatchMs: number;
  p99BatchMs: number;
  maxBatchMs: number;
}

/** Nearest-rank percentile. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function latency(batchMs: number[], queries: number): Latency {
  const sorted = [...batchMs].sort((a, b) => a - b);
  const totalMs = batchMs.reduce((s, x) => s + x, 0);
  return {
    queries, batches: batchMs.length, totalMs,
    queriesPerSecond: totalMs ? (queries / totalMs) * 1000 : NaN,
    p50BatchMs: percentile(sorted, 50), p99BatchMs: percentile(sorted, 99), maxBatchMs: sorted[sorted.length - 1] ?? NaN,
  };
}

/** Groups query indices by a key, keys in first-seen order. */
export function groupBy(indices: number[], key: (i: number) => string): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const i of indices) {
    const k = key(i);
    const list = m.get(k);
    if (list) list.push(i);
    else m.set(k, [i]);
  }
  return m;
}
