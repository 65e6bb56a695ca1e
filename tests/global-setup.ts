// vitest globalSetup: one run-wide folder where ../shared/data is parsed,
// saved and its matcher records written once per `npm test`, by the first
// test file that needs them (tests/shared-cache.ts); every other file of the
// run restores from it. Removed when the run ends. A run that needs no real
// extract (a unit test file alone) pays nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run-wide cache folder of ../shared/data (see tests/shared-cache.ts). */
    refxSharedCache: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "refx-test-shared-"));
  project.provide("refxSharedCache", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
