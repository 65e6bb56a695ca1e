// `npm run bench`: quality and speed of refx's reconciliation on the real
// extracts of ../shared/data, against a fuse.js baseline. A benchmark, not a
// test: it is never part of `npm test`. See docs/benchmark.md.
import { Command, InvalidArgumentError } from "commander";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { loadDataDir, type LoadReport } from "../../data/load.ts";
import { RefStore } from "../../data/store.ts";
import { ReconciliationIndex } from "../../reconcile/index.ts";
import { SERVICE_IDS, type ServiceId } from "../../reconcile/types.ts";
import { isServiceId } from "../../app/targets.ts";
import { PROJECT_ROOT } from "../../app/config.ts";
import { BASELINE_AUTO_MATCH, FUSE_OPTIONS } from "./baseline.ts";
import { readCatalogue } from "./catalogue.ts";
import { buildLabelledSet, type CuratedQuery } from "./labelled.ts";
import { figures, groupBy, latency, type Figures, type Latency } from "./metrics.ts";
import { Rng } from "./prng.ts";
import {
  errorLines, fmt, QUALITY_HEADER, qualityRow, ratioText, SPEED_HEADER, SPEED_TARGET_ROW, speedRow, table, TARGET_ROW, TARGETS, worstErrors,
  atLeast, mark, below,
} from "./report.ts";
import { BaselineCache, runBaseline, runRefx, type RunResult } from "./run.ts";
import { readSources } from "./sources.ts";
import { AFFILIATION_TARGETS, partOf, PUBLISHED, runAffiliationBench, type AffiliationBench, type AffiliationFigures } from "./affiliations.ts";
import { measureStartup, type StartupRun } from "./startup.ts";
import { flaggedOf, goldFiles, PROTOCOL_TARGETS, ROR_RELEASE_FLOORS, runProtocol, type ProtocolFigures, type ProtocolSet } from "./ror-protocol.ts";
import type { LabelledQuery } from "./types.ts";

const SHARED_DATA = resolve(PROJECT_ROOT, "..", "shared", "data");
const BASE = "http://localhost:3000";
const DEFAULT_JSON = join(PROJECT_ROOT, ".refx", "bench", "latest.json");
const BASELINE_CACHE = join(PROJECT_ROOT, ".refx", "bench", "baseline-cache.json");
/**
 * Baseline sample per service: fuse.js scans every name for every query
 * (on one thread, about 0.05 s a query on uai and siret, 0.25 s on rnsr,
 * 0.9 s on wikidata, 1.5 s on ror, 2 s on all; several times that on a busy
 * machine), so the first run is kept under three minutes; later runs reuse
 * the saved answers.
 */
const BASELINE_SAMPLE: Record<ServiceId, number> = { uai: 150, siret: 150, rnsr: 80, wikidata: 50, ror: 30, all: 30 };

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("a whole number >= 0");
  return n;
};
const serviceList = (v: string) => {
  const list = v.split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of list) if (!isServiceId(s)) throw new InvalidArgumentError(`one of ${SERVICE_IDS.join(", ")}`);
  return list as ServiceId[];
};

const program = new Command("bench")
  .description("Benchmark refx's reconciliation on ../shared/data against a fuse.js baseline (quality, speed, start-up).")
  .option("--data-dir <dir>", "the real extracts", SHARED_DATA)
  .option("--seed <n>", "seed of the labelled set", positiveInt, 20240611)
  .option("--service <ids>", `only these services, comma-separated (${SERVICE_IDS.join(", ")})`, serviceList)
  .option("--limit-per-service <n>", "generated queries per service, negatives included (hand-written ones come on top)", positiveInt, 500)
  .option("--baseline-queries <n>", `queries per service the baseline runs, a seeded sample (default ${Object.entries(BASELINE_SAMPLE).map(([s, n]) => `${s} ${n}`).join(", ")}; 0: all). fuse.js takes seconds a query on the large services`, positiveInt)
  .option("--fresh-baseline", "ignore the saved baseline answers (.refx/bench/baseline-cache.json)")
  .option("--threads <n>", "worker threads for the baseline", positiveInt, Math.max(1, Math.min(2, availableParallelism())))
  .option("--no-baseline", "skip the baseline")
  .option("--errors <n>", "worst refx errors to list", positiveInt, 30)
  .option("--json <path>", "where to write the JSON report", DEFAULT_JSON)
  .option("--dump <file>", "also write the labelled set to <file> (outside the project)")
  .option("--refresh", "parse the files again instead of restoring the saved store")
  .option("--startup", "also time the real server from spawn to /health 200 (no cache, empty cache, saved store)")
  .option("--no-affiliations", "skip the affiliation-string benchmark (gold/crossref-affiliations-ror.train.csv)")
  .option("--affiliations-only", "run only the affiliation-string benchmark")
  .parse();

interface Options {
  dataDir: string;
  seed: number;
  service?: ServiceId[];
  limitPerService: number;
  baselineQueries?: number;
  freshBaseline?: boolean;
  threads: number;
  baseline: boolean;
  errors: number;
  json: string;
  dump?: string;
  refresh?: boolean;
  startup?: boolean;
  affiliations: boolean;
  affiliationsOnly?: boolean;
}
const opts = program.opts<Options>();
const services = opts.service ?? [...SERVICE_IDS];
const log = (s: string) => process.stderr.write(s + "\n");
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const rssMB = () => process.memoryUsage().rss / 2 ** 20;

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

async function main(): Promise<void> {
  const dataDir = resolve(opts.dataDir);
  if (!existsSync(join(dataDir, "uai")) && !existsSync(join(dataDir, "ror")) && !existsSync(join(dataDir, "rnsr"))) {
    console.error(`refx bench: no real extracts at ${dataDir}.\nThe benchmark needs ../shared/data beside the project (see /work/shared/data/README.md), or --data-dir <dir> laid out the same way.`);
    process.exit(2);
  }
  if (opts.dump && inside(PROJECT_ROOT, resolve(opts.dump))) {
    console.error(`refx bench: --dump ${opts.dump} is inside the project; rows of the real extracts never go into the repository. Write it elsewhere, e.g. /tmp/refx-labelled.json.`);
    process.exit(2);
  }
  const started = performance.now();
  const loadBefore = loadavg()[0];

  // 1. Load and index, as the server does.
  log(`Loading ${dataDir}${opts.refresh ? " (parsing the files again)" : ""}...`);
  const store = new RefStore();
  let t0 = performance.now();
  const load: LoadReport = await loadDataDir(store, { dataDir, base: BASE, cacheDir: join(PROJECT_ROOT, ".refx", "cache"), refresh: opts.refresh });
  const rssAfterLoad = rssMB();
  log(`  ${load.triples} triples in ${load.seconds.toFixed(1)} s${load.fromCache ? " (saved store)" : ""}`);
  log("Building the reconciliation index...");
  t0 = performance.now();
  const matcher = ReconciliationIndex.build(store, BASE);
  const buildSeconds = seconds(t0);
  const rssAfterBuild = rssMB();
  const sizes = Object.fromEntries(SERVICE_IDS.map((s) => [s, matcher.size(s)]));
  log(`  built in ${buildSeconds.toFixed(1)} s; RSS ${rssAfterBuild.toFixed(0)} MB`);

  // The affiliation strings: Crossref's, held-out part first (docs/affiliations.md).
  const goldFile = join(dataDir, "gold", "crossref-affiliations-ror.train.csv");
  let affiliations: AffiliationBench | undefined;
  if (opts.affiliations && existsSync(goldFile)) {
    log("Running the affiliation-string benchmark...");
    t0 = performance.now();
    affiliations = runAffiliationBench(matcher, goldFile, opts.errors);
    log(`  ${affiliations.inRor} strings in ${seconds(t0).toFixed(1)} s`);
  } else if (opts.affiliations) log(`  no ${goldFile}: affiliation benchmark skipped`);
  // ROR's acceptance protocol on every gold file, the calibrated decision against the score rule (docs/benchmark.md).
  let protocol: ProtocolSet[] | undefined;
  const golds = goldFiles(join(dataDir, "gold"));
  if (opts.affiliations && golds.length) {
    log(`Running ROR's acceptance protocol on ${golds.length} gold file(s)...`);
    t0 = performance.now();
    protocol = runProtocol(golds, (id) => !!matcher.get("ror", id),
      (text) => flaggedOf(matcher.affiliation("ror", text)),
      (text) => flaggedOf(matcher.affiliation("ror", text, undefined, "rule")));
    log(`  done in ${seconds(t0).toFixed(1)} s`);
  }
  if (opts.affiliationsOnly) {
    console.log([...affiliationReport(affiliations), ...protocolReport(protocol)].join("\n"));
    if (protocol) writeProtocolJson(opts.json, protocol);
    return;
  }

  // 2. The labelled set, from the files themselves.
  log("Reading the source files and the names of every record (for the baseline and ambiguity checks)...");
  t0 = performance.now();
  const sources = readSources(dataDir, BASE);
  const sourcesSeconds = seconds(t0);
  t0 = performance.now();
  const catalogue = readCatalogue(store, BASE);
  const catalogueSeconds = seconds(t0);
  const curated = JSON.parse(readFileSync(new URL("./queries.json", import.meta.url), "utf8")) as CuratedQuery[];
  t0 = performance.now();
  const set = buildLabelledSet(sources, catalogue, curated, { base: BASE, seed: opts.seed, perService: opts.limitPerService, services });
  const queries = set.queries;
  log(`  ${queries.length} queries in ${seconds(t0).toFixed(1)} s`);
  if (opts.dump) {
    mkdirSync(dirname(resolve(opts.dump)), { recursive: true });
    writeFileSync(resolve(opts.dump), JSON.stringify({ seed: opts.seed, queries, dropped: set.dropped, curatedDropped: set.curatedDropped }, null, 1));
    log(`  labelled set written to ${resolve(opts.dump)}`);
  }

  // 3-4. refx: quality and speed in one pass.
  log("Running refx...");
  const refx = runRefx(matcher, queries);
  // The same matcher with the score rule deciding `match`: the decision's same-run baseline.
  log("Running refx with the score rule (the decision's baseline)...");
  matcher.decision = "rule";
  const ruleRun = runRefx(matcher, queries);
  matcher.decision = "model";

  // The baseline on a seeded sample per service (fuse.js is slow on large services).
  const all = queries.map((_, i) => i);
  const byService = groupBy(all, (i) => queries[i].service);
  const sample: number[] = [];
  const sampleSize = (s: ServiceId) => opts.baselineQueries ?? BASELINE_SAMPLE[s];
  for (const [service, idx] of byService) {
    const shuffled = new Rng(opts.seed).fork(`baseline/${service}`).shuffle(idx);
    const n = sampleSize(service as ServiceId);
    sample.push(...(n ? shuffled.slice(0, n) : shuffled).sort((a, b) => a - b));
  }
  let baseline: RunResult | undefined;
  let baselineRun: { searched: number; fromCache: number } | undefined;
  if (opts.baseline) {
    const cache = new BaselineCache(BASELINE_CACHE, catalogue, fuseVersion(), !!opts.freshBaseline);
    const sampleQueries = sample.map((i) => queries[i]);
    const cached = sampleQueries.filter((q) => cache.get(q)).length;
    log(`Running the baseline (fuse.js) on ${sample.length} queries (${cached} answers saved from an earlier run), ${opts.threads} thread(s)...`);
    t0 = performance.now();
    const r = await runBaseline(catalogue, sampleQueries, cache, opts.threads, (done, total) => {
      if (done % 5 === 0 || done === total) log(`  ${done}/${total} batches, ${seconds(t0).toFixed(0)} s`);
    });
    // Answers back in the positions of the full set.
    const answers = new Array(queries.length);
    sample.forEach((qi, j) => (answers[qi] = r.answers[j]));
    baseline = { answers, batchMs: r.batchMs, buildMs: r.buildMs };
    baselineRun = { searched: r.searched, fromCache: r.fromCache };
  }

  // 5. Start-up of the real server.
  let startup: StartupRun[] | undefined;
  if (opts.startup) {
    log("Timing the server's start-up...");
    startup = await measureStartup(PROJECT_ROOT, dataDir, 180_000, log);
  }

  // ---- figures ----
  const kinds = groupBy(all, (i) => queries[i].kind);
  const refxFig = {
    overall: figures(queries, refx.answers, all),
    byService: Object.fromEntries([...byService].map(([s, idx]) => [s, figures(queries, refx.answers, idx)])),
    byKind: Object.fromEntries([...kinds].map(([k, idx]) => [k, figures(queries, refx.answers, idx)])),
    byServiceKind: Object.fromEntries([...byService].map(([s, idx]) => [s, Object.fromEntries([...groupBy(idx, (i) => queries[i].kind)].map(([k, ki]) => [k, figures(queries, refx.answers, ki)]))])),
  };
  const speed = (r: RunResult, counted: Map<string, number[]>) => {
    const perService: Record<string, Latency> = {};
    const allMs: number[] = [];
    let n = 0;
    for (const [s, ms] of r.batchMs) {
      const count = counted.get(s)?.length ?? 0;
      perService[s] = latency(ms, count);
      allMs.push(...ms);
      n += count;
    }
    return { overall: latency(allMs, n), byService: perService };
  };
  const refxSpeed = speed(refx, byService);
  const sampleByService = groupBy(sample, (i) => queries[i].service);
  const sampleKinds = groupBy(sample, (i) => queries[i].kind);
  const baseFig = baseline && {
    overall: figures(queries, baseline.answers, sample),
    byService: Object.fromEntries([...sampleByService].map(([s, idx]) => [s, figures(queries, baseline!.answers, idx)])),
    byKind: Object.fromEntries([...sampleKinds].map(([k, idx]) => [k, figures(queries, baseline!.answers, idx)])),
  };
  const refxOnSample = baseline && {
    overall: figures(queries, refx.answers, sample),
    byService: Object.fromEntries([...sampleByService].map(([s, idx]) => [s, figures(queries, refx.answers, idx)])),
    byKind: Object.fromEntries([...sampleKinds].map(([k, idx]) => [k, figures(queries, refx.answers, idx)])),
  };
  const baseSpeed = baseline && speed(baseline, sampleByService);
  const ratios = (a: Figures, b: Figures) => ({
    precisionAt1: a.precisionAt1 != null && b.precisionAt1 ? a.precisionAt1 / b.precisionAt1 : null,
    recallAt5: a.recallAt5 != null && b.recallAt5 ? a.recallAt5 / b.recallAt5 : null,
    autoPrecision: a.autoPrecision != null && b.autoPrecision ? a.autoPrecision / b.autoPrecision : null,
    autoRecall: a.autoRecall != null && b.autoRecall ? a.autoRecall / b.autoRecall : null,
  });
  // Held-out part of the labelled set (by the hash of the query's text, as the affiliation split): never fitted on.
  const heldoutIdx = all.filter((i) => partOf(queries[i].query) === "heldout");
  const devIdx = all.filter((i) => partOf(queries[i].query) === "dev");
  const decision = {
    heldout: { model: figures(queries, refx.answers, heldoutIdx), rule: figures(queries, ruleRun.answers, heldoutIdx) },
    dev: { model: figures(queries, refx.answers, devIdx), rule: figures(queries, ruleRun.answers, devIdx) },
    heldoutByKind: Object.fromEntries([...groupBy(heldoutIdx, (i) => queries[i].kind)].map(([k, ki]) => [k, { model: figures(queries, refx.answers, ki), rule: figures(queries, ruleRun.answers, ki) }])),
    speed: { model: speed(refx, byService).overall, rule: speed(ruleRun, byService).overall },
  };
  const errors = worstErrors(queries, refx.answers, opts.errors);
  const labelledSummary = Object.fromEntries([...byService].map(([s, idx]) => [s, {
    queries: idx.length,
    positives: idx.filter((i) => queries[i].expected).length,
    negatives: idx.filter((i) => !queries[i].expected).length,
    byKind: Object.fromEntries([...groupBy(idx, (i) => queries[i].kind)].map(([k, ki]) => [k, ki.length])),
    bySource: Object.fromEntries([...groupBy(idx, (i) => queries[i].source)].map(([k, ki]) => [k, ki.length])),
  }]));

  // ---- stdout ----
  const out: string[] = [];
  const p = (s = "") => out.push(s);
  const o = refxFig.overall;
  p(`refx benchmark — seed ${opts.seed}, ${byService.size} service(s), ${queries.length} queries (${o.positives} with an answer, ${o.negatives} negatives)`);
  p(`Data ${dataDir}: ${load.triples.toLocaleString("en")} triples, loaded in ${load.seconds.toFixed(1)} s${load.fromCache ? " from the saved store" : " from the files"} (${Math.round(load.triplesPerSecond).toLocaleString("en")} triples/s), peak RSS while loading ${load.peakRssMB.toFixed(0)} MB`);
  p(`Index: built in ${buildSeconds.toFixed(1)} s; RSS ${rssAfterLoad.toFixed(0)} MB after load, ${rssAfterBuild.toFixed(0)} MB after build; records ${SERVICE_IDS.map((s) => `${s} ${sizes[s]}`).join(", ")}`);
  p();
  p("QUALITY — refx, every query (P@1 and R@5 over queries with an answer; auto P over all auto-matches, negatives included)");
  p(table(QUALITY_HEADER, [...[...byService.keys()].map((s) => qualityRow(s, refxFig.byService[s])), qualityRow("all services", o), TARGET_ROW]));
  p();
  p("QUALITY BY QUERY KIND — refx, all services pooled");
  p(table(QUALITY_HEADER, [...kinds.keys()].map((k) => qualityRow(k, refxFig.byKind[k], false))));
  p();
  const svcs = [...byService.keys()];
  p("P@1 BY KIND AND SERVICE — refx (n in brackets; negatives: wrong auto-matches / n)");
  p(table(["kind", ...svcs], [...kinds.keys()].map((k) => [k, ...svcs.map((s) => {
    const f = refxFig.byServiceKind[s]?.[k];
    if (!f) return "";
    return f.positives ? `${fmt(f.precisionAt1, 2)} (${f.positives})` : `${f.negativeAutoMatches}/${f.negatives}`;
  })])));
  p();
  if (baseFig && refxOnSample) {
    p(`BASELINE — fuse.js ${fuseVersion()} on a seeded sample per service (${baselineRun!.fromCache} answers from .refx/bench/baseline-cache.json); refx on the same queries; ratio refx/baseline`);
    const rows = [...sampleByService.keys()].map((s) => {
      const b = baseFig.byService[s];
      const r = refxOnSample.byService[s];
      return [s, String(b.queries), `${fmt(r.precisionAt1)} / ${fmt(b.precisionAt1)}`, ratioText(r.precisionAt1, b.precisionAt1),
        `${fmt(r.autoPrecision)} / ${fmt(b.autoPrecision)}`, ratioText(r.autoPrecision, b.autoPrecision),
        `${fmt(r.autoRecall)} / ${fmt(b.autoRecall)}`, ratioText(r.autoRecall, b.autoRecall),
        `${fmt(r.recallAt5)} / ${fmt(b.recallAt5)}`, `${r.negativeAutoMatches}/${r.negatives} · ${b.negativeAutoMatches}/${b.negatives}`];
    });
    const b = baseFig.overall;
    const r = refxOnSample.overall;
    rows.push(["all services", String(b.queries), `${fmt(r.precisionAt1)} / ${fmt(b.precisionAt1)}`, ratioText(r.precisionAt1, b.precisionAt1),
      `${fmt(r.autoPrecision)} / ${fmt(b.autoPrecision)}`, ratioText(r.autoPrecision, b.autoPrecision),
      `${fmt(r.autoRecall)} / ${fmt(b.autoRecall)}`, ratioText(r.autoRecall, b.autoRecall),
      `${fmt(r.recallAt5)} / ${fmt(b.recallAt5)}`, `${r.negativeAutoMatches}/${r.negatives} · ${b.negativeAutoMatches}/${b.negatives}`]);
    p(table(["", "n", "P@1 refx/base", "ratio", "auto P refx/base", "ratio", "auto R refx/base", "ratio", "R@5 refx/base", "neg auto refx · base"], rows));
    p();
  }
  {
    const d = decision;
    const drow = (label: string, f: Figures) => [label, String(f.queries), fmt(f.precisionAt1), fmt(f.autoPrecision), fmt(f.autoRecall), fmt(f.recallAt5), `${f.negativeAutoMatches}/${f.negatives}`];
    p("MATCH DECISION — the calibrated model (reconcile/decision/) against the score rule, same run; held-out part of the labelled set (hash of the query text), never fitted on");
    p(table(["", "n", "P@1", "auto P", "auto R", "R@5", "neg auto"], [
      drow("model, held-out", d.heldout.model), drow("rule, held-out", d.heldout.rule),
      drow("model, development", d.dev.model), drow("rule, development", d.dev.rule),
      ["ratio model/rule (held-out)", "", ratioText(d.heldout.model.precisionAt1, d.heldout.rule.precisionAt1), ratioText(d.heldout.model.autoPrecision, d.heldout.rule.autoPrecision), ratioText(d.heldout.model.autoRecall, d.heldout.rule.autoRecall), "", ""],
      ["target", "", "≥0.98", "≥0.997", "≥0.9", "", ""],
    ]));
    p(`  q/s: model ${d.speed.model.queriesPerSecond.toFixed(0)}, rule ${d.speed.rule.queriesPerSecond.toFixed(0)} (one thread, same run)`);
    p(table(["held-out kind", "n", "P@1", "auto P model · rule", "auto R model · rule"], Object.entries(d.heldoutByKind).map(([k, f]) => [k, String(f.model.queries), fmt(f.model.precisionAt1), `${fmt(f.model.autoPrecision)} · ${fmt(f.rule.autoPrecision)}`, `${fmt(f.model.autoRecall)} · ${fmt(f.rule.autoRecall)}`])));
    p();
  }
  const busy = loadBefore > cpus().length * 0.5;
  p(`SPEED — one thread, batches of 10 queries in sequence (ms per batch); machine load average ${loadBefore.toFixed(1)} on ${cpus().length} CPUs at start${busy ? " — BUSY: other processes compete, speed figures are pessimistic" : ""}`);
  const speedRows = [speedRow("refx, all services", refxSpeed.overall), ...Object.entries(refxSpeed.byService).map(([s, l]) => speedRow(`  refx ${s}`, l))];
  if (baseSpeed) speedRows.push(speedRow("baseline, all services", baseSpeed.overall), ...Object.entries(baseSpeed.byService).map(([s, l]) => speedRow(`  baseline ${s}`, l)));
  speedRows.push(SPEED_TARGET_ROW);
  p(table(SPEED_HEADER, speedRows));
  if (baseline?.buildMs.size) p(`Baseline Fuse index builds (ms): ${[...baseline.buildMs].map(([s, ms]) => `${s} ${ms.toFixed(0)}`).join(", ")}`);
  if (baseline) p("Baseline latencies are fuse.js's own, measured on a worker thread (saved with its answers when they come from the cache).");
  p();
  if (startup) {
    p("START-UP — the real server, spawn to first /health 200");
    p(table(["", "listening s", "ready s", "from cache", "error"], [
      ...startup.map((r) => [r.label, fmt(r.listenSeconds, 1), r.readySeconds === undefined ? "–" : `${r.readySeconds.toFixed(1)}${mark(below(r.readySeconds, TARGETS.startupSeconds))}`, r.fromCache === undefined ? "" : String(r.fromCache), r.error ?? ""]),
      ["target", "", `<${TARGETS.startupSeconds}`, "", ""],
    ]));
    p();
  }
  out.push(...affiliationReport(affiliations));
  out.push(...protocolReport(protocol));
  const droppedTotal = Object.values(set.dropped).reduce((s, d) => s + Object.values(d).reduce((a, b) => a + b, 0), 0);
  p(`Labelled set: ${droppedTotal} generated candidates left out as ambiguous or absent from the store (see the JSON); ${set.curatedDropped.length} hand-written queries dropped${set.curatedDropped.length ? ": " + set.curatedDropped.map((c) => `"${c.query}" (${c.reason})`).join("; ") : ""}.`);
  p();
  p(`WORST ${errors.length} REFX ERRORS — wrong auto-matches first, then wrong top-1, then (to fill the list) right top-1 not auto-matched`);
  p(errorLines(errors));
  p();
  const verdict = [
    ["P@1", atLeast(o.precisionAt1, TARGETS.precisionAt1)], ["auto P", atLeast(o.autoPrecision, TARGETS.autoPrecision)],
    ["auto R", atLeast(o.autoRecall, TARGETS.autoRecall)], ["q/s", atLeast(refxSpeed.overall.queriesPerSecond, TARGETS.queriesPerSecond)],
    ["p99", below(refxSpeed.overall.p99BatchMs, TARGETS.p99BatchMs)],
    ...(startup ? [["start-up", startup.every((r) => r.readySeconds !== undefined && r.readySeconds < TARGETS.startupSeconds)] as const] : []),
  ] as const;
  p(`Targets: ${verdict.map(([k, ok]) => `${k} ${mark(ok as boolean | undefined)}`).join("  ")}    (run took ${seconds(started).toFixed(0)} s)`);

  const json = {
    version: 1,
    generatedAt: new Date().toISOString(),
    seed: opts.seed,
    options: { services, limitPerService: opts.limitPerService, baselineQueries: Object.fromEntries(services.map((s) => [s, sampleSize(s)])), threads: opts.threads, baseline: opts.baseline, startup: !!opts.startup },
    machine: { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverageAtStart: loadBefore, loadAverageAtEnd: loadavg()[0] },
    targets: TARGETS,
    data: {
      dir: dataDir, files: sources.files, base: BASE,
      load: { seconds: load.seconds, fromCache: load.fromCache, triples: load.triples, triplesPerSecond: load.triplesPerSecond, peakRssMB: load.peakRssMB, sources: load.sources.map((s) => ({ source: s.source, entities: s.entities, triples: s.triples, seconds: s.seconds })) },
      index: { buildSeconds, rssAfterLoadMB: rssAfterLoad, rssAfterBuildMB: rssAfterBuild, records: sizes },
      readSourcesSeconds: sourcesSeconds, catalogueSeconds, catalogueRecords: Object.fromEntries([...catalogue].map(([s, l]) => [s, l.length])),
    },
    labelledSet: { total: queries.length, byService: labelledSummary, dropped: set.dropped, curatedDropped: set.curatedDropped },
    refx: { ...refxFig, speed: refxSpeed },
    baseline: baseFig && {
      library: `fuse.js ${fuseVersion()}`, options: FUSE_OPTIONS, autoMatch: BASELINE_AUTO_MATCH, sampleSize: sample.length, threads: opts.threads, ...baselineRun,
      ...baseFig, speed: baseSpeed, buildMs: Object.fromEntries(baseline!.buildMs),
    },
    refxOnBaselineSample: refxOnSample,
    ratios: baseFig && refxOnSample && {
      overall: ratios(refxOnSample.overall, baseFig.overall),
      byService: Object.fromEntries(Object.keys(baseFig.byService).map((s) => [s, ratios(refxOnSample.byService[s], baseFig.byService[s])])),
    },
    startup,
    affiliations,
    rorProtocol: protocol,
    matchDecision: decision,
    worstErrors: errors,
    runSeconds: seconds(started),
  };
  const jsonPath = resolve(opts.json);
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, JSON.stringify(json, null, 2));
  p(`JSON report: ${jsonPath}`);
  console.log(out.join("\n"));
}

function affiliationReport(a: AffiliationBench | undefined): string[] {
  if (!a) return [];
  const row = (label: string, f: AffiliationFigures) => [label, String(f.rows), fmt(f.precision), fmt(f.recall), fmt(f.precisionAt1), f.foundAnywhere === undefined ? "" : fmt(f.foundAnywhere), f.perSecond.toFixed(0), f.p50Ms.toFixed(2), f.p99Ms.toFixed(2)];
  const h = a.heldout;
  const lines = [
    `AFFILIATION STRINGS — ${a.inRor} of the ${a.goldRows} rows of ${a.file} name an organisation among the loaded ROR records; one answer per string (target ror), one thread`,
    table(["", "rows", "precision", "recall", "P@1", "found", "strings/s", "p50 ms", "p99 ms"], [
      row("refx, held-out part", h.refx),
      row("baseline, held-out part", h.baseline),
      row("refx, development part", a.dev.refx),
      row("baseline, development part", a.dev.baseline),
      ["ratio refx/baseline (held-out)", "", ratioText(h.refx.precision, h.baseline.precision), ratioText(h.refx.recall, h.baseline.recall), ratioText(h.refx.precisionAt1, h.baseline.precisionAt1), "", ratioText(h.refx.perSecond, h.baseline.perSecond), "", ""],
      ...PUBLISHED.map((p) => [`published: ${p.name}`, "", fmt(p.precision), fmt(p.recall), "", "", "", "", ""]),
      ["target", "", `≥${AFFILIATION_TARGETS.precision}`, `≥${AFFILIATION_TARGETS.recall}`, "", "", `≥${AFFILIATION_TARGETS.perSecond}`, "", ""],
    ]),
    "precision = correct auto-matches / auto-matches; recall = correct auto-matches / rows; found = the right organisation among all those found in the string.",
    "baseline = refx's ordinary reconciliation of each comma-separated piece, best auto-matched piece kept (no affiliation matcher).",
    `Targets (held-out): precision ${mark(atLeast(h.refx.precision, AFFILIATION_TARGETS.precision))}  recall ${mark(atLeast(h.refx.recall, AFFILIATION_TARGETS.recall))}  strings/s ${mark(atLeast(h.refx.perSecond, AFFILIATION_TARGETS.perSecond))}`,
    "",
    `WRONG AUTO-MATCHES ON AFFILIATIONS — development part only (${a.errors.length} shown)`,
    ...a.errors.map((e) => `  ${JSON.stringify(e.affiliation.slice(0, 160))}\n      expected ${e.expected} ${e.expectedName ?? ""} · got ${e.got} ${e.gotName ?? ""} (${e.score})`),
    "",
  ];
  return lines;
}

function protocolReport(sets: ProtocolSet[] | undefined): string[] {
  if (!sets?.length) return [];
  const row = (label: string, f: ProtocolFigures) => [label, String(f.strings), String(f.negatives), fmt(f.accuracy), fmt(f.precision), fmt(f.recall), `${f.negativesFlagged} (${(100 * f.negativesFlaggedShare).toFixed(1)} %)`, f.perSecond.toFixed(0)];
  const t = PROTOCOL_TARGETS;
  const lines = ["ROR ACCEPTANCE PROTOCOL — per string, the ids flagged `match` against the ids asserted (NP: none); only ROR ids among the loaded records count; baseline = the score rule (AFFILIATION_AUTO_SCORE and gap) in the same run"];
  for (const s of sets) {
    const h = s.heldout;
    lines.push(`${s.file}: ${s.counted} of ${s.goldRows} strings counted`);
    lines.push(table(["", "strings", "NP", "accuracy", "precision", "recall", "NP flagged", "strings/s"], [
      row("refx, held-out", h.refx),
      row("baseline, held-out", h.baseline),
      row("refx, development", s.dev.refx),
      row("baseline, development", s.dev.baseline),
      ["ratio refx/baseline (held-out)", "", "", ratioText(h.refx.accuracy, h.baseline.accuracy), ratioText(h.refx.precision, h.baseline.precision), ratioText(h.refx.recall, h.baseline.recall), "", ratioText(h.refx.perSecond, h.baseline.perSecond)],
      ["ROR release floors", "", "", `≥${ROR_RELEASE_FLOORS.accuracy}`, `≥${ROR_RELEASE_FLOORS.precision}`, `≥${ROR_RELEASE_FLOORS.recall}`, "", ""],
      ["target", "", "", `≥${t.accuracy}`, `≥${t.precision}`, `≥${t.recall}`, `≤${100 * t.negativesFlaggedShare} %`, ""],
    ]));
    lines.push(`  targets (held-out): accuracy ${mark(atLeast(h.refx.accuracy, t.accuracy))}  precision ${mark(atLeast(h.refx.precision, t.precision))}  recall ${mark(atLeast(h.refx.recall, t.recall))}  NP flagged ${mark(h.refx.negatives ? below(h.refx.negativesFlaggedShare, t.negativesFlaggedShare + 1e-9) : undefined)}`);
  }
  lines.push("");
  return lines;
}

function writeProtocolJson(path: string, protocol: ProtocolSet[]): void {
  const jsonPath = resolve(path);
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, JSON.stringify({ version: 1, generatedAt: new Date().toISOString(), rorProtocol: protocol }, null, 2));
}

function fuseVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(PROJECT_ROOT, "node_modules", "fuse.js", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(`refx bench failed: ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
