// Snapshots (data/snapshot.ts): a snapshot becomes current only once written
// whole, a failed one leaves the previous current, and old ones are pruned;
// the saved store (data/graph-files.ts) is written and read in bounded pieces.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { graphFileSlices } from "../data/graph-files.ts";
import { currentSnapshot, publishSnapshot } from "../data/snapshot.ts";
import { RefStore } from "../data/store.ts";
import { readRecordsFile, writeRecordsFile } from "../reconcile/records-file.ts";
import type { EntityRecord, ServiceId } from "../reconcile/types.ts";
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

// Issue 12: a national graph does not fit in one string, so the saved store is
// written from bounded pieces of the graph and restored from bounded slices of
// its file. Small pieces and slices here make a small graph span many of them.
describe("a saved graph larger than one piece or slice", () => {
  const dir = tempDir("refx-save-pieces-");
  afterAll(() => dir.remove());
  const G = "http://refx.test/graph/big";
  const LINKS = "http://refx.test/graph/links";
  const filled = () => {
    const store = new RefStore();
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const s = `<http://refx.test/id/e/${i}>`;
      // Multi-byte characters, so a slice cut anywhere but at a line end would split one.
      lines.push(`${s} <http://www.w3.org/2000/01/rdf-schema#label> "Établissement n°${i} — Île-de-France 🎓"@fr .`);
      lines.push(`${s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Site> .`);
      lines.push(`${s} <http://refx.test/p/code> "${i}" .`);
    }
    store.appendNTriples(G, lines.join("\n") + "\n");
    store.appendNTriples(LINKS, `<http://refx.test/id/e/1> <http://www.w3.org/2002/07/owl#sameAs> <http://refx.test/id/e/2> .\n`);
    return store;
  };
  const sorted = (store: RefStore, g: string) => store.dumpGraph(g).split("\n").filter(Boolean).sort();

  it("dumps a graph in pieces of at most the asked number of triples, together the whole graph", () => {
    const store = filled();
    const pieces = [...store.dumpGraphPieces(G, 500)];
    expect(pieces.length).toBeGreaterThanOrEqual(9000 / 500);
    for (const p of pieces) expect(p.split("\n").filter(Boolean).length).toBeLessThanOrEqual(500);
    expect(pieces.join("").split("\n").filter(Boolean).sort()).toEqual(sorted(store, G));
  });

  it("round-trips through a save written in pieces and a restore read in slices", async () => {
    const store = filled();
    const graphs = join(dir.path, "graphs");
    store.save(graphs, [G, LINKS], 700);
    const slices = [...graphFileSlices(join(graphs, "0.nt"), createHash("sha256"), 4096)];
    expect(slices.length).toBeGreaterThan(100);
    for (const s of slices) expect(s.at(-1)).toBe(10); // each slice ends at a line end
    const back = new RefStore();
    expect(await back.restore(graphs, 4096)).toBe(true);
    expect(back.size).toBe(store.size);
    expect(sorted(back, G)).toEqual(sorted(store, G));
    expect(sorted(back, LINKS)).toEqual(sorted(store, LINKS));
  });

  it("refuses a saved graph cut short at a line end, leaving none of its graphs loaded", async () => {
    const graphs = join(dir.path, "cut");
    filled().save(graphs, [LINKS, G], 700);
    const file = join(graphs, "1.nt");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.slice(0, text.lastIndexOf("\n", text.length - 2) + 1));
    const back = new RefStore();
    await expect(back.restore(graphs, 4096)).rejects.toThrow(/does not match its checksum/);
    expect(back.size).toBe(0);
  });
});

// The matcher's records beside the saved store: JSON Lines, read back only under their key.
describe("records.json", () => {
  const dir = tempDir("refx-records-file-");
  afterAll(() => dir.remove());

  it("round-trips the records a line each, and is not read under another key", () => {
    const records = new Map<string, unknown[]>([
      ["uai", Array.from({ length: 2000 }, (_, i) => ({ id: `0751${i}J`, names: [`Lycée n°${i} — Île-de-France 🎓`], town: "Paris" }))],
      ["ror", [{ id: "https://ror.org/02feahw73", names: ["CNRS"] }]],
    ]) as unknown as Map<ServiceId, EntityRecord[]>;
    const file = join(dir.path, "records.json");
    writeRecordsFile(file, "k1", records);
    expect(readFileSync(file, "utf8").split("\n").filter(Boolean)).toHaveLength(2002);
    expect(readRecordsFile(file, "k1")).toEqual(records);
    expect(readRecordsFile(file, "k2")).toBeUndefined();
  });
});
