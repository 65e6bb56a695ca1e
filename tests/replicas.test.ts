// Replicas: `refx load` publishes a snapshot once; two read-only `refx serve
// --snapshot` processes start from it without parsing a file, answer the same
// reconciliation identically, and write nothing into the shared folder. The
// loads are the `refx load` command line run in this process (tests/cli.test.ts
// runs the real binary); the replicas are real `refx serve` processes.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { snapshotFiles } from "../data/cache.ts";
import { RefStore } from "../data/store.ts";
import { checkReplica } from "../server/replica.ts";
import { servedStore, WorkerStore } from "../server/sparql/worker-store.ts";
import { refx, SAMPLE_DATA_DIR, tempDir } from "./helpers.ts";
import { startServe, waitHealthy, type ServeChild } from "./serve-child.ts";

/** Every file under `dir` with its size and mtime: any write by a replica changes it. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${p} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

describe("read-only replicas of one snapshot", () => {
  const cache = tempDir("refx-replicas-");
  const running: ServeChild[] = [];
  afterAll(async () => {
    await Promise.all(running.map((s) => s.stop()));
    cache.remove();
  });

  it("two processes serve the snapshot refx load published, identically, without parsing or writing", async () => {
    const load = await refx("load", "--data-dir", SAMPLE_DATA_DIR, "--cache-dir", cache.path, "--base-uri", "http://refx.test");
    expect(load.code, load.stderr).toBe(0);
    const folder = /refx serve --snapshot (\S+)\)/.exec(load.stdout)?.[1];
    expect(folder, load.stdout).toBeTruthy();
    const current = readFileSync(join(folder!, "current"), "utf8").trim();
    const before = listing(cache.path);

    const replicas = await Promise.all([startServe(["--snapshot", folder!]), startServe(["--snapshot", folder!])]);
    running.push(...replicas);
    expect(replicas[0].url).not.toBe(replicas[1].url);
    const healths = await Promise.all(replicas.map((r) => waitHealthy(r.url)));
    for (const [i, h] of healths.entries()) {
      expect(h.status).toBe("ready");
      expect(h.fromCache).toBe(true);
      expect(h.readOnly).toBe(true);
      expect(h.snapshot).toBe(current);
      expect(h.sources.uai.entities).toBeGreaterThan(0);
      // The log of a replica: restored, read-only, and no source parsed (a parse logs "<source>: N entities from M records").
      expect(replicas[i].output()).toMatch(/restored from snapshot \S+, read-only/);
      expect(replicas[i].output()).not.toMatch(/entities from \d+ records/);
    }

    const batch = JSON.stringify({ q0: { query: "Université Paris 1 Panthéon-Sorbonne" }, q1: { query: "Sorbonne Université", limit: 3 }, q2: { query: "CNRS" } });
    const answers = await Promise.all(
      replicas.map(async (r) => {
        const res = await fetch(`${r.url}/reconcile/uai`, { method: "POST", body: new URLSearchParams({ queries: batch }) });
        expect(res.status).toBe(200);
        return res.json();
      }),
    );
    expect(answers[0].q0.result[0].id).toBe("0751717J");
    expect(answers[1]).toEqual(answers[0]);
    // The entity URIs are those of the load (its --base-uri), not the replicas' own ports.
    const page = await fetch(`${replicas[1].url}/id/uai/0751717J`, { headers: { accept: "application/n-triples" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<http://refx.test/id/uai/0751717J>");

    expect(listing(cache.path)).toEqual(before);

    // A new load publishes a new snapshot; SIGHUP moves a replica to it (its worker restores the new one).
    const again = await refx("load", "--data-dir", SAMPLE_DATA_DIR, "--cache-dir", cache.path, "--base-uri", "http://refx.test", "--force");
    expect(again.code, again.stderr).toBe(0);
    const next = readFileSync(join(folder!, "current"), "utf8").trim();
    expect(next).not.toBe(current);
    replicas[0].child.kill("SIGHUP");
    let moved: any;
    for (let i = 0; i < 600 && moved?.snapshot !== next; i++) {
      await new Promise((r) => setTimeout(r, 100));
      moved = await (await fetch(`${replicas[0].url}/health`)).json();
    }
    expect(moved.snapshot).toBe(next);
    expect(moved.lastReload?.outcome).toBe("reloaded");
    const after = await fetch(`${replicas[0].url}/id/uai/0751717J`, { headers: { accept: "application/n-triples" } });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain("<http://refx.test/id/uai/0751717J>");
  }, 300_000);

  it("a replica's store is checked, not restored, in the main thread: the SPARQL worker holds its only copy", async () => {
    const load = await refx("load", "--data-dir", SAMPLE_DATA_DIR, "--cache-dir", cache.path, "--base-uri", "http://refx.test");
    expect(load.code, load.stderr).toBe(0);
    const folder = /refx serve --snapshot (\S+)\)/.exec(load.stdout)?.[1];
    const report = checkReplica(folder!);
    expect(report.fromCache).toBe(true);
    expect(report.cacheDir!.endsWith(`/${readFileSync(join(folder!, "current"), "utf8").trim()}`)).toBe(true);
    const store = servedStore(new RefStore(), report, { timeoutMs: 5000 });
    expect(store).toBeInstanceOf(WorkerStore);
    try {
      const copy = new RefStore();
      expect(await copy.restore(snapshotFiles(report.cacheDir!).graphs)).toBe(true);
      expect(await store.triples()).toBe(copy.size);
      expect(await store.ask("ASK { <http://refx.test/id/uai/0751717J> ?p ?o }")).toBe(true);
    } finally {
      (store as WorkerStore).close();
    }
  }, 120_000);

  it("a replica refuses to start without a published snapshot, naming the command that makes one", async () => {
    const empty = tempDir("refx-no-snapshot-");
    try {
      const s = await startServe(["--snapshot", empty.path]).catch((e: Error) => e);
      if (!(s instanceof Error)) running.push(s);
      expect(s).toBeInstanceOf(Error);
      expect((s as Error).message).toMatch(/no snapshot published in .*refx load/);
    } finally {
      empty.remove();
    }
  }, 120_000);
});
