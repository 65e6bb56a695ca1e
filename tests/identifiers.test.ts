import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { entityUri, normaliseId, parseEntityUri } from "../vocab/identifiers.ts";
import { PREFIXES } from "../vocab/namespaces.ts";
import { synonyms } from "../data/loaders/uai.ts";
import { cityWithoutCedex } from "../data/loaders/rnsr.ts";
import { webUrl } from "../data/loaders/common.ts";

describe("identifier normalisation", () => {
  it.each([
    ["ror", "https://ror.org/02DGA6J42", "02dga6j42"],
    ["ror", "02dga6j42", "02dga6j42"],
    ["ror", "not-a-ror", undefined],
    ["wikidata", "https://www.wikidata.org/entity/q273642", "Q273642"],
    ["wikidata", "Q0", undefined],
    ["isni", "0000 0001 2173 743X", "000000012173743X"],
    ["isni", "http://www.isni.org/000000012173743X", "000000012173743X"],
    ["siret", "197 517 170 00019", "19751717000019"],
    ["siren", "19751717", undefined],
    ["uai", " 0751717j ", "0751717J"],
    ["uai", "075171", undefined],
    ["rnsr", "200112433p", "200112433P"],
    ["idref", "https://www.idref.fr/027361802", "027361802"],
    ["grid", "grid.10988.38", "grid.10988.38"],
  ] as const)("%s %j -> %j", (scheme, raw, expected) => {
    expect(normaliseId(scheme, raw)).toBe(expected);
  });

  it("builds and reads back entity URIs", () => {
    const base = "http://localhost:3000";
    expect(entityUri(base, "uai", "0751717J")).toBe("http://localhost:3000/id/uai/0751717J");
    expect(entityUri(base, "wikidata", "Q999763")).toBe("http://www.wikidata.org/entity/Q999763");
    expect(entityUri(base, "ror", "002t25c44")).toBe("https://ror.org/002t25c44");
    expect(parseEntityUri(base, "http://localhost:3000/id/siret/19751717000019")).toEqual({ scheme: "siret", id: "19751717000019" });
    expect(parseEntityUri(base, "https://ror.org/002t25c44")).toEqual({ scheme: "ror", id: "002t25c44" });
    expect(parseEntityUri(base, "http://elsewhere/id/uai/0751717J")).toBeUndefined();
    expect(() => entityUri(base, "isni", "000000012173743X")).toThrow(/attributes/);
  });
});

describe("cell helpers", () => {
  it("reads the names packed in champ_recherche", () => {
    expect(synonyms("NomLong:Université Paris 1|NomCourt:Paris 1|Synonymes:Paris-I;PARIS 01")).toEqual(["Université Paris 1", "Paris 1", "Paris-I", "PARIS 01"]);
  });
  it("takes CEDEX off a town", () => {
    expect(cityWithoutCedex("NANTES CEDEX 3")).toBe("NANTES");
    expect(cityWithoutCedex("Cedexville")).toBe("Cedexville");
  });
  it("accepts web addresses as sources write them", () => {
    expect(webUrl("www.univ-paris1.fr")).toBe("http://www.univ-paris1.fr/");
    expect(webUrl("https://www.essec.edu/fr/")).toBe("https://www.essec.edu/fr/");
    expect(webUrl("non renseigné")).toBeUndefined();
    expect(webUrl("")).toBeUndefined();
  });
});

describe("JSON-LD context", () => {
  it("declares every namespace of the model", () => {
    const ctx = JSON.parse(readFileSync(new URL("../vocab/context.jsonld", import.meta.url), "utf8"))["@context"];
    for (const [prefix, iri] of Object.entries(PREFIXES)) expect(ctx[prefix]).toBe(iri);
  });
});
