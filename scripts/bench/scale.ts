// `npm run bench:scale`: how refx grows with the size of the referentials.
// For each scale (a fraction of the national files), it generates the inputs
// (scripts/bench/scale-data.ts) outside the project, loads them with
// `refx load --json` in a child process (its report gives rows, entities,
// seconds and peak RSS per source), starts the server from the saved store
// (restart time to /health 200, serving RSS), and measures reconciliation
// over HTTP (batches of 10) and one SPARQL query. A benchmark, never a test:
// figures depend on the machine and on what else runs on it.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { PROJECT_ROOT } from "../../app/config.ts";
import type { LoadReport } from "../../data/load.ts";
import { generateScaleData, type GeneratedFile } from "./scale-data.ts";
import { startServer, type RunningServer } from "./startup.ts";
import { startVirtuoso, VIRTUOSO_ENV, type RunningVirtuoso } from "./virtuoso.ts";

export interface ScaleOptions {
  scales: number[];
  dir: string;
  seed: number;
  /** Batches of 10 queries sent per scale. */
  batches: number;
  /** Batches in flight at once. */
  concurrency: number;
  keep: boolean;
  /** Rewrite the scale section of docs/benchmark.md. */
  writeDoc: boolean;
  /**
   * "virtuoso": load with `refx load --store` into a Virtuoso started on loopback for each scale
   * (scripts/bench/virtuoso.ts, `virtuosoBuffers` 8 KB pages), serve with `refx serve --store`.
   */
  store?: "virtuoso";
  virtuosoBuffers?: number;
  log: (s: string) => void;
}

export interface ScalePoint {
  scale: number;
  generate: { rows: number; bytes: number; seconds: number; cpuSeconds: number };
  load: { seconds: number; peakRssMB: number; triples: number; cpuSeconds?: number; sources: { source: string; rows: number; entities: number; seconds: number; cpuSeconds?: number; rowsPerSecond: number }[] };
  savedStoreMB: number;
  restartSeconds: number;
  servingRssMB: number;
  reconcile: { queries: number; perSecond: number; p50Ms: number; p99Ms: number; errors: number; errorStatuses: number[] };
  sparqlMs: number;
  /** The remote store's figures (--store virtuoso): its memory and CPU over the load, and the sending rate. */
  remote?: { peakRssMB: number; loadCpuSeconds: number; sendSeconds: number; triplesPerSecond: number; servingRssMB: number };
}

const dirSize = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirSize(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);

/**
 * The base of entity URIs, given to the load and the server alike: a
 * snapshot serves only the base it was made with (it is in the load's
 * fingerprint), and the server's default follows its port (0 here).
 */
const BASE = "http://localhost:3000";

/** What `refx load` and the server need to reach a remote store: the URL arguments and the environment (credentials, Graph Store Protocol, a long time limit for the records' SELECT). */
interface StoreAccess {
  args: string[];
  env: NodeJS.ProcessEnv;
}

function storeAccess(v: RunningVirtuoso): StoreAccess {
  return { args: ["--store", v.endpoint], env: { ...VIRTUOSO_ENV, REFX_STORE_GRAPH_URL: v.graphStore, REFX_STORE_TIMEOUT: "7200" } };
}

function refxLoad(dataDir: string, cacheDir: string, store?: StoreAccess): Promise<LoadReport> {
  return new Promise((ok, fail) => {
    execFile(process.execPath, ["scripts/refx.mjs", "load", "--data-dir", dataDir, "--cache-dir", cacheDir, "--base-uri", BASE, "--json", "--force", ...(store?.args ?? [])],
      { cwd: PROJECT_ROOT, maxBuffer: 64 * 2 ** 20, env: { ...process.env, ...store?.env } }, (err, stdout, stderr) => {
        if (err) return fail(new Error(`refx load failed: ${stderr.slice(-1000) || err.message}`));
        ok(JSON.parse(stdout) as LoadReport);
      });
  });
}

/** VmRSS of a process, in MB (Linux), or NaN. */
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Starts the server on the saved store and waits for /health 200; a restart that parsed the files again would time the wrong thing. */
async function restartServer(dataDir: string, cacheDir: string, timeoutMs: number, store?: StoreAccess): Promise<RunningServer> {
  const server = await startServer(PROJECT_ROOT, ["--data-dir", dataDir, "--cache-dir", cacheDir, "--base-uri", BASE, "--port", "0", ...(store?.args ?? [])], timeoutMs, store?.env);
  // On a remote store, the matcher must come from the load's snapshot, not from reading the store again.
  if (store ? /matching index read from snapshot/.test(server.output()) : server.fromCache) return server;
  const output = server.output();
  await server.stop();
  throw new Error(`the server parsed the files instead of restoring the snapshot: ${output.slice(-500)}`);
}

/** Names of establishments in the generated Annuaire: what a user would reconcile. */
function queryNames(dataDir: string, n: number): string[] {
  const text = readFileSync(join(dataDir, "education", "fr-en-annuaire-education.csv"), "utf8");
  const lines = text.split("\n").slice(1).filter(Boolean);
  const names: string[] = [];
  for (let i = 0; names.length < n && i < lines.length * 4; i++) {
    const cells = lines[(i * 7919) % lines.length].split(";");
    names.push(`${cells[1]} ${cells[9]}`);
  }
  return names;
}

async function measureReconcile(url: string, names: string[], batches: number, concurrency: number) {
  const times: number[] = [];
  let errors = 0;
  const statuses = new Set<number>();
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < batches) {
      const b = next++;
      const queries: Record<string, { query: string; limit: number }> = {};
      for (let k = 0; k < 10; k++) queries[`q${k}`] = { query: names[(b * 10 + k) % names.length], limit: 5 };
      const s = performance.now();
      const res = await fetch(`${url}/reconcile`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ queries: JSON.stringify(queries) }) });
      await res.arrayBuffer();
      if (res.status !== 200) {
        errors++;
        statuses.add(res.status);
      }
      times.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { queries: batches * 10, perSecond: (batches * 10) / seconds, p50Ms: pct(0.5), p99Ms: pct(0.99), errors, errorStatuses: [...statuses] };
}

async function measureSparql(url: string): Promise<number> {
  const query = "SELECT (COUNT(?s) AS ?n) WHERE { ?s a <http://www.w3.org/ns/org#Site> }";
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    const res = await fetch(`${url}/sparql`, { method: "POST", headers: { "content-type": "application/sparql-query", accept: "application/sparql-results+json" }, body: query });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`SPARQL answered ${res.status}`);
    runs.push(performance.now() - s);
  }
  return runs.sort((a, b) => a - b)[1];
}

export interface ScaleRun {
  points: ScalePoint[];
  /** Scales that could not be measured, with why: the run goes on with the next one. */
  failures: { scale: number; error: string }[];
}

export async function runScale(opts: ScaleOptions): Promise<ScaleRun> {
  const points: ScalePoint[] = [];
  const failures: ScaleRun["failures"] = [];
  for (const scale of opts.scales) {
    const dataDir = join(opts.dir, `scale-${scale}`, "data");
    const cacheDir = join(opts.dir, `scale-${scale}`, "cache");
    rmSync(join(opts.dir, `scale-${scale}`), { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    let virtuoso: RunningVirtuoso | undefined;
    try {
      opts.log(`scale ${scale}: generating into ${dataDir}`);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const files: GeneratedFile[] = generateScaleData({ dir: dataDir, scale, seed: opts.seed });
      const cpu = process.cpuUsage(cpu0);
      const generate = { rows: files.reduce((n, f) => n + f.rows, 0), bytes: files.reduce((n, f) => n + f.bytes, 0), seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
      opts.log(`  ${generate.rows.toLocaleString("en")} rows, ${(generate.bytes / 2 ** 20).toFixed(0)} MB in ${generate.seconds.toFixed(1)} s (${Math.round(generate.rows / generate.cpuSeconds).toLocaleString("en")} rows per CPU second)`);

      let store: StoreAccess | undefined;
      if (opts.store === "virtuoso") {
        const vdir = join(opts.dir, `scale-${scale}`, "virtuoso");
        mkdirSync(vdir, { recursive: true });
        virtuoso = await startVirtuoso({ dir: vdir, buffers: opts.virtuosoBuffers ?? 1_000_000, maxRows: 1_000_000_000, maxQuerySeconds: 0 });
        store = storeAccess(virtuoso);
        opts.log(`  Virtuoso on ${virtuoso.endpoint} (${opts.virtuosoBuffers ?? 1_000_000} buffers)`);
      }
      opts.log(`  refx load --json --force${store ? ` ${store.args.join(" ")}` : ""}`);
      const vcpu0 = virtuoso?.cpuSeconds() ?? 0;
      const report = await refxLoad(dataDir, cacheDir, store);
      const load = {
        seconds: report.seconds, peakRssMB: report.peakRssMB, triples: report.triples, cpuSeconds: report.cpuSeconds,
        sources: report.sources.map((s) => ({ source: s.source, rows: s.rows, entities: s.entities, seconds: s.seconds, cpuSeconds: s.cpuSeconds, rowsPerSecond: s.rows / s.seconds })),
      };
      opts.log(`  loaded ${report.triples.toLocaleString("en")} triples in ${report.seconds.toFixed(1)} s (${(report.cpuSeconds ?? NaN).toFixed(1)} CPU s), peak RSS ${Math.round(report.peakRssMB)} MB`);
      const remoteLoad = virtuoso && {
        peakRssMB: virtuoso.memoryMB().peak,
        loadCpuSeconds: virtuoso.cpuSeconds() - vcpu0,
        sendSeconds: report.sent?.seconds ?? NaN,
        triplesPerSecond: report.triples / (report.sent?.seconds ?? NaN),
      };
      if (remoteLoad) opts.log(`  Virtuoso: peak RSS ${Math.round(remoteLoad.peakRssMB)} MB, ${remoteLoad.loadCpuSeconds.toFixed(1)} CPU s; sending ${remoteLoad.sendSeconds.toFixed(1)} s (${Math.round(remoteLoad.triplesPerSecond)} triples/s)`);
      const savedStoreMB = dirSize(cacheDir) / 2 ** 20;

      const server = await restartServer(dataDir, cacheDir, 30 * 60_000, store);
      const restartSeconds = server.readySeconds;
      try {
        const servingRssMB = rssOf(server.pid);
        const names = queryNames(dataDir, 500);
        await measureReconcile(server.url, names, Math.min(20, opts.batches), opts.concurrency); // warm-up
        const reconcile = await measureReconcile(server.url, names, opts.batches, opts.concurrency);
        const sparqlMs = await measureSparql(server.url);
        const remote = remoteLoad && virtuoso && { ...remoteLoad, servingRssMB: virtuoso.memoryMB().now };
        points.push({ scale, generate, load, savedStoreMB, restartSeconds, servingRssMB: Math.max(servingRssMB, rssOf(server.pid)), reconcile, sparqlMs, ...(remote ? { remote } : {}) });
        if (reconcile.errors) opts.log(`  WARNING: ${reconcile.errors} reconciliation batches failed (HTTP ${reconcile.errorStatuses.join(", ")})`);
        opts.log(`  restart ${restartSeconds.toFixed(1)} s, ${reconcile.perSecond.toFixed(0)} q/s, p99 ${reconcile.p99Ms.toFixed(1)} ms, SPARQL ${sparqlMs.toFixed(0)} ms`);
      } catch (err) {
        throw new Error(`${(err as Error).message} (cause: ${String((err as Error).cause ?? "")}); server output:\n${server.output()}`);
      } finally {
        await server.stop();
      }
    } catch (err) {
      const error = (err as Error).message;
      opts.log(`  FAILED at scale ${scale}: ${error}`);
      failures.push({ scale, error: error.split("\n")[0].slice(0, 300) });
    } finally {
      await virtuoso?.stop();
      if (!opts.keep) rmSync(join(opts.dir, `scale-${scale}`), { recursive: true, force: true });
    }
  }
  return { points, failures };
}

const f0 = (n: number) => Math.round(n).toLocaleString("en");
const f1 = (n: number) => n.toFixed(1);

/** The growth curve as a Markdown table, one row per scale, then the Sirene and per-source rates. */
export function scaleTable(points: ScalePoint[], failures: ScaleRun["failures"] = []): string {
  // Wall-clock rate, and in brackets the rate per CPU second of the loading process (steadier on a shared machine).
  const rate = (p: ScalePoint, id: string) => {
    const s = p.load.sources.find((x) => x.source === id);
    return s ? `${f0(s.rowsPerSecond)}${s.cpuSeconds ? ` (${f0(s.rows / s.cpuSeconds)})` : ""}` : "";
  };
  const lines = [
    "| scale | rows generated | generated (rows/CPU s) | load s | peak RSS MB | triples | Sirene UL rows/s (per CPU s) | Sirene Etab rows/s (per CPU s) | saved store MB | restart s | serving RSS MB | reconcile q/s | p50 ms | p99 ms | SPARQL ms |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...points.map((p) => `| ${p.scale} | ${f0(p.generate.rows)} | ${f0(p.generate.rows / p.generate.cpuSeconds)} | ${f1(p.load.seconds)} | ${f0(p.load.peakRssMB)} | ${f0(p.load.triples)} | ${rate(p, "sirene-ul")} | ${rate(p, "sirene-etab")} | ${f0(p.savedStoreMB)} | ${f1(p.restartSeconds)} | ${f0(p.servingRssMB)} | ${f0(p.reconcile.perSecond)} | ${f1(p.reconcile.p50Ms)} | ${f1(p.reconcile.p99Ms)} | ${f0(p.sparqlMs)} |`),
    ...failures.map((f) => `| ${f.scale} | failed: ${f.error.replace(/\|/g, "\\|")} |`),
    ...(points.some((p) => p.remote)
      ? [
          "",
          "On the remote store (`--store`): refx's load CPU, and the store's (Virtuoso) peak RSS and CPU during the load, the rate of triples sent (triples / seconds spent sending, which overlaps the parse), its RSS while serving:",
          "",
          "| scale | refx load CPU s | Virtuoso peak RSS MB | Virtuoso CPU s (load) | sending s | triples/s sent | Virtuoso RSS serving MB |",
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
          ...points.filter((p) => p.remote).map((p) => `| ${p.scale} | ${f1(p.load.cpuSeconds ?? NaN)} | ${f0(p.remote!.peakRssMB)} | ${f1(p.remote!.loadCpuSeconds)} | ${f1(p.remote!.sendSeconds)} | ${f0(p.remote!.triplesPerSecond)} | ${f0(p.remote!.servingRssMB)} |`),
        ]
      : []),
    "",
    "Per source (rows read, entities kept, seconds, rows/s, CPU seconds):",
    "",
    "| scale | " + (points[0]?.load.sources.map((s) => s.source).join(" | ") ?? "") + " |",
    "| ---: | " + (points[0]?.load.sources.map(() => "---").join(" | ") ?? "") + " |",
    ...points.map((p) => `| ${p.scale} | ${p.load.sources.map((s) => `${f0(s.rows)} / ${f0(s.entities)} / ${f1(s.seconds)} s / ${f0(s.rowsPerSecond)} / ${f1(s.cpuSeconds ?? NaN)} CPU s`).join(" | ")} |`),
  ];
  return lines.join("\n");
}

export function writeScaleSection(points: ScalePoint[], command: string, failures: ScaleRun["failures"] = [], store?: string): void {
  // A run on a remote store has its own section: both curves stay on the page.
  const tag = store ? `scale-${store}` : "scale";
  const START = `<!-- ${tag}:start (written by npm run bench:scale${store ? ` -- --store ${store}` : ""}) -->`;
  const END = `<!-- ${tag}:end -->`;
  const file = join(PROJECT_ROOT, "docs", "benchmark.md");
  const text = readFileSync(file, "utf8");
  const section = [START, "", `Last run: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, \`${command}\`, on a machine with ${(process.env.REFX_BENCH_MACHINE ?? "2 cores shared with other jobs")}.`, "", scaleTable(points, failures), "", END].join("\n");
  const i = text.indexOf(START);
  const j = text.indexOf(END);
  const next = i >= 0 && j > i ? text.slice(0, i) + section + text.slice(j + END.length) : `${text.trimEnd()}\n\n## Scale${store ? ` on the remote store (${store})` : ""}\n\n${section}\n`;
  writeFileSync(file, next);
}

async function main(): Promise<void> {
  const program = new Command("bench:scale")
    .description("Load time, memory, restart and serving speed of refx on generated national-size inputs")
    .option("--scale <list>", "fractions of the national size, comma-separated", "0.05,0.1,0.25,1")
    .option("--dir <dir>", "where inputs, saved stores and caches go (outside the project)", join(tmpdir(), "refx-scale"))
    .option("--seed <n>", "seed of the generator", "12")
    .option("--batches <n>", "reconciliation batches of 10 per scale", "300")
    .option("--concurrency <n>", "batches in flight", "4")
    .option("--keep", "keep the generated files and saved stores")
    .option("--no-doc", "do not rewrite the scale section of docs/benchmark.md")
    .option("--store <kind>", "load into and serve from an external store started for each scale: virtuoso (refx load --store, refx serve --store)")
    .option("--virtuoso-buffers <n>", "Virtuoso's NumberOfBuffers (8 KB pages)", "1000000")
    .parse();
  const o = program.opts<{ scale: string; dir: string; seed: string; batches: string; concurrency: string; keep?: boolean; doc: boolean; store?: string; virtuosoBuffers: string }>();
  if (o.store && o.store !== "virtuoso") throw new Error(`--store takes virtuoso, not ${o.store}`);
  const scales = o.scale.split(",").map(Number);
  if (scales.some((s) => !(s > 0 && s <= 1))) throw new Error(`--scale takes fractions in (0, 1], got ${o.scale}`);
  const dir = resolve(o.dir);
  if (dir.startsWith(PROJECT_ROOT + "/") || dir === PROJECT_ROOT) throw new Error(`--dir must be outside the project (${PROJECT_ROOT})`);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const { points, failures } = await runScale({
    scales, dir, seed: Number(o.seed), batches: Number(o.batches), concurrency: Number(o.concurrency), keep: !!o.keep, writeDoc: o.doc, log: (s) => console.error(s),
    store: o.store as ScaleOptions["store"], virtuosoBuffers: Number(o.virtuosoBuffers),
  });
  console.log(scaleTable(points, failures));
  writeFileSync(join(dir, "scale-report.json"), JSON.stringify({ points, failures }, null, 2));
  console.error(`JSON report: ${join(dir, "scale-report.json")}`);
  if (o.doc) writeScaleSection(points, `npm run bench:scale -- --scale ${o.scale}${o.store ? ` --store ${o.store}` : ""}`, failures, o.store);
  if (failures.length) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(PROJECT_ROOT, "scripts/bench/scale.ts")) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  });
}
