// Name-prefix search (suggest, /api/search, the web typeahead) without
// collecting every hit: a short prefix ("Uni") names tens of thousands of
// records, and collecting then sorting them all held the main thread for
// half a second on the real data (issue 15).
//
// The rank is: a record with a name that starts with what was typed first,
// then shorter names, then record order. Each prefix token's postings are
// kept in that rank's (length, record) order, built the first time the token
// is asked for, so the hits come out of a k-way merge already ranked and the
// walk stops as soon as the first `n` are known.
import { binaryHas as has, type NameIndex } from "./name-index.ts";
import { fold, tokens } from "./normalise.ts";
import type { EntityRecord } from "./types.ts";

/** The vocabulary tokens a prefix stands for: the most frequent ones (more would only add rarer names further down). */
export const PREFIX_TOKENS = 50;
/** Prefixes this short are cached with their tokens: there are few of them and they cost the most. */
const CACHED_PREFIX_LENGTH = 3;

/**
 * The best `n` records by that rank whose names hold every complete word of
 * `prefix` and a word starting with its last one, or `[]` when none does.
 */
export function prefixHits(idx: NameIndex, prefix: string, n: number): EntityRecord[] {
  return searchOf(idx).best(prefix, n);
}

const searches = new WeakMap<NameIndex, PrefixSearch>();

function searchOf(idx: NameIndex): PrefixSearch {
  let s = searches.get(idx);
  if (!s) searches.set(idx, (s = new PrefixSearch(idx)));
  return s;
}

class PrefixSearch {
  /** Postings in rank order, for the tokens asked for so far. */
  private readonly ranked = new Map<string, Int32Array>();
  private readonly prefixTokens = new Map<string, string[]>();
  /** Each record's names folded, the first time the record is met (an array: a WeakMap lookup per record was a third of a long walk). */
  private readonly folded: (string[] | undefined)[] = [];

  constructor(private readonly idx: NameIndex) {}

  best(prefix: string, n: number): EntityRecord[] {
    const idx = this.idx;
    const key = fold(prefix);
    const words = key.split(" ").filter(Boolean);
    if (!words.length || n <= 0) return [];
    const last = words[words.length - 1];
    const complete = tokens(prefix).slice(0, -1);
    const lastTokens = this.tokensStarting(tokens(last)[0] ?? last);
    if (!lastTokens.length || complete.some((t) => !idx.has(t))) return [];

    // Walk whichever side is shorter in rank order, and test the other side on each record.
    const prefixSize = lastTokens.reduce((s, t) => s + idx.postingsOf(t).length, 0);
    const rarest = [...complete].sort((a, b) => idx.postingsOf(a).length - idx.postingsOf(b).length)[0];
    let stream: Iterable<number>;
    let isHit: (i: number) => boolean;
    if (rarest && idx.postingsOf(rarest).length < prefixSize) {
      const wanted = new Set(lastTokens);
      stream = this.rankedPostings(rarest);
      isHit = (i) => complete.every((t) => t === rarest || has(idx.postingsOf(t), i)) && idx.names[i].some((nm) => nm.tokens.some((t) => wanted.has(t)));
    } else {
      stream = mergeRanked(lastTokens.map((t) => this.rankedPostings(t)), (i) => this.rankKey(i));
      isHit = (i) => complete.every((t) => has(idx.postingsOf(t), i));
    }

    const starting: number[] = [];
    const others: number[] = [];
    for (const i of stream) {
      const starts = this.foldedNames(i).some((nm) => nm.startsWith(key));
      // Once n others are known, only records starting with the text can still enter: the cheaper test goes first.
      if ((!starts && others.length >= n) || !isHit(i)) continue;
      if (starts) {
        starting.push(i);
        // Every later record ranks below these n.
        if (starting.length >= n) break;
      } else others.push(i);
    }
    return [...starting, ...others].slice(0, n).map((i) => idx.records[i]);
  }

  private foldedNames(i: number): string[] {
    return (this.folded[i] ??= this.idx.records[i].names.map((n) => fold(n.value)));
  }

  /** Vocabulary tokens starting with `p`, most frequent first (NameIndex's order). */
  private tokensStarting(p: string): string[] {
    if (p.length > CACHED_PREFIX_LENGTH) return this.idx.tokensWithPrefix(p, PREFIX_TOKENS);
    let list = this.prefixTokens.get(p);
    if (!list) this.prefixTokens.set(p, (list = this.idx.tokensWithPrefix(p, PREFIX_TOKENS)));
    return list;
  }

  /** Shorter names first, then record order: one number, unique per record. */
  private rankKey(i: number): number {
    return this.idx.records[i].name.length * this.idx.records.length + i;
  }

  private rankedPostings(token: string): Int32Array {
    let list = this.ranked.get(token);
    if (!list) {
      list = Int32Array.from(this.idx.postingsOf(token));
      const keys = new Float64Array(list.length);
      const order = Array.from(list, (i, k) => ((keys[k] = this.rankKey(i)), k)).sort((a, b) => keys[a] - keys[b]);
      list = Int32Array.from(order, (k) => list![k]);
      this.ranked.set(token, list);
    }
    return list;
  }
}

/** Records of several rank-ordered lists, merged in rank order, each once. */
function* mergeRanked(lists: Int32Array[], key: (i: number) => number): Generator<number> {
  // A binary heap of list cursors, smallest head first.
  const heap: { list: Int32Array; at: number; key: number }[] = [];
  const less = (a: number, b: number) => heap[a].key < heap[b].key;
  const swap = (a: number, b: number) => ([heap[a], heap[b]] = [heap[b], heap[a]]);
  const down = (k: number) => {
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === k) return;
      swap(k, m);
      k = m;
    }
  };
  for (const list of lists) if (list.length) heap.push({ list, at: 0, key: key(list[0]) });
  for (let k = (heap.length >> 1) - 1; k >= 0; k--) down(k);
  let previous = -1;
  while (heap.length) {
    const top = heap[0];
    const i = top.list[top.at];
    if (i !== previous) yield (previous = i);
    if (++top.at < top.list.length) top.key = key(top.list[top.at]);
    else {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    if (heap.length) down(0);
  }
}
