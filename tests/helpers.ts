// Shared by the tests: where the real extracts are, and throwaway directories.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Writable } from "node:stream";
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

export interface RefxRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npx refx ...` as a user runs it (scripts/refx.mjs in a child process): exit code and both outputs,
 * never a throw. Each costs a process start (about 1.8 CPU s: tsx and the modules), so most tests of a
 * command call it in this process (`refx` below) and a few per command run the real binary.
 */
export function runRefx(...args: string[]): Promise<RefxRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["scripts/refx.mjs", ...args], { cwd: PROJECT_ROOT, maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A stream that keeps what is written to it, read back as UTF-8 text. */
function collector(): { stream: Writable; text(): string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/**
 * The same command line run in this process (scripts/cli.ts `main`, the function scripts/refx.mjs
 * calls), its standard output and error kept apart from the test's: exit code and both outputs, never
 * a throw. Commands run at once keep their outputs apart too (each writes to the streams it is given).
 */
export async function refx(...args: string[]): Promise<RefxRun> {
  // Imported on first use: the files that never run a command do not load the command line's modules.
  const { main } = await import("../scripts/cli.ts");
  const stdout = collector();
  const stderr = collector();
  const code = await main(args, { stdout: stdout.stream, stderr: stderr.stream });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
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
