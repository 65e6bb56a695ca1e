// Strings held by the matcher's records, at national size millions of them:
// copies that keep nothing else alive, and one copy of each repeated one.

/**
 * A copy of `s` that holds no reference to the text it was cut from: V8
 * keeps the whole parent of a sliced string alive (an 8 MB slice of a graph
 * file for one name kept), and slices shorter than 13 characters are copies.
 */
export const flat = (s: string): string => (s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8"));

/** Strings one pool holds before it starts again (a Map holds at most 2^24 keys). */
const POOL_MAX = 4_000_000;

/**
 * One copy of each string (URIs met as subjects, link ends, parents; towns,
 * graphs, kinds), flat: records that repeat them share it.
 */
export function internPool(): (s: string) => string {
  let pool = new Map<string, string>();
  return (s) => {
    let v = pool.get(s);
    if (v === undefined) {
      if (pool.size >= POOL_MAX) pool = new Map();
      pool.set((v = flat(s)), v);
    }
    return v;
  };
}