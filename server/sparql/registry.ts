// One query engine per loaded store: a reload (SIGHUP) swaps the store, and the
// next query starts a worker on the new data while the old one is ended.
import type { ServiceState } from "../state.ts";
import { resolveSparqlOptions, type SparqlOptions } from "./config.ts";
import { RemoteStore } from "../../data/remote-store.ts";
import { RefStore } from "../../data/store.ts";
import { snapshotOf, SparqlEngine } from "./engine.ts";
import { RemoteEngine } from "./remote-engine.ts";
import { WorkerStore } from "./worker-store.ts";

/** The embedded store's worker, or the external endpoint with --store. */
export type QueryEngine = SparqlEngine | RemoteEngine;

const engines = new WeakMap<ServiceState, { store: ServiceState["store"]; engine: QueryEngine; options: SparqlOptions }>();

export function sparqlOptions(state: ServiceState): SparqlOptions {
  return engines.get(state)?.options ?? resolveSparqlOptions(state.sparql);
}

export function sparqlEngine(state: ServiceState): QueryEngine {
  const cur = engines.get(state);
  if (cur && cur.store === state.store) return cur.engine;
  cur?.engine.close();
  const options = resolveSparqlOptions(state.sparql);
  const saved = state.report ? { cacheDir: state.report.cacheDir, fingerprint: state.report.fingerprint } : undefined;
  const limits = { timeoutMs: options.timeoutMs, maxQueued: options.maxQueued };
  const store = state.store;
  const engine =
    store instanceof RemoteStore ? new RemoteEngine(store, limits)
    : store instanceof WorkerStore ? store.engine // the worker holding the only copy of the store
    : new SparqlEngine(snapshotOf(store as RefStore, saved), limits);
  engines.set(state, { store: state.store, engine, options });
  return engine;
}

/** Ends the query worker of this state (tests, shutdown). */
export function closeSparql(state: ServiceState): void {
  engines.get(state)?.engine.close();
  engines.delete(state);
}
