// The matching engine on the shipped sample and on the real extracts.
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { cityKey, domainKey, tokens } from "../reconcile/normalise.ts";
import { countryCode } from "../reconcile/countries.ts";
import type { MatchQuery, ServiceId } from "../reconcile/types.ts";
import { BASE, HAS_SHARED_DATA, SAMPLE_DATA_DIR } from "./helpers.ts";
import { SHARED_HOOK_TIMEOUT, sharedMatcher } from "./shared-cache.ts";

describe("normalisation", () => {
  it.each([
    ["Univ. Lyon III", "univ lyon 3"],
    ["Université Lyon 3", "univ lyon 3"],
    ["Humboldt-Universität zu Berlin", "humboldt univ berlin"],
    ["St-Étienne", "saint etienne"],
    ["LIPN UMR 7030", "lipn umr7030"],
    ["UMR7030", "umr7030"],
    ["EA 7030", "ea7030"],
    ["Institut Mines-Télécom & École", "inst mines telecom ecole"],
    ["Technische Universität München", "tech univ munchen"],
    ["TU München", "tech univ munchen"],
    // Words that are also members of Object.prototype must stay plain words.
    ["Constructor University", "constructor univ"],
    ["toString hasOwnProperty __proto__", "tostring hasownproperty proto"],
  ])("%s -> %s", (input, expected) => {
    expect(tokens(input).join(" ")).toBe(expected);
  });

  it("reads cities, countries and websites as users write them", () => {
    expect(cityKey("PARIS CEDEX 05")).toBe("paris");
    expect(cityKey("75005 Paris")).toBe("paris");
    expect(cityKey("Marseille  7e")).toBe("marseille");
    expect(countryCode("Allemagne")).toBe("DE");
    expect(countryCode("Germany")).toBe("DE");
    expect(countryCode("Royaume-Uni")).toBe("GB");
    expect(countryCode("uk")).toBe("GB");
    expect(countryCode("España")).toBe("ES");
    expect(countryCode("Atlantis")).toBeUndefined();
    expect(domainKey("https://www.univ-paris1.fr/fr/")).toBe("univ-paris1.fr");
    expect(domainKey("univ-paris1.fr")).toBe("univ-paris1.fr");
  });
});

function top(m: ReconciliationIndex, service: ServiceId, q: MatchQuery) {
  const [first, second] = m.reconcile(service, q);
  return { id: first?.record.id, score: first?.score, match: first?.match, second: second?.record.id };
}

describe("matching on the shipped sample", () => {
  let m: ReconciliationIndex;
  beforeAll(async () => {
    const store = new RefStore();
    await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
    m = ReconciliationIndex.build(store, BASE);
  });

  it("finds an establishment by a mangled, abbreviated or translated name", () => {
    expect(top(m, "uai", { query: "univ. paris 1 pantheon sorbonne" })).toMatchObject({ id: "0751717J", match: true });
    expect(top(m, "uai", { query: "Pantheon-Sorbonne University" }).id).toBe("0751717J");
    expect(top(m, "ror", { query: "Humboldt Universitat Berlin" })).toMatchObject({ id: "01hcx6992", match: true });
  });

  it("finds a lab by acronym and unit code", () => {
    expect(top(m, "rnsr", { query: "LIPN UMR 7030" }).id).toBe(m.get("rnsr", top(m, "rnsr", { query: "LIPN" }).id!)?.id);
    expect(m.get("rnsr", top(m, "rnsr", { query: "LIPN UMR 7030" }).id!)?.names.map((n) => n.value)).toContain("LIPN");
  });

  it("treats an identifier typed in the cell or given as a property as an exact match", () => {
    expect(top(m, "uai", { query: "0751717J" })).toMatchObject({ id: "0751717J", score: 100, match: true });
    expect(top(m, "uai", { query: "https://ror.org/002t25c44" })).toMatchObject({ id: "0751717J", match: true });
    expect(top(m, "ror", { query: "Paris 1", properties: [{ pid: "siret", values: ["19751717000019"] }] })).toMatchObject({ id: "002t25c44", score: 100, match: true });
    expect(top(m, "wikidata", { query: "whatever", properties: [{ pid: "uai", values: ["0751717J"] }] })).toMatchObject({ id: "Q999763", match: true });
  });

  it("does not auto-match an ambiguous or unknown name", () => {
    expect(top(m, "uai", { query: "Université" }).match).toBeFalsy();
    expect(top(m, "uai", { query: "Université de Trifouillis-les-Oies" }).match).toBeFalsy();
    expect(m.reconcile("uai", { query: "" })).toEqual([]);
  });

  it("lets a wrong country or identifier count against a candidate", () => {
    const plain = top(m, "ror", { query: "Humboldt-Universität zu Berlin" }).score!;
    const wrongCountry = top(m, "ror", { query: "Humboldt-Universität zu Berlin", properties: [{ pid: "country", values: ["France"] }] });
    expect(wrongCountry.score).toBeLessThan(plain);
    expect(wrongCountry.match).toBe(false);
  });

  it("suggests by prefix", () => {
    expect(m.suggest("ror", "humbo").map((r) => r.id)).toContain("01hcx6992");
    expect(m.suggest("uai", "panth").map((r) => r.id)).toContain("0751717J");
  });
});

describe.skipIf(!HAS_SHARED_DATA)("matching on the real extracts", () => {
  let m: ReconciliationIndex;
  beforeAll(async () => {
    // Parsed once per run (tests/shared-cache.ts); here the index is built from the saved records.
    m = await sharedMatcher();
  }, SHARED_HOOK_TIMEOUT);

  it.each([
    ["uai", "Univ. Paris 13", "0931238R"],
    ["uai", "Université Paris 13", "0931238R"],
    ["uai", "Université Lyon III", "0692437Z"],
    ["uai", "Univ Paris 1 Panthéon-Sorbonne", "0751717J"],
    ["rnsr", "LIPN UMR 7030", "200112433P"],
    ["ror", "Humboldt-Universität zu Berlin", "01hcx6992"],
    ["ror", "Humbolt University Berlin", "01hcx6992"],
    ["ror", "University of Oxford", "052gg0110"],
    ["ror", "Technical University of Munich", "02kkvpp62"],
    ["wikidata", "Pantheon-Sorbonne University", "Q999763"],
  ] as const)("%s: %s -> %s", (service, query, expected) => {
    const r = top(m, service, { query });
    expect(r.id).toBe(expected);
    expect(r.match).toBe(true);
  });

  it("answers a query in a few milliseconds", () => {
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) m.reconcile("ror", { query: `University of Oxford ${i % 3 ? "" : "UK"}` });
    expect((performance.now() - t0) / 100).toBeLessThan(20);
  });
});

describe("acronyms made of stop words", () => {
  it("finds École navale by EN", () => {
    const record = {
      id: "0290124C", uri: `${BASE}/id/uai/0290124C`, service: "uai" as const, name: "École navale",
      names: [{ value: "École navale", lang: "fr", kind: "pref" as const }, { value: "EN", kind: "acronym" as const }],
      types: ["EducationalOrganization"], kinds: [], websites: [], identifiers: { uai: ["0290124C"] }, sameAs: [],
      parents: [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [],
    };
    const m = ReconciliationIndex.fromRecords(new Map([["uai", [record]]]));
    expect(top(m, "uai", { query: "EN" })).toMatchObject({ id: "0290124C", score: 90 });
    expect(top(m, "uai", { query: "DU" }).id).toBeUndefined();
  });
});
