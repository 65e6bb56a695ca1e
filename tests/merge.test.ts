// One candidate per establishment (reconcile/merge.ts): which copies are one,
// which are kept apart, and what the kept copy knows.
import { describe, expect, it } from "vitest";
import { oncePerEstablishment, sameEstablishment, unionRecord } from "../reconcile/merge.ts";
import type { EntityRecord } from "../reconcile/types.ts";

function record(uri: string, name: string, more: Partial<EntityRecord> = {}): EntityRecord {
  return {
    id: uri, uri, service: "all", name, names: [{ value: name, lang: "fr", kind: "pref" }], types: ["ResearchOrganization"], kinds: [],
    websites: [], identifiers: {}, sameAs: [uri], parents: [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [], ...more,
  };
}

const rnsrLipn = record("http://refx.test/id/rnsr/200112433P", "Laboratoire d'Informatique de Paris-Nord", { city: "VILLETANEUSE", identifiers: { rnsr: ["200112433P"] } });
const wikidataLipn = record("http://www.wikidata.org/entity/Q3214424", "Laboratoire d'Informatique de Paris Nord", {
  city: "Villetaneuse", identifiers: { wikidata: ["Q3214424"], ror: ["05g1zjw44"] }, sameAs: ["http://www.wikidata.org/entity/Q3214424", "https://ror.org/05g1zjw44"],
});

describe("sameEstablishment", () => {
  it("joins the RNSR and the Wikidata record of one laboratory: same name, same town, no conflicting id", () => {
    expect(sameEstablishment(rnsrLipn, wikidataLipn)).toBe(true);
  });

  it("joins records the sameAs closure or a shared identifier joins, whatever their names", () => {
    expect(sameEstablishment(record("a:1", "Foo", { sameAs: ["a:1", "b:2"] }), record("b:2", "Bar"))).toBe(true);
    expect(sameEstablishment(record("a:1", "Foo", { identifiers: { ror: ["x"] } }), record("b:2", "Bar", { identifiers: { ror: ["x"] } }))).toBe(true);
  });

  it("keeps apart namesakes in other towns, without a town, and those a registry gives two ids", () => {
    expect(sameEstablishment(rnsrLipn, { ...wikidataLipn, city: "Lyon" })).toBe(false);
    expect(sameEstablishment(rnsrLipn, { ...wikidataLipn, city: undefined })).toBe(false);
    expect(sameEstablishment(rnsrLipn, { ...wikidataLipn, identifiers: { rnsr: ["199812345A"] } })).toBe(false);
  });

  it("joins namesakes without a town when they share a web site", () => {
    const site = { websites: ["https://lipn.univ-paris13.fr/"] };
    expect(sameEstablishment({ ...rnsrLipn, ...site, city: undefined }, { ...wikidataLipn, websites: ["http://www.lipn.univ-paris13.fr"], city: undefined })).toBe(true);
  });
});

describe("oncePerEstablishment", () => {
  it("keeps the first copy, in place, with the union of identifiers and URIs", () => {
    const other = record("http://refx.test/id/rnsr/201120460W", "Centre de recherche en économie et gestion de Paris Nord", { city: "Villetaneuse" });
    const out = oncePerEstablishment([rnsrLipn, other, wikidataLipn], (r) => r, unionRecord);
    expect(out.map((r) => r.uri)).toEqual([rnsrLipn.uri, other.uri]);
    expect(out[0].identifiers).toEqual({ rnsr: ["200112433P"], wikidata: ["Q3214424"], ror: ["05g1zjw44"] });
    expect(out[0].sameAs).toEqual(expect.arrayContaining(["https://ror.org/05g1zjw44", rnsrLipn.uri]));
    expect(out[0].name).toBe(rnsrLipn.name);
  });
});
