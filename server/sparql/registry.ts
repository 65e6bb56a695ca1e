// One query engine per loaded store, kept on the state that serves it
// (ServiceState.sparqlEngine): a reload (SIGHUP) swaps the store, and the next
// query starts a worker on the new data while the old one is ended.
import type { ServiceState } from "../state.ts";
import { resolveSparqlOptions, type SparqlOptions } from "./config.ts";
import { RemoteStore } from "../../data/remote-store.ts";
import { RefStore } from "../../data/store.ts";
import { snapshotOf, SparqlEngine } from "./engine.ts";
import { RemoteEngine } from "./remote-engine.ts";
import { WorkerStore } from "./worker-store.ts";

/** The embedded store's worker, or the external endpoint with --store. */
export type QueryEngine = SparqlEngine | RemoteEngine;

/** The engine of the store a state serves, with the options it was started with (ServiceState.sparqlEngine). */
export interface EngineSlot {
  store: ServiceState["store"];
  engine: QueryEngine;
  options: SparqlOptions;
}

export function sparqlOptions(state: ServiceState): SparqlOptions {
  return state.sparqlEngine?.options ?? resolveSparqlOptions(state.sparql);
}

export function sparqlEngine(state: ServiceState): QueryEngine {
  const cur = state.sparqlEngine;
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
  setSlot(state, { store, engine, options });
  return engine;
}

/** Ends the query worker of this state (tests, shutdown). */
export function closeSparql(state: ServiceState): void {
  state.sparqlEngine?.engine.close();
  setSlot(state, undefined);
}

/**
 * Not enumerable: a state copied with a spread (another configuration over the same data) starts
 * its own engine rather than sharing, then closing, this one's worker.
 */
function setSlot(state: ServiceState, slot: EngineSlot | undefined): void {
  Object.defineProperty(state, "sparqlEngine", { value: slot, writable: true, configurable: true, enumerable: false });
}
