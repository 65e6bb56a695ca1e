// Jobs on disk (server/api/job-store.ts), read back as a new server would:
// what counts as a job, what is lost and why, and who owns the folder. Real
// files in a temporary folder; no server (tests/jobs-restart.test.ts kills
// and restarts a real one).
import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { JobStore, type SavedJob } from "../server/api/job-store.ts";
import { tempDir } from "./helpers.ts";

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));
const folder = () => {
  const d = tempDir("refx-job-store-");
  dirs.push(d);
  return d.path;
};

const id = (n: number) => `0b0e7d3c-0000-4000-8000-${String(n).padStart(12, "0")}`;
const saved = (n: number, fields: Partial<SavedJob> = {}): SavedJob => ({
  version: 1, id: id(n), status: "queued", rows: 0, createdAt: new Date().toISOString(),
  input: { bytes: 10, overrides: {}, spec: { column: "nom", target: "uai", properties: [], minScore: 0 }, output: "csv" },
  ...fields,
});

describe("JobStore", () => {
  it("reads back what it saved, atomically replaced, and tells lost jobs from good ones", () => {
    const root = folder();
    const store = JobStore.open(root)!;
    expect(store).toBeDefined();
    const put = (n: number, job: unknown, files: string[] = ["input.csv"]) => {
      const dir = store.dirOf(id(n));
      mkdirSync(dir);
      for (const f of files) writeFileSync(join(dir, f), "nom\nENS\n");
      if (job !== undefined) writeFileSync(join(dir, "job.json"), typeof job === "string" ? job : JSON.stringify(job));
      return dir;
    };
    const good = put(1, undefined);
    store.save(good, saved(1));
    store.save(good, saved(1, { status: "running", startedAt: new Date().toISOString() }));
    expect(readdirSync(good).sort()).toEqual(["input.csv", "job.json"]);
    put(2, saved(2, { status: "done", finishedAt: new Date().toISOString(), expiresAt: new Date().toISOString() }), ["result.csv"]);
    put(3, "{\"version\": 1, \"id\"");
    put(4, saved(4, { version: 2 as 1 }));
    put(5, saved(5, { status: "done" }), []);
    put(6, saved(6), []);
    put(7, saved(8));
    put(9, saved(9, { input: { ...saved(9).input, spec: { column: "nom", target: "nowhere" as "uai", properties: [], minScore: 0 } } }));
    const cut = put(10, undefined);
    mkdirSync(join(root, "not-a-job"));

    const found = Object.fromEntries(store.readAll().map((f) => [f.id, "lost" in f ? f.lost : f.saved.status]));
    expect(found).toEqual({
      [id(1)]: "running",
      [id(2)]: "done",
      [id(3)]: expect.stringMatching(/^its saved state could not be read \(/),
      [id(4)]: "its saved state is not one this server reads (version 2)",
      [id(5)]: "its result file is missing",
      [id(6)]: "its input file is missing, so it cannot be run again",
      [id(7)]: "its saved state is not one this server reads (another job's id)",
      [id(9)]: "its saved state is not one this server reads (no batch specification)",
    });
    // An upload cut short (no job.json: its client never had an id) is removed; other folders are left alone.
    expect(existsSync(cut)).toBe(false);
    expect(existsSync(join(root, "not-a-job"))).toBe(true);
    store.close();
  });

  it("one live server owns a jobs folder; a dead owner's folder is taken over, and close gives it up", () => {
    const root = folder();
    const owner = join(root, "owner.pid");
    mkdirSync(root, { recursive: true });
    // The parent of this test process is alive and is not this process.
    writeFileSync(owner, String(process.ppid));
    expect(JobStore.open(root)).toBeUndefined();
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!;
    writeFileSync(owner, String(dead));
    const store = JobStore.open(root)!;
    expect(store).toBeDefined();
    expect(readFileSync(owner, "utf8")).toBe(String(process.pid));
    // Its own pid is not another server.
    expect(JobStore.open(root)).toBeDefined();
    store.close();
    expect(existsSync(owner)).toBe(false);
  });
});
