// The job API's registry: long batch runs (up to a million rows) go through
// here instead of one HTTP request. A job's input, result and state are files
// in its own folder: under the cache directory when the server has one, so
// jobs survive a restart (server/api/job-store.ts: finished ones are served
// until they expire, unfinished ones run again from their input), else in a
// temporary directory removed at exit. Jobs run one at a time by default
// (matching is CPU-bound and shares the server's thread), a bounded number
// wait, and finished jobs are deleted after their time to live.
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { rename } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Matcher } from "../../reconcile/matcher.ts";
import { HttpError } from "../http/errors.ts";
import { csvWriter, jsonWriter, runBatch, type BatchSpec, type Summary } from "../../app/batch.ts";
import { inspectCsv, readRecords, splitHeader, type CsvFormat, type CsvOverrides } from "../../app/csv-io.ts";
import type { FormulaMode } from "../../data/csv-formulas.ts";
import { envInt } from "../../app/config.ts";
import { INPUT_FILE, JobStore, type SavedJob } from "./job-store.ts";

export type JobStatus = "queued" | "running" | "done" | "failed" | "cancelled";
export type OutputFormat = "csv" | "json";

export interface JobLimits {
  /** Jobs queued or running at once; more are refused with 429. */
  maxActive: number;
  /** Jobs running at once. */
  concurrency: number;
  /** How long a finished job and its result are kept. */
  ttlMs: number;
  maxRows: number;
}

export function jobLimitsFromEnv(): JobLimits {
  return {
    maxActive: envInt("REFX_JOBS_MAX_ACTIVE", 4),
    concurrency: envInt("REFX_JOBS_CONCURRENCY", 1),
    ttlMs: envInt("REFX_JOBS_TTL_SECONDS", 3600) * 1000,
    maxRows: envInt("REFX_JOBS_MAX_ROWS", 1_000_000),
  };
}

export interface JobInput {
  path: string;
  name?: string;
  bytes: number;
  overrides: CsvOverrides;
  spec: BatchSpec;
  output: OutputFormat;
  /** Formula-like cells of a CSV result: neutralised (default) or raw. */
  formulas?: FormulaMode;
}

export interface Job {
  id: string;
  dir: string;
  status: JobStatus;
  input: JobInput;
  format?: CsvFormat;
  total?: number;
  rows: number;
  summary?: Summary;
  error?: string;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  expiresAt?: Date;
  result: string;
  abort: AbortController;
  /** Times a server stopped while the job ran and the next one ran it again. */
  restarts: number;
}

export interface JobRegistryOptions {
  /** Where jobs are kept across restarts (a folder under the cache directory); absent: a temporary folder, removed at exit. */
  dir?: string;
  /** Whether the matcher is there: jobs resumed at start wait for the load. */
  ready?: () => boolean;
}

/** A job that stopped its server this many times is failed rather than run again. */
const MAX_RESTARTS = 3;

export class JobRegistry {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  private root?: string;
  private readonly sweeper: NodeJS.Timeout;
  private readonly cleanup = () => this.close();
  /** Jobs kept on disk across restarts; absent when the server has no cache directory or another server holds its jobs. */
  private readonly store?: JobStore;
  /** Jobs found at start that could not be read back, with why. */
  private readonly lost = new Map<string, string>();
  private readonly ready: () => boolean;
  private closing = false;

  constructor(
    private readonly matcher: () => Matcher,
    readonly limits: JobLimits = jobLimitsFromEnv(),
    options: JobRegistryOptions = {},
  ) {
    this.ready = options.ready ?? (() => true);
    this.sweeper = setInterval(() => this.sweep(), Math.min(limits.ttlMs, 60_000));
    this.sweeper.unref();
    process.once("exit", this.cleanup);
    if (options.dir) {
      this.store = JobStore.open(options.dir);
      if (!this.store) console.warn(`Jobs: another server holds ${options.dir}; this one keeps its jobs in a temporary folder, lost when it stops`);
      else this.resume(this.store);
    }
  }

  /** Whether jobs outlive this process. */
  get persistent(): boolean {
    return !!this.store;
  }

  /** Why a job found at start was lost, if it was. */
  lostReason(id: string): string | undefined {
    return this.lost.get(id);
  }

  /** Jobs left by earlier servers: finished ones are served until they expire, unfinished ones are queued again. */
  private resume(store: JobStore): void {
    const again: Job[] = [];
    for (const found of store.readAll()) {
      if ("lost" in found) {
        this.lost.set(found.id, found.lost);
        console.warn(`Job ${found.id} lost: ${found.lost}`);
        this.release(found.dir);
        continue;
      }
      const job = fromSaved(found.saved, found.dir);
      if (job.expiresAt) {
        if (job.expiresAt.getTime() <= Date.now()) this.release(job.dir);
        else this.jobs.set(job.id, job);
        continue;
      }
      if (job.status === "running") job.restarts++;
      if (job.restarts > MAX_RESTARTS) {
        this.finish(job, "failed", `the server stopped ${job.restarts} times while running this job: it is not run again`);
        rmSync(job.input.path, { force: true });
        this.jobs.set(job.id, job);
        this.persist(job);
        continue;
      }
      // Run again from the start: the partial result of the stopped run is overwritten.
      Object.assign(job, { status: "queued", rows: 0, format: undefined, total: undefined, summary: undefined, startedAt: undefined });
      this.jobs.set(job.id, job);
      this.persist(job);
      again.push(job);
    }
    if (again.length) console.log(`Jobs: ${again.length} unfinished job(s) from before the restart queued again`);
    this.queue.push(...again.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()));
    this.pump();
  }

  /** Writes the job's state to its folder, when jobs are kept across restarts. */
  private persist(job: Job): void {
    if (!this.store || this.closing || !this.jobs.has(job.id)) return;
    try {
      this.store.save(job.dir, toSaved(job));
    } catch (err) {
      // The job goes on in memory; only a restart would lose it.
      console.error(`Job ${job.id}: state not saved: ${(err as Error).message}`);
    }
  }

  private finish(job: Job, status: JobStatus, error?: string): void {
    job.status = status;
    if (error !== undefined) job.error = error;
    job.finishedAt = new Date();
    job.expiresAt = new Date(job.finishedAt.getTime() + this.limits.ttlMs);
  }

  private active(): number {
    return [...this.jobs.values()].filter((j) => j.status === "queued" || j.status === "running").length;
  }

  /** This process's directory: removed at exit, or by the next server if this one dies first. */
  private base(): string {
    if (!this.root) {
      removeOrphans();
      this.root = mkdtempSync(join(tmpdir(), `refx-jobs-${process.pid}-`));
    }
    return this.root;
  }

  /** A directory for a new job's files, or a 429 when enough jobs are waiting. */
  reserve(): { id: string; dir: string } {
    if (this.active() >= this.limits.maxActive) {
      throw new HttpError(429, "too_many_jobs", `${this.limits.maxActive} jobs are already queued or running; retry when one is done`, { "Retry-After": "30" });
    }
    const id = randomUUID();
    const dir = this.store ? this.store.dirOf(id) : join(this.base(), id);
    mkdirSync(dir);
    return { id, dir };
  }

  /** A directory for a synchronous request's upload, under the same cleaned-up root. */
  scratch(): string {
    return mkdtempSync(join(this.base(), "upload-"));
  }

  release(dir: string): void {
    rmSync(dir, { recursive: true, force: true });
  }

  /** Queues a job whose input is `dir`/input.csv; its state is on disk before its id is given out. */
  submit(id: string, dir: string, input: JobInput): Job {
    const job: Job = {
      id, dir, input, status: "queued", rows: 0, createdAt: new Date(),
      result: join(dir, `result.${input.output}`), abort: new AbortController(), restarts: 0,
    };
    this.jobs.set(id, job);
    if (this.store) this.store.save(dir, toSaved(job));
    this.queue.push(job);
    this.pump();
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Cancels a queued or running job, or deletes a finished one with its files. */
  remove(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job) return false;
    if (job.status === "queued" || job.status === "running") job.abort.abort();
    const i = this.queue.indexOf(job);
    if (i >= 0) this.queue.splice(i, 1);
    this.jobs.delete(id);
    if (job.status !== "running") this.release(job.dir);
    return true;
  }

  private pump(): void {
    while (this.running < this.limits.concurrency && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      this.run(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    try {
      // A job resumed at start waits for the data to be loaded.
      while (!this.ready()) {
        if (job.abort.signal.aborted) throw new Error("cancelled");
        await new Promise((r) => setTimeout(r, 200));
      }
      job.status = "running";
      job.startedAt = new Date();
      this.persist(job);
      const info = await inspectCsv(job.input.path, job.input.overrides, this.limits.maxRows);
      if (info.rows > this.limits.maxRows) throw new Error(`the file has more than ${this.limits.maxRows} rows: split it`);
      job.format = info.format;
      job.total = info.rows;
      const tmp = `${job.result}.part`;
      const out = createWriteStream(tmp);
      // A write error (disk full) fails the job through finished(); a write pending when a cancelled job's stream is destroyed is moot.
      out.on("error", () => {});
      const stream = readRecords(job.input.path, info.format);
      try {
        const { header, rows } = await splitHeader(stream.records);
        const writer = job.input.output === "json"
          ? jsonWriter({ target: job.input.spec.target, column: job.input.spec.column, input: { encoding: info.format.encoding, delimiter: info.format.delimiter, bom: info.format.bom } })
          : csvWriter({ ...info.format, formulas: job.input.formulas });
        job.summary = await runBatch({
          header, rows, spec: job.input.spec, matcher: this.matcher, writer, out, signal: job.abort.signal,
          onProgress: (n) => (job.rows = n),
        });
        out.end();
        await finished(out);
      } finally {
        stream.close();
        out.destroy();
      }
      await rename(tmp, job.result);
      job.rows = job.summary.rows;
      this.finish(job, "done");
    } catch (err) {
      this.finish(job, job.abort.signal.aborted ? "cancelled" : "failed", (err as Error).message);
    } finally {
      // A server stopping leaves the job as it was on disk, for the next one to run again.
      if (!this.closing) {
        this.persist(job);
        rmSync(job.input.path, { force: true });
        if (!this.jobs.has(job.id)) this.release(job.dir);
      }
    }
  }

  /** Deletes finished jobs past their time to live. */
  sweep(now = Date.now()): void {
    for (const job of this.jobs.values()) {
      if (job.expiresAt && job.expiresAt.getTime() <= now) {
        this.jobs.delete(job.id);
        this.release(job.dir);
      }
    }
  }

  close(): void {
    this.closing = true;
    clearInterval(this.sweeper);
    process.off("exit", this.cleanup);
    for (const job of this.jobs.values()) job.abort.abort();
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.store?.close();
  }
}

function toSaved(job: Job): SavedJob {
  const { path: _, ...input } = job.input;
  const iso = (d?: Date) => d?.toISOString();
  return {
    version: 1, id: job.id, status: job.status, input, format: job.format, total: job.total, rows: job.rows,
    summary: job.summary, error: job.error, createdAt: job.createdAt.toISOString(),
    startedAt: iso(job.startedAt), finishedAt: iso(job.finishedAt), expiresAt: iso(job.expiresAt),
    ...(job.restarts ? { restarts: job.restarts } : {}),
  };
}

function fromSaved(s: SavedJob, dir: string): Job {
  const date = (t?: string) => (t === undefined ? undefined : new Date(t));
  return {
    id: s.id, dir, status: s.status, input: { ...s.input, path: join(dir, INPUT_FILE) }, format: s.format, total: s.total,
    rows: s.rows, summary: s.summary, error: s.error, createdAt: new Date(s.createdAt), startedAt: date(s.startedAt),
    finishedAt: date(s.finishedAt), expiresAt: date(s.expiresAt), result: join(dir, `result.${s.input.output}`),
    abort: new AbortController(), restarts: s.restarts ?? 0,
  };
}

/** Job directories of servers that died without cleaning up (killed, crashed): their process is gone. */
function removeOrphans(): void {
  for (const name of readdirSync(tmpdir())) {
    const m = /^refx-jobs-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/** A job as `GET /api/jobs/{id}` shows it. */
export function describeJob(job: Job) {
  const total = job.total;
  return {
    id: job.id,
    status: job.status,
    target: job.input.spec.target,
    column: job.input.spec.column,
    format: job.input.output,
    input: {
      ...(job.input.name ? { name: job.input.name } : {}),
      bytes: job.input.bytes,
      ...(total !== undefined ? { rows: total } : {}),
      ...(job.format ? { encoding: job.format.encoding, delimiter: job.format.delimiter } : {}),
    },
    progress: {
      rows: job.rows,
      ...(total !== undefined ? { total, percent: total ? Math.floor((100 * job.rows) / total) : 100 } : {}),
    },
    ...(job.summary ? { summary: job.summary } : {}),
    ...(job.error ? { error: job.error } : {}),
    createdAt: job.createdAt.toISOString(),
    ...(job.startedAt ? { startedAt: job.startedAt.toISOString() } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt.toISOString() } : {}),
    ...(job.expiresAt ? { expiresAt: job.expiresAt.toISOString() } : {}),
    ...(job.restarts ? { restarts: job.restarts } : {}),
    links: { self: `/api/jobs/${job.id}`, ...(job.status === "done" ? { result: `/api/jobs/${job.id}/result` } : {}) },
  };
}
