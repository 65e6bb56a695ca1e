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
  precision: number;
  recall: number;
  /** The right organisation is the first one found, auto-matched or not. */
  precisionAt1: number;
  /** The right organisation is among every organisation the string was found to name. */
  foundAnywhere: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export interface AffiliationError {
  affiliation: string;
  expected: string;
  got?: string;
  gotName?: string;
  score?: number;
  match: boolean;
  kind: "wrong" | "missed";
}

export function evaluateAffiliations(matcher: ReconciliationIndex, rows: GoldAffiliation[]): { figures: AffiliationFigures; errors: AffiliationError[] } {
  let auto = 0;
  let correct = 0;
  let first = 0;
  let anywhere = 0;
  const times: number[] = [];
  const errors: AffiliationError[] = [];
  const started = performance.now();
  for (const row of rows) {
    const t0 = performance.now();
    const result = matcher.affiliation("ror", row.affiliation);
    times.push(performance.now() - t0);
    const top = result.primary;
    if (top?.record.id === row.ror) first++;
    if (result.organisations.some((o) => o.record.id === row.ror)) anywhere++;
    if (top?.match) {
      auto++;
      if (top.record.id === row.ror) correct++;
      else errors.push({ affiliation: row.affiliation, expected: row.ror, got: top.record.id, gotName: top.record.name, score: top.score, match: true, kind: "wrong" });
    } else {
      errors.push({ affiliation: row.affiliation, expected: row.ror, got: top?.record.id, gotName: top?.record.name, score: top?.score, match: false, kind: "missed" });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0;
  const n = rows.length || 1;
  return {
    figures: {
      rows: rows.length, autoMatches: auto, correct,
      precision: auto ? correct / auto : 0, recall: correct / n, precisionAt1: first / n, foundAnywhere: anywhere / n,
      perSecond: rows.length / (seconds || 1), p50: q(0.5), p99: q(0.99),
    },
    errors,
  };
}
