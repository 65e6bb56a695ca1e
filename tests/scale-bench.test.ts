// The scale benchmark's generator and runner at a tiny fraction: the files are
// in the layouts the loaders read, seeded, with valid check characters and the
// private rows that must be left out; the runner measures every figure.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generateScaleData } from "../scripts/bench/scale-data.ts";
import { runScale, scaleTable } from "../scripts/bench/scale.ts";
import { checkIdentifier } from "../vocab/check-digits.ts";
import { tempDir } from "./helpers.ts";

const tmp = tempDir("refx-scale-test-");
afterAll(() => tmp.remove());

describe("scale data generator", () => {
  const a = join(tmp.path, "a");
  const b = join(tmp.path, "b");
  const files = generateScaleData({ dir: a, scale: 0.0005, seed: 3 });
  generateScaleData({ dir: b, scale: 0.0005, seed: 3 });
  const read = (dir: string, rel: string) => readFileSync(join(dir, rel), "utf8");
  const units = read(a, "sirene/StockUniteLegale_utf8.csv").trim().split("\n");
  const etabs = read(a, "sirene/StockEtablissement_utf8.csv").trim().split("\n");

  it("writes every source at the fraction asked, the same files for the same seed", () => {
    expect(units.length - 1).toBe(14_000);
    expect(etabs.length - 1).toBeGreaterThan(17_000);
    expect(files.find((f) => f.source === "ror")!.rows).toBe(60);
    for (const rel of ["sirene/StockEtablissement_utf8.csv", "ror/ror-records-v2.json", "wikidata/wikidata-establishments.json", "education/fr-en-annuaire-education.csv"]) {
      expect(read(a, rel)).toBe(read(b, rel));
    }
    expect(JSON.parse(read(a, "ror/ror-records-v2.json"))).toHaveLength(60);
    expect(Object.keys(JSON.parse(read(a, "wikidata/wikidata-establishments.json")).entities)).toHaveLength(150);
  });

  it("gives SIREN, SIRET, UAI, RNSR and ROR ids that pass their checks", () => {
    const cells = etabs.slice(1, 200).map((l) => l.split(","));
    for (const c of cells) {
      expect(checkIdentifier("siren", c[0]).valid).toBe(true);
      expect(checkIdentifier("siret", c[2]).valid).toBe(true);
    }
    const edu = read(a, "education/fr-en-annuaire-education.csv").trim().split("\n").slice(1, 50);
    for (const l of edu) expect(checkIdentifier("uai", l.split(";")[0]).valid).toBe(true);
    const rnsr = read(a, "rnsr/fr-esr-structures-recherche-publiques-actives.csv").trim().split("\n").slice(1);
    for (const l of rnsr) expect(checkIdentifier("rnsr", l.split(";")[0]).valid).toBe(true);
    for (const r of JSON.parse(read(a, "ror/ror-records-v2.json")) as { id: string }[]) expect(checkIdentifier("ror", r.id.replace("https://ror.org/", "")).valid).toBe(true);
  });

  it("holds natural persons, non-diffusible units and closed establishments in realistic shares", () => {
    const col = (i: number) => units.slice(1).map((l) => l.split(",")[i]);
    const share = (values: string[], v: string) => values.filter((x) => x === v).length / values.length;
    expect(share(col(27), "1000")).toBeGreaterThan(0.45);
    expect(share(col(1), "P")).toBeGreaterThan(0.04);
    expect(share(etabs.slice(1).map((l) => l.split(",")[45]), "F")).toBeGreaterThan(0.1);
  });
});

describe("scale benchmark runner", () => {
  it("loads, restarts and serves generated data at a tiny fraction, and reports each figure", async () => {
    const { points, failures } = await runScale({ scales: [0.0005], dir: join(tmp.path, "bench"), seed: 1, batches: 5, concurrency: 2, keep: false, writeDoc: false, log: () => {} });
    expect(failures).toEqual([]);
    const p = points[0];
    expect(p.load.sources.find((s) => s.source === "sirene-ul")!.rows).toBe(14_000);
    expect(p.load.sources.find((s) => s.source === "sirene-etab")!.entities).toBeGreaterThan(0);
    expect(p.load.peakRssMB).toBeGreaterThan(0);
    expect(p.savedStoreMB).toBeGreaterThan(0);
    expect(p.restartSeconds).toBeGreaterThan(0);
    expect(p.reconcile).toMatchObject({ queries: 50, errors: 0 });
    expect(p.sparqlMs).toBeGreaterThan(0);
    expect(scaleTable(points)).toMatch(/^\| scale \|/);
  }, 300_000);
});
