import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests load ../shared/data into a real Oxigraph store: one worker
    // per file keeps memory predictable on the 2-core CI machine.
    pool: "forks",
  },
});
