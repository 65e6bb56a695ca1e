import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Browser tests share the two CI cores with the integration tests on ../shared/data: generous limits.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests load ../shared/data into a real Oxigraph store: one worker
    // per file keeps memory predictable on the 2-core CI machine.
    pool: "forks",
  },
});
