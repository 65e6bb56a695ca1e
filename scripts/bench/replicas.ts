// `npm run bench:replicas`: reconciliation throughput of 1 then 2 read-only
// replicas serving one snapshot (docs/benchmark.md, "Replicas"). `refx load`
// publishes the snapshot into a temporary cache; each configuration starts its
// replicas with `refx serve --snapshot`, then a client keeps `--concurrency`
// batches of 10 queries in flight for `--seconds`, sent round-robin to the
// replicas, and reports queries/s and the p50/p99 latency of a batch. A
// benchmark, never a test; the machine's other load shows in the figures.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { PROJECT_ROOT, SAMPLE_DATA_DIR } from "../../app/config.ts";

const o = new Command("bench:replicas")
  .option("--data-dir <dir>", "data to load (default ../shared/data when present, else the sample)")
  .option("--seconds <n>", "measuring time per configuration", "20")
  .option("--concurrency <n>", "batches in flight", "4")
  .option("--replicas <list>", "configurations to measure, comma-separated", "1,2")
  .parse()
  .opts<{ dataDir?: string; seconds: string; concurrency: string; replicas: string }>();

const shared = resolve(PROJECT_ROOT, "..", "shared", "data");
const dataDir = o.dataDir ?? (existsSync(join(shared, "uai")) ? shared : SAMPLE_DATA_DIR);
const queries = (JSON.parse(readFileSync(join(PROJECT_ROOT, "scripts/bench/queries.json"), "utf8")) as { query: string }[]).map((q) => q.query);

function refx(args: string[]): ChildProcess {
  return spawn(process.execPath, ["scripts/refx.mjs", ...args], { cwd: PROJECT_ROOT, env: { ...process.env, PORT: "" }, stdio: ["ignore", "pipe", "pipe"] });
}

async function loadSnapshot(cache: string): Promise<string> {
  const child = refx(["load", "--data-dir", dataDir, "--cache-dir", cache]);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  const folder = /refx serve --snapshot (\S+)\)/.exec(out)?.[1];
  if (code !== 0 || !folder) throw new Error(`refx load failed:\n${out.slice(-2000)}`);
  return folder;
}

/** Starts a replica and waits for /health 200 (600 s at most: the machine may be busy). */
async function startReplica(folder: string): Promise<{ url: string; child: ChildProcess }> {
  const child = refx(["serve", "--snapshot", folder, "--port", "0"]);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const t0 = performance.now();
  while (performance.now() - t0 < 600_000) {
    if (child.exitCode !== null) throw new Error(`replica exited:\n${out}`);
    const url = /listening on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
    if (url && (await fetch(`${url}/health`).then((r) => r.status).catch(() => 0)) === 200) {
      // A ready server still copies the store into its SPARQL worker: a first query waits for that, so the measure does not.
      await fetch(`${url}/sparql?query=${encodeURIComponent("ASK { }")}`).then((r) => r.arrayBuffer());
      return { url, child };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGTERM");
  throw new Error(`replica not ready in 600 s:\n${out}`);
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

interface Figures {
  replicas: number;
  batches: number;
  queriesPerSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

/** Batches of 10 queries, `concurrency` in flight, round-robin over `urls`, for `seconds`. */
async function measure(urls: string[], seconds: number, concurrency: number): Promise<Figures> {
  let next = 0;
  let sent = 0;
  let errors = 0;
  const latencies: number[] = [];
  const batch = () => {
    const b: Record<string, { query: string }> = {};
    for (let i = 0; i < 10; i++) b[`q${i}`] = { query: queries[(sent * 10 + i) % queries.length] };
    sent++;
    return JSON.stringify(b);
  };
  const one = async () => {
    const url = urls[next++ % urls.length];
    const t = performance.now();
    const res = await fetch(`${url}/reconcile`, { method: "POST", body: new URLSearchParams({ queries: batch() }) });
    await res.arrayBuffer();
    if (res.status !== 200) errors++;
    return performance.now() - t;
  };
  // Warm-up: every replica answers a few batches first.
  for (let i = 0; i < 5 * urls.length; i++) await one();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) latencies.push(await one());
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return { replicas: urls.length, batches: latencies.length, queriesPerSecond: (latencies.length * 10) / elapsed, p50ms: pct(50), p99ms: pct(99), errors };
}

const cache = mkdtempSync(join(tmpdir(), "refx-bench-replicas-"));
try {
  console.log(`loading ${dataDir} into a snapshot...`);
  const folder = await loadSnapshot(cache);
  const rows: Figures[] = [];
  for (const n of o.replicas.split(",").map(Number)) {
    const replicas = await Promise.all(Array.from({ length: n }, () => startReplica(folder)));
    try {
      rows.push(await measure(replicas.map((r) => r.url), Number(o.seconds), Number(o.concurrency)));
    } finally {
      await Promise.all(replicas.map((r) => stop(r.child)));
    }
  }
  const base = rows[0].queriesPerSecond;
  console.log(`\nreconciliation over HTTP, batches of 10, ${o.concurrency} in flight, ${o.seconds} s each, data ${dataDir}; load average ${loadavg()[0].toFixed(1)} at the end`);
  console.log("| replicas | batches | queries/s | vs 1 | p50 batch (ms) | p99 batch (ms) | errors |");
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const r of rows) {
    console.log(`| ${r.replicas} | ${r.batches} | ${Math.round(r.queriesPerSecond)} | ${(r.queriesPerSecond / base).toFixed(2)}× | ${r.p50ms.toFixed(1)} | ${r.p99ms.toFixed(1)} | ${r.errors} |`);
  }
} finally {
  rmSync(cache, { recursive: true, force: true });
}
