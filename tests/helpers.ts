// Shared by the tests: where the real extracts are, and throwaway directories.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PROJECT_ROOT, SAMPLE_DATA_DIR } from "../server/config.ts";

export { PROJECT_ROOT, SAMPLE_DATA_DIR };

/** ../shared/data beside the project: real extracts, absent on a user's fresh clone. */
export const SHARED_DATA = resolve(PROJECT_ROOT, "..", "shared", "data");
export const HAS_SHARED_DATA = existsSync(join(SHARED_DATA, "uai"));
export const SKIP_SHARED_MESSAGE = `../shared/data is absent (${SHARED_DATA}): integration tests on the real extracts are skipped`;

if (!HAS_SHARED_DATA) console.warn(SKIP_SHARED_MESSAGE);

export const BASE = "http://refx.test";

export function tempDir(prefix = "refx-test-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
