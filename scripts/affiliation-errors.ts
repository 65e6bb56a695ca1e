// `npm run affiliation-errors`: the affiliation decision's errors on the
// development part of every gold file (../shared/data/gold/), by category, to
// find what a rule or a feature could fix. Reads the development part only:
// the held-out part, chosen by affiliations.ts partOf, is for reporting. Not a
// test and not a benchmark: a listing for whoever tunes the decision
// (docs/benchmark.md, "Affiliation flags: the gap is the model's, ties at 100 to the longer mention").
import { Command } from "commander";
import { join, resolve } from "node:path";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import type { AffiliationOrganisation, AffiliationResult } from "../reconcile/affiliation/match.ts";
import type { EntityRecord } from "../reconcile/types.ts";
import { PROJECT_ROOT } from "../app/config.ts";
import { goldFiles, readProtocolRows, type ProtocolRow } from "./bench/ror-protocol.ts";

const opts = new Command("affiliation-errors")
  .description("List the affiliation decision's errors on the development part of ../shared/data/gold/*.csv, by category")
  .option("--data-dir <dir>", "the real extracts", resolve(PROJECT_ROOT, "..", "shared", "data"))
  .option("--category <names>", "list only these categories (comma-separated); default: every category")
  .option("--examples <n>", "strings listed a category", "40")
  .option("--decision <d>", "model or rule", "model")
  .parse()
  .opts<{ dataDir: string; category?: string; examples: string; decision: "model" | "rule" }>();

/** Why one string's flags differ from the asserted set: one category a string, the first that applies. */
type ErrorCategory =
  | "no-organisation string flagged"
  | "second flag beside the right one"
  | "another organisation of the string asserted"
  | "parent or child of the asserted one flagged"
  | "asserted not found, flagged one in the same country"
  | "asserted not found, flagged one in another country"
  | "asserted not found, flagged one with no country"
  | "missed: found, not flagged"
  | "missed: found only below the reporting score"
  | "missed: not found";

const BASE = "http://localhost:3000";

function related(a: EntityRecord, b: EntityRecord): boolean {
  const parents = new Set(a.parents.map((p) => p.uri));
  const children = new Set(a.children.map((c) => c.uri));
  return b.sameAs.some((u) => parents.has(u) || children.has(u));
}

function categorise(row: ProtocolRow, r: AffiliationResult, record: (id: string) => EntityRecord | undefined): ErrorCategory | undefined {
  const flagged = r.organisations.filter((o) => o.match);
  const right = flagged.filter((o) => row.asserted.includes(o.record.id));
  const wrong = flagged.filter((o) => !row.asserted.includes(o.record.id));
  const found = (id: string) => r.organisations.some((o) => o.record.id === id);
  if (!wrong.length && right.length === row.asserted.length) return undefined;
  if (!row.asserted.length) return "no-organisation string flagged";
  if (wrong.length) {
    if (right.length) return "second flag beside the right one";
    const asserted = row.asserted.map(record).filter((x): x is EntityRecord => !!x);
    if (wrong.some((o) => asserted.some((a) => related(o.record, a)))) return "parent or child of the asserted one flagged";
    if (row.asserted.some(found)) return "another organisation of the string asserted";
    const w = wrong[0].record;
    if (!w.country) return "asserted not found, flagged one with no country";
    return asserted.some((a) => a.country === w.country) ? "asserted not found, flagged one in the same country" : "asserted not found, flagged one in another country";
  }
  if (row.asserted.some(found)) return "missed: found, not flagged";
  return "missed: not found";
}

const describe = (o: AffiliationOrganisation) => {
  const p = o.features.find((f) => f.id === "match_probability")?.value;
  return `${o.match ? "*" : " "}${o.record.name} [${o.record.country ?? "?"}${o.record.city ? ", " + o.record.city : ""}] ${o.score}${p !== undefined ? ` p=${p}` : ""} «${o.mention.text}»`;
};

async function main() {
  const store = new RefStore();
  await loadDataDir(store, { dataDir: opts.dataDir, base: BASE, cacheDir: join(PROJECT_ROOT, ".refx", "cache") });
  const matcher = ReconciliationIndex.build(store, BASE);
  const record = (id: string) => matcher.get("ror", id);
  const wanted = opts.category?.split(",").map((s) => s.trim());
  const shown = Number(opts.examples);
  for (const file of goldFiles(join(opts.dataDir, "gold"))) {
    const rows = readProtocolRows(file, (id) => !!record(id)).rows.filter((r) => r.part === "dev");
    const byCategory = new Map<ErrorCategory, string[]>();
    for (const row of rows) {
      const r = matcher.affiliation("ror", row.affiliation, undefined, opts.decision);
      const category = categorise(row, r, record);
      if (!category) continue;
      const lines = byCategory.get(category) ?? [];
      const asserted = row.asserted.map((id) => {
        const a = record(id);
        return a ? `${a.name} [${a.country ?? "?"}${a.city ? ", " + a.city : ""}]` : id;
      });
      lines.push([`  ${row.affiliation}`, `    asserted: ${asserted.join(" | ") || "NP"}`, ...r.organisations.map((o) => `    ${describe(o)}`)].join("\n"));
      byCategory.set(category, lines);
    }
    console.log(`# ${file.split("/").pop()}: ${rows.length} development strings`);
    for (const [c, lines] of [...byCategory].sort((a, b) => b[1].length - a[1].length)) console.log(`  ${String(lines.length).padStart(4)}  ${c}`);
    for (const [c, lines] of byCategory) {
      if (wanted && !wanted.some((w) => c.includes(w))) continue;
      console.log(`\n## ${c} (${lines.length})`);
      console.log(lines.slice(0, shown).join("\n"));
    }
    console.log("");
  }
}

main().then(() => process.exit(0), (e: Error) => { console.error(`refx affiliation-errors failed: ${e.stack ?? e.message}`); process.exit(1); });
