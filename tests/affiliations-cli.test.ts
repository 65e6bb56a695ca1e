// `refx affiliations` on the shipped sample: a Latin-1 ';' export of
// affiliation strings checked row by row, the progress bar and the summary on
// standard error, rows on standard output without -o, the errors a user makes;
// and a few thousand rows streamed. The row-by-row case and the streamed one
// run the real binary (scripts/refx.mjs in a child process, `runRefx`), the
// others the same command line in this process (`refx`).
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { AFFILIATION_COLUMNS } from "../app/affiliations.ts";
import { refx, runRefx, SAMPLE_DATA_DIR, tempDir } from "./helpers.ts";

const dir = tempDir("refx-aff-cli-");
const cache = join(dir.path, "cache");
const BASE = "http://localhost:3000";

const data = ["--data-dir", SAMPLE_DATA_DIR, "--cache-dir", cache];

afterAll(() => dir.remove());

const HEADER = ["id", "Affiliation", "note", "refx_primary_id"];
/** The cells of each row as written, and what refx must find. */
const ROWS: { cells: string[]; primary: string; match: boolean; uai?: string; rnsr?: string; ror?: string; wikidata?: string; siret?: string; also?: string[] }[] = [
  {
    cells: ["1", "LIPN, Université Sorbonne Paris Nord, Villetaneuse, France", "laboratoire et tutelle", "périmé"],
    primary: `${BASE}/id/uai/0931238R`, match: true, uai: "0931238R", rnsr: "", ror: "0199hds37", wikidata: "Q990000001", siret: "19931238000017 ; 19931238000082",
    also: [`${BASE}/id/rnsr/199811842K`],
  },
  { cells: ["2", "", "cellule vide", ""], primary: "", match: false, uai: "", ror: "" },
  {
    cells: ["3", "Department of Physics, Humboldt-Universität zu Berlin, Berlin, Germany", "étranger", ""],
    primary: "http://www.wikidata.org/entity/Q990000005", match: true, uai: "", ror: "01hcx6992", wikidata: "Q990000005",
  },
  { cells: ["4", "Boulangerie Zorglub & fils, Paris", "rien", ""], primary: "", match: false, ror: "" },
  {
    cells: ["5", "Laboratoire Jean Kuntzmann; Université Grenoble Alpes; CNRS; Grenoble INP; France", "point-virgule dans la cellule", ""],
    primary: `${BASE}/id/uai/0383546Y`, match: true, uai: "0383546Y", ror: "02rx3b187",
    also: [`${BASE}/id/rnsr/200711934W`, `${BASE}/id/uai/0381912X`],
  },
  { cells: ["6", "Humboldt University, Italy", "pays contredit", ""], primary: "http://www.wikidata.org/entity/Q990000005", match: false, ror: "01hcx6992" },
];

/** A Latin-1 export with ';', CRLF, and quotes where a cell needs them. */
function writeLatin1(): string {
  const cell = (c: string) => (/[;"\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const text = [HEADER, ...ROWS.map((r) => r.cells)].map((r) => r.map(cell).join(";")).join("\r\n") + "\r\n";
  const file = join(dir.path, "affiliations-latin1.csv");
  writeFileSync(file, Buffer.from(text, "latin1"));
  return file;
}

const ORGANISATION_ITEM = /^[^|]+\|[^|]+\|\d+(\.\d+)?\|(true|false)$/;

describe("refx affiliations", () => {
  it("has --help", async () => {
    const help = await refx("affiliations", "--help");
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/Usage: refx affiliations \[options\] <input>/);
    for (const flag of ["--column", "--target", "--output", "--limit", "--data-dir", "--cache-dir", "--json", "--quiet", "--progress"]) expect(help.stdout).toContain(flag);
  }, 30_000);

  it("writes every input column and the primary organisation, all organisations and the primary's identifiers, row by row", async () => {
    const out = join(dir.path, "out.csv");
    const r = await runRefx("affiliations", writeLatin1(), "--column", "affiliation", "-o", out, "--json", ...data);
    expect(r.code, r.stderr).toBe(0);
    // The JSON summary on standard output; no progress bar when standard error is not a terminal.
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ rows: ROWS.length, empty: 1, primaryMatched: 3, withPrimary: 4, errors: 0, target: "all", column: "Affiliation", encoding: "windows-1252", delimiter: ";", output: out });
    expect(s.rowsPerSecond).toBeGreaterThan(0);
    expect(r.stderr).not.toContain("affiliations [");
    expect(r.stderr).toMatch(/^refx: 6 rows \(windows-1252, delimiter ";"\); loading the referentials/);

    const text = readFileSync(out, "utf8");
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text).toContain("\r\n");
    const [header, ...rows] = parse(text, { delimiter: ";", relax_column_count: false }) as string[][];
    // The stale refx_primary_id column of the input is replaced by the fresh result.
    expect(header).toEqual(["id", "Affiliation", "note", ...AFFILIATION_COLUMNS]);
    expect(AFFILIATION_COLUMNS).toEqual([
      "refx_primary_id", "refx_primary_name", "refx_primary_score", "refx_primary_match", "refx_organisations",
      "refx_uai", "refx_rnsr", "refx_siret", "refx_ror", "refx_wikidata",
    ]);
    expect(rows).toHaveLength(ROWS.length);
    const at = (name: string) => header.indexOf(name);
    let organisations = 0;
    ROWS.forEach((want, i) => {
      const row = rows[i];
      const label = `row ${i + 1} ${JSON.stringify(want.cells[1])}`;
      // The input's cells as they were, decoded from Latin-1.
      expect(row.slice(0, 3), label).toEqual(want.cells.slice(0, 3));
      expect(row[at("refx_primary_id")], label).toBe(want.primary);
      expect(row[at("refx_primary_match")], label).toBe(String(want.match));
      const orgs = row[at("refx_organisations")] ? row[at("refx_organisations")].split(" ; ") : [];
      organisations += orgs.length;
      for (const o of orgs) expect(o, label).toMatch(ORGANISATION_ITEM);
      if (want.primary) {
        expect(row[at("refx_primary_name")], label).not.toBe("");
        const score = Number(row[at("refx_primary_score")]);
        expect(score, label).toBeGreaterThan(0);
        expect(score, label).toBeLessThanOrEqual(100);
        // The primary is among the organisations, with the same score and verdict.
        expect(orgs, label).toContain(`${want.primary}|${row[at("refx_primary_name")]}|${row[at("refx_primary_score")]}|${want.match}`);
      } else {
        expect(row.slice(at("refx_primary_name")), label).toEqual(["", "", "false", "", "", "", "", "", ""]);
      }
      for (const id of want.also ?? []) expect(orgs.map((o) => o.split("|")[0]), label).toContain(id);
      for (const scheme of ["uai", "rnsr", "ror", "wikidata", "siret"] as const) {
        if (want[scheme] !== undefined) expect(row[at(`refx_${scheme}`)], `${label} ${scheme}`).toBe(want[scheme]);
      }
    });
    expect(rows[0][at("refx_primary_name")]).toBe("Université Sorbonne Paris Nord");
    expect(rows[0][at("refx_organisations")]).toMatch(/\|Laboratoire d'informatique de Paris-Nord\|[\d.]+\|true/);
    expect(rows[1][at("refx_organisations")]).toBe("");
    expect(rows[3][at("refx_organisations")]).toBe("");
    expect(s.organisations).toBe(organisations);
    expect(existsSync(`${out}.part-${process.pid}`)).toBe(false);
  }, 30_000);

  it("shows the progress bar and the summary line on standard error; writes rows on standard output without -o", async () => {
    const file = writeLatin1();
    const out = join(dir.path, "out-progress.csv");
    const [bar, piped] = await Promise.all([
      refx("affiliations", file, "--column", "Affiliation", "-o", out, "--progress", ...data),
      refx("affiliations", file, "--column", "Affiliation", "--target", "ror", "--limit", "1", ...data),
    ]);
    expect(bar.code, bar.stderr).toBe(0);
    expect(bar.stdout).toBe("");
    expect(bar.stderr).toMatch(/affiliations \[[█░]+\] 100% \| 6\/6 rows \| \d+ rows\/s/);
    expect(bar.stderr).toMatch(
      /refx affiliations: 6 rows → .*out-progress\.csv: 3 with an auto-matched primary \(50%\), \d+ organisations found, 1 empty; \d+\.\d s, \d+ rows\/s, peak memory \d+ MB\n$/,
    );

    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toMatch(/refx affiliations: 6 rows → standard output: 3 with an auto-matched primary \(50%\)/);
    expect(piped.stderr).not.toContain("affiliations [");
    const [header, ...rows] = parse(piped.stdout, { delimiter: ";" }) as string[][];
    const at = (name: string) => header.indexOf(name);
    expect(rows.map((x) => x[at("refx_primary_id")])).toEqual(["0199hds37", "", "01hcx6992", "", "02rx3b187", "01hcx6992"]);
    expect(rows.map((x) => x[at("refx_primary_match")])).toEqual(["true", "false", "true", "false", "true", "false"]);
    // --limit 1: one organisation a row at most.
    for (const x of rows) expect(x[at("refx_organisations")]).not.toContain(" ; ");
  }, 30_000);

  it("fails with a message and exit code 1 on a missing column, a bad target or limit", async () => {
    const file = writeLatin1();
    const out = join(dir.path, "never.csv");
    const [missing, target, limit] = await Promise.all([
      refx("affiliations", file, "--column", "aff", "-o", out, ...data),
      refx("affiliations", file, "--column", "Affiliation", "--target", "isni", "-o", out, ...data),
      refx("affiliations", file, "--column", "Affiliation", "--limit", "0", "-o", out, ...data),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('refx: column: no column "aff" in the file; its columns are "id", "Affiliation", "note", "refx_primary_id"');
    // Checked before the data load: nothing else was printed.
    expect(missing.stderr).not.toMatch(/loading/);
    expect(target.code).toBe(1);
    expect(target.stderr).toMatch(/--target must be one of uai, rnsr, siret, wikidata, ror, all/);
    expect(limit.code).toBe(1);
    expect(limit.stderr).toMatch(/--limit must be a whole number from 1 to 50/);
    expect(existsSync(out)).toBe(false);
  }, 30_000);

  it("streams 1,800 rows in order; prints rows/s and peak memory", async () => {
    const n = 1800;
    const strings = ROWS.map((r) => r.cells[1]);
    const lines = ["n,affiliation"];
    for (let i = 0; i < n; i++) lines.push(`${i + 1},"${strings[i % strings.length]}"`);
    const file = join(dir.path, "many.csv");
    writeFileSync(file, lines.join("\n") + "\n");
    const out = join(dir.path, "many-out.csv");
    const r = await runRefx("affiliations", file, "--column", "affiliation", "-o", out, "--json", "--quiet", ...data);
    expect(r.code, r.stderr).toBe(0);
    // (runLoad's bars print one blank line even when quiet: scripts/load-command.ts, not this command.)
    expect(r.stderr.trim()).toBe("");
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ rows: n, delimiter: ",", empty: n / strings.length, primaryMatched: (3 * n) / strings.length });
    const [header, ...rows] = parse(readFileSync(out, "utf8"), { delimiter: "," }) as string[][];
    expect(header.slice(0, 3)).toEqual(["n", "affiliation", "refx_primary_id"]);
    expect(rows.map((x) => x[0])).toEqual(Array.from({ length: n }, (_, i) => String(i + 1)));
    expect(rows.map((x) => x[2]).slice(0, 6)).toEqual(ROWS.map((w) => w.primary));
    console.log(`refx affiliations, ${n} rows (sample store): ${s.rowsPerSecond} rows/s matching, peak RSS ${s.peakRssMB} MB`);
  }, 30_000);
});
