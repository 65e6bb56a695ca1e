// Former names (issue 14, item 3): a closed predecessor's names, from any
// source of the successor's cluster, are indexed on the successor, so a query
// by the old name finds the successor on every service, with the predecessor
// named (`formerly`, feature `former_name`); a split is never auto-matched.
// On the real extracts (ROR's closed "Université de Cergy-Pontoise" replaced by
// CY Cergy Paris Université, which the ESR file gives a UAI), and on a small
// index built here for a split and a namesake.
import { beforeAll, describe, expect, it } from "vitest";
import { formerNameMatch, namesakeElsewhere, namesakeThroughFormerName, predecessorAfter, successorBeforeAliases } from "../reconcile/decision/former-names.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { NameIndex, TypoIndex } from "../reconcile/name-index.ts";
import { readQuery } from "../reconcile/query.ts";
import { tokens } from "../reconcile/normalise.ts";
import type { Candidate, EntityRecord, FormerName } from "../reconcile/types.ts";
import { BASE, HAS_SHARED_DATA } from "./helpers.ts";
import { SHARED_HOOK_TIMEOUT, sharedMatcher } from "./shared-cache.ts";

const feature = (c: Candidate, id: string) => c.features.find((f) => f.id === id)?.value;

describe.skipIf(!HAS_SHARED_DATA)("former names on the real extracts", () => {
  let m: ReconciliationIndex;
  beforeAll(async () => {
    m = await sharedMatcher();
  }, SHARED_HOOK_TIMEOUT);

  it("uai: 'Université de Cergy-Pontoise' is CY Cergy Paris Université (not the Cergy art school), auto-matched, the predecessor named", () => {
    // Only ROR and Wikidata know the closed university; the UAI record learns its name through its cluster.
    const [first, second] = m.reconcile("uai", { query: "Université de Cergy-Pontoise" });
    expect(first.record.id).toBe("0952259P");
    expect(first.match).toBe(true);
    expect(feature(first, "former_name")).toBe(true);
    expect(first.formerly?.name).toBe("Université de Cergy-Pontoise");
    expect(second.record.name).not.toMatch(/Cergy-Pontoise/);
  });

  it.each(["uai", "siret", "ror", "wikidata", "all"] as const)("%s: 'Université Paris Diderot' is Université Paris Cité, auto-matched", (service) => {
    const [first] = m.reconcile(service, { query: "Université Paris Diderot" });
    expect(first.record.name).toMatch(/Université Paris Cité/);
    expect(first.record.withdrawn).toBe(false);
    expect(first.match).toBe(true);
  });

  it("ror: the closed record itself comes right after its successor, never auto-matched", () => {
    const [first, second] = m.reconcile("ror", { query: "Université de Cergy-Pontoise" });
    expect(first.record.id).toBe("043htjv09");
    expect(first.match).toBe(true);
    expect(second.record.id).toBe("03vs46t66");
    expect(second.record.withdrawn).toBe(true);
    expect(second.match).toBe(false);
  });

  it("a name a live establishment bears today and a closed one bore is not auto-matched", () => {
    // INRA of Morocco (live) and the French INRA (closed, INRAE since 2020) bear the same name.
    const answer = m.reconcile("ror", { query: "Institut National de la Recherche Agronomique" });
    expect(answer[0].match).toBe(false);
    expect(answer.some((c) => c.record.id === "003vg9w96" && feature(c, "former_name") === true)).toBe(true);
  });

  it("all: 'Institute of Parasitology' (the Czech institute, now the Biology Centre) puts the successor before the Slovak institute's alias, not auto-matched", () => {
    const answer = m.reconcile("all", { query: "Institute of Parasitology" });
    expect(answer[0].record.sameAs).toContain("https://ror.org/05pq4yn02");
    expect(answer[0].match).toBe(false);
    expect(feature(answer[0], "namesake_elsewhere")).toBe(true);
    expect(answer.some((c) => c.record.sameAs.includes("https://ror.org/01c7rrt10"))).toBe(true);
  });

  it("a live establishment's current name is answered as before, without the former-name feature", () => {
    const [first] = m.reconcile("uai", { query: "CY Cergy Paris Université" });
    expect(first.record.id).toBe("0952259P");
    expect(first.match).toBe(true);
    expect(feature(first, "former_name")).toBeUndefined();
  });
});

describe("former names on a small index", () => {
  const uri = (id: string) => `${BASE}/id/uai/${id}`;
  const record = (id: string, name: string, formerNames: FormerName[] = []): EntityRecord => ({
    id, uri: uri(id), service: "uai", name, names: [{ value: name, kind: "pref" }], types: ["CollegeOrUniversity"], kinds: [],
    websites: [], identifiers: { uai: [id] }, sameAs: [uri(id)], parents: [], children: [], replaces: [], replacedBy: [], withdrawn: false, sources: [],
    ...(formerNames.length ? { formerNames } : {}),
  });
  const nowhere = { uri: "https://ror.org/000000000", id: "000000000", name: "Université de Nulle Part" };
  const lone = { uri: "https://ror.org/000000001", id: "000000001", name: "Université de Quelque Part" };
  const records = [
    record("0000002B", "Université Nord", [{ value: "Université de Nulle Part", of: nowhere, successors: 2 }]),
    record("0000003C", "Université Sud", [{ value: "Université de Nulle Part", of: nowhere, successors: 2 }]),
    record("0000004D", "Université Est", [{ value: "Université de Quelque Part", of: lone, successors: 1 }]),
  ];
  const idx = new NameIndex(records, new Map(), new TypoIndex());
  const match = (i: number, text: string) => {
    const q = readQuery(idx, text);
    return formerNameMatch(idx, i, q.tokens, q.key, 0);
  };

  it("finds the successors by the predecessor's name, theirs first", () => {
    const q = readQuery(idx, "Université de Nulle Part");
    expect(idx.withFormerName(q.tokens, 10).slice(0, 2).sort()).toEqual([0, 1]);
    expect(idx.withFormerName(readQuery(idx, "Université Nord").tokens, 10)).not.toContain(0);
    expect(match(2, "Université de Quelque Part")).toMatchObject({ exact: true, similarity: 1, of: lone, successors: 1 });
    expect(match(2, "Université de Nulle Part")?.exact).toBeFalsy();
  });

  it("a split is never auto-matched through the matcher", () => {
    const m = ReconciliationIndex.fromRecords(new Map([["uai", records]]));
    const answer = m.reconcile("uai", { query: "Université de Nulle Part" });
    expect(answer.slice(0, 2).map((c) => c.record.id).sort()).toEqual(["0000002B", "0000003C"]);
    expect(answer[0].match).toBe(false);
    expect(feature(answer[0], "former_name_successors")).toBe(2);
  });

  it("a one-to-one succession is auto-matched, the predecessor named", () => {
    const m = ReconciliationIndex.fromRecords(new Map([["uai", records]]));
    const [first] = m.reconcile("uai", { query: "Université de Quelque Part" });
    expect(first.record.id).toBe("0000004D");
    expect(first.match).toBe(true);
    expect(first.formerly).toEqual(lone);
  });

  it("puts the predecessor's own record right after the successor and out of the decision", () => {
    const successor: Candidate = { record: idx.records[2], score: 98, match: false, features: [], formerly: lone };
    const predecessor: Candidate = { record: { ...idx.records[0], id: lone.id, uri: lone.uri, sameAs: [lone.uri], withdrawn: true }, score: 97, match: false, features: [] };
    const other: Candidate = { record: idx.records[1], score: 60, match: false, features: [] };
    const h = predecessorAfter([successor, other, predecessor]);
    expect(h?.ranked.map((c) => c.record.id)).toEqual(["0000004D", lone.id, "0000003C"]);
    expect(h?.forDecision.map((c) => c.record.id)).toEqual(["0000004D", "0000003C"]);
  });

  it("a live namesake is not auto-matched over a successor that bore its name", () => {
    const exact = { id: "exact_name", value: true };
    const live: Candidate = { record: idx.records[0], score: 100, match: false, features: [exact] };
    const successor: Candidate = { record: idx.records[2], score: 98, match: false, features: [exact, { id: "former_name", value: true }], formerly: lone };
    expect(namesakeThroughFormerName([live, successor])).toBe(true);
    expect(namesakeThroughFormerName([live, { ...successor, score: 80 }])).toBe(false);
  });

  describe("a closed predecessor's display name that live candidates bear only as an alias", () => {
    const key = (name: string) => tokens(name).join(" ");
    const exact = { id: "exact_name", value: true };
    const aliased = (i: number): Candidate & { identified: boolean } => ({
      record: { ...idx.records[i], names: [...idx.records[i].names, { value: "Université de Quelque Part", kind: "alt" }] }, score: 100, match: false, features: [exact], identified: false,
    });
    const successor = { record: idx.records[2], score: 98, match: false, features: [exact, { id: "former_name", value: true }], formerly: lone, identified: false };
    const displayNamed = (c: Candidate) => c.record.names.some((n) => n.kind === "pref" && key(n.value) === key("Université de Quelque Part"));

    it("puts the successor first at their score, marked never to be auto-matched", () => {
      const ranked = successorBeforeAliases([aliased(0), aliased(1), successor], key("Université de Quelque Part"), key, displayNamed);
      expect(ranked?.map((c) => c.record.id)).toEqual(["0000004D", "0000002B", "0000003C"]);
      expect(ranked?.[0].score).toBe(100);
      expect(namesakeElsewhere(ranked![0])).toBe(true);
    });

    it("leaves the order when a live candidate bears the query as its display name, or the query is not the predecessor's display name", () => {
      const bearer = { ...aliased(0), record: { ...idx.records[0], names: [{ value: "Université de Quelque Part", kind: "pref" as const }] } };
      expect(successorBeforeAliases([bearer, successor], key("Université de Quelque Part"), key, displayNamed)).toBeUndefined();
      expect(successorBeforeAliases([aliased(0), successor], key("Quelque Part"), key, displayNamed)).toBeUndefined();
      expect(successorBeforeAliases([{ ...aliased(0), identified: true }, successor], key("Université de Quelque Part"), key, displayNamed)).toBeUndefined();
      expect(successorBeforeAliases([successor, aliased(0)], key("Université de Quelque Part"), key, displayNamed)).toBeUndefined();
    });

    it("through the matcher: the successor first, not auto-matched", () => {
      const withAlias = records.map((r, i) => (i === 0 ? { ...r, names: [...r.names, { value: "Université de Quelque Part", kind: "alt" as const }] } : r));
      const [first, second] = ReconciliationIndex.fromRecords(new Map([["uai", withAlias]])).reconcile("uai", { query: "Université de Quelque Part" });
      expect(first.record.id).toBe("0000004D");
      expect(first.match).toBe(false);
      expect(second.record.id).toBe("0000002B");
    });
  });

  it("the predecessor itself, live in this service's source but closed in another, is not auto-matched either", () => {
    // The RNSR row of "Adaptation Biologique et Vieillissement" (replaced in ROR) against ROR's successor, which bore that name.
    const exact = { id: "exact_name", value: true };
    const itself: Candidate = { record: { ...idx.records[0], sameAs: [idx.records[0].uri, lone.uri] }, score: 100, match: false, features: [exact] };
    const successor: Candidate = { record: idx.records[2], score: 98, match: false, features: [exact, { id: "former_name", value: true }], formerly: lone };
    expect(namesakeThroughFormerName([itself, successor])).toBe(true);
  });
});
