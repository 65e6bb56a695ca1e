// A save interrupted by a crash or `kill -9` leaves its temporary copy
// (`graphs.tmp-<pid>`, `records.json.tmp-<pid>`): the rename that would have
// replaced the previous save never ran, and nothing else removes it (107 MB
// each on the real data). At start, those of processes no longer running are
// removed; a save in progress in another live process is left alone.
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const TMP = /\.tmp-(\d+)$/;

function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes `*.tmp-<pid>` files and folders of dead processes under `cacheDir` (two levels deep); returns what it removed. */
export function removeStaleSaves(cacheDir: string, depth = 2): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const path = join(cacheDir, name);
    const m = TMP.exec(name);
    if (m) {
      if (!running(Number(m[1]))) {
        rmSync(path, { recursive: true, force: true });
        removed.push(path);
      }
      continue;
    }
    if (depth > 1) {
      try {
        if (statSync(path).isDirectory()) removed.push(...removeStaleSaves(path, depth - 1));
      } catch {
        // gone meanwhile
      }
    }
  }
  return removed;
}
