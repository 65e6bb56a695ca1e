// One query engine per loaded store: a reload (SIGHUP) swaps the store, and the
// next query starts a worker on the new data while the old one is ended.
import type { ServiceState } from "../state.ts";
import { resolveSparqlOptions, type SparqlOptions } from "./config.ts";
import { snapshotOf, SparqlEngine } from "./engine.ts";

const engines = new WeakMap<ServiceState, { store: ServiceState["store"]; engine: SparqlEngine; options: SparqlOptions }>();

export function sparqlOptions(state: ServiceState): SparqlOptions {
  return engines.get(state)?.options ?? resolveSparqlOptions(state.sparql);
}

export function sparqlEngine(state: ServiceState): SparqlEngine {
  const cur = engines.get(state);
  if (cur && cur.store === state.store) return cur.engine;
  cur?.engine.close();
  const options = resolveSparqlOptions(state.sparql);
  const saved = state.report ? { cacheDir: state.report.cacheDir, fingerprint: state.report.fingerprint } : undefined;
  const engine = new SparqlEngine(snapshotOf(state.store, saved), { timeoutMs: options.timeoutMs, maxQueued: options.maxQueued });
  engines.set(state, { store: state.store, engine, options });
  return engine;
}

/** Ends the query worker of this state (tests, shutdown). */
export function closeSparql(state: ServiceState): void {
  engines.get(state)?.engine.close();
  engines.delete(state);
}
