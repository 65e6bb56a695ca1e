// `refx reconcile`, `refx lookup` and `refx serve` on the same real files as
// the REST API tests, checked row by row; and a 10,000-row batch whose rows/s
// and peak memory are printed. One case of each command runs the real binary
// (scripts/refx.mjs in a child process, `runRefx`), the others the same
// command line in this process (`refx`), which spares a process start each.
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { writeBatchFile } from "../scripts/batch-bench-data.ts";
import { RESULT_COLUMNS } from "../app/batch.ts";
import { MESSY_HEADER, MESSY_ROWS, writeEmpty, writeExcel, writeMessy, writeWithoutColumn } from "./fixtures-batch.ts";
import { PROJECT_ROOT, refx, runRefx, SAMPLE_DATA_DIR, tempDir } from "./helpers.ts";

const dir = tempDir("refx-cli-");
const cache = join(dir.path, "cache");
const BASE = "http://localhost:3000";

const data = ["--data-dir", SAMPLE_DATA_DIR, "--cache-dir", cache];

afterAll(() => dir.remove());

describe("refx reconcile", () => {
  it("has --help, like every command", async () => {
    const commands = ["reconcile", "lookup", "serve"];
    const helps = await Promise.all(commands.map((cmd) => refx(cmd, "--help")));
    helps.forEach((r, i) => {
      expect(r.code, commands[i]).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: refx ${commands[i]}`));
      expect(r.stdout, commands[i]).toMatch(/--data-dir/);
    });
    const help = helps[0];
    for (const flag of ["--column", "--target", "--output", "--city", "--uai", "--json", "--cache-dir"]) expect(help.stdout).toContain(flag);
  }, 60_000);

  it("reconciles the messy Latin-1 export into a CSV, row by row, with a JSON summary", async () => {
    const out = join(dir.path, "messy-out.csv");
    const r = await runRefx("reconcile", writeMessy(dir.path), "--column", "Nom de l'établissement", "--city", "Ville", "--uai", "Code UAI", "-o", out, "--json", ...data);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ rows: MESSY_ROWS.length, target: "all", encoding: "windows-1252", delimiter: ";", output: out });
    expect(summary.matched).toBe(MESSY_ROWS.filter((x) => x.status === "matched").length);
    expect(summary.ambiguous).toBe(MESSY_ROWS.filter((x) => x.status === "ambiguous").length);
    expect(summary.none).toBe(MESSY_ROWS.filter((x) => x.status === "none").length);
    expect(summary.peakRssMB).toBeGreaterThan(0);

    const text = readFileSync(out, "utf8");
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const [header, ...rows] = parse(text, { delimiter: ";" }) as string[][];
    expect(header).toEqual([...MESSY_HEADER, ...RESULT_COLUMNS]);
    const at = (name: string) => header.indexOf(name);
    MESSY_ROWS.forEach((want, i) => {
      const label = `row ${i + 1} ${JSON.stringify(want.cells[0])}`;
      expect(rows[i].slice(0, 4), label).toEqual(want.cells);
      expect(rows[i][at("refx_status")], label).toBe(want.status);
      if (want.id) expect(rows[i][at("refx_id")], label).toBe(want.id.startsWith("http") ? want.id : BASE + want.id);
      if (want.uai) expect(rows[i][at("refx_uai")], label).toBe(want.uai);
      if (want.ror) expect(rows[i][at("refx_ror")], label).toBe(want.ror);
    });
    expect(existsSync(`${out}.part-${process.pid}`)).toBe(false);
  }, 60_000);

  it("writes JSON for an output named .json; prints rows on standard output and the summary on standard error without -o", async () => {
    const out = join(dir.path, "excel-out.json");
    const excel = writeExcel(dir.path);
    const [r, piped] = await Promise.all([
      refx("reconcile", excel, "--column", "etablissement", "--city", "ville", "--target", "uai", "-o", out, ...data),
      refx("reconcile", excel, "--column", "etablissement", "--target", "uai", "--quiet", ...data),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/4 rows → .*excel-out\.json\n {2}matched +3 \(75%\)\n {2}ambiguous +0 \(0%\)\n {2}none +1 \(25%\)/);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.input).toEqual({ encoding: "utf-8", delimiter: ",", bom: true });
    expect(json.rows.map((x: any) => [x.etablissement, x.refx_id])).toEqual([
      ["Université Grenoble Alpes\r\n(UGA)", "0383546Y"],
      ['Conservatoire national des arts et métiers, "Cnam"', "0753471R"],
      ["Institut national des sciences appliquées de Lyon", "0690192J"],
      ["Société sans rapport", null],
    ]);

    expect(piped.code, piped.stderr).toBe(0);
    const [header, ...rows] = parse(piped.stdout, { delimiter: "," }) as string[][];
    expect(header.slice(0, 5)).toEqual(["etablissement", "ville", "note", "", "refx_id"]);
    expect(rows.map((x) => x[4])).toEqual(["0383546Y", "0753471R", "0690192J", ""]);
    expect(piped.stdout).toContain("\r\n");
    expect(piped.stderr).toMatch(/4 rows → standard output/);
  }, 60_000);

  it("fails with a message and a non-zero exit on an empty file, a missing column, a missing file, a bad target", async () => {
    const out = join(dir.path, "never.csv");
    const [empty, missing, nofile, target, nocolumn] = await Promise.all([
      refx("reconcile", writeEmpty(dir.path), "--column", "nom", "-o", out, ...data),
      refx("reconcile", writeWithoutColumn(dir.path), "--column", "nom", "-o", out, ...data),
      refx("reconcile", join(dir.path, "absent.csv"), "--column", "nom", ...data),
      refx("reconcile", writeExcel(dir.path), "--column", "etablissement", "--target", "isni", ...data),
      // A usage error commander reports, from the real binary: exit code 1 and the message on standard error.
      runRefx("reconcile", writeExcel(dir.path), ...data),
    ]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^refx: the file is empty/m);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('refx: column: no column "nom" in the file; its columns are "etablissement", "ville"');
    expect(nofile.code).toBe(1);
    expect(nofile.stderr).toMatch(/absent\.csv: no such file/);
    expect(target.code).toBe(1);
    expect(target.stderr).toMatch(/target must be one of/);
    expect(nocolumn.code).toBe(1);
    expect(nocolumn.stderr).toMatch(/required option '--column <name>'/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("10,000 rows: prints rows/s and peak memory", async () => {
    const file = join(dir.path, "batch-10000.csv");
    writeBatchFile(file, 10_000);
    const out = join(dir.path, "batch-10000-out.csv");
    // The real binary: the rows/s and peak memory printed are a `refx reconcile` process's own.
    const r = await runRefx("reconcile", file, "--column", "nom", "--city", "ville", "--uai", "code_uai", "--target", "uai", "-o", out, "--json", "--quiet", ...data);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.rows).toBe(10_000);
    expect(s.matched + s.ambiguous + s.none).toBe(10_000);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(10_001);
    console.log(`CLI, 10,000 rows (sample store): ${s.rowsPerSecond} rows/s matching, peak RSS ${s.peakRssMB} MB; ${s.matched} matched, ${s.ambiguous} ambiguous, ${s.none} none`);
  }, 60_000);
});

describe("refx lookup", () => {
  it("prints an establishment by any identifier, as JSON or for a person", async () => {
    const [json, text] = await Promise.all([refx("lookup", "isni", "0000 0001 2173 743X", "--json", ...data), refx("lookup", "uai", "0751717J", ...data)]);
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout);
    expect(r).toMatchObject({ id: `${BASE}/id/uai/0751717J`, name: "Université Paris 1 Panthéon-Sorbonne", identifiers: { uai: ["0751717J"], siren: ["197517170"], ror: ["002t25c44"] } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Université Paris 1 Panthéon-Sorbonne\n/);
    expect(text.stdout).toMatch(/\n {2}SIREN {5}197517170\n/);
    expect(text.stdout).toMatch(/\nsources\n {2}uai /);
  }, 60_000);

  it("exits 1 on a malformed identifier (without loading anything) and 2 on an unknown one", async () => {
    const [bad, scheme, absent] = await Promise.all([
      refx("lookup", "uai", "0751717K", ...data),
      refx("lookup", "orcid", "0000-0002-1825-0097", ...data),
      // The real binary's exit code for what does not exist.
      runRefx("lookup", "uai", "0000001B", ...data),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("refx: UAI 0751717K: check letter (mod 23) failed: the 7 digits 0751717 give J, not K");
    expect(scheme.code).toBe(1);
    expect(scheme.stderr).toMatch(/unknown identifier scheme "orcid"/);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toMatch(/no establishment with UAI 0000001B/);
  }, 60_000);
});

describe("refx serve", () => {
  it("serves the REST API as npm start does", async () => {
    const child = spawn(process.execPath, ["scripts/refx.mjs", "serve", "--port", "0", ...data], { cwd: PROJECT_ROOT, env: { ...process.env, PORT: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not listening in 30 s:\n${out}`)), 30_000);
        child.stdout!.on("data", () => {
          const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      const spec = await fetch(`${url}/api/openapi.json`);
      expect(spec.status).toBe(200);
      expect((await spec.json()).openapi).toBe("3.1.0");
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
  }, 60_000);
});
