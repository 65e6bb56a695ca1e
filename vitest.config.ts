import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import LongestFirst from "./tests/sequencer.ts";

/** The test files that read ../shared/data (through tests/shared-cache.ts): the "shared-data" project below. */
const SHARED_DATA_FILES = readdirSync("tests", { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".test.ts") && readFileSync(join("tests", f), "utf8").includes("shared-cache.ts"))
  .map((f) => `tests/${f}`);

export default defineConfig({
  test: {
    // Browser tests share the two CI cores with the integration tests on ../shared/data: generous limits.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One process per file (forks, isolated) keeps memory predictable and no state leaks between
    // files, except in the "shared-data" project (below).
    pool: "forks",
    // Two files at a time even on 2 cores (vitest's default there is 1): much of a file's time
    // is spent waiting on child processes, Chromium, HTTP or the other file's parse of ../shared/data.
    // On a machine busy with other work, VITEST_MAX_WORKERS=1 spares the timed SPARQL tests.
    maxWorkers: 2,
    // Longest files first, those reading ../shared/data last (tests/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        test: { name: "isolated", include: ["tests/**/*.test.ts"], exclude: SHARED_DATA_FILES },
      },
      {
        // The files that only read ../shared/data share one process per worker (not isolated), so the
        // store is restored and the matcher built once per process rather than once per file; the
        // global setup parses ../shared/data once per run, in the background (docs/decisions.md).
        extends: true,
        test: { name: "shared-data", include: SHARED_DATA_FILES, isolate: false, globalSetup: ["tests/global-setup.ts"] },
      },
    ],
  },
});
