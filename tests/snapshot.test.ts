// Snapshots (data/snapshot.ts): a snapshot becomes current only once written
// whole, a failed one leaves the previous current, and old ones are pruned.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { currentSnapshot, publishSnapshot } from "../data/snapshot.ts";
import { tempDir } from "./helpers.ts";

describe("snapshots", () => {
  const cache = tempDir("refx-snapshot-");
  afterAll(() => cache.remove());
  const fill = (label: string) => (dir: string) => writeFileSync(join(dir, "state.json"), JSON.stringify({ label }));
  const label = () => JSON.parse(readFileSync(join(currentSnapshot(cache.path)!, "state.json"), "utf8")).label;

  it("has no current snapshot before the first publication", () => {
    expect(currentSnapshot(cache.path)).toBeUndefined();
  });

  it("makes a snapshot current only once complete, and keeps the previous one when writing fails", async () => {
    const first = await publishSnapshot(cache.path, fill("first"));
    expect(currentSnapshot(cache.path)).toBe(first);
    expect(label()).toBe("first");
    await expect(
      publishSnapshot(cache.path, (dir) => {
        fill("broken")(dir);
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(label()).toBe("first");
    // The unfinished folder is gone, not left beside the snapshots.
    expect(readdirSync(join(cache.path, "snapshots"))).toEqual([first.split("/").at(-1)]);
  });

  it("keeps the two newest snapshots", async () => {
    const made: string[] = [];
    for (const l of ["a", "b", "c"]) {
      made.push(await publishSnapshot(cache.path, fill(l)));
      await new Promise((r) => setTimeout(r, 5)); // ids are made of the time
    }
    expect(label()).toBe("c");
    expect(readdirSync(join(cache.path, "snapshots")).sort()).toEqual(made.slice(1).map((d) => d.split("/").at(-1)).sort());
    expect(existsSync(made[0])).toBe(false);
  });
});
