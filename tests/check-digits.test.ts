// Identifier check characters (vocab/check-digits.ts) on real identifiers:
// those of the shipped sample and, when present, every UAI, RNSR number, ROR
// id and ISNI of the real extracts in ../shared/data; and on broken ones,
// which must fail the right check.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { checkIdentifier, luhnValid, mod11_2, mod23Letter, ppnCheck, rorCheckDigits, siretValid } from "../vocab/check-digits.ts";
import type { Scheme } from "../vocab/identifiers.ts";
import { HAS_SHARED_DATA, SAMPLE_DATA_DIR, SHARED_DATA, SKIP_SHARED_MESSAGE } from "./helpers.ts";

/** The sample README's cross-identifier table (tests may rely on it, says the README). */
const REAL: [Scheme, string][] = [
  ["uai", "0751717J"], ["uai", "0931238R"], ["uai", "0383546Y"], ["uai", "0755890V"], ["uai", "0753639Y"], ["uai", "0750654D"],
  ["siren", "197517170"], ["siren", "180089013"], ["siren", "267500452"],
  ["siret", "19751717000019"], ["siret", "18008901303720"], ["siret", "26750045200011"],
  ["rnsr", "199811842K"], ["rnsr", "200711934W"], ["rnsr", "196822050L"],
  ["ror", "002t25c44"], ["ror", "01hcx6992"], ["ror", "02feahw73"], ["ror", "052gg0110"],
  ["isni", "000000012173743X"], ["isni", "0000 0001 2259 7504"], ["isni", "0000000122487639"],
  ["idref", "026403552"], ["idref", "02636817X"],
  ["wikidata", "Q999763"], ["grid", "grid.10988.38"],
];

describe("check characters", () => {
  it.each(REAL)("%s %s is valid", (scheme, id) => {
    const r = checkIdentifier(scheme, id);
    expect(r, JSON.stringify(r)).toMatchObject({ valid: true, scheme });
  });

  it("accepts the forms sources write: URLs, spaces, lower case", () => {
    expect(checkIdentifier("ror", "https://ror.org/002t25c44")).toMatchObject({ valid: true, id: "002t25c44" });
    expect(checkIdentifier("isni", "0000 0001 2173 743x")).toMatchObject({ valid: true, id: "000000012173743X" });
    expect(checkIdentifier("uai", " 0751717j ")).toMatchObject({ valid: true, id: "0751717J" });
    expect(checkIdentifier("siret", "197 517 170 00019")).toMatchObject({ valid: true, id: "19751717000019" });
    expect(checkIdentifier("idref", "https://www.idref.fr/02636817X")).toMatchObject({ valid: true, id: "02636817X" });
  });

  it.each([
    ["uai", "0751717K", "mod23", "J"],
    ["rnsr", "199811842L", "mod23", "K"],
    ["siren", "197517171", "luhn", undefined],
    ["siret", "19751717000018", "luhn", undefined],
    ["siret", "19751717100019", "luhn", undefined],
    ["ror", "002t25c45", "mod97-10", "44"],
    ["ror", "01hcx6929", "mod97-10", "92"],
    ["isni", "0000000121737431", "mod11-2", "X"],
    ["idref", "026403553", "ppn-mod11", "2"],
    ["idref", "026368170", "ppn-mod11", "X"],
  ] as const)("%s %s fails %s", (scheme, id, check, expected) => {
    const r = checkIdentifier(scheme, id);
    expect(r.valid).toBe(false);
    if (r.valid) return;
    expect(r.check).toBe(check);
    expect(r.expected).toBe(expected);
    const words = { luhn: /Luhn/, mod23: /check letter \(mod 23\)/, "mod97-10": /ISO 7064 Mod 97-10/, "mod11-2": /ISO 7064 Mod 11-2/, "ppn-mod11": /PPN mod 11/ };
    expect(r.message).toMatch(words[check]);
  });

  it("names the part of a SIRET that is wrong", () => {
    const nic = checkIdentifier("siret", "19751717000018");
    const siren = checkIdentifier("siret", "19751718000019");
    expect(!nic.valid && nic.message).toMatch(/SIREN part is right/);
    expect(!siren.valid && siren.message).toMatch(/already on its SIREN part 197517180/);
  });

  it.each([
    ["uai", "075171J"], ["uai", "07517170"], ["siren", "19751717"], ["siret", "1975171700001A"], ["rnsr", "1998118K"],
    ["ror", "102t25c44"], ["ror", "002t25c4"], ["ror", "00it25c44"], ["isni", "00000001217374"], ["idref", "02640355"],
    ["wikidata", "P31"], ["grid", "grid.10988"],
  ] as const)("%s %s fails its format", (scheme, id) => {
    const r = checkIdentifier(scheme, id);
    expect(r).toMatchObject({ valid: false, check: "format" });
    expect(!r.valid && r.message).toMatch(/the format is/);
  });

  it("La Poste's SIRETs use the digit sum rule instead of Luhn", () => {
    // 356000000 + NIC whose digits add up to a multiple of 5, chosen to fail Luhn.
    const laPoste = "35600000000010";
    expect(luhnValid(laPoste)).toBe(false);
    expect(siretValid(laPoste)).toBe(true);
    expect(checkIdentifier("siret", laPoste).valid).toBe(true);
    expect(checkIdentifier("siret", "35600000000048").valid).toBe(true); // the head office passes Luhn too
    expect(checkIdentifier("siret", "35600000000011").valid).toBe(false);
    expect(siretValid("19751717000010")).toBe(false); // the rule is La Poste's only
  });

  it("computes the published check characters", () => {
    expect(mod23Letter("0751717")).toBe("J");
    expect(mod23Letter("199811842")).toBe("K");
    expect(rorCheckDigits("002t25c")).toBe("44");
    expect(mod11_2("000000012173743")).toBe("X");
    expect(ppnCheck("02636817")).toBe("X");
  });
});

describe("every identifier of the shipped sample passes its check", () => {
  const text = (dir: string) => readdirSync(join(SAMPLE_DATA_DIR, dir)).map((f) => readFileSync(join(SAMPLE_DATA_DIR, dir, f), "utf8")).join("\n");
  it("UAI, SIRET and ROR of the UAI file, RNSR numbers, Sirene SIRETs", () => {
    const uai = text("uai");
    const rnsr = text("rnsr");
    const sirene = text("sirene");
    const ids: [Scheme, string][] = [
      ...[...new Set(uai.match(/\b\d{7}[A-Z]\b/g))].map((id) => ["uai", id] as [Scheme, string]),
      ...[...new Set(rnsr.match(/\b\d{9}[A-Z]\b/g))].map((id) => ["rnsr", id] as [Scheme, string]),
      ...[...new Set(sirene.match(/\b\d{14}\b/g))].map((id) => ["siret", id] as [Scheme, string]),
      ...[...new Set(text("ror").match(/ror\.org\/0[a-z0-9]{8}/g))].map((u) => ["ror", u.slice(8)] as [Scheme, string]),
    ];
    expect(ids.length).toBeGreaterThan(60);
    const invalid = ids.filter(([s, id]) => !checkIdentifier(s, id).valid);
    expect(invalid).toEqual([]);
  });
});

describe.skipIf(!HAS_SHARED_DATA)("every identifier of the real extracts (../shared/data)", () => {
  it.skipIf(!HAS_SHARED_DATA)("RNSR numbers and UAI codes all follow the mod 23 letter; ROR ids and ISNIs their ISO 7064 checks" + (HAS_SHARED_DATA ? "" : ` (${SKIP_SHARED_MESSAGE})`), () => {
    const rnsr = readFileSync(join(SHARED_DATA, "rnsr", "fr-esr-structures-recherche-publiques-actives.csv"), "utf8");
    const rnsrIds = [...new Set(rnsr.match(/\b\d{9}[A-Z]\b/g))];
    expect(rnsrIds.length).toBeGreaterThan(1000);
    expect(rnsrIds.filter((id) => !checkIdentifier("rnsr", id).valid)).toEqual([]);

    const uai = readFileSync(join(SHARED_DATA, "uai", "fr-esr-principaux-etablissements-enseignement-superieur.csv"), "utf8");
    const uaiIds = [...new Set(uai.match(/\b\d{7}[A-Z]\b/g))];
    expect(uaiIds.length).toBeGreaterThan(100);
    expect(uaiIds.filter((id) => !checkIdentifier("uai", id).valid)).toEqual([]);

    const ror = readFileSync(join(SHARED_DATA, "ror", "ror-records-v2.json"), "utf8");
    const rorIds = [...new Set(ror.match(/https:\/\/ror\.org\/0[a-z0-9]{8}/g))].map((u) => u.slice(16));
    expect(rorIds.length).toBeGreaterThan(10_000);
    expect(rorIds.filter((id) => !checkIdentifier("ror", id).valid)).toEqual([]);

    const isnis = [...new Set(ror.match(/"\d{4} \d{4} \d{4} \d{3}[\dX]"/g)!.map((s) => s.slice(1, -1)))];
    const badIsnis = isnis.filter((id) => !checkIdentifier("isni", id).valid);
    // The registry itself holds a few mistyped ISNIs: under 0.1% of them.
    expect(isnis.length).toBeGreaterThan(10_000);
    expect(badIsnis.length).toBeLessThan(isnis.length / 1000);
  });
});
