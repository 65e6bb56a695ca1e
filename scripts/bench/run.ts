// Runs the labelled queries through refx (in-process, one thread, batches of
// 10 in sequence) and through the baseline (worker threads, each one
// sequential on its own thread, answers cached), timing every batch.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";
import { Worker } from "node:worker_threads";
import type { Matcher } from "../../reconcile/matcher.ts";
import type { Candidate, ServiceId } from "../../reconcile/types.ts";
import { baselineAutoMatch, FUSE_OPTIONS, type BaselineDoc, type BaselineHit } from "./baseline.ts";
import type { WorkerReply, WorkerRequest } from "./baseline-worker.ts";
import type { Catalogue, CatalogueRecord } from "./catalogue.ts";
import type { Answer, Expected, LabelledQuery } from "./types.ts";

export const BATCH = 10;

export interface RunResult {
  /** One answer per query, in the order of the queries given. */
  answers: Answer[];
  /** Milliseconds of each batch of 10, by service. */
  batchMs: Map<ServiceId, number[]>;
  /** Index builds (baseline: Fuse indexes), milliseconds by service. */
  buildMs: Map<ServiceId, number>;
}

/** Right when the record is the expected one or the data says it is the same (owl:sameAs). */
export function isCorrect(id: string, sameAs: readonly string[], expected: Expected | undefined): boolean {
  return !!expected && (id === expected.id || sameAs.includes(expected.uri));
}

function batchesOf<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += BATCH) out.push(list.slice(i, i + BATCH));
  return out;
}

function byService(queries: LabelledQuery[]): Map<ServiceId, number[]> {
  const m = new Map<ServiceId, number[]>();
  queries.forEach((q, i) => {
    const list = m.get(q.service);
    if (list) list.push(i);
    else m.set(q.service, [i]);
  });
  return m;
}

export function runRefx(matcher: Matcher, queries: LabelledQuery[], warmup = 200): RunResult {
  const ask = (q: LabelledQuery): Candidate[] | Error => {
    try {
      return matcher.reconcile(q.service, { query: q.query, properties: q.properties, limit: 5 });
    } catch (err) {
      return err as Error;
    }
  };
  // Warm the JIT and the caches on a slice of every service before timing.
  for (const [, idx] of byService(queries)) for (const i of idx.slice(0, Math.ceil(warmup / 6))) ask(queries[i]);

  const raw: (Candidate[] | Error)[] = new Array(queries.length);
  const batchMs = new Map<ServiceId, number[]>();
  for (const [service, idx] of byService(queries)) {
    const times: number[] = [];
    for (const batch of batchesOf(idx)) {
      const t0 = performance.now();
      for (const i of batch) raw[i] = ask(queries[i]);
      times.push(performance.now() - t0);
    }
    batchMs.set(service, times);
  }
  const answers = raw.map((r, i): Answer => {
    if (r instanceof Error) return { candidates: [], error: r.message };
    return {
      candidates: r.map((c) => ({
        id: c.record.id, name: c.record.name, score: c.score, match: c.match,
        correct: isCorrect(c.record.id, c.record.sameAs, queries[i].expected),
      })),
    };
  });
  return { answers, batchMs, buildMs: new Map() };
}

/** Starts a worker on baseline-worker.ts through tsx, as the bench itself runs. */
function startWorker(): Worker {
  const url = new URL("./baseline-worker.ts", import.meta.url).href;
  const code = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}))`;
  return new Worker(code, { eval: true });
}

export function baselineDocs(records: CatalogueRecord[]): BaselineDoc[] {
  return records.map((r, key) => ({ key, names: r.names.map((n) => n.value) }));
}

/** What fuse.js answered to one query, and how long it took. */
export interface BaselineResult {
  hits: BaselineHit[];
  ms: number;
}

/**
 * Baseline answers already computed: fuse.js's answer depends only on the
 * names it indexes, its options and the query, none of which change while
 * refx is tuned, and it takes seconds a query on the large services.
 */
export class BaselineCache {
  private entries: Record<string, BaselineResult> = {};
  private dirty = false;
  readonly key: string;

  constructor(private readonly file: string, catalogue: Catalogue, fuseVersion: string, fresh: boolean) {
    const h = createHash("sha256").update(JSON.stringify({ fuseVersion, FUSE_OPTIONS }));
    for (const [service, records] of [...catalogue].sort(([a], [b]) => a.localeCompare(b))) {
      h.update(`\n#${service}`);
      for (const r of records) h.update(`\n${r.id}\t${r.names.map((n) => n.value).join("\t")}`);
    }
    this.key = h.digest("hex");
    if (fresh || !existsSync(file)) return;
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as { key: string; entries: Record<string, BaselineResult> };
      if (saved.key === this.key) this.entries = saved.entries;
    } catch {
      // An unreadable cache is only slower.
    }
  }

  private static id(q: LabelledQuery): string {
    return `${q.service}\u0000${q.query}`;
  }

  get(q: LabelledQuery): BaselineResult | undefined {
    return this.entries[BaselineCache.id(q)];
  }

  set(q: LabelledQuery, r: BaselineResult): void {
    this.entries[BaselineCache.id(q)] = r;
    this.dirty = true;
  }

  get size(): number {
    return Object.keys(this.entries).length;
  }

  save(): void {
    if (!this.dirty) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify({ key: this.key, entries: this.entries }));
    this.dirty = false;
  }
}

/**
 * The baseline on `queries` (any services): answers from the cache, the rest
 * searched by worker threads, 10 queries a message. Each worker builds its
 * own Fuse index of a service the first time it gets one of its queries.
 * Batches of 10 are then timed as the sum of their queries' times, in the
 * order of `queries`, as refx's are.
 */
export async function runBaseline(
  catalogue: Catalogue, queries: LabelledQuery[], cache: BaselineCache,
  threads = Math.max(1, Math.min(2, availableParallelism())), onBatch?: (done: number, total: number) => void,
): Promise<RunResult & { searched: number; fromCache: number }> {
  const results: (BaselineResult | undefined)[] = queries.map((q) => cache.get(q));
  const missing = queries.map((_, i) => i).filter((i) => !results[i]);
  const docs = new Map<ServiceId, BaselineDoc[]>();
  const tasks: { id: number; service: ServiceId; idx: number[] }[] = [];
  for (const [service, idx] of byService(missing.map((i) => queries[i]))) {
    docs.set(service, baselineDocs(catalogue.get(service) ?? []));
    for (const b of batchesOf(idx.map((j) => missing[j]))) tasks.push({ id: tasks.length, service, idx: b });
  }
  const buildMs = new Map<ServiceId, number>();
  let next = 0;
  let done = 0;

  const work = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const loaded = new Set<ServiceId>();
      let current: (typeof tasks)[number] | undefined;
      const send = () => {
        current = tasks[next++];
        if (!current) {
          resolve();
          return;
        }
        if (!loaded.has(current.service)) {
          loaded.add(current.service);
          worker.postMessage({ type: "docs", service: current.service, docs: docs.get(current.service)! } satisfies WorkerRequest);
        }
        worker.postMessage({ type: "batch", id: current.id, service: current.service, queries: current.idx.map((i) => queries[i].query) } satisfies WorkerRequest);
      };
      worker.on("message", (m: WorkerReply) => {
        if (m.type === "built") {
          buildMs.set(m.service as ServiceId, Math.max(buildMs.get(m.service as ServiceId) ?? 0, m.ms));
          return;
        }
        current!.idx.forEach((qi, j) => {
          results[qi] = { hits: m.hits[j], ms: m.ms[j] };
          cache.set(queries[qi], results[qi]!);
        });
        onBatch?.(++done, tasks.length);
        send();
      });
      worker.on("error", reject);
      send();
    });

  if (tasks.length) {
    const workers = Array.from({ length: Math.min(threads, tasks.length) }, startWorker);
    try {
      await Promise.all(workers.map(work));
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
      cache.save();
    }
  }

  const answers = results.map((r, qi): Answer => {
    const records = catalogue.get(queries[qi].service) ?? [];
    const hits = r!.hits;
    const auto = baselineAutoMatch(hits);
    return {
      candidates: hits.map((h, rank) => {
        const rec = records[h.key];
        return {
          id: rec.id, name: (rec.names.find((n) => n.kind === "pref") ?? rec.names[0])?.value ?? "", score: h.score,
          match: rank === 0 && auto, correct: isCorrect(rec.id, rec.members, queries[qi].expected),
        };
      }),
    };
  });
  const batchMs = new Map<ServiceId, number[]>();
  for (const [service, idx] of byService(queries)) {
    batchMs.set(service, batchesOf(idx).map((b) => b.reduce((s, i) => s + results[i]!.ms, 0)));
  }
  return { answers, batchMs, buildMs, searched: missing.length, fromCache: queries.length - missing.length };
}
