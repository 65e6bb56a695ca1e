// What the server is serving. Three parts that change at different paces:
// - the configuration, fixed for the life of the process;
// - the served data, one frozen value (store, matcher, report, their SPARQL
//   engine) that a reload replaces whole, in one assignment;
// - the progress and outcome of loading.
// A request takes the served value once, at its start (`holdServed`), and
// reads only that value: a reload meanwhile cannot hand it one load's store
// and another's matcher, and the value's SPARQL engine is ended only once
// the last request holding it has finished.
import type { NextFunction, Request, Response } from "express";
import type { LoadProgress, LoadReport } from "../data/load.ts";
import type { GraphStore } from "../data/store.ts";
import type { Matcher } from "../reconcile/matcher.ts";
import type { SparqlOptions } from "./sparql/config.ts";
import { EngineSlot } from "./sparql/registry.ts";

/** Set at start from the command line; never changes. */
export interface ServiceConfig {
  readonly base: string;
  /** A replica serving a published snapshot: it never parses nor writes (server/replica.ts). */
  readonly readOnly?: boolean;
  /**
   * The data directory is the shipped sample (data/sample), which every page and /health then says,
   * while loading too: the data directory is fixed for the process, so this is known before any load.
   */
  readonly sample?: boolean;
  /** Where the job API keeps jobs across restarts (a folder under the cache directory); absent: a temporary folder, lost at exit. */
  readonly jobsDir?: string;
  /** SPARQL endpoint limits and federation allow-list; unset fields come from the environment (server/sparql/config.ts). */
  readonly sparql?: Partial<SparqlOptions>;
}

/** The data of one load, as given to `serve`. */
export interface ServedData {
  /** The embedded Oxigraph store (RefStore), the SPARQL worker's (WorkerStore), or a remote one with --store. */
  readonly store: GraphStore;
  /** Absent only where a test serves a store for its pages alone; every load of the server builds it. */
  readonly matcher?: Matcher;
  readonly report?: LoadReport;
  readonly loadedAt?: Date;
}

/** One load as served: frozen, replaced whole by the next. */
export interface Served extends ServedData {
  /** The SPARQL engine over this value's store, owned by it: never shared with another value. */
  readonly sparql: EngineSlot;
}

/** What the loading says: /health and the home page show it. */
export interface Loading {
  readonly progress?: LoadProgress;
  /** Why the first load failed: nothing is served, the process is ending. */
  readonly error?: string;
  /** What the last reload (SIGHUP) did: absent until one is asked. */
  readonly lastReload?: ReloadOutcome;
}

export interface ReloadOutcome {
  at: string;
  outcome: "reloaded" | "refused" | "failed";
  /** Why it was refused or failed; the previous data is still served then. */
  error?: string;
}

export interface ServiceState {
  readonly config: ServiceConfig;
  /** Absent until the first load is served. Read by requests through `heldServed`, never field by field. */
  readonly served?: Served;
  readonly loading: Loading;
}

/** A state before any load (`data` absent), or serving `data` (tests, and `serve` below). */
export function serviceState(config: ServiceConfig, data?: ServedData, loading: Loading = {}): ServiceState {
  const state: ServiceState = { config, loading };
  if (data) serve(state, data);
  return state;
}

/** "ready" once a load is served; a reload that fails leaves the previous one served, still ready. */
export function status(state: ServiceState): "loading" | "ready" | "failed" {
  return state.served ? "ready" : state.loading.error !== undefined ? "failed" : "loading";
}

/**
 * Serve newly loaded data: one new frozen value in one assignment, its own SPARQL engine (never the
 * previous value's, even over the same store), and the previous value's engine ended once no request
 * holds it.
 */
export function serve(state: ServiceState, data: ServedData): void {
  const old = state.served;
  const served: Served = Object.freeze({
    store: data.store,
    matcher: data.matcher,
    report: data.report,
    loadedAt: data.loadedAt,
    sparql: new EngineSlot(data.store, data.report, state.config.sparql),
  });
  mutable(state).served = served;
  mutable(state).loading = { lastReload: state.loading.lastReload };
  old?.sparql.retire();
}

/** Record loading's progress or outcome: one new value, the fields not given kept. */
export function setLoading(state: ServiceState, change: Loading): void {
  mutable(state).loading = { ...state.loading, ...change };
}

/** Shutdown and tests: the served value's engine ended now, held or not. */
export function closeServed(state: ServiceState): void {
  state.served?.sparql.end();
}

/**
 * Express middleware, mounted first: the request takes the value served now and keeps it until its
 * response is finished or cut (`heldServed` reads it back).
 */
export function holdServed(state: ServiceState) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const served = state.served;
    res.locals.served = served;
    if (served) {
      served.sparql.hold();
      res.once("close", () => served.sparql.release());
    }
    next();
  };
}

/** The value this request took at its start; absent: nothing was loaded then. */
export function heldServed(res: Response): Served | undefined {
  return res.locals.served as Served | undefined;
}

/** Only this module replaces `served` and `loading`: elsewhere they are read-only. */
function mutable(state: ServiceState): { served?: Served; loading: Loading } {
  return state as { served?: Served; loading: Loading };
}
