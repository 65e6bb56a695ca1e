// The pure scoring core (reconcile/score.ts) on hand-made names and records:
// how the name similarity is composed (exact name, weighted Dice, coverage,
// typo and abbreviation credit, acronym, names that make up the query) and
// what each property contributes. No data is loaded.
import { describe, expect, it } from "vitest";
import type { IndexedName } from "../reconcile/name-index.ts";
import { readCondition, satisfies } from "../reconcile/property-match.ts";
import { nameSimilarity, propertyEvidence, type QueryToken } from "../reconcile/score.ts";
import type { EntityRecord, PropertyConstraint } from "../reconcile/types.ts";

/** Query tokens of weight 1 (so the expected figures are easy to follow), with optional typo neighbours. */
const q = (...tokens: (string | [string, string[]])[]): QueryToken[] =>
  tokens.map((t) => (typeof t === "string" ? { token: t, weight: 1, near: [] } : { token: t[0], weight: 1, near: t[1] }));

/** A name of weight-1 tokens. */
const name = (text: string, extra: Partial<IndexedName> = {}): IndexedName => {
  const tokens = text ? text.split(" ") : [];
  return { kind: "pref", tokens, weight: tokens.length, key: tokens.join(" "), ...extra };
};

const keyOf = (query: QueryToken[]) => query.map((t) => t.token).join(" ");
const similarity = (query: QueryToken[], names: IndexedName[], acronym = "") => nameSimilarity(query, keyOf(query), acronym, names);

describe("nameSimilarity", () => {
  it("is 1 for a name equal to the query, and says so", () => {
    const query = q("univ", "lyon", "3");
    expect(similarity(query, [name("univ lyon 3")])).toEqual({ similarity: 1, exact: true, acronym: false });
    // One token short of the name: neither exact nor 1.
    const shorter = similarity(q("univ", "lyon"), [name("univ lyon 3")]);
    expect(shorter.exact).toBe(false);
    expect(shorter.similarity).toBeLessThan(1);
  });

  it("is the weighted Dice of query and name, raised by how much of the query is covered", () => {
    // Dice 2*2/(2+3) = 0.8; the whole query is covered, so 0.55*0.8 + 0.4 = 0.84.
    expect(similarity(q("humboldt", "berlin"), [name("humboldt univ berlin")]).similarity).toBeCloseTo(0.84, 10);
    // Half the query covered: Dice 2*1/(2+1) = 0.667 beats 0.55*0.667 + 0.4*0.5 = 0.567.
    expect(similarity(q("humboldt", "munchen"), [name("humboldt")]).similarity).toBeCloseTo(2 / 3, 10);
    // Weights count, not token numbers: a rare token matched outweighs a common one.
    const weighted: QueryToken[] = [{ token: "lipn", weight: 5, near: [] }, { token: "lab", weight: 0.5, near: [] }];
    const lipn = nameSimilarity(weighted, "lipn lab", "", [{ kind: "pref", tokens: ["lipn"], weight: 5, key: "lipn" }]);
    const lab = nameSimilarity(weighted, "lipn lab", "", [{ kind: "pref", tokens: ["lab"], weight: 0.5, key: "lab" }]);
    expect(lipn.similarity).toBeGreaterThan(0.9);
    expect(lab.similarity).toBeLessThan(0.3);
  });

  it("takes the best of the record's names for the Dice, but the coverage of all of them together", () => {
    const one = similarity(q("sorbonne", "univ"), [name("sorbonne univ"), name("paris 4")]);
    expect(one.similarity).toBe(1);
    // Neither name covers both tokens; together they do: Dice 2/(2+2), coverage 1 -> 0.55*0.5 + 0.4.
    expect(similarity(q("sorbonne", "jussieu"), [name("sorbonne campus"), name("jussieu campus")]).similarity).toBeCloseTo(0.675, 10);
    expect(similarity(q("sorbonne", "jussieu"), [name("sorbonne campus")]).similarity).toBeCloseTo(0.5, 10);
  });

  it("credits a token one typo away at 0.8, only through its neighbours", () => {
    const typo = similarity(q(["humbolt", ["humboldt"]]), [name("humboldt")]);
    expect(typo.similarity).toBeCloseTo(0.8, 10);
    expect(similarity(q("humbolt"), [name("humboldt")]).similarity).toBe(0);
  });

  it("credits an abbreviation of four letters or more at 0.7, never a number or a short stem", () => {
    expect(similarity(q("inform"), [name("informatique")]).similarity).toBeCloseTo(0.7, 10);
    expect(similarity(q("inf"), [name("informatique")]).similarity).toBe(0);
    expect(similarity(q("umr70"), [name("umr7030")]).similarity).toBe(0);
    // The whole token is not an abbreviation of itself plus nothing: equality is full credit.
    expect(similarity(q("informatique"), [name("informatique")]).similarity).toBe(1);
  });

  it("scores 0.95 a query made wholly of two or more of the record's names (acronym plus unit code)", () => {
    const query = q("lipn", "umr7030");
    const both = similarity(query, [name("lipn", { kind: "acronym", acronym: "lipn" }), name("umr7030", { kind: "unitCode" }), name("lab info paris nord")]);
    expect(both.similarity).toBeCloseTo(0.95, 10);
    // Without the unit code among its names, half the query is explained: the acronym's Dice, 2/(2+1).
    const one = similarity(query, [name("lipn", { kind: "acronym", acronym: "lipn" }), name("lab info paris nord")]);
    expect(one.similarity).toBeCloseTo(2 / 3, 10);
  });

  it("scores an acronym typed as the query at 0.9 at least, from two letters on", () => {
    const names = [name("uga", { kind: "acronym", acronym: "uga" }), name("univ grenoble alpes")];
    const hit = nameSimilarity(q("u", "g", "a"), "u g a", "uga", names);
    expect(hit.acronym).toBe(true);
    expect(hit.similarity).toBeGreaterThanOrEqual(0.9);
    expect(hit.exact).toBe(false);
    // Another acronym: no such floor.
    const miss = nameSimilarity(q("ugb"), "ugb", "ugb", names);
    expect(miss.acronym).toBe(false);
    expect(miss.similarity).toBeLessThan(0.5);
  });

  it("falls back on the acronym alone when the query is only stop words (EN for École navale)", () => {
    const names = [name("", { kind: "acronym", key: "#en", acronym: "en" }), name("ecole navale")];
    expect(nameSimilarity([], "", "en", names)).toEqual({ similarity: 0.9, exact: false, acronym: true });
    expect(nameSimilarity([], "", "du", names)).toEqual({ similarity: 0, exact: false, acronym: false });
    // A one-letter acronym is no evidence.
    expect(nameSimilarity([], "", "e", [name("", { kind: "acronym", key: "#e", acronym: "e" })]).similarity).toBe(0);
  });

  it("is 0 against a record without names, and never above 1", () => {
    expect(similarity(q("lyon"), []).similarity).toBe(0);
    const all = similarity(q("a", "b"), [name("a b"), name("a", { kind: "acronym", acronym: "ab" }), name("b")], "ab");
    expect(all.similarity).toBe(1);
  });
});

const record = (fields: Partial<EntityRecord> = {}): EntityRecord => ({
  id: "0751717J", uri: "http://refx.test/id/uai/0751717J", service: "uai", name: "Université Paris 1 Panthéon-Sorbonne",
  names: [], types: [], kinds: [], websites: [], identifiers: {}, sameAs: [],
  parents: [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [],
  ...fields,
});

const evidence = (r: EntityRecord, ...properties: [PropertyConstraint["pid"], ...string[]][]) =>
  propertyEvidence(r, properties.map(([pid, ...values]) => ({ pid, values })));

describe("propertyEvidence: identifiers", () => {
  const r = record({ identifiers: { uai: ["0751717J"], siret: ["19751717000019", "19751717000027"], ror: ["002t25c44"] } });

  it("identifies the record by any of its identifiers, as users write them", () => {
    expect(evidence(r, ["uai", " 0751717j "])).toEqual({ delta: 0, features: [{ id: "uai_match", value: true }], identified: true, contradicted: false });
    expect(evidence(r, ["ror", "https://ror.org/002t25c44"]).identified).toBe(true);
    expect(evidence(r, ["siret", "197 517 170 00027"]).identified).toBe(true);
    // Any of several values counts.
    expect(evidence(r, ["uai", "0931238R", "0751717J"]).identified).toBe(true);
  });

  it("takes a SIREN for each of the record's SIRETs (the SIREN inside the SIRET)", () => {
    const e = evidence(r, ["siren", "197 517 170"]);
    expect(e.identified).toBe(true);
    expect(e.features).toEqual([{ id: "siren_match", value: true }]);
    // Another SIREN contradicts the record's own.
    const unit = record({ identifiers: { siren: ["197517170"], siret: ["19751717000019"] } });
    expect(evidence(unit, ["siren", "180089013"])).toEqual({ delta: -40, features: [{ id: "siren_match", value: false }], identified: false, contradicted: true });
    // Only a SIREN looks inside the SIRETs: another SIRET of the same unit is another establishment.
    expect(evidence(unit, ["siret", "19751717000027"]).contradicted).toBe(true);
  });

  it("contradicts (-40) a record holding other identifiers of the scheme, and says nothing when it holds none", () => {
    expect(evidence(r, ["uai", "0931238R"])).toEqual({ delta: -40, features: [{ id: "uai_match", value: false }], identified: false, contradicted: true });
    expect(evidence(r, ["rnsr", "200112433P"])).toEqual({ delta: 0, features: [], identified: false, contradicted: false });
    // Two contradicted schemes add up.
    expect(evidence(r, ["uai", "0931238R"], ["ror", "01hcx6992"]).delta).toBe(-80);
  });

  it("ignores values that are not identifiers of the scheme, and blank values", () => {
    expect(evidence(r, ["uai", "not a UAI"])).toEqual({ delta: 0, features: [], identified: false, contradicted: false });
    expect(evidence(r, ["uai", "  ", ""])).toEqual({ delta: 0, features: [], identified: false, contradicted: false });
  });
});

describe("propertyEvidence: places, website, acronym", () => {
  it("city: the same town however written (+8), a town that starts with the other at a word boundary, else -8", () => {
    const paris = record({ city: "Paris" });
    expect(evidence(paris, ["city", "PARIS CEDEX 05"])).toEqual({ delta: 8, features: [{ id: "city_match", value: true }], identified: false, contradicted: false });
    expect(evidence(paris, ["city", "75005 Paris"]).delta).toBe(8);
    expect(evidence(paris, ["city", "Lyon"])).toEqual({ delta: -8, features: [{ id: "city_match", value: false }], identified: false, contradicted: false });
    // City prefix, both ways: the user's town is the start of the record's, or the reverse.
    const villeneuve = record({ city: "Villeneuve-d'Ascq" });
    expect(evidence(villeneuve, ["city", "Villeneuve"]).delta).toBe(8);
    expect(evidence(record({ city: "Aix" }), ["city", "Aix-en-Provence"]).delta).toBe(8);
    expect(evidence(record({ city: "Saint-Martin-d'Hères" }), ["city", "St Martin"]).delta).toBe(8);
    // Not inside a word: "Ville" is not "Villeneuve".
    expect(evidence(villeneuve, ["city", "Ville"]).delta).toBe(-8);
    expect(evidence(record({ city: "Ville" }), ["city", "Villeneuve"]).delta).toBe(-8);
    // A value that is only a postcode names no town.
    expect(evidence(paris, ["city", "75005"]).delta).toBe(-8);
    // No city on the record: no evidence either way.
    expect(evidence(record(), ["city", "Paris"])).toEqual({ delta: 0, features: [], identified: false, contradicted: false });
  });

  it("postcode: exact +8 (1), same department +3 (0.5), else -5 (0)", () => {
    const r = record({ postcode: "75005" });
    expect(evidence(r, ["postcode", "75 005"])).toMatchObject({ delta: 8, features: [{ id: "postcode_match", value: 1 }] });
    expect(evidence(r, ["postcode", "75013"])).toMatchObject({ delta: 3, features: [{ id: "postcode_match", value: 0.5 }] });
    expect(evidence(r, ["postcode", "69007"])).toMatchObject({ delta: -5, features: [{ id: "postcode_match", value: 0 }] });
    expect(evidence(record(), ["postcode", "75005"]).features).toEqual([]);
  });

  it("country: any name or code of the record's country +5, another country -30", () => {
    const r = record({ country: "FR" });
    expect(evidence(r, ["country", "France"])).toMatchObject({ delta: 5, features: [{ id: "country_match", value: true }] });
    expect(evidence(r, ["country", "fr"]).delta).toBe(5);
    expect(evidence(r, ["country", "Allemagne"])).toMatchObject({ delta: -30, features: [{ id: "country_match", value: false }] });
    expect(evidence(record(), ["country", "France"]).features).toEqual([]);
  });

  it("website: the same domain or a subdomain either way +20, another site 0 (a site is often a department's)", () => {
    const r = record({ websites: ["https://www.pantheonsorbonne.fr/"] });
    expect(evidence(r, ["website", "pantheonsorbonne.fr"])).toMatchObject({ delta: 20, features: [{ id: "website_match", value: true }] });
    expect(evidence(r, ["website", "http://lipn.pantheonsorbonne.fr/contact"]).delta).toBe(20);
    expect(evidence(record({ websites: ["https://cri.pantheonsorbonne.fr"] }), ["website", "www.pantheonsorbonne.fr"]).delta).toBe(20);
    // A domain that only ends with the same letters is another site.
    expect(evidence(r, ["website", "notpantheonsorbonne.fr"])).toMatchObject({ delta: 0, features: [{ id: "website_match", value: false }] });
    expect(evidence(record({ websites: ["notpantheonsorbonne.fr"] }), ["website", "pantheonsorbonne.fr"]).delta).toBe(0);
    expect(evidence(r, ["website", "https://univ-paris1.fr"]).features).toEqual([{ id: "website_match", value: false }]);
    expect(evidence(record(), ["website", "pantheonsorbonne.fr"]).features).toEqual([]);
  });

  it("acronym: one of the record's acronyms, dots and case aside +10, another -5", () => {
    const r = record({ names: [{ value: "Université Grenoble Alpes", kind: "pref" }, { value: "UGA", kind: "acronym" }] });
    expect(evidence(r, ["acronym", "u.g.a."])).toMatchObject({ delta: 10, features: [{ id: "acronym_match", value: true }] });
    expect(evidence(r, ["acronym", "UGB"])).toMatchObject({ delta: -5, features: [{ id: "acronym_match", value: false }] });
    // Only acronyms count, not other names.
    expect(evidence(record({ names: [{ value: "UGA", kind: "alt" }] }), ["acronym", "UGA"]).features).toEqual([]);
  });

  it("adds the evidence of every property, in the order given", () => {
    const r = record({ city: "Paris", postcode: "75005", country: "FR", identifiers: { uai: ["0751717J"] } });
    const e = evidence(r, ["city", "Paris"], ["postcode", "75013"], ["country", "Germany"], ["uai", "0751717J"]);
    expect(e.delta).toBe(8 + 3 - 30);
    expect(e.features.map((f) => f.id)).toEqual(["city_match", "postcode_match", "country_match", "uai_match"]);
    expect(e.identified).toBe(true);
    expect(e.contradicted).toBe(false);
  });
});

// Issue 11, item 2: the hard conditions compare records as the score does (one comparator per property).
describe("conditions: the same comparison as the score", () => {
  const holds = (r: EntityRecord, quantifier: "any" | "all" | "none", pid: PropertyConstraint["pid"], ...values: string[]) =>
    satisfies(r, readCondition({ pid, values, quantifier }));

  it("a town the score credits satisfies a required town, and fails a `none`", () => {
    const villeneuve = record({ city: "Villeneuve-d'Ascq" });
    expect(evidence(villeneuve, ["city", "Villeneuve"]).delta).toBe(8);
    expect(holds(villeneuve, "any", "city", "Villeneuve")).toBe(true);
    expect(holds(villeneuve, "none", "city", "Villeneuve")).toBe(false);
    expect(holds(villeneuve, "any", "city", "Ville")).toBe(false);
  });

  it("a subdomain and a SIREN's SIRET satisfy as they score", () => {
    const r = record({ websites: ["https://www.pantheonsorbonne.fr/"], identifiers: { siret: ["19751717000019"] } });
    expect(holds(r, "any", "website", "http://lipn.pantheonsorbonne.fr/contact")).toBe(true);
    expect(holds(r, "any", "siren", "197 517 170")).toBe(true);
    expect(holds(r, "none", "siren", "180089013")).toBe(true);
  });

  it("`all` needs every value, and a value that reads as nothing counts as not held", () => {
    const r = record({ city: "Paris", country: "FR" });
    expect(holds(r, "all", "country", "France", "FR")).toBe(true);
    expect(holds(r, "all", "country", "France", "Allemagne")).toBe(false);
    expect(holds(r, "all", "city", "Paris", "75005")).toBe(false);
  });
});
