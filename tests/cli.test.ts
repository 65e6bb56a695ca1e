// The refx command line: `refx load` as a user runs it (`npx refx` is
// scripts/refx.mjs, `runRefx` a child process), the other cases the same
// command line in this process (`refx`), which spares a process start each.
import { afterAll, describe, expect, it } from "vitest";
import { refx, runRefx, SAMPLE_DATA_DIR, tempDir } from "./helpers.ts";

describe("refx CLI", () => {
  const cache = tempDir();
  afterAll(() => cache.remove());

  it("has --help on every command", async () => {
    for (const cmd of ["load", "download", "stats"]) {
      const r = await refx(cmd, "--help");
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: refx ${cmd}`));
      expect(r.stdout).toMatch(/--data-dir/);
    }
  }, 60_000);

  it("loads a data directory into the saved store and reports it as JSON", async () => {
    const r = await runRefx("load", "--data-dir", SAMPLE_DATA_DIR, "--cache-dir", cache.path, "--json");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.fromCache).toBe(false);
    expect(report.sources).toHaveLength(7);
    expect(report.triplesPerSecond).toBeGreaterThan(0);
    expect(report.peakRssMB).toBeGreaterThan(0);

    const stats = await refx("stats", "--data-dir", SAMPLE_DATA_DIR, "--cache-dir", cache.path, "--json");
    expect(stats.code, stats.stderr).toBe(0);
    const s = JSON.parse(stats.stdout);
    expect(s.classes).toContainEqual(expect.objectContaining({ class: "schema:CollegeOrUniversity" }));
    expect(Object.values<number>(s.graphs).reduce((a, b) => a + b, 0)).toBe(report.graphSizes && Object.values<number>(report.graphSizes).reduce((a, b) => a + b, 0));
  }, 60_000);

  it("prints a load error with file and line, and exits non-zero", async () => {
    const r = await refx("load", "--data-dir", "/nonexistent/refx", "--cache-dir", cache.path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refx: \/nonexistent\/refx: no such data directory/);
  }, 60_000);

  it("refuses an unknown source to download, listing the valid ones", async () => {
    const r = await refx("download", "--source", "bogus", "--data-dir", cache.path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown source "bogus"; valid sources are: uai, education/);
  }, 60_000);
});
