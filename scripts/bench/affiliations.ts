// The affiliation benchmark: Crossref affiliation strings with the ROR id
// publishers asserted (../shared/data/gold/crossref-affiliations-ror.train.csv),
// kept to the rows whose ROR id is among the loaded ROR records. A fixed 30 %
// of the strings, chosen by a hash of their text, is held out: tuning looks at
// the development part only, the report's headline is the held-out part.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import type { ReconciliationIndex } from "../../reconcile/index.ts";

export interface GoldAffiliation {
  affiliation: string;
  ror: string;
  part: "dev" | "heldout";
}

export const HELDOUT_SHARE = 0.3;

/** Which part a string belongs to: by its text, so duplicates stay together and the split never moves. */
export function partOf(affiliation: string): GoldAffiliation["part"] {
  const h = createHash("sha1").update(affiliation.trim().toLowerCase()).digest().readUInt32BE(0);
  return h / 2 ** 32 < HELDOUT_SHARE ? "heldout" : "dev";
}

export function readGoldAffiliations(file: string, knownRor: (id: string) => boolean): { rows: GoldAffiliation[]; total: number } {
  const records = parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as { affiliation: string; ror_id: string }[];
  const rows: GoldAffiliation[] = [];
  for (const r of records) {
    const ror = r.ror_id.replace(/^https?:\/\/ror\.org\//, "").trim();
    if (!r.affiliation?.trim() || !knownRor(ror)) continue;
    rows.push({ affiliation: r.affiliation, ror, part: partOf(r.affiliation) });
  }
  return { rows, total: records.length };
}

export interface AffiliationFigures {
  rows: number;
  autoMatches: number;
  correct: number;
  /** Correct auto-matches / auto-matches. */
  precision: number;
  /** Correct auto-matches / rows. */
  recall: number;
  /** The right organisation is the answer, auto-matched or not. */
  precisionAt1: number;
  /** The right organisation is among every organisation the string was found to name (refx only). */
  foundAnywhere?: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface AffiliationError {
  affiliation: string;
  expected: string;
  expectedName?: string;
  got?: string;
  gotName?: string;
  score?: number;
  kind: "wrong auto-match" | "missed";
}

/** One answer per string: the organisation chosen, its score and whether it is auto-matched. */
export interface AffiliationAnswer {
  id?: string;
  name?: string;
  score?: number;
  match: boolean;
  /** Every organisation found, when the strategy finds several. */
  all?: string[];
}

export type Strategy = (text: string) => AffiliationAnswer;

/** refx: the affiliation matcher's primary organisation. */
export function refxStrategy(matcher: ReconciliationIndex): Strategy {
  return (text) => {
    const r = matcher.affiliation("ror", text);
    const p = r.primary;
    return { id: p?.record.id, name: p?.record.name, score: p?.score, match: !!p?.match, all: r.organisations.map((o) => o.record.id) };
  };
}

/**
 * The baseline, measured in the same run: what a user gets from refx's
 * ordinary reconciliation without the affiliation matcher, cutting the string
 * at commas and semicolons and keeping the best auto-matched piece.
 */
export function segmentBaseline(matcher: ReconciliationIndex): Strategy {
  return (text) => {
    let best: AffiliationAnswer = { match: false };
    for (const piece of text.split(/[,;]/)) {
      if (!piece.trim()) continue;
      const [c] = matcher.reconcile("ror", { query: piece.replace(/[()[\]]/g, " "), limit: 1 });
      if (!c) continue;
      const better = (c.match && !best.match) || (c.match === best.match && c.score > (best.score ?? -1));
      if (better) best = { id: c.record.id, name: c.record.name, score: c.score, match: c.match };
    }
    return best;
  };
}

export function evaluateAffiliations(strategy: Strategy, rows: GoldAffiliation[], nameOf: (id: string) => string | undefined = () => undefined): { figures: AffiliationFigures; errors: AffiliationError[] } {
  let auto = 0;
  let correct = 0;
  let first = 0;
  let anywhere = 0;
  let multi = false;
  const times: number[] = [];
  const errors: AffiliationError[] = [];
  const started = performance.now();
  for (const row of rows) {
    const t0 = performance.now();
    const a = strategy(row.affiliation);
    times.push(performance.now() - t0);
    if (a.id === row.ror) first++;
    if (a.all) {
      multi = true;
      if (a.all.includes(row.ror)) anywhere++;
    }
    const base = { affiliation: row.affiliation, expected: row.ror, expectedName: nameOf(row.ror), got: a.id, gotName: a.name, score: a.score };
    if (a.match) {
      auto++;
      if (a.id === row.ror) correct++;
      else errors.push({ ...base, kind: "wrong auto-match" });
    } else {
      errors.push({ ...base, kind: "missed" });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  const n = rows.length || 1;
  return {
    figures: {
      rows: rows.length, autoMatches: auto, correct,
      precision: auto ? correct / auto : 0, recall: correct / n, precisionAt1: first / n,
      ...(multi ? { foundAnywhere: anywhere / n } : {}),
      perSecond: rows.length / (seconds || 1), p50Ms: q(0.5), p99Ms: q(0.99),
    },
    errors,
  };
}

/** Published figures on this Crossref set (ROR's affiliation-matching evaluation), to compare with. */
export const PUBLISHED: { name: string; precision: number; recall: number }[] = [
  { name: "ROR affiliation matching (production)", precision: 0.910, recall: 0.693 },
  { name: "ROR NER-based strategy", precision: 0.899, recall: 0.874 },
  { name: "Semantic Scholar S2AFF", precision: 0.830, recall: 0.963 },
  { name: "OpenAlex", precision: 0.807, recall: 0.835 },
];

export const AFFILIATION_TARGETS = { precision: 0.95, recall: 0.9, perSecond: 500 } as const;

export interface AffiliationBench {
  file: string;
  goldRows: number;
  inRor: number;
  heldout: { refx: AffiliationFigures; baseline: AffiliationFigures };
  dev: { refx: AffiliationFigures; baseline: AffiliationFigures };
  errors: AffiliationError[];
}

export function runAffiliationBench(matcher: ReconciliationIndex, file: string, errorsShown = 20): AffiliationBench {
  const { rows, total } = readGoldAffiliations(file, (id) => !!matcher.get("ror", id));
  const nameOf = (id: string) => matcher.get("ror", id)?.name;
  const part = (p: GoldAffiliation["part"]) => rows.filter((r) => r.part === p);
  const refx = refxStrategy(matcher);
  const baseline = segmentBaseline(matcher);
  // Warm the JIT on development strings first, so the held-out part (timed first) is not charged for it.
  for (const r of part("dev").slice(0, 500)) {
    refx(r.affiliation);
    baseline(r.affiliation);
  }
  const dev = evaluateAffiliations(refx, part("dev"), nameOf);
  return {
    file,
    goldRows: total,
    inRor: rows.length,
    heldout: { refx: evaluateAffiliations(refx, part("heldout")).figures, baseline: evaluateAffiliations(baseline, part("heldout")).figures },
    dev: { refx: dev.figures, baseline: evaluateAffiliations(baseline, part("dev")).figures },
    // Errors are listed from the development part only: the held-out part is never read row by row.
    errors: dev.errors.filter((e) => e.kind === "wrong auto-match").slice(0, errorsShown),
  };
}
