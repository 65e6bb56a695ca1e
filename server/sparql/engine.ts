// Runs SPARQL queries in a worker thread with its own copy of the store, one
// at a time, each with a time limit: past it, the worker is ended (the only
// way to stop a synchronous WASM query) and started again from the saved
// store, while the main thread keeps serving. See docs/sparql.md.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { snapshotFiles } from "../../data/cache.ts";
import type { RefStore } from "../../data/store.ts";
import type { WorkerInit, WorkerOp, WorkerQuery, WorkerReply } from "./worker.ts";

export type QueryJob = Omit<WorkerQuery, "type" | "id">;
export type StoreOp = Omit<WorkerOp, "type" | "id">;

export interface QueryAnswer {
  body: string;
  truncated: boolean;
  ms: number;
}

/** Why a query did not answer: a status and a code for the client. */
export class QueryFailed extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  id: number;
  /** A user's SPARQL query (time-limited), or else `op`, one of the store's own reads. */
  job?: QueryJob;
  op?: StoreOp;
  resolve: (a: never) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  cancelled?: boolean;
}

export interface EngineOptions {
  timeoutMs: number;
  maxQueued: number;
}

/** Where the worker gets its copy: the saved store on disk when it matches, else dumps of the live store. */
export function snapshotOf(store: RefStore, saved?: { cacheDir?: string; fingerprint?: string }): () => WorkerInit {
  return () => {
    if (saved?.cacheDir && saved.fingerprint) {
      const { graphs: graphsDir, state } = snapshotFiles(saved.cacheDir);
      try {
        const st = JSON.parse(readFileSync(state, "utf8")) as { fingerprint?: string };
        if (st.fingerprint === saved.fingerprint && existsSync(join(graphsDir, "graphs.json"))) return { type: "init", graphsDir };
      } catch {
        // no usable save: dump below
      }
    }
    return { type: "init", graphs: store.graphNames().map((graph) => ({ graph, pieces: [...store.dumpGraphPieces(graph)] })) };
  };
}

export class SparqlEngine {
  private worker?: Worker;
  private ready = false;
  private queue: Pending[] = [];
  /** The store's own reads (worker-store.ts): served before waiting queries, without a time limit, never refused as busy. */
  private ops: Pending[] = [];
  private running?: Pending;
  private nextId = 1;
  private closed = false;
  /** Restarts after a time-out, for the logs and tests. */
  restarts = 0;
  lastLoadMs?: number;

  constructor(
    private readonly snapshot: () => WorkerInit,
    private readonly opts: EngineOptions,
  ) {}

  /** Starts the worker ahead of the first query (the copy takes seconds on a large store). */
  warm(): void {
    if (!this.worker && !this.closed) this.start();
  }

  run(job: QueryJob, signal?: AbortSignal): Promise<QueryAnswer> {
    if (this.closed) return Promise.reject(new QueryFailed(503, "unavailable", "the SPARQL engine is shutting down"));
    if (this.queue.length >= this.opts.maxQueued) {
      return Promise.reject(new QueryFailed(503, "busy", `${this.queue.length} queries are already waiting; try again shortly`));
    }
    return new Promise((resolve, reject) => {
      const p: Pending = { id: this.nextId++, job, resolve: resolve as (a: never) => void, reject };
      signal?.addEventListener("abort", () => {
        // A client gone before its turn: drop the query. One already running goes on to its end or its time limit.
        const i = this.queue.indexOf(p);
        if (i >= 0) this.queue.splice(i, 1);
        p.cancelled = true;
      });
      this.queue.push(p);
      if (!this.worker) this.start();
      this.pump();
    });
  }

  /**
   * Runs one of the store's reads in the worker, when it holds the only copy
   * of the store. Waits while the worker is (re)started, e.g. after a query
   * was cut off at its time limit.
   */
  call<T>(op: StoreOp): Promise<T> {
    if (this.closed) return Promise.reject(new QueryFailed(503, "unavailable", "the store is closed"));
    return new Promise<T>((resolve, reject) => {
      this.ops.push({ id: this.nextId++, op, resolve: resolve as (a: never) => void, reject });
      if (!this.worker) this.start();
      this.pump();
    });
  }

  close(): void {
    this.closed = true;
    for (const p of [...this.queue, ...this.ops]) p.reject(new QueryFailed(503, "unavailable", "the SPARQL engine was stopped"));
    this.queue = [];
    this.ops = [];
    this.running?.reject(new QueryFailed(503, "unavailable", "the SPARQL engine was stopped"));
    this.running = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): void {
    this.ready = false;
    const url = new URL("./worker.ts", import.meta.url).href;
    // The worker runs TypeScript through tsx, whatever started the main thread (npm start, the CLI, vitest).
    const code = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}))`;
    const worker = new Worker(code, { eval: true });
    this.worker = worker;
    worker.unref();
    worker.on("message", (m: WorkerReply) => this.onMessage(worker, m));
    worker.on("error", (err) => this.onExit(worker, `the query worker failed: ${err.message}`));
    worker.on("exit", (code) => this.onExit(worker, `the query worker stopped (exit code ${code})`));
    let init: WorkerInit;
    try {
      init = this.snapshot();
    } catch (err) {
      this.failAll(new QueryFailed(500, "internal_error", `could not copy the store for the query worker: ${(err as Error).message}`));
      return;
    }
    worker.postMessage(init);
  }

  private onMessage(worker: Worker, m: WorkerReply): void {
    if (worker !== this.worker) return;
    if (m.type === "ready") {
      this.ready = true;
      this.lastLoadMs = m.ms;
      this.pump();
      return;
    }
    if (m.type === "init-error") {
      const err = new QueryFailed(500, "internal_error", `the query worker could not load the data: ${m.message}`);
      this.worker = undefined;
      void worker.terminate();
      this.failAll(err);
      return;
    }
    const p = this.running;
    if (!p || p.id !== m.id) return;
    clearTimeout(p.timer);
    this.running = undefined;
    if (m.type === "op-result") (p.resolve as (v: unknown) => void)(m.value);
    else if (m.type === "result") (p.resolve as (a: QueryAnswer) => void)({ body: m.body, truncated: m.truncated, ms: m.ms });
    else if (p.op) {
      p.reject(new Error(`the store could not answer: ${m.message}`));
      if (m.fatal) return this.replaceWorker(worker);
    } else if (m.fatal) {
      // Never reuse an engine that trapped: start a fresh worker, as after a time-out.
      p.reject(new QueryFailed(400, "query_too_complex", `the query engine could not run this query (${m.message}); it was restarted and serves other queries. Simplify the query (fewer nested groups, UNIONs, OPTIONALs or chained operators)`));
      this.replaceWorker(worker);
      return;
    } else p.reject(new QueryFailed(400, "query_error", m.message));
    this.pump();
  }

  /** The worker ended without being asked: fail what it was running and start a new one for the queue. */
  private onExit(worker: Worker, message: string): void {
    if (worker !== this.worker) return;
    this.worker = undefined;
    this.ready = false;
    const p = this.running;
    this.running = undefined;
    if (p) {
      clearTimeout(p.timer);
      p.reject(new QueryFailed(500, "internal_error", message));
    }
    if ((this.queue.length || this.ops.length) && !this.closed) setImmediate(() => !this.closed && !this.worker && this.start());
  }

  private failAll(err: QueryFailed): void {
    for (const p of [...this.queue, ...this.ops]) p.reject(err);
    this.queue = [];
    this.ops = [];
  }

  private pump(): void {
    if (!this.ready || this.running || !this.worker) return;
    const p = this.ops.shift() ?? this.queue.shift();
    if (!p) return;
    this.running = p;
    const worker = this.worker;
    if (p.op) {
      worker.postMessage({ type: "op", id: p.id, ...p.op } satisfies WorkerOp);
      return;
    }
    p.timer = setTimeout(() => this.timeOut(worker, p), this.opts.timeoutMs);
    worker.postMessage({ type: "query", id: p.id, ...p.job! } satisfies WorkerQuery);
  }

  private timeOut(worker: Worker, p: Pending): void {
    if (this.running !== p) return;
    this.running = undefined;
    const s = this.opts.timeoutMs / 1000;
    p.reject(new QueryFailed(503, "timeout", `the query was cut off after ${s} s, this endpoint's time limit: it was stopped and returned nothing. Narrow it (more specific patterns, a LIMIT, fewer OPTIONALs) or run it on your own copy of the data (GET /export/all).`));
    this.replaceWorker(worker);
  }

  /** Ends a worker that cannot go on (time-out, engine failure) and starts a fresh one. */
  private replaceWorker(worker: Worker): void {
    this.restarts++;
    // Forget this worker before ending it, so its exit is not taken for a crash.
    if (this.worker === worker) this.worker = undefined;
    this.ready = false;
    void worker.terminate();
    // Started on the next turn, so the answer already sent goes out before a copy made from the live store blocks the thread.
    setImmediate(() => {
      if (!this.closed && !this.worker) this.start();
    });
  }
}
