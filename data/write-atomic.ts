// A small file replaced whole: written beside it under a name of this process
// (`<file>.tmp-<pid>`, which data/stale-saves.ts removes after a crash), then
// renamed over it, so a reader sees the old content or the new, never half.
import { renameSync, writeFileSync } from "node:fs";

export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
