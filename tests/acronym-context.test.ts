// Ambiguous acronyms (issue 14, item 4): an acronym two records bear is told
// apart by the other words of the query (a town, a tutelle's name, a unit
// code), and left unmatched without them. On the real RNSR file ("LIRIS" is
// both the Lyon computer-science laboratory, UMR 5205 in Villeurbanne under
// Lyon's universities, and a Rennes social-innovation laboratory) and on a
// small index built here.
import { beforeAll, describe, expect, it } from "vitest";
import { acronymContext, ACRONYM_IN_CONTEXT, TOWN_IN_TEXT } from "../reconcile/decision/acronym-context.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { NameIndex, TypoIndex } from "../reconcile/name-index.ts";
import { readQuery } from "../reconcile/query.ts";
import type { Candidate, EntityRecord } from "../reconcile/types.ts";
import { BASE, HAS_SHARED_DATA } from "./helpers.ts";
import { SHARED_HOOK_TIMEOUT, sharedMatcher } from "./shared-cache.ts";

const feature = (c: Candidate, id: string) => c.features.find((f) => f.id === id)?.value;
const LIRIS_LYON = "200511875R";
const LIRIS_RENNES = "201722467B";

describe.skipIf(!HAS_SHARED_DATA)("an acronym two laboratories share, on the real RNSR file", () => {
  let m: ReconciliationIndex;
  beforeAll(async () => {
    m = await sharedMatcher();
  }, SHARED_HOOK_TIMEOUT);

  it("alone, it names both and neither is auto-matched", () => {
    const answer = m.reconcile("rnsr", { query: "LIRIS" });
    expect(answer.slice(0, 2).map((c) => c.record.id).sort()).toEqual([LIRIS_LYON, LIRIS_RENNES].sort());
    expect(answer[0].match).toBe(false);
  });

  it("with a tutelle's town ('LIRIS Lyon': its universities are Lyon's, its address Villeurbanne) it is the Lyon laboratory, far ahead", () => {
    const [first, second] = m.reconcile("rnsr", { query: "LIRIS Lyon" });
    expect(first.record.id).toBe(LIRIS_LYON);
    expect(feature(first, "acronym_context")).toBe(true);
    expect(first.score - second.score).toBeGreaterThanOrEqual(12);
  });

  it("with its town, it is the Rennes laboratory, auto-matched, the one a city property picks", () => {
    const [first, second] = m.reconcile("rnsr", { query: "LIRIS Rennes" });
    expect(first.record.id).toBe(LIRIS_RENNES);
    expect(feature(first, "city_match")).toBe(true);
    expect(first.score - second.score).toBeGreaterThanOrEqual(12);
    expect(first.match).toBe(true);
    const byProperty = m.reconcile("rnsr", { query: "LIRIS", properties: [{ pid: "city", values: ["Rennes"] }] })[0];
    expect(byProperty.record.id).toBe(first.record.id);
  });

  it("with a word that describes neither, neither is lifted", () => {
    const answer = m.reconcile("rnsr", { query: "LIRIS Marseille" });
    expect(answer.some((c) => feature(c, "acronym_context") === true)).toBe(false);
    expect(answer[0]?.match ?? false).toBe(false);
  });
});

describe("acronym in context on a small index", () => {
  const record = (id: string, name: string, acronym: string, city: string, parent?: string): EntityRecord => ({
    id, uri: `${BASE}/id/rnsr/${id}`, service: "rnsr", name, names: [{ value: name, kind: "pref" }, { value: acronym, kind: "acronym" }], types: ["ResearchOrganization"], kinds: [],
    city, websites: [], identifiers: { rnsr: [id] }, sameAs: [`${BASE}/id/rnsr/${id}`],
    parents: parent ? [{ uri: `${BASE}/id/uai/${id}`, name: parent }] : [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [],
  });
  const records = [
    record("200000001A", "Laboratoire d'études des réseaux", "LER", "Villeurbanne", "Université Claude Bernard Lyon 1"),
    record("200000002B", "Laboratoire d'écologie rurale", "LER", "Rennes", "Université de Rennes"),
  ];
  const idx = new NameIndex(records, new Map(), new TypoIndex());
  const inContext = (text: string, i: number, cityGiven = false) => acronymContext(readQuery(idx, text).tokens, cityGiven)?.(idx.records[i], idx.names[i]);

  it("reads a town as a city that agrees, a tutelle's word as context only", () => {
    expect(inContext("LER Rennes", 1)).toMatchObject({ similarity: ACRONYM_IN_CONTEXT, delta: TOWN_IN_TEXT });
    expect(inContext("LER Lyon", 0)).toMatchObject({ similarity: ACRONYM_IN_CONTEXT, delta: 0 });
    expect(inContext("LER Lyon", 1)).toBeUndefined();
    // A city property given already counts the town once.
    expect(inContext("LER Rennes", 1, true)?.delta).toBe(0);
  });

  it("never takes a word of a kind for context: a tutelle called 'Université' tells no one apart", () => {
    expect(inContext("LER Université", 0)).toBeUndefined();
    expect(inContext("LER", 0)).toBeUndefined();
  });

  it("through the matcher: tied and unmatched alone, told apart with a town", () => {
    const m = ReconciliationIndex.fromRecords(new Map([["rnsr", records]]));
    const alone = m.reconcile("rnsr", { query: "LER" });
    expect(alone[0].score).toBe(alone[1].score);
    expect(alone[0].match).toBe(false);
    const [first, second] = m.reconcile("rnsr", { query: "LER Lyon" });
    expect(first.record.id).toBe("200000001A");
    expect(first.score).toBeGreaterThan(second.score);
  });
});
