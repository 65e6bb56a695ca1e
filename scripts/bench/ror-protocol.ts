// ROR's acceptance protocol for affiliation matching, on every gold file of
// ../shared/data/gold/: for each string, the set of organisations flagged
// `match` is compared with the set asserted (`NP`: no organisation should be
// found). Accuracy = the sets are equal; precision and recall are over flagged
// ids; "NP flagged" counts the no-organisation strings that got one anyway.
// Only ROR ids among the loaded ROR records count: an asserted id absent from
// ../shared/data/ror is dropped, and a string left with none (and not NP) is
// not counted. The held-out part is chosen by the same stable hash as the
// Crossref split (affiliations.ts, partOf), so it never enters tuning.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse } from "csv-parse/sync";
import type { AffiliationResult } from "../../reconcile/affiliation/match.ts";
import { partOf, type GoldAffiliation } from "./affiliations.ts";

export interface ProtocolRow {
  affiliation: string;
  /** Asserted ROR ids (bare), empty for a no-organisation string. */
  asserted: string[];
  part: GoldAffiliation["part"];
}

export interface ProtocolFigures {
  strings: number;
  /** Strings naming no organisation (`NP`). */
  negatives: number;
  accuracy: number;
  precision: number;
  recall: number;
  /** No-organisation strings with something flagged. */
  negativesFlagged: number;
  /** Same, over the no-organisation strings. */
  negativesFlaggedShare: number;
  flagged: number;
  perSecond: number;
}

/** The strings of one gold file (`affiliation,ror_id`, ids `;`-separated or `NP`), kept to loaded ROR ids. */
export function readProtocolRows(file: string, knownRor: (id: string) => boolean): { rows: ProtocolRow[]; total: number } {
  const records = parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as { affiliation: string; ror_id: string }[];
  const rows: ProtocolRow[] = [];
  for (const r of records) {
    if (!r.affiliation?.trim()) continue;
    const raw = (r.ror_id ?? "").trim();
    if (raw === "NP") {
      rows.push({ affiliation: r.affiliation, asserted: [], part: partOf(r.affiliation) });
      continue;
    }
    const ids = raw.split(/[;|\s]+/).map((s) => s.replace(/^https?:\/\/ror\.org\//, "").trim()).filter(Boolean);
    const known = [...new Set(ids.filter(knownRor))];
    if (!known.length) continue;
    rows.push({ affiliation: r.affiliation, asserted: known, part: partOf(r.affiliation) });
  }
  return { rows, total: records.length };
}

/** What one decision flags in a string: the ids of the organisations marked `match`. */
export type Flagger = (text: string) => string[];

export function flaggedOf(r: AffiliationResult): string[] {
  return r.organisations.filter((o) => o.match).map((o) => o.record.id);
}

export function evaluateProtocol(flag: Flagger, rows: ProtocolRow[]): ProtocolFigures {
  let equal = 0, tp = 0, flagged = 0, asserted = 0, negatives = 0, negativesFlagged = 0;
  const started = performance.now();
  for (const row of rows) {
    const got = new Set(flag(row.affiliation));
    const want = new Set(row.asserted);
    const hits = [...got].filter((id) => want.has(id)).length;
    tp += hits;
    flagged += got.size;
    asserted += want.size;
    if (hits === got.size && hits === want.size) equal++;
    if (!want.size) {
      negatives++;
      if (got.size) negativesFlagged++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const n = rows.length || 1;
  return {
    strings: rows.length, negatives,
    accuracy: equal / n,
    precision: flagged ? tp / flagged : 0,
    recall: asserted ? tp / asserted : 0,
    negativesFlagged, negativesFlaggedShare: negatives ? negativesFlagged / negatives : 0,
    flagged,
    perSecond: rows.length / (seconds || 1),
  };
}

export interface ProtocolSet {
  file: string;
  goldRows: number;
  counted: number;
  heldout: { refx: ProtocolFigures; baseline: ProtocolFigures };
  dev: { refx: ProtocolFigures; baseline: ProtocolFigures };
}

export const PROTOCOL_TARGETS = { accuracy: 0.85, precision: 0.97, recall: 0.9, negativesFlaggedShare: 0.02 } as const;
/** ROR's own release floors for its matcher. */
export const ROR_RELEASE_FLOORS = { accuracy: 0.73, precision: 0.95, recall: 0.7 } as const;

export function goldFiles(goldDir: string): string[] {
  try {
    return readdirSync(goldDir).filter((f) => f.endsWith(".csv")).sort().map((f) => join(goldDir, f));
  } catch {
    return [];
  }
}

/** Every gold file, refx's decision against the baseline's (the matcher before the calibrated decision), same run. */
export function runProtocol(files: string[], knownRor: (id: string) => boolean, refx: Flagger, baseline: Flagger): ProtocolSet[] {
  return files.map((file) => {
    const { rows, total } = readProtocolRows(file, knownRor);
    const part = (p: GoldAffiliation["part"]) => rows.filter((r) => r.part === p);
    return {
      file: basename(file),
      goldRows: total,
      counted: rows.length,
      heldout: { refx: evaluateProtocol(refx, part("heldout")), baseline: evaluateProtocol(baseline, part("heldout")) },
      dev: { refx: evaluateProtocol(refx, part("dev")), baseline: evaluateProtocol(baseline, part("dev")) },
    };
  });
}
