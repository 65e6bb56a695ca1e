// Garbage and weak evidence (issue 13, item 4): placeholders, digits that are
// no identifier and one-letter cells name nothing, and a query with
// properties but no name is ranked by them, scoring only what they prove.
// On the sample extracts (data/sample), through the real index.
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { namesNothing } from "../reconcile/decision/weak-query.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { SERVICE_IDS } from "../reconcile/types.ts";
import { BASE, SAMPLE_DATA_DIR } from "./helpers.ts";

let matcher: ReconciliationIndex;
beforeAll(async () => {
  const store = new RefStore();
  await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  matcher = ReconciliationIndex.build(store, BASE);
});

const GARBAGE = ["n/a", "N/A", "-", "?", "unknown", "néant", "Néant", "  NÉANT ", "12345", "1", "2021", "X", "b", "...", "#N/A", "non renseigné"];

describe("cells that name nothing", () => {
  it.each(GARBAGE)("%j is read as no name", (cell) => {
    expect(namesNothing(cell)).toBe(true);
  });

  it.each(["EN", "LIPN", "Université de Lille", "Paris 8", "CNRS UMR 7030", "ENS"])("%j names something", (cell) => {
    expect(namesNothing(cell)).toBe(false);
  });

  it.each(SERVICE_IDS)("%s: a placeholder without properties gets no candidate", (service) => {
    for (const query of GARBAGE) expect(matcher.reconcile(service, { query }), `${service} ${query}`).toEqual([]);
  });

  it("a placeholder is no affiliation either", () => {
    for (const text of GARBAGE) expect(matcher.affiliation("ror", text).organisations).toEqual([]);
  });

  it("digits that are an identifier still identify", () => {
    const siren = matcher.reconcile("siret", { query: "universite", limit: 5 }).map((c) => c.record.identifiers.siren?.[0]).find(Boolean)!;
    expect(siren).toMatch(/^\d{9}$/);
    const [first] = matcher.reconcile("siret", { query: siren });
    expect(first.record.identifiers.siren).toContain(siren);
    expect(first.score).toBe(100);
  });
});

describe("a query with properties and no name", () => {
  it("country only: the records of that country, each at the few points a country proves, none auto-matched", () => {
    const found = matcher.reconcile("ror", { query: "", properties: [{ pid: "country", values: ["DE"] }] });
    expect(found.length).toBeGreaterThan(0);
    for (const c of found) {
      expect(c.record.country).toBe("DE");
      expect(c.score).toBeGreaterThan(0);
      expect(c.score).toBeLessThanOrEqual(10);
      expect(c.match).toBe(false);
    }
  });

  it("a placeholder name with a city and a postcode: ranked by them, more points than a city alone, still no auto-match", () => {
    const city = matcher.reconcile("uai", { query: "n/a", properties: [{ pid: "city", values: ["Lyon"] }] });
    const both = matcher.reconcile("uai", { query: "-", properties: [{ pid: "city", values: ["Lyon"] }, { pid: "postcode", values: ["69007"] }] });
    expect(city.length).toBeGreaterThan(0);
    for (const c of [...city, ...both]) {
      expect(c.record.city).toBe("Lyon");
      expect(c.match).toBe(false);
      expect(c.score).toBeLessThan(30);
    }
    expect(both[0].score).toBeGreaterThan(city[0].score);
  });

  it("a property that selects nothing gives no candidate", () => {
    expect(matcher.reconcile("ror", { query: "?", properties: [{ pid: "city", values: ["Nowhereville"] }] })).toEqual([]);
  });

  it("an identifier property without a name auto-matches the record it names", () => {
    const [any] = matcher.reconcile("ror", { query: "Humboldt" });
    const [first] = matcher.reconcile("ror", { query: "n/a", properties: [{ pid: "ror", values: [any.record.id] }] });
    expect(first.record.id).toBe(any.record.id);
    expect(first.match).toBe(true);
  });
});
