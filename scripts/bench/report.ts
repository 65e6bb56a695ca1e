// The report: readable tables on stdout, with the targets beside the
// figures, the worst refx errors, and the same as JSON.
import type { Figures, Latency } from "./metrics.ts";
import type { Answer, LabelledQuery } from "./types.ts";

export const TARGETS = {
  precisionAt1: 0.95,
  autoPrecision: 0.99,
  autoRecall: 0.8,
  queriesPerSecond: 1000,
  p99BatchMs: 50,
  startupSeconds: 20,
} as const;

export interface ErrorRow {
  type: "wrong auto-match" | "wrong top-1" | "missed auto-match";
  service: string;
  kind: string;
  source: string;
  query: string;
  properties?: string;
  expected: string;
  got: string;
  score: number;
  match: boolean;
  /** Score of the second candidate, if any. */
  second?: number;
  /** Rank (1-5) and score of the right record among the candidates, if there. */
  expectedRank?: number;
  expectedScore?: number;
}

const describeProperties = (q: LabelledQuery) => q.properties?.map((p) => `${p.pid}=${p.values.join("|")}`).join(", ");

/**
 * Wrong auto-matches first (most confident first), then positives whose top
 * candidate is wrong; when there are fewer than `limit`, the list goes on
 * with right top candidates that were not auto-matched (highest scores first),
 * which is what auto-match recall is tuned with.
 */
export function worstErrors(queries: LabelledQuery[], answers: Answer[], limit: number): ErrorRow[] {
  const wrongAuto: ErrorRow[] = [];
  const wrongTop: ErrorRow[] = [];
  const missed: ErrorRow[] = [];
  queries.forEach((q, i) => {
    const a = answers[i];
    if (!a) return;
    const top = a.candidates[0];
    const matched = a.candidates.find((c) => c.match);
    const right = a.candidates.findIndex((c) => c.correct);
    const base = {
      service: q.service, kind: q.kind, source: q.source, query: q.query, properties: describeProperties(q),
      expected: q.expected ? `${q.expected.id} ${q.expected.name}` : "(none: negative)",
      second: a.candidates[1]?.score,
      expectedRank: right >= 0 ? right + 1 : undefined, expectedScore: right >= 0 ? a.candidates[right].score : undefined,
    };
    if (matched && !matched.correct) {
      wrongAuto.push({ type: "wrong auto-match", ...base, got: `${matched.id} ${matched.name}`, score: matched.score, match: true });
    } else if (q.expected && (!top || !top.correct)) {
      wrongTop.push({ type: "wrong top-1", ...base, got: top ? `${top.id} ${top.name}` : a.error ? `(error: ${a.error})` : "(no candidate)", score: top?.score ?? 0, match: !!top?.match });
    } else if (q.expected && top?.correct && !matched) {
      missed.push({ type: "missed auto-match", ...base, got: `${top.id} ${top.name}`, score: top.score, match: false });
    }
  });
  wrongAuto.sort((a, b) => b.score - a.score);
  wrongTop.sort((a, b) => b.score - a.score);
  missed.sort((a, b) => b.score - a.score || b.score - (b.second ?? 0) - (a.score - (a.second ?? 0)));
  return [...wrongAuto, ...wrongTop, ...missed].slice(0, limit);
}

// ---- text formatting ----

const fmt = (x: number | null | undefined, digits = 3) => (x == null || Number.isNaN(x) ? "–" : x.toFixed(digits));
const pct = (x: number | null | undefined) => (x == null || Number.isNaN(x) ? "–" : x.toFixed(3));
const mark = (ok: boolean | undefined) => (ok === undefined ? " " : ok ? "✓" : "✗");
const atLeast = (x: number | null | undefined, t: number) => (x == null || Number.isNaN(x) ? undefined : x >= t);
const below = (x: number | null | undefined, t: number) => (x == null || Number.isNaN(x) ? undefined : x < t);

export function table(header: string[], rows: (string | number)[][], align?: ("l" | "r")[]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => [...(r[c] ?? "")].length)));
  const line = (r: string[]) =>
    r.map((v, c) => {
      const pad = " ".repeat(Math.max(0, widths[c] - [...v].length));
      return (align?.[c] ?? (c === 0 ? "l" : "r")) === "l" ? v + pad : pad + v;
    }).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

export function qualityRow(label: string, f: Figures, withMarks = true): string[] {
  const m = (v: number | null, t: number) => (withMarks ? mark(atLeast(v, t)) : "");
  return [
    label, String(f.queries), String(f.positives), String(f.negatives),
    `${pct(f.precisionAt1)}${m(f.precisionAt1, TARGETS.precisionAt1)}`,
    pct(f.recallAt5),
    `${pct(f.autoPrecision)}${m(f.autoPrecision, TARGETS.autoPrecision)}`,
    `${pct(f.autoRecall)}${m(f.autoRecall, TARGETS.autoRecall)}`,
    `${f.negativeAutoMatches}/${f.negatives}`,
    String(f.autoMatches),
    f.failures ? String(f.failures) : "",
  ];
}

export const QUALITY_HEADER = ["", "queries", "pos", "neg", "P@1", "R@5", "auto P", "auto R", "neg auto", "autos", "fail"];
export const TARGET_ROW = ["target", "", "", "", `≥${TARGETS.precisionAt1}`, "", `≥${TARGETS.autoPrecision}`, `≥${TARGETS.autoRecall}`, "", "", ""];

export function speedRow(label: string, l: Latency | undefined): string[] {
  if (!l) return [label, "–", "–", "–", "–", "–"];
  return [
    label, String(l.queries),
    `${l.queriesPerSecond.toFixed(0)}${mark(atLeast(l.queriesPerSecond, TARGETS.queriesPerSecond))}`,
    fmt(l.p50BatchMs, 1),
    `${fmt(l.p99BatchMs, 1)}${mark(below(l.p99BatchMs, TARGETS.p99BatchMs))}`,
    fmt(l.maxBatchMs, 1),
  ];
}

export const SPEED_HEADER = ["", "queries", "q/s", "p50 ms/10q", "p99 ms/10q", "max"];
export const SPEED_TARGET_ROW = ["target", "", `≥${TARGETS.queriesPerSecond}`, "", `<${TARGETS.p99BatchMs}`, ""];

export const ratioText = (a: number | null, b: number | null) => (a == null || b == null ? "–" : b === 0 ? (a === 0 ? "=" : "∞") : (a / b).toFixed(2));

export function errorLines(errors: ErrorRow[]): string {
  return errors
    .map((e, i) => {
      const props = e.properties ? ` [${e.properties}]` : "";
      const rank = e.type === "missed auto-match" ? "" : e.expectedRank ? `, right one at #${e.expectedRank} (${e.expectedScore})` : ", right one not in top 5";
      return [
        `${String(i + 1).padStart(2)}. ${e.type.toUpperCase()}  ${e.service}/${e.kind} (${e.source})  "${e.query}"${props}`,
        `    expected ${e.expected}`,
        `    got      ${e.got}  score ${e.score}${e.match ? " MATCH" : ""}${e.second !== undefined ? `, next ${e.second}` : ""}${e.type === "wrong top-1" || !e.expected.startsWith("(none") ? rank : ""}`,
      ].join("\n");
    })
    .join("\n");
}

export { fmt, pct, mark, atLeast, below };
