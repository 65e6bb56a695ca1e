// Name-prefix search (reconcile/prefix-index.ts) against the plain reading of
// its rank on generated records: collect every record holding the complete
// words and a word starting with the last one, then sort by (a name starts
// with the typed text, name length, record order). The index must give the
// same first n without collecting them all. No data is loaded.
import { describe, expect, it } from "vitest";
import { NameIndex, TypoIndex } from "../reconcile/name-index.ts";
import { fold, tokens } from "../reconcile/normalise.ts";
import { PREFIX_TOKENS, prefixHits } from "../reconcile/prefix-index.ts";
import type { EntityRecord } from "../reconcile/types.ts";

const record = (i: number, names: string[]): EntityRecord => ({
  id: `R${i}`, uri: `http://refx.test/id/uai/R${i}`, service: "uai", name: names[0],
  names: names.map((value) => ({ value, kind: "pref" as const })),
  types: [], kinds: [], websites: [], identifiers: {}, sameAs: [],
  parents: [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [],
});

/** The rank read plainly: every hit collected, then sorted. */
function reference(idx: NameIndex, prefix: string, n: number): string[] {
  const words = fold(prefix).split(" ").filter(Boolean);
  if (!words.length) return [];
  const last = words[words.length - 1];
  const complete = tokens(prefix).slice(0, -1);
  const hits = new Set<number>();
  for (const t of idx.tokensWithPrefix(tokens(last)[0] ?? last, PREFIX_TOKENS)) for (const i of idx.postingsOf(t)) hits.add(i);
  const key = fold(prefix);
  return [...hits]
    .filter((i) => complete.every((t) => idx.postingsOf(t).includes(i)))
    .map((i) => ({ i, starts: idx.records[i].names.some((nm) => fold(nm.value).startsWith(key)) ? 0 : 1, length: idx.records[i].name.length }))
    .sort((a, b) => a.starts - b.starts || a.length - b.length || a.i - b.i)
    .slice(0, n)
    .map(({ i }) => idx.records[i].id);
}

// A small deterministic generator: names from a few word lists, some sharing prefixes.
const heads = ["Université", "Unité", "Union", "Universitaire", "Lycée", "Laboratoire", "Institut", "Centre", "École", "Collège"];
const places = ["de Paris", "de Lyon", "Lumière", "de Lorraine", "Paris-Saclay", "d'Unieux", "Henri IV", "du Centre", "Pasteur", "des Landes"];
const extras = ["", " Nord", " Sud", " de recherche", " universitaire", " Unité mixte", " Lyon 2", " Paris 13"];
let seed = 7;
const next = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
const records = Array.from({ length: 600 }, (_, i) => {
  const main = `${heads[next(heads.length)]} ${places[next(places.length)]}${extras[next(extras.length)]}`;
  return record(i, next(3) ? [main] : [main, `${places[next(places.length)]} ${heads[next(heads.length)]}`]);
});
const idx = new NameIndex(records, new Map(), new TypoIndex());

describe("prefixHits", () => {
  const prefixes = [
    "u", "U", "un", "Uni", "Univ", "universite", "Université de", "Université de P", "Université de Paris", "Lyc", "lycee hen",
    "Lab", "Ins", "Institut P", "cen", "Centre du", "ecole", "Col", "p", "pa", "paris", "Paris-S", "lyon 2", "unieux",
    "Unité mixte", "l", "la", "de", "d", "zz", "universite zz", "Lumière U",
  ];
  for (const n of [1, 3, 30, 150, 2000]) {
    it(`gives the plain rank's first ${n} for ${prefixes.length} prefixes`, () => {
      for (const p of prefixes) expect(prefixHits(idx, p, n).map((r) => r.id), p).toEqual(reference(idx, p, n));
    });
  }

  it("finds something for the prefixes the generated names start with", () => {
    expect(prefixHits(idx, "Uni", 10)).toHaveLength(10);
    expect(prefixHits(idx, "Uni", 10).every((r) => r.names.some((nm) => fold(nm.value).startsWith("uni")))).toBe(true);
    expect(prefixHits(idx, "zz", 10)).toEqual([]);
    expect(prefixHits(idx, "", 10)).toEqual([]);
  });
});
