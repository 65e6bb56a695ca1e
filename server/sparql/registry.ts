// The SPARQL engine of one served value (server/state.ts `Served.sparql`):
// started at the first query over that value's store, and ended once a reload
// has replaced the value and the last request holding it has finished. So an
// engine never outlives its store, nor answers for another load's store.
import type { LoadReport } from "../../data/load.ts";
import { RemoteStore } from "../../data/remote-store.ts";
import { RefStore, type GraphStore } from "../../data/store.ts";
import { resolveSparqlOptions, type SparqlOptions } from "./config.ts";
import { snapshotOf, SparqlEngine } from "./engine.ts";
import { RemoteEngine } from "./remote-engine.ts";
import { WorkerStore } from "./worker-store.ts";

/** The embedded store's worker, or the external endpoint with --store. */
export type QueryEngine = SparqlEngine | RemoteEngine;

export class EngineSlot {
  private engine?: QueryEngine;
  private resolved?: SparqlOptions;
  /** Requests using the served value now (server/state.ts `holdServed`). */
  private holders = 0;
  private retired = false;
  private ended = false;

  constructor(
    private readonly store: GraphStore,
    private readonly report: LoadReport | undefined,
    /** The server's options; unset fields come from the environment, read at the first use. */
    private readonly partial: Partial<SparqlOptions> | undefined,
  ) {}

  get options(): SparqlOptions {
    return (this.resolved ??= resolveSparqlOptions(this.partial));
  }

  /** The engine, started now if it is not yet; a retired value's engine answers its last requests. */
  get(): QueryEngine {
    if (this.engine) return this.engine;
    const limits = { timeoutMs: this.options.timeoutMs, maxQueued: this.options.maxQueued };
    const store = this.store;
    const saved = this.report && { cacheDir: this.report.cacheDir, fingerprint: this.report.fingerprint };
    this.engine =
      store instanceof RemoteStore ? new RemoteEngine(store, limits)
      : store instanceof WorkerStore ? store.engine // the worker holding the only copy of the store
      : new SparqlEngine(snapshotOf(store as RefStore, saved), limits);
    // Started after the end (a request still holding a value that was ended at shutdown): ended at once, so it refuses.
    if (this.ended) this.engine.close();
    return this.engine;
  }

  /** Whether the engine was ended: its value retired and released, or shut down. */
  get isEnded(): boolean {
    return this.ended;
  }

  hold(): void {
    this.holders++;
  }

  release(): void {
    this.holders--;
    if (this.retired && this.holders === 0) this.end();
  }

  /** The value is no longer served: its engine ends once no request holds it (now, if none does). */
  retire(): void {
    this.retired = true;
    if (this.holders === 0) this.end();
  }

  /** Ends the engine now, whoever holds it (shutdown, tests). */
  end(): void {
    this.ended = true;
    // A store held by its worker only is ended with it, even if no query started the engine.
    (this.engine ?? (this.store instanceof WorkerStore ? this.store.engine : undefined))?.close();
  }
}
