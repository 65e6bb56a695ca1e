// The index one service searches (reconcile/name-index.ts) on a handful of
// hand-made records: names as IDF-weighted token postings, acronyms and
// identifiers as keys, candidates found by rare tokens first, prefixes for
// suggest, and the typo neighbourhood (TypoIndex). No data is loaded.
import { describe, expect, it } from "vitest";
import { NameIndex, TypoIndex } from "../reconcile/name-index.ts";
import type { EntityRecord, Name } from "../reconcile/types.ts";

const record = (id: string, names: (string | Name)[], fields: Partial<EntityRecord> = {}): EntityRecord => ({
  id, uri: `http://refx.test/id/uai/${id}`, service: "uai", name: typeof names[0] === "string" ? names[0] : names[0]?.value ?? id,
  names: names.map((n) => (typeof n === "string" ? { value: n, kind: "pref" } : n)),
  types: [], kinds: [], websites: [], identifiers: {}, sameAs: [],
  parents: [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [],
  ...fields,
});

const indexOf = (records: EntityRecord[], typos = new TypoIndex()) => new NameIndex(records, new Map(), typos);

describe("NameIndex", () => {
  const records = [
    record("A", ["Université Lyon 3", { value: "UJML", kind: "acronym" }], { identifiers: { uai: ["0692437Z"], siret: ["19692437500019"] } }),
    record("B", ["Université Lyon 2"]),
    record("C", ["Université de Bordeaux", "Université de Bordeaux"]),
    record("D", ["École navale", { value: "EN", kind: "acronym" }]),
  ];
  const idx = indexOf(records);

  it("weights each token by its rarity, log(1 + records / records holding it)", () => {
    expect(idx.size).toBe(4);
    expect(idx.weight("univ")).toBeCloseTo(Math.log(1 + 4 / 3), 12);
    expect(idx.weight("lyon")).toBeCloseTo(Math.log(1 + 4 / 2), 12);
    expect(idx.weight("bordeaux")).toBeCloseTo(Math.log(1 + 4 / 1), 12);
    // An unknown token is as rare as can be.
    expect(idx.weight("grenoble")).toBeCloseTo(Math.log(1 + 4), 12);
    expect(idx.weight("bordeaux")).toBeGreaterThan(idx.weight("lyon"));
  });

  it("keeps each record's names once, tokenised, with their summed weight and folded key", () => {
    const c = idx.names[2];
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ kind: "pref", tokens: ["univ", "bordeaux"], key: "univ bordeaux" });
    expect(c[0].weight).toBeCloseTo(idx.weight("univ") + idx.weight("bordeaux"), 12);
    const a = idx.names[0];
    expect(a.map((n) => n.key)).toEqual(["univ lyon 3", "ujml"]);
    expect(a[1]).toMatchObject({ kind: "acronym", acronym: "ujml" });
    expect(a[0].acronym).toBeUndefined();
  });

  it("finds tokens, acronyms (even one made of stop words) and identifiers by key", () => {
    expect(idx.postingsOf("univ")).toEqual([0, 1, 2]);
    expect(idx.postingsOf("navale")).toEqual([3]);
    expect(idx.postingsOf("nowhere")).toEqual([]);
    expect(idx.has("lyon")).toBe(true);
    // "de" is a stop word: never a token.
    expect(idx.has("de")).toBe(false);
    expect(idx.withAcronym("ujml")).toEqual([0]);
    // "EN" has no token ("en" is a stop word) but is still an acronym key.
    expect(idx.names[3].find((n) => n.kind === "acronym")).toMatchObject({ tokens: [], key: "#en", acronym: "en" });
    expect(idx.withAcronym("en")).toEqual([3]);
    expect(idx.withIdentifier("uai", "0692437Z")).toEqual([0]);
    expect(idx.withIdentifier("siret", "19692437500019")).toEqual([0]);
    expect(idx.withIdentifier("uai", "19692437500019")).toEqual([]);
  });

  it("knows records by id; the cross-source service also by every URI of the cluster", () => {
    expect(idx.record("C")).toBe(2);
    expect(idx.record("http://www.wikidata.org/entity/Q1")).toBeUndefined();
    const sameAs = ["http://refx.test/id/uai/0692437Z", "http://www.wikidata.org/entity/Q1", "https://ror.org/01rk35k63"];
    const all = indexOf([
      record("http://refx.test/id/uai/0692437Z", ["Université Lyon 3"], { service: "all", sameAs }),
      record("http://refx.test/id/uai/0751717J", ["Université Paris 1"], { service: "all", sameAs: ["http://refx.test/id/uai/0751717J", "https://ror.org/01rk35k63"] }),
    ]);
    expect(all.record("http://www.wikidata.org/entity/Q1")).toBe(0);
    // A URI two records share stays with the first.
    expect(all.record("https://ror.org/01rk35k63")).toBe(0);
    expect(all.record("http://refx.test/id/uai/0751717J")).toBe(1);
    // Other services answer only for their own ids.
    expect(indexOf([record("X", ["Lyon"], { sameAs: ["http://www.wikidata.org/entity/Q2"] })]).record("http://www.wikidata.org/entity/Q2")).toBeUndefined();
  });

  it("ranks candidates by the summed weight of the query tokens they hold, ties by record order, up to the limit", () => {
    const q = (...tokens: string[]) => tokens.map((token) => ({ token, weight: idx.weight(token) }));
    expect(idx.candidates(q("univ", "lyon", "3"), 10)).toEqual([0, 1, 2]);
    expect(idx.candidates(q("univ", "bordeaux"), 10)).toEqual([2, 0, 1]);
    expect(idx.candidates(q("univ", "bordeaux"), 2)).toEqual([2, 0]);
    expect(idx.candidates(q("grenoble"), 10)).toEqual([]);
    // The accumulator is reset between queries: the same query twice answers the same.
    expect(idx.candidates(q("univ", "bordeaux"), 10)).toEqual([2, 0, 1]);
  });

  it("gives ties to the record whose names hold the fewest other words when asked (affiliations)", () => {
    const campuses = Array.from({ length: 4 }, (_, i) => record(`S${i}`, [`State University of New York at Town${String.fromCharCode(97 + i)}`, `SUNY Town${String.fromCharCode(97 + i)}`]));
    const york = indexOf([...campuses, record("NYU", ["New York University", { value: "NYU", kind: "acronym" }])]);
    const query = ["new", "york", "univ"].map((token) => ({ token, weight: york.weight(token) }));
    // Every record holds the three words: by record order the pool of 2 misses New York University.
    expect(york.candidates(query, 2)).toEqual([0, 1]);
    expect(york.candidates(query, 2, undefined, true)).toEqual([4, 0]);
  });

  it("scans a token too common for the budget only to rank what rarer tokens found", () => {
    const many = indexOf([...Array.from({ length: 6 }, (_, i) => record(`U${i}`, [`Université ville${String.fromCharCode(97 + i)}`])), record("L", ["Université Lyon"])]);
    const query = [{ token: "univ", weight: 1 }, { token: "lyon", weight: 3 }];
    // Within the budget, every holder of "univ" is a candidate, the Lyon one first.
    expect(many.candidates(query, 10)).toEqual([6, 0, 1, 2, 3, 4, 5]);
    // With a budget of 4 postings, "lyon" (1) is scanned and "univ" (7) only ranks it.
    expect(many.candidates(query, 10, 4)).toEqual([6]);
    // A first token longer than the budget is scanned up to the budget.
    expect(many.candidates([{ token: "univ", weight: 1 }], 10, 4)).toEqual([0, 1, 2, 3]);
  });

  it("lists the vocabulary by prefix, most frequent token first, at most `max`", () => {
    const v = indexOf([record("1", ["Lyon"]), record("2", ["Lyonnaise", "Lyon"]), record("3", ["Lyonnaise"]), record("4", ["Lyonnaise Lycée"])]);
    expect(v.tokensWithPrefix("ly")).toEqual(["lyonnaise", "lyon", "lycee"]);
    expect(v.tokensWithPrefix("lyon")).toEqual(["lyonnaise", "lyon"]);
    expect(v.tokensWithPrefix("ly", 1)).toEqual(["lyonnaise"]);
    expect(v.tokensWithPrefix("paris")).toEqual([]);
  });

  it("offers as typo neighbours only tokens of its own service, though the TypoIndex is shared", () => {
    const typos = new TypoIndex();
    const ror = indexOf([record("R", ["Humboldt University"])], typos);
    const uai = indexOf([record("U", ["Université de Strasbourg"])], typos);
    expect(typos.near("humbolt")).toEqual(["humboldt"]);
    expect(ror.nearTokens("humbolt")).toEqual(["humboldt"]);
    expect(uai.nearTokens("humbolt")).toEqual([]);
    expect(uai.nearTokens("strasbourq")).toEqual(["strasbourg"]);
  });
});

describe("TypoIndex", () => {
  const typos = new TypoIndex();
  typos.addAll(["berlin", "humboldt", "lyon", "paris", "umr7030", "sorbonne"]);

  it("finds tokens one deletion, insertion, substitution or adjacent swap away", () => {
    expect(typos.near("humbolt")).toEqual(["humboldt"]); // a letter missing
    expect(typos.near("berlinn")).toEqual(["berlin"]); // a letter too many
    expect(typos.near("berlim")).toEqual(["berlin"]); // a letter wrong
    expect(typos.near("sorbnone")).toEqual(["sorbonne"]); // two letters swapped
    expect(typos.near("pari")).toEqual(["paris"]);
  });

  it("finds nothing two edits away, nor the token itself", () => {
    expect(typos.near("brelim")).toEqual([]);
    expect(typos.near("humbdt")).toEqual([]);
    expect(typos.near("berlin")).toEqual([]);
  });

  it("leaves short tokens and tokens with digits alone: Lyon 2 is not Lyon 3", () => {
    expect(typos.near("lyn")).toEqual([]);
    expect(typos.near("lyom")).toEqual(["lyon"]);
    expect(typos.near("umr7031")).toEqual([]);
    expect(typos.near("umr703")).toEqual([]);
    // Nor are they offered to a query of letters one substitution away.
    const fresh = new TypoIndex();
    fresh.addAll(["abc", "ab1xy"]);
    expect(fresh.near("abx")).toEqual([]);
    expect(fresh.near("abzxy")).toEqual([]);
  });

  it("returns every neighbour once", () => {
    const t = new TypoIndex();
    t.addAll(["nantes", "mantes", "nantes"]);
    t.addAll(["nantes"]);
    expect(t.near("kantes").sort()).toEqual(["mantes", "nantes"]);
    expect(t.near("nantes")).toEqual(["mantes"]);
  });
});
