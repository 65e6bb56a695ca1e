// Shared by the tests: where the real extracts are, and throwaway directories.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PROJECT_ROOT, SAMPLE_DATA_DIR } from "../app/config.ts";

export { PROJECT_ROOT, SAMPLE_DATA_DIR };

/** ../shared beside the project (or $REFX_SHARED_DIR, for a checkout elsewhere): real extracts, specs and clients, absent on a user's fresh clone. */
export const SHARED = process.env.REFX_SHARED_DIR ? resolve(process.env.REFX_SHARED_DIR) : resolve(PROJECT_ROOT, "..", "shared");
export const SHARED_DATA = join(SHARED, "data");
export const HAS_SHARED_DATA = existsSync(join(SHARED_DATA, "uai"));
export const SKIP_SHARED_MESSAGE = `../shared/data is absent (${SHARED_DATA}): integration tests on the real extracts are skipped`;

if (!HAS_SHARED_DATA) console.warn(SKIP_SHARED_MESSAGE);

export const BASE = "http://refx.test";

export function tempDir(prefix = "refx-test-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** `npx refx ...` as a user runs it (scripts/refx.mjs in a child process): exit code and both outputs, never a throw. */
export function runRefx(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["scripts/refx.mjs", ...args], { cwd: PROJECT_ROOT, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** An HTTP answer as the API tests read it: the bytes, the text, and the JSON body when the text is JSON. */
export interface Reply {
  status: number;
  headers: Headers;
  raw: Buffer;
  text: string;
  body: any;
}

export async function fetchReply(url: string, init?: RequestInit): Promise<Reply> {
  const res = await fetch(url, init);
  const raw = Buffer.from(await res.arrayBuffer());
  const text = raw.toString("utf8");
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, raw, text, body };
}
