// Issue 15: jobs survive a restart. A real server process with a cache
// directory is sent two jobs, one finished and one running when the process
// is killed (SIGKILL: nothing is saved at exit); the next server on the same
// cache directory serves the finished one and runs the other again from its
// saved input, to the same full result a fresh job gives. A job folder whose
// state cannot be read is a 410 that says so, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SAMPLE_DATA_DIR, tempDir } from "./helpers.ts";
import { startServer, waitHealthy, type ServeChild } from "./serve-child.ts";

const cache = tempDir("refx-jobs-restart-");
const args = ["--data-dir", SAMPLE_DATA_DIR, "--cache-dir", cache.path, "--base-uri", "http://refx.test"];
let server: ServeChild | undefined;
afterAll(async () => {
  await server?.stop();
  cache.remove();
});

const NAMES = ["Université Paris 1 Panthéon-Sorbonne", "LIPN", "Lycée Louis-le-Grand", "CNRS", "Zorglub", "Sorbonne Université", "ENS", "Université de Bordeaux"];
/** Enough rows that the job is still running when the server is killed. */
const BIG_ROWS = 10_000;
const csv = (rows: number) => ["nom", ...Array.from({ length: rows }, (_, i) => `${NAMES[i % NAMES.length]}${i % 3 ? "" : " "}`)].join("\n") + "\n";

async function submit(url: string, body: string): Promise<string> {
  const form = new FormData();
  form.set("file", new Blob([body], { type: "text/csv" }), "noms.csv");
  form.set("column", "nom");
  const r = await fetch(`${url}/api/jobs`, { method: "POST", body: form, headers: { Accept: "text/csv" } });
  const created = await r.json();
  expect(r.status, JSON.stringify(created)).toBe(202);
  return created.id;
}

async function until(url: string, id: string, done: (job: any) => boolean, seconds = 240): Promise<any> {
  for (let i = 0; i < seconds * 20; i++) {
    const r = await fetch(`${url}/api/jobs/${id}`);
    const job = await r.json();
    expect(r.status, JSON.stringify(job)).toBe(200);
    if (done(job)) return job;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`job ${id} not there in ${seconds} s`);
}

const finished = (j: any) => j.status !== "queued" && j.status !== "running";

describe("jobs across a restart (a server with a cache directory)", () => {
  let small: string;
  let big: string;
  let smallResult: string;
  const corrupt = "0b0e7d3c-0000-4000-8000-00000000c0de";

  beforeAll(async () => {
    server = await startServer(args);
    await waitHealthy(server.url);
    small = await submit(server.url, csv(NAMES.length));
    expect(await until(server.url, small, finished)).toMatchObject({ status: "done" });
    smallResult = await (await fetch(`${server.url}/api/jobs/${small}/result`)).text();
    big = await submit(server.url, csv(BIG_ROWS));
    const running = await until(server.url, big, (j) => j.status === "running" && j.progress.rows > 0);
    expect(running.progress.rows).toBeLessThan(BIG_ROWS);
    server.child.kill("SIGKILL");
    await server.stop();
    // A job folder whose state is not JSON: what a disk error or a hand edit may leave.
    mkdirSync(join(cache.path, "jobs", corrupt));
    writeFileSync(join(cache.path, "jobs", corrupt, "job.json"), "{\"version\": 1, \"id\": ");
    server = await startServer(args);
    await waitHealthy(server.url);
  }, 600_000);

  it("serves a job finished before the kill, with the same result", async () => {
    const r = await fetch(`${server!.url}/api/jobs/${small}`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: "done", progress: { rows: NAMES.length } });
    expect(await (await fetch(`${server!.url}/api/jobs/${small}/result`)).text()).toBe(smallResult);
  });

  it("runs a job that was running at the kill again, to its full result", async () => {
    const job = await until(server!.url, big, finished);
    expect(job).toMatchObject({ status: "done", restarts: 1, input: { rows: BIG_ROWS }, progress: { rows: BIG_ROWS, percent: 100 } });
    expect(job.summary.rows).toBe(BIG_ROWS);
    const result = await (await fetch(`${server!.url}/api/jobs/${big}/result`)).text();
    const lines = result.trimEnd().split(/\r?\n/);
    expect(lines).toHaveLength(BIG_ROWS + 1);
    // The same as the result of the same file sent now: the first run's partial output left nothing behind.
    const fresh = await submit(server!.url, csv(BIG_ROWS));
    expect(await until(server!.url, fresh, finished)).toMatchObject({ status: "done" });
    expect(await (await fetch(`${server!.url}/api/jobs/${fresh}/result`)).text()).toBe(result);
  }, 600_000);

  it("says a job whose saved state is unreadable was lost, and removes its folder", async () => {
    const r = await fetch(`${server!.url}/api/jobs/${corrupt}`);
    const body = await r.json();
    expect(r.status).toBe(410);
    expect(body).toMatchObject({ error: "job_lost" });
    expect(body.message).toMatch(/was lost when the server restarted .*saved state could not be read.*send the file again/);
    expect((await fetch(`${server!.url}/api/jobs/${corrupt}/result`)).status).toBe(410);
    expect(readdirSync(join(cache.path, "jobs"))).not.toContain(corrupt);
    expect(server!.output()).toMatch(new RegExp(`Job ${corrupt} lost`));
  });

  it("an unknown job's 404 says jobs are kept across restarts", async () => {
    const r = await fetch(`${server!.url}/api/jobs/0b0e7d3c-0000-4000-8000-000000000000`);
    expect(r.status).toBe(404);
    expect((await r.json()).message).toMatch(/jobs are kept across restarts, so this one expired, was deleted or never existed/);
  });
});
