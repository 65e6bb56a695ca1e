// Issue 15, an unlucky operator: a reload that would throw most of a source
// away, the counts /health shows, what an interrupted save leaves behind, and
// what a client hears about a job the server lost on a restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { join } from "node:path";
import { reloadRefusal } from "../server/reload-guard.ts";
import { storeCounts } from "../server/health.ts";
import { setLoading } from "../server/state.ts";
import { removeStaleSaves } from "../data/stale-saves.ts";
import { BASE, SAMPLE_DATA_DIR, fetchReply, tempDir } from "./helpers.ts";
import { serve, type Served } from "./ld-helpers.ts";

let main: Served;
beforeAll(async () => {
  main = await serve(SAMPLE_DATA_DIR, BASE);
}, 60_000);
afterAll(() => main?.close());

const report = (counts: Record<string, number>) => ({ sources: Object.entries(counts).map(([source, entities]) => ({ source, entities })) }) as never;

describe("a reload that would lose data is refused unless forced", () => {
  it("emptying a source, or losing more than half of it, is refused with the numbers; smaller changes pass", () => {
    const before = report({ rnsr: 4506, uai: 1000 });
    expect(reloadRefusal(before, report({ rnsr: 0, uai: 1000 }))).toMatch(/rnsr would go from 4506 entities to none.*SIGUSR2/);
    expect(reloadRefusal(before, report({ uai: 1000 }))).toMatch(/rnsr would go from 4506 entities to none/);
    expect(reloadRefusal(before, report({ rnsr: 2000, uai: 1000 }))).toMatch(/rnsr would go from 4506 entities to 2000/);
    expect(reloadRefusal(before, report({ rnsr: 2300, uai: 990 }))).toBeUndefined();
    expect(reloadRefusal(before, report({ rnsr: 5000, uai: 1000, ror: 10 }))).toBeUndefined();
  });
});

describe("/health", () => {
  it("answers from counts taken once per store, and shows the last reload's outcome", async () => {
    expect(storeCounts(main.state.served!.store)).toBe(storeCounts(main.state.served!.store));
    const first = await fetchReply(`${main.url}/health`);
    expect(first.status).toBe(200);
    expect(first.body.triples).toBe(await main.state.served!.store.triples());
    expect(first.body.lastReload).toBeUndefined();
    setLoading(main.state, { lastReload: { at: new Date().toISOString(), outcome: "refused", error: "reload refused, previous data kept: rnsr would go from 4506 entities to none" } });
    const after = await fetchReply(`${main.url}/health`);
    expect(after.body.status).toBe("ready");
    expect(after.body.lastReload).toMatchObject({ outcome: "refused", error: expect.stringMatching(/rnsr/) });
  });
});

describe("interrupted saves", () => {
  it("temporary copies of dead processes are removed at start; a live process's are kept", () => {
    const dir = tempDir();
    try {
      const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
      mkdirSync(join(dir.path, "abc", `graphs.tmp-${dead}`), { recursive: true });
      writeFileSync(join(dir.path, "abc", `graphs.tmp-${dead}`, "0.nt"), "x");
      writeFileSync(join(dir.path, "abc", `records.json.tmp-${dead}`), "x");
      mkdirSync(join(dir.path, "abc", `graphs.tmp-${process.pid}`));
      mkdirSync(join(dir.path, "abc", "graphs"));
      const removed = removeStaleSaves(dir.path);
      expect(removed.map((p) => p.split("/").pop()).sort()).toEqual([`graphs.tmp-${dead}`, `records.json.tmp-${dead}`]);
      expect(existsSync(join(dir.path, "abc", `graphs.tmp-${process.pid}`))).toBe(true);
      expect(existsSync(join(dir.path, "abc", "graphs"))).toBe(true);
    } finally {
      dir.remove();
    }
  });
});

describe("jobs across a restart", () => {
  it("an unknown job's 404 says plainly that jobs from before the last start were lost", async () => {
    const r = await fetchReply(`${main.url}/api/jobs/0b0e7d3c-0000-4000-8000-000000000000`);
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(/kept in memory, so a job sent before the server last started \(\d{4}-.*\) was lost/);
  });
});

describe("the saved store carries checksums", () => {
  it("a graph file cut at a line end is detected at restore and the sources are parsed again", async () => {
    const cache = tempDir();
    try {
      const whole = new RefStore();
      const first = await loadDataDir(whole, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: cache.path });
      expect(first.fromCache).toBe(false);
      const graphsDir = readdirSync(cache.path, { recursive: true, withFileTypes: true }).find((d) => d.isDirectory() && d.name === "graphs")!;
      const dir = join(graphsDir.parentPath, "graphs");
      const index = JSON.parse(readFileSync(join(dir, "graphs.json"), "utf8")) as { file: string; sha256: string }[];
      expect(index.every((e) => /^[0-9a-f]{64}$/.test(e.sha256))).toBe(true);
      // The biggest graph file loses its second half, cut at a line end: still valid N-Triples.
      const biggest = index.map((e) => join(dir, e.file)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
      const text = readFileSync(biggest, "utf8");
      writeFileSync(biggest, text.slice(0, text.indexOf("\n", text.length / 2) + 1));

      const store = new RefStore();
      const again = await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: cache.path });
      expect(again.fromCache).toBe(false);
      expect(store.size).toBe(whole.size);
      // Saved again whole: the next start restores it.
      const restored = new RefStore();
      const third = await loadDataDir(restored, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: cache.path });
      expect(third.fromCache).toBe(true);
      expect(restored.size).toBe(whole.size);
    } finally {
      cache.remove();
    }
  }, 60_000);
});
