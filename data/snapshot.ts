// Snapshots: what `refx load` publishes for servers to start from without
// parsing (the saved store and the matcher's records). The folder of a data
// directory holds `snapshots/<id>/` (its files: data/cache.ts) and `current`,
// the id of the snapshot to serve.
//
// A load writes a whole new snapshot directory, then replaces `current` by a
// rename, which is atomic: a server starting meanwhile reads either the old
// snapshot or the new one, never half of one, and read-only replicas can share
// the directory with a loader. The two newest snapshots are kept so a replica
// that read `current` just before the swap still finds its files.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { snapshotFiles } from "./cache.ts";
import { writeFileAtomic } from "./write-atomic.ts";

const POINTER = "current";
const KEEP = 2;

/** The directory of the snapshot `current` names, or undefined when none was published. */
export function currentSnapshot(cache: string): string | undefined {
  const pointer = join(cache, POINTER);
  if (!existsSync(pointer)) return undefined;
  const id = readFileSync(pointer, "utf8").trim();
  const dir = join(cache, "snapshots", id);
  return id && !id.includes("/") && existsSync(snapshotFiles(dir).state) ? dir : undefined;
}

/**
 * Writes a new snapshot with `fill(dir)`, then makes it current. A failure
 * inside `fill` removes the unfinished directory and leaves `current` as it was.
 */
export async function publishSnapshot(cache: string, fill: (dir: string) => void | Promise<void>): Promise<string> {
  const id = `${new Date().toISOString().replace(/[-:.]/g, "")}-${process.pid}`;
  const root = join(cache, "snapshots");
  const tmp = join(root, `.${id}.tmp`);
  const dir = join(root, id);
  mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  writeFileAtomic(join(cache, POINTER), `${id}\n`);
  pruneSnapshots(root, id);
  return dir;
}

/** Removes all but the KEEP newest snapshots (ids sort by time), never `keep`. */
function pruneSnapshots(root: string, keep: string): void {
  const ids = readdirSync(root).filter((n) => !n.startsWith(".")).sort();
  for (const id of ids.slice(0, Math.max(0, ids.length - KEEP))) {
    if (id !== keep) rmSync(join(root, id), { recursive: true, force: true });
  }
}
