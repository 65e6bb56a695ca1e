// `npx tsx scripts/batch-bench.ts [--rows 10000] [--data-dir <dir>]`: rows per
// second and peak memory of a batch reconciliation, by the REST API (a real
// server process: the job API, and the synchronous endpoint on its largest
// batch) and by the CLI. The batch file is generated (scripts/batch-bench-data.ts).
// Figures are in docs/rest-api.md#performance.
import { spawn, execFile } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { PROJECT_ROOT, SAMPLE_DATA_DIR } from "../app/config.ts";
import { writeBatchFile } from "./batch-bench-data.ts";

export interface BenchFigures {
  rows: number;
  /** Rows over the wall time of the run (for the CLI: of the matching, load excluded). */
  rowsPerSecond: number;
  /** Rows over the time spent matching them, as the run's own summary reports it. */
  matchingRowsPerSecond?: number;
  /** Wall time of the whole run as the client sees it (upload, matching, download). */
  seconds: number;
  peakRssMB: number;
  summary: { matched: number; ambiguous: number; none: number };
}

const peakRssMB = (pid: number) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

/** The CLI on the file: its own --json summary (matching time, peak RSS of the process). */
export async function benchCli(file: string, dataDir: string, cacheDir: string): Promise<BenchFigures> {
  const out = join(tmpdir(), `refx-bench-${process.pid}.csv`);
  const t0 = performance.now();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["scripts/refx.mjs", "reconcile", file, "--column", "nom", "--city", "ville", "--uai", "code_uai", "--target", "uai", "-o", out, "--json", "--quiet", "--data-dir", dataDir, "--cache-dir", cacheDir],
    { cwd: PROJECT_ROOT, maxBuffer: 2 ** 24 },
  );
  const seconds = (performance.now() - t0) / 1000;
  rmSync(out, { force: true });
  const r = JSON.parse(stdout);
  return { rows: r.rows, rowsPerSecond: r.rowsPerSecond, matchingRowsPerSecond: r.rowsPerSecond, seconds, peakRssMB: r.peakRssMB, summary: { matched: r.matched, ambiguous: r.ambiguous, none: r.none } };
}

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startServer(dataDir: string, cacheDir: string): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--data-dir", dataDir, "--cache-dir", cacheDir, "--port", "0"], {
    cwd: PROJECT_ROOT, env: { ...process.env, PORT: "" }, stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line in 60 s:\n${log}`)), 60_000);
    child.stdout!.on("data", () => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${log}`)));
  });
  // The server restores the saved store synchronously: /health may not even answer for a while.
  for (let i = 0; ; i++) {
    const status = await fetch(`${url}/health`).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (i > 1200 || child.exitCode !== null) throw new Error(`not ready:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    stop: () => new Promise((resolve) => {
      child.once("exit", () => resolve());
      child.kill();
    }),
  };
}

const form = (file: string, name: string) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ column: "nom", city: "ville", uai: "code_uai", target: "uai" })) fd.append(k, v);
  fd.append("file", new Blob([readFileSync(file)]), name);
  return fd;
};

/** The job API: POST, poll, download; rows/s of the whole run as the client sees it. */
export async function benchJobApi(server: Server, file: string): Promise<BenchFigures> {
  const t0 = performance.now();
  const created = await fetch(`${server.url}/api/jobs`, { method: "POST", body: form(file, "bench.csv") });
  if (created.status !== 202) throw new Error(`POST /api/jobs: ${created.status} ${await created.text()}`);
  let job = await created.json();
  while (job.status === "queued" || job.status === "running") {
    await new Promise((r) => setTimeout(r, 50));
    job = await (await fetch(`${server.url}/api/jobs/${job.id}`)).json();
  }
  if (job.status !== "done") throw new Error(`job ${job.status}: ${job.error}`);
  const result = await (await fetch(`${server.url}${job.links.result}`)).text();
  const seconds = (performance.now() - t0) / 1000;
  const rows = result.trimEnd().split("\n").length - 1;
  return { rows, rowsPerSecond: Math.round(rows / seconds), matchingRowsPerSecond: job.summary.rowsPerSecond, seconds, peakRssMB: peakRssMB(server.pid), summary: { matched: job.summary.matched, ambiguous: job.summary.ambiguous, none: job.summary.none } };
}

/** The synchronous endpoint, streamed answer. */
export async function benchSyncApi(server: Server, file: string): Promise<BenchFigures> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/reconcile`, { method: "POST", body: form(file, "bench.csv"), headers: { Accept: "text/csv" } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /api/reconcile: ${res.status} ${text}`);
  const seconds = (performance.now() - t0) / 1000;
  const lines = text.trimEnd().split("\n").slice(1);
  const count = (s: string) => lines.filter((l) => l.includes(`;${s};`)).length;
  return { rows: lines.length, rowsPerSecond: Math.round(lines.length / seconds), seconds, peakRssMB: peakRssMB(server.pid), summary: { matched: count("matched"), ambiguous: count("ambiguous"), none: count("none") } };
}

async function main(): Promise<void> {
  const o = new Command("batch-bench")
    .option("--rows <n>", "rows of the batch file", "10000")
    .option("--data-dir <dir>", "referentials", SAMPLE_DATA_DIR)
    .option("--json", "print as JSON")
    .parse()
    .opts<{ rows: string; dataDir: string; json?: boolean }>();
  const dir = mkdtempSync(join(tmpdir(), "refx-bench-"));
  try {
    const rows = Number(o.rows);
    const file = join(dir, "batch.csv");
    writeBatchFile(file, rows);
    const sync = join(dir, "sync.csv");
    writeBatchFile(sync, Math.min(rows, 5000), 7);
    const cache = join(dir, "cache");
    const cli = await benchCli(file, o.dataDir, cache); // also fills the saved store the server restores
    const server = await startServer(o.dataDir, cache);
    let job: BenchFigures, direct: BenchFigures;
    try {
      job = await benchJobApi(server, file);
      direct = await benchSyncApi(server, sync);
    } finally {
      await server.stop();
    }
    const figures = { dataDir: o.dataDir, cli, jobApi: job, syncApi: direct };
    if (o.json) console.log(JSON.stringify(figures, null, 2));
    else {
      const line = (name: string, f: BenchFigures) =>
        `${name.padEnd(30)}${String(f.rows).padStart(7)}${String(f.rowsPerSecond).padStart(10)}${String(f.matchingRowsPerSecond ?? "").padStart(10)}${f.seconds.toFixed(2).padStart(9)}${String(f.peakRssMB).padStart(8)}   ${f.summary.matched}/${f.summary.ambiguous}/${f.summary.none}`;
      console.log(`data: ${o.dataDir}`);
      console.log(`${"".padEnd(30)}${"rows".padStart(7)}${"rows/s".padStart(10)}${"matching".padStart(10)}${"seconds".padStart(9)}${"peak MB".padStart(8)}   matched/ambiguous/none`);
      console.log(line("CLI (matching)", cli));
      console.log(line("API job (upload→download)", job));
      console.log(line("API sync (streamed answer)", direct));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) await main();
