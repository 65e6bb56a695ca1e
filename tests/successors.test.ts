// History-aware answers (issue 14, item 3): a query naming a closed
// establishment gets its successor first, the predecessor right after with
// `replaced_by_first`; a one-to-one succession is auto-matched, a split never.
// On the sample extracts (UJF, closed, replaced by UGA in the UAI file, ROR and
// Wikidata) through the real index, and on a small index built here for a split.
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { successorsFirst } from "../reconcile/decision/successors.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { NameIndex, TypoIndex } from "../reconcile/name-index.ts";
import type { Candidate, EntityRecord } from "../reconcile/types.ts";
import { BASE, SAMPLE_DATA_DIR } from "./helpers.ts";

let matcher: ReconciliationIndex;
beforeAll(async () => {
  const store = new RefStore();
  await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  matcher = ReconciliationIndex.build(store, BASE);
});

const feature = (c: Candidate, id: string) => c.features.find((f) => f.id === id)?.value;

describe("a closed establishment's name", () => {
  it.each(["uai", "ror", "wikidata", "all"] as const)("%s: 'Université Joseph Fourier' gets Université Grenoble Alpes first, auto-matched, UJF after it", (service) => {
    const [first, second] = matcher.reconcile(service, { query: "Université Joseph Fourier" });
    expect(first.record.name).toMatch(/Grenoble[- ]Alpes/i);
    expect(first.record.withdrawn).toBe(false);
    expect(feature(first, "successor_of_match")).toBe(true);
    expect(first.match).toBe(true);
    expect(second.record.name).toMatch(/Joseph[- ]Fourier/);
    expect(second.record.withdrawn).toBe(true);
    expect(feature(second, "replaced_by_first")).toBe(true);
    expect(second.match).toBe(false);
    // The successor names the predecessor it was reached through.
    expect(first.record.replaces.map((r) => r.uri)).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it("a former UAI code answers with the successor first", () => {
    const [first, second] = matcher.reconcile("uai", { query: "0381838S" });
    expect(first.record.id).toBe("0383546Y");
    expect(second.record.id).toBe("0381838S");
  });

  it("the successor's own name is answered as before, without the history features", () => {
    const [first] = matcher.reconcile("uai", { query: "Université Grenoble Alpes" });
    expect(first.record.id).toBe("0383546Y");
    expect(feature(first, "successor_of_match")).toBeUndefined();
    expect(first.match).toBe(true);
  });
});

describe("a split", () => {
  const record = (id: string, name: string, extra: Partial<EntityRecord> = {}): EntityRecord => ({
    id, uri: `${BASE}/id/uai/${id}`, service: "uai", name, names: [{ value: name, kind: "pref" }], types: ["CollegeOrUniversity"], kinds: [],
    websites: [], identifiers: { uai: [id] }, sameAs: [`${BASE}/id/uai/${id}`], parents: [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [],
    ...extra,
  });
  const records = [
    record("0000001A", "Université de Nulle Part", { withdrawn: true, replacedBy: [{ uri: `${BASE}/id/uai/0000002B`, id: "0000002B" }, { uri: `${BASE}/id/uai/0000003C`, id: "0000003C" }] }),
    record("0000002B", "Université Nord"),
    record("0000003C", "Université Sud"),
  ];
  const idx = new NameIndex(records, new Map(), new TypoIndex());
  const candidate = (i: number, score: number): Candidate => ({ record: idx.records[i], score, match: false, features: [] });

  it("puts every successor first and is flagged a split", () => {
    const h = successorsFirst(idx, [candidate(0, 97)], (k) => candidate(k, 10));
    expect(h).toBeDefined();
    expect(h!.split).toBe(true);
    expect(h!.ranked.map((c) => c.record.id)).toEqual(["0000002B", "0000003C", "0000001A"]);
    expect(h!.forDecision.map((c) => c.record.id)).toEqual(["0000002B", "0000003C"]);
    for (const c of h!.ranked.slice(0, 2)) expect(feature(c, "successors")).toBe(2);
  });

  it("leaves an answer whose first candidate is live untouched", () => {
    expect(successorsFirst(idx, [candidate(1, 90), candidate(0, 80)], (k) => candidate(k, 10))).toBeUndefined();
  });
});

describe("a spin-off (RNSR essaimage)", () => {
  const lab = (id: string, name: string, extra: Partial<EntityRecord> = {}): EntityRecord => ({
    id, uri: `${BASE}/id/rnsr/${id}`, service: "rnsr", name, names: [{ value: name, kind: "pref" }], types: ["ResearchOrganization"], kinds: [],
    websites: [], identifiers: { rnsr: [id] }, sameAs: [`${BASE}/id/rnsr/${id}`], parents: [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [],
    ...extra,
  });
  const spinOff = { uri: `${BASE}/id/rnsr/202123944P`, id: "202123944P" };
  const idx = new NameIndex(
    [lab("196617874F", "Unité Plantes et Systèmes de Culture Horticoles", { replacedBy: [spinOff] }), lab("202123944P", "UE Horticulture Méditerranéenne", { replaces: [{ uri: `${BASE}/id/rnsr/196617874F`, id: "196617874F" }] })],
    new Map(),
    new TypoIndex(),
  );
  const candidate = (i: number, score: number): Candidate => ({ record: idx.records[i], score, match: false, features: [] });

  it("leaves the origin first: RNSR lists active structures only, so one with its own row is not replaced", () => {
    expect(successorsFirst(idx, [candidate(0, 100)], (k) => candidate(k, 10))).toBeUndefined();
  });

  it("lifts the successor once the origin is closed", () => {
    const closed = new NameIndex([{ ...idx.records[0], withdrawn: true }, idx.records[1]], new Map(), new TypoIndex());
    const h = successorsFirst(closed, [{ record: closed.records[0], score: 100, match: false, features: [] }], (k) => ({ record: closed.records[k], score: 10, match: false, features: [] }));
    expect(h?.ranked.map((c) => c.record.id)).toEqual(["202123944P", "196617874F"]);
  });
});
