// vitest globalSetup of the files that read ../shared/data (the "shared-data"
// project of vitest.config.ts, so a run without them pays nothing): one
// run-wide folder where ../shared/data is parsed once, in a child process
// started here and not awaited, so that the parse overlaps the test files that
// do not need it (they run first, tests/sequencer.ts); the files that need it
// wait for its word (tests/shared-cache.ts) and restore from the folder.
// Removed, and the child ended, when the run ends.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { HAS_SHARED_DATA, PROJECT_ROOT } from "./helpers.ts";
import { sharedFiles, takeParseLock } from "./shared-parse.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run-wide cache folder of ../shared/data (see tests/shared-cache.ts). */
    refxSharedCache: string;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "refx-test-shared-"));
  project.provide("refxSharedCache", dir);
  let child: ChildProcess | undefined;
  if (HAS_SHARED_DATA && takeParseLock(dir)) {
    const { ready, failed } = sharedFiles(dir);
    const log = join(dir, "parse.log");
    const out = openSync(log, "a");
    child = spawn(process.execPath, ["--import", "tsx", "tests/shared-parse.ts", dir], { cwd: PROJECT_ROOT, stdio: ["ignore", out, out] });
    // A child that dies without writing its word (killed, out of memory) must not leave the files waiting.
    child.once("exit", (code, signal) => {
      if (!existsSync(ready) && !existsSync(failed)) writeFileSync(failed, `the parse exited (${signal ?? code}):\n${readFileSync(log, "utf8")}`);
    });
  }
  return async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
