import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The run-wide folder where ../shared/data is parsed once (tests/shared-cache.ts).
    globalSetup: ["tests/global-setup.ts"],
    // Browser tests share the two CI cores with the integration tests on ../shared/data: generous limits.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests load ../shared/data into a real Oxigraph store: one process
    // per file (forks, isolated) keeps memory predictable and no state leaks between files.
    pool: "forks",
    // Two files at a time even on 2 cores (vitest's default there is 1): much of a file's time
    // is spent waiting on child processes, Chromium, HTTP or the other file's parse of ../shared/data.
    // On a machine busy with other work, VITEST_MAX_WORKERS=1 spares the timed SPARQL tests.
    maxWorkers: 2,
  },
});
