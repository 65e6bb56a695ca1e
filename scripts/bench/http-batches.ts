// `npm run bench:http`: throughput of the real server over HTTP, in batches as
// clients send them: `POST /api/affiliations` with 100 Crossref affiliation
// strings, and `POST /reconcile/ror` (1.0-draft body) with 10 ROR names per
// batch, one request at a time. Reports strings or queries per second of wall
// time and per second of the server's CPU time (read from /proc, so that a busy
// machine does not hide what the server costs), and p50/p99 per batch. A
// benchmark, not a test. See docs/benchmark.md.
import { Command, InvalidArgumentError } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { PROJECT_ROOT } from "../../app/config.ts";
import { readGoldAffiliations } from "./affiliations.ts";
import { percentile } from "./metrics.ts";
import { Rng } from "./prng.ts";
import { readSources } from "./sources.ts";
import { startServer } from "./startup.ts";

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a whole number >= 1");
  return n;
};

const opts = new Command("bench:http")
  .description("Throughput of the real server over HTTP: affiliation strings and reconciliation queries, in batches.")
  .option("--data-dir <dir>", "the real extracts", resolve(PROJECT_ROOT, "..", "shared", "data"))
  .option("--affiliation-batches <n>", "timed POST /api/affiliations requests of 100 strings", positiveInt, 20)
  .option("--reconcile-batches <n>", "timed POST /reconcile/ror requests of 10 queries", positiveInt, 100)
  .option("--seed <n>", "seed of the samples", positiveInt, 20240611)
  .parse()
  .opts<{ dataDir: string; affiliationBatches: number; reconcileBatches: number; seed: number }>();

const AFFILIATION_BATCH = 100;
const RECONCILE_BATCH = 10;
const WARMUP_BATCHES = 3;
const log = (s: string) => process.stderr.write(s + "\n");

/** CPU seconds (user + system) the process has used: /proc/<pid>/stat, fields 14 and 15, in clock ticks. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Run {
  label: string;
  items: number;
  batches: number;
  wallSeconds: number;
  serverCpuSeconds: number;
  p50Ms: number;
  p99Ms: number;
}

async function timeBatches(label: string, url: string, pid: number, bodies: unknown[], perBatch: number): Promise<Run> {
  const post = async (body: unknown) => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`${label}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    await res.arrayBuffer();
  };
  for (const b of bodies.slice(0, WARMUP_BATCHES)) await post(b);
  const timed = bodies.slice(WARMUP_BATCHES);
  const ms: number[] = [];
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  for (const b of timed) {
    const t = performance.now();
    await post(b);
    ms.push(performance.now() - t);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const serverCpuSeconds = cpuSeconds(pid) - cpu0;
  ms.sort((a, b) => a - b);
  return { label, items: timed.length * perBatch, batches: timed.length, wallSeconds, serverCpuSeconds, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99) };
}

function batchesOf<T>(list: T[], size: number, count: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; out.length < count && i + size <= list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function main(): Promise<void> {
  const dataDir = resolve(opts.dataDir);
  const goldFile = join(dataDir, "gold", "crossref-affiliations-ror.train.csv");
  if (!existsSync(join(dataDir, "ror")) || !existsSync(goldFile)) {
    console.error(`refx bench:http: needs ${join(dataDir, "ror")} and ${goldFile} (the real extracts, ../shared/data).`);
    process.exit(2);
  }
  // What clients send: Crossref's affiliation strings, and ROR names (display names, aliases, acronyms) to reconcile.
  const sources = readSources(dataDir, "http://localhost:3000");
  const rorIds = new Set(sources.ror.map((e) => e.id));
  const rng = new Rng(opts.seed);
  const strings = rng.shuffle(readGoldAffiliations(goldFile, (id) => rorIds.has(id)).rows.map((r) => r.affiliation));
  const names = rng.shuffle(sources.ror.flatMap((e) => [e.name, ...e.aliases.slice(0, 1), ...e.acronyms.slice(0, 1)]));
  const affiliationBodies = batchesOf(strings, AFFILIATION_BATCH, opts.affiliationBatches + WARMUP_BATCHES).map((affiliations) => ({ affiliations }));
  const reconcileBodies = batchesOf(names, RECONCILE_BATCH, opts.reconcileBatches + WARMUP_BATCHES).map((batch) => ({
    queries: batch.map((name) => ({ conditions: [{ matchType: "name", propertyValue: name }], limit: 5 })),
  }));

  log(`Starting the server on ${dataDir}...`);
  const server = await startServer(PROJECT_ROOT, ["--data-dir", dataDir, "--port", "0"], 900_000);
  log(`  ready in ${server.readySeconds.toFixed(1)} s${server.fromCache ? " (saved store)" : ""}`);
  const load = loadavg()[0];
  const runs: Run[] = [];
  try {
    log(`POST /api/affiliations, ${affiliationBodies.length} batches of ${AFFILIATION_BATCH}...`);
    runs.push(await timeBatches("POST /api/affiliations (100 strings)", `${server.url}/api/affiliations`, server.pid, affiliationBodies, AFFILIATION_BATCH));
    log(`POST /reconcile/ror, ${reconcileBodies.length} batches of ${RECONCILE_BATCH}...`);
    runs.push(await timeBatches("POST /reconcile/ror (10 queries)", `${server.url}/reconcile/ror`, server.pid, reconcileBodies, RECONCILE_BATCH));
  } finally {
    await server.stop();
  }
  const lines = [
    `HTTP BATCHES — the real server (${dataDir}), one request at a time; load average ${load.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at the end`,
    "| endpoint | items | batches | per s (wall) | per s of server CPU | p50 ms / batch | p99 ms / batch |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...runs.map((r) => `| ${r.label} | ${r.items} | ${r.batches} | ${(r.items / r.wallSeconds).toFixed(0)} | ${(r.items / r.serverCpuSeconds).toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} |`),
  ];
  console.log(lines.join("\n"));
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`refx bench:http failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
