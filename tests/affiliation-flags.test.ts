// Which organisations of an affiliation string are flagged `match`
// (reconcile/decision/affiliation.ts, chooseFlags): one an affiliation, the
// likeliest of those the score rule finds sure; one more per `;`-separated
// part, unless it belongs to one already flagged; a French lab named exactly
// beside its tutelle stays flagged. Pure functions, no data; the last test
// runs the matcher on the real extracts (issue 14, ROR's protocol: "New York
// University" was crowded out of the candidate pool and CUNY flagged instead).
import { beforeAll, describe, expect, it } from "vitest";
import { affiliationFeatures, chooseFlags, partAt, type FlagCandidate } from "../reconcile/decision/affiliation.ts";
import type { AffiliationOrganisation, AffiliationResult } from "../reconcile/affiliation/match.ts";
import type { EntityRecord } from "../reconcile/types.ts";
import type { ReconciliationIndex } from "../reconcile/index.ts";
import { flaggedOf } from "../scripts/bench/ror-protocol.ts";
import { HAS_SHARED_DATA } from "./helpers.ts";
import { SHARED_HOOK_TIMEOUT, sharedMatcher } from "./shared-cache.ts";

const candidate = (probability: number, fields: Partial<FlagCandidate> = {}): FlagCandidate => ({ probability, sure: true, exempt: false, part: 0, relatives: [], ...fields });

describe("chooseFlags", () => {
  it("flags the likeliest sure organisation of an affiliation, and only it", () => {
    expect(chooseFlags([candidate(0.7), candidate(0.9), candidate(0.8)], 0.5)).toEqual([false, true, false]);
  });

  it("flags nothing below the threshold, nor what the score rule does not find sure", () => {
    expect(chooseFlags([candidate(0.4), candidate(0.3)], 0.5)).toEqual([false, false]);
    expect(chooseFlags([candidate(0.99, { sure: false }), candidate(0.6)], 0.5)).toEqual([false, true]);
  });

  it("flags the likeliest of each ';' part (several affiliations), unless it belongs to one flagged", () => {
    const parts = [candidate(0.9, { part: 0 }), candidate(0.6, { part: 0 }), candidate(0.8, { part: 1 })];
    expect(chooseFlags(parts, 0.5)).toEqual([true, false, true]);
    // The second part names the first's university: one affiliation written twice.
    const related = [candidate(0.9, { part: 0, relatives: [1] }), candidate(0.8, { part: 1, relatives: [0] })];
    expect(chooseFlags(related, 0.5)).toEqual([true, false]);
  });

  it("keeps the tutelle an exempt laboratory is named beside flagged, in another part and under the threshold", () => {
    const flags = chooseFlags([candidate(0.9, { exempt: true, relatives: [1] }), candidate(0.2, { part: 1, relatives: [0] }), candidate(0.3, { part: 2 })], 0.5);
    expect(flags).toEqual([true, true, false]);
    // Not a tutelle the rule is unsure of.
    expect(chooseFlags([candidate(0.9, { exempt: true, relatives: [1] }), candidate(0.2, { part: 1, sure: false, relatives: [0] })], 0.5)).toEqual([true, false]);
  });

  it("keeps an exempt laboratory flagged beside the likeliest, whatever its probability", () => {
    expect(chooseFlags([candidate(0.1, { exempt: true, relatives: [1] }), candidate(0.9, { relatives: [0] })], 0.5)).toEqual([true, true]);
    // Exempt but not sure by the rule: not flagged.
    expect(chooseFlags([candidate(0.9, { exempt: true, sure: false })], 0.5)).toEqual([false]);
  });
});

describe("partAt", () => {
  it("counts the ';' before an offset", () => {
    const text = "Univ A, Paris; Univ B; Univ C";
    expect(partAt(text, 0)).toBe(0);
    expect(partAt(text, text.indexOf("Univ B"))).toBe(1);
    expect(partAt(text, text.indexOf("Univ C"))).toBe(2);
    expect(partAt("no parts", 5)).toBe(0);
  });
});

describe("affiliationFeatures: how an organisation stands among the string's others", () => {
  const record = (id: string, fields: Partial<EntityRecord> = {}): EntityRecord => ({
    id, uri: `https://ror.org/${id}`, service: "ror", name: id, names: [], types: [], kinds: [], websites: [], identifiers: {}, sameAs: [],
    parents: [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [], ...fields,
  });
  const org = (r: EntityRecord, score: number, start: number): AffiliationOrganisation => ({ record: r, score, match: true, mention: { text: r.id, start, end: start + r.id.length }, features: [], parentOf: [], childOf: [] });
  const lab = org(record("lab", { kinds: ["facility"], country: "FR", parents: [{ uri: "https://ror.org/univ" }] as EntityRecord["parents"] }), 100, 0);
  const univ = org(record("univ", { kinds: ["education"], country: "FR" }), 97, 10);
  const namesake = org(record("namesake", { kinds: ["education"], country: "US" }), 88, 20);
  const result: AffiliationResult = { text: "lab, univ, namesake", segments: [], countries: [], organisations: [lab, univ, namesake] };

  it("says which scores best, which is named last or first, how many others are strong", () => {
    const [l, u, n] = [lab, univ, namesake].map((o) => affiliationFeatures(o, result));
    expect([l.best_score, u.best_score, n.best_score]).toEqual([1, 0, 0]);
    expect(u.behind_best).toBeCloseTo(3 / 20, 12);
    expect([l.first_named, l.last_named, n.last_named]).toEqual([1, 0, 1]);
    expect(l.strong_others).toBe(2 / 4);
    expect([l.facility, u.education, l.has_parent, u.has_parent]).toEqual([1, 1, 1, 0]);
    // The US namesake is alone in its country among what the string names; the French two are not.
    expect([l.alone_in_country, n.alone_in_country]).toEqual([0, 1]);
    expect(l.several_parts).toBe(0);
  });
});

describe.skipIf(!HAS_SHARED_DATA)("one flag an affiliation, on the real extracts", () => {
  let m: ReconciliationIndex;
  beforeAll(async () => {
    m = await sharedMatcher();
  }, SHARED_HOOK_TIMEOUT);

  it("finds New York University among the State University of New York's campuses and flags it alone", () => {
    const r = m.affiliation("ror", "Department of Physics, New York University");
    expect(r.organisations[0]?.record.name).toMatch(/New York University|Université de New York/);
    expect(flaggedOf(r)).toEqual([r.organisations[0].record.id]);
  });

  it("flags at most one organisation of a single affiliation naming a lab, the CNRS and a university", () => {
    const r = m.affiliation("ror", "Institut Jacques Monod, CNRS, Université Paris Cité, Paris, France");
    expect(r.organisations.length).toBeGreaterThanOrEqual(2);
    expect(flaggedOf(r).length).toBeLessThanOrEqual(1);
  });
});
