// Normalisation (reconcile/normalise.ts) beyond the token cases that
// matching.test.ts lists: folding, roman numerals, unit codes, stop words,
// acronym, city and domain keys. No data is loaded.
import { describe, expect, it } from "vitest";
import { acronymKey, cityKey, domainKey, fold, tokens } from "../reconcile/normalise.ts";

describe("fold", () => {
  it("drops accents and case, spells ligatures out, turns punctuation and control characters into single spaces", () => {
    expect(fold("  Œuvre ÆSTHÉTIQUE  ")).toBe("oeuvre aesthetique");
    expect(fold("Straße Łódź Øresund")).toBe("strasse lodz oresund");
    expect(fold("Arts & Métiers")).toBe("arts and metiers");
    expect(fold("Paris\u0000Nord\tSud—Est")).toBe("paris nord sud est");
  });

  it("keeps an English possessive one word, a French elision two", () => {
    expect(fold("King's College")).toBe("kings college");
    expect(fold("King’s College")).toBe("kings college");
    expect(fold("Université d'Orsay")).toBe("universite d orsay");
  });
});

describe("tokens", () => {
  it("reads roman numerals as numbers, except as the first word", () => {
    expect(tokens("Paris IV")).toEqual(["paris", "4"]);
    expect(tokens("Université Paris XIII")).toEqual(["univ", "paris", "13"]);
    expect(tokens("Vi Université")).toEqual(["vi", "univ"]);
  });

  it("writes unit codes one way, and keeps kinds apart", () => {
    expect(tokens("UMR_S 1138")).toEqual(["umr1138"]);
    expect(tokens("UMR-S 1138")).toEqual(["umr1138"]);
    expect(tokens("UMRS 1138")).toEqual(["umr1138"]);
    expect(tokens("UMR 07030")).toEqual(["umr7030"]);
    expect(tokens("UMS 3413")).toEqual(["uar3413"]);
    expect(tokens("Inserm U1016")).toEqual(["inserm", "u1016"]);
    expect(tokens("Inserm 1016")).toEqual(["u1016"]);
    expect(tokens("U 1016")).toEqual(["u1016"]);
    // "U 2" is a university ("Univ. Lyon 2" written short), not Inserm unit 2.
    expect(tokens("U 2")).toEqual(["univ", "2"]);
    // Numbers too short or too long for a unit code stay apart.
    expect(tokens("UMR 7")).toEqual(["umr", "7"]);
    expect(tokens("EA 123456")).toEqual(["ea", "123456"]);
  });

  it("drops the stop words of the languages names come in, and maps words of one meaning to one token", () => {
    expect(tokens("Université de la Sorbonne et des Arts")).toEqual(["univ", "sorbonne", "arts"]);
    expect(tokens("Istituto per la Ricerca delle Scienze")).toEqual(["inst", "per", "research", "sciences"]);
    expect(tokens("Universidad del Sur de Florida")).toEqual(["univ", "sur", "florida"]);
    expect(tokens("South Paris University")).toEqual(["sud", "paris", "univ"]);
    expect(tokens("Ste-Anne")).toEqual(["sainte", "anne"]);
    expect(tokens("")).toEqual([]);
    expect(tokens("de la du")).toEqual([]);
  });
});

describe("keys", () => {
  it("acronymKey: an acronym without dots, spaces or case", () => {
    expect(acronymKey("U.G.A.")).toBe("uga");
    expect(acronymKey(" Ens  Ulm ")).toBe("ensulm");
    expect(acronymKey("ÉNS")).toBe("ens");
  });

  it("cityKey: CEDEX, postcodes and arrondissements are not the town; St is Saint", () => {
    expect(cityKey("Lyon 3e")).toBe("lyon");
    expect(cityKey("Paris 1er arrondissement")).toBe("paris");
    expect(cityKey("Marseille Cedex 20")).toBe("marseille");
    expect(cityKey("St-Étienne")).toBe("saint etienne");
    expect(cityKey("Saint-Denis")).toBe("saint denis");
    expect(cityKey("Villeneuve-d'Ascq")).toBe("villeneuve d ascq");
  });

  it("domainKey: the host, without www, from a URL or a bare domain; nothing from what is not one", () => {
    expect(domainKey("HTTPS://WWW2.Univ-Lille.fr/recherche?x=1")).toBe("univ-lille.fr");
    expect(domainKey("lipn.univ-paris13.fr/")).toBe("lipn.univ-paris13.fr");
    expect(domainKey("www.ens.psl.eu")).toBe("ens.psl.eu");
    expect(domainKey("   ")).toBeUndefined();
    expect(domainKey("http://")).toBeUndefined();
  });
});
