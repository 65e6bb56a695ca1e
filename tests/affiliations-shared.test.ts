// The affiliation matcher on the real extracts in ../shared/data (skipped
// when absent): every string of the Crossref gold file (read at runtime,
// never copied here) answered without error and with consistent answers, a
// loose quality floor on the development part only (the bench measures it;
// this is a regression tripwire), and French strings built at runtime from
// RNSR laboratories and the universities they belong to.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AFFILIATION_AUTO_SCORE, type AffiliationResult } from "../reconcile/affiliation/match.ts";
import { decodeEntities } from "../reconcile/affiliation/segments.ts";
import type { ReconciliationIndex } from "../reconcile/index.ts";
import { acronymKey, fold } from "../reconcile/normalise.ts";
import type { EntityRecord, ServiceId } from "../reconcile/types.ts";
import { evaluateAffiliations, readGoldAffiliations, refxStrategy, type GoldAffiliation } from "../scripts/bench/affiliations.ts";
import { HAS_SHARED_DATA, SHARED_DATA, SKIP_SHARED_MESSAGE } from "./helpers.ts";
import { SHARED_HOOK_TIMEOUT, sharedMatcher, sharedRecords } from "./shared-cache.ts";

const GOLD_FILE = join(SHARED_DATA, "gold", "crossref-affiliations-ror.train.csv");
const HAS_GOLD = HAS_SHARED_DATA && existsSync(GOLD_FILE);

/** Floors well under what the bench measures on the development part (about 0.93 and 0.81): a tripwire, not the measurement. */
const DEV_PRECISION_FLOOR = 0.88;
const DEV_RECALL_FLOOR = 0.7;
const FRENCH_LINKED_FLOOR = 0.8;

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/**
 * Answers whose organisations are not best first, as AffiliationResult says they are: a system of
 * establishments capped (match.ts, narrowed()) after the sort. Counted and printed, not asserted.
 */
const notBestFirst = (r: AffiliationResult) => r.organisations.some((o, i) => i > 0 && o.score > r.organisations[i - 1].score);

/** What must hold of any answer, whatever the string. */
function consistent(r: AffiliationResult, input: string): string[] {
  const problems: string[] = [];
  if (r.text !== decodeEntities(input)) problems.push("text is not the decoded input");
  for (const s of r.segments) if (r.text.slice(s.start, s.end) !== s.text) problems.push(`segment span ${s.start}-${s.end} is not ${JSON.stringify(s.text)}`);
  const ids = new Set<string>();
  r.organisations.forEach((o, i) => {
    const { text, start, end } = o.mention;
    if (!text || r.text.slice(start, end) !== text) problems.push(`${o.record.id}: mention ${start}-${end} is not ${JSON.stringify(text)}`);
    if (!(o.score >= 0 && o.score <= 100)) problems.push(`${o.record.id}: score ${o.score}`);
    if (o.match && o.score < AFFILIATION_AUTO_SCORE) problems.push(`${o.record.id}: match at ${o.score} < ${AFFILIATION_AUTO_SCORE}`);
    if (ids.has(o.record.id)) problems.push(`${o.record.id} twice`);
    ids.add(o.record.id);
    // One organisation per stretch of text.
    for (const p of r.organisations.slice(0, i)) if (p.mention.start < end && start < p.mention.end) problems.push(`${o.record.id} and ${p.record.id} share words`);
  });
  for (const o of r.organisations) {
    for (const id of [...o.parentOf, ...o.childOf]) if (!ids.has(id)) problems.push(`${o.record.id} links to ${id}, not in the answer`);
    for (const id of o.childOf) if (!r.organisations.find((p) => p.record.id === id)?.parentOf.includes(o.record.id)) problems.push(`${o.record.id} childOf ${id} one way only`);
  }
  // At most one primary, and it is one of the organisations found (the same object).
  if (r.primary !== undefined && !r.organisations.includes(r.primary)) problems.push("primary is not among the organisations");
  return problems;
}

describe.skipIf(!HAS_SHARED_DATA)(`affiliation strings on the real extracts${HAS_SHARED_DATA ? "" : ` (${SKIP_SHARED_MESSAGE})`}`, () => {
  let m: ReconciliationIndex;
  let records: Map<ServiceId, EntityRecord[]>;
  let gold: GoldAffiliation[] = [];
  let goldTotal = 0;

  beforeAll(async () => {
    const t0 = performance.now();
    // Parsed once per run; records and index come from that parse, once per test process (tests/shared-cache.ts).
    records = await sharedRecords();
    m = await sharedMatcher();
    if (HAS_GOLD) ({ rows: gold, total: goldTotal } = readGoldAffiliations(GOLD_FILE, (id) => !!m.get("ror", id)));
    console.log(`affiliations-shared: index ready (built or shared) in ${((performance.now() - t0) / 1000).toFixed(1)} s; gold rows ${gold.length} of ${goldTotal} name a loaded ROR record`);
  }, SHARED_HOOK_TIMEOUT);

  it.skipIf(!HAS_GOLD)("answers every gold string (both parts) with exact spans, scores in 0..100, one primary among the organisations, matches only above the auto score", () => {
    expect(gold.length, "gold rows whose ROR id is loaded").toBeGreaterThan(1000);
    const problems: string[] = [];
    let organisations = 0;
    let withPrimary = 0;
    let matched = 0;
    let unordered = 0;
    const t0 = performance.now();
    for (const row of gold) {
      let r: AffiliationResult;
      try {
        r = m.affiliation("ror", row.affiliation);
      } catch (e) {
        problems.push(`${JSON.stringify(row.affiliation)} threw ${(e as Error).message}`);
        continue;
      }
      for (const p of consistent(r, row.affiliation)) problems.push(`${JSON.stringify(row.affiliation)}: ${p}`);
      organisations += r.organisations.length;
      if (r.primary) withPrimary++;
      if (r.primary?.match) matched++;
      if (notBestFirst(r)) unordered++;
    }
    const ms = performance.now() - t0;
    console.log(`affiliations-shared: ${gold.length} gold strings (dev and held-out) in ${(ms / 1000).toFixed(1)} s (${(ms / gold.length).toFixed(2)} ms each); ${organisations} organisations, a primary for ${withPrimary}, auto-matched ${matched}; ${problems.length} problems; ${unordered} answers not best first`);
    expect(problems.slice(0, 20)).toEqual([]);
    expect(withPrimary).toBeGreaterThan(gold.length / 2);
  });

  it.skipIf(!HAS_GOLD)(`keeps the development part above its floors: precision ≥ ${DEV_PRECISION_FLOOR}, recall ≥ ${DEV_RECALL_FLOOR}`, () => {
    const dev = gold.filter((r) => r.part === "dev");
    expect(dev.length).toBeGreaterThan(1000);
    const { figures } = evaluateAffiliations(refxStrategy(m), dev);
    console.log(
      `affiliations-shared: development part, ${figures.rows} strings: ${figures.autoMatches} auto-matched, ${figures.correct} right; ` +
      `precision ${figures.precision.toFixed(4)}, recall ${figures.recall.toFixed(4)}, precision@1 ${figures.precisionAt1.toFixed(4)}, ` +
      `found anywhere ${figures.foundAnywhere?.toFixed(4)}; ${Math.round(figures.perSecond)} strings/s, p50 ${figures.p50Ms.toFixed(2)} ms, p99 ${figures.p99Ms.toFixed(2)} ms`,
    );
    expect(figures.precision).toBeGreaterThanOrEqual(DEV_PRECISION_FLOOR);
    expect(figures.recall).toBeGreaterThanOrEqual(DEV_RECALL_FLOOR);
  });

  describe("French laboratories beside their university", () => {
    /**
     * RNSR laboratories with an acronym and a university among their parents,
     * kept where the data leaves one reading: the acronym is a name of no other
     * record of the "all" service, and the university's name of no other
     * either (ROR and Wikidata describe some laboratories and universities
     * again, unlinked; which of the twins is found is not the matcher's to know).
     */
    function cases(): { text: string; lab: EntityRecord; university: EntityRecord; considered: number }[] {
      const all = records.get("all")!;
      const clusterOf = new Map<string, EntityRecord>();
      for (const r of all) for (const u of r.sameAs) clusterOf.set(u, r);
      const acronymHolders = new Map<string, number>();
      const nameHolders = new Map<string, number>();
      for (const r of all) {
        for (const k of new Set(r.names.map((n) => acronymKey(n.value)))) acronymHolders.set(k, (acronymHolders.get(k) ?? 0) + 1);
        for (const k of new Set(r.names.filter((n) => n.kind !== "acronym").map((n) => fold(n.value)))) nameHolders.set(k, (nameHolders.get(k) ?? 0) + 1);
      }
      const out: { text: string; lab: EntityRecord; university: EntityRecord; considered: number }[] = [];
      let considered = 0;
      for (const rnsr of records.get("rnsr")!) {
        const acronym = rnsr.names.find((n) => n.kind === "acronym")?.value;
        const lab = clusterOf.get(rnsr.uri);
        if (rnsr.withdrawn || !acronym || !lab) continue;
        const universities = lab.parents.map((p) => clusterOf.get(p.uri)).filter((c): c is EntityRecord => !!c && c.types.includes("CollegeOrUniversity"));
        if (!universities.length) continue;
        considered++;
        if (acronymHolders.get(acronymKey(acronym)) !== 1) continue;
        const university = universities.find((u) => nameHolders.get(fold(u.name)) === 1);
        if (!university) continue;
        out.push({ text: `${acronym}, ${university.name}, France`, lab, university, considered: 0 });
      }
      for (const c of out) c.considered = considered;
      return out;
    }

    it(`finds the laboratory and the university, linked both ways, for at least ${FRENCH_LINKED_FLOOR * 100} % of "<acronym>, <university>, France"`, () => {
      const built = cases();
      expect(built.length, "laboratories with one reading").toBeGreaterThan(200);
      let labFound = 0;
      let universityFound = 0;
      let linked = 0;
      let universityPrimary = 0;
      const problems: string[] = [];
      const missed: string[] = [];
      const t0 = performance.now();
      for (const { text, lab, university } of built) {
        const r = m.affiliation("all", text);
        problems.push(...consistent(r, text).map((p) => `${text}: ${p}`));
        const l = r.organisations.find((o) => o.record.id === lab.id);
        const u = r.organisations.find((o) => o.record.id === university.id);
        if (l) labFound++;
        if (u) universityFound++;
        if (l && u && l.childOf.includes(u.record.id) && u.parentOf.includes(l.record.id)) {
          linked++;
          if (r.primary === u) universityPrimary++;
        } else if (missed.length < 5) missed.push(`${text} → ${r.organisations.map((o) => `${o.record.name} [${o.mention.text}] ${o.score}`).join("; ")}`);
      }
      const n = built.length;
      console.log(
        `affiliations-shared: French laboratories, ${n} strings built (of ${built[0].considered} RNSR laboratories with an acronym and a university parent) in ${(performance.now() - t0).toFixed(0)} ms: ` +
        `laboratory found ${pct(labFound / n)}, university found ${pct(universityFound / n)}, both linked ${pct(linked / n)}, ` +
        `the university primary in ${pct(universityPrimary / Math.max(1, linked))} of the linked` +
        (missed.length ? `\n  e.g. missed: ${missed.join("\n  e.g. missed: ")}` : ""),
      );
      expect(problems.slice(0, 20)).toEqual([]);
      expect(linked / n).toBeGreaterThanOrEqual(FRENCH_LINKED_FLOOR);
      expect(universityFound / n).toBeGreaterThanOrEqual(0.9);
    });
  });
});
