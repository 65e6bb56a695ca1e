// What the server is serving: the store and the report of its last load.
// Routes read it through this one object, so a reload swaps data in one place.
import type { LoadProgress, LoadReport } from "../data/load.ts";
import type { GraphStore } from "../data/store.ts";
import type { Matcher } from "../reconcile/matcher.ts";
import type { Referentials } from "../app/referentials.ts";
import type { SparqlOptions } from "./sparql/config.ts";
import type { EngineSlot } from "./sparql/registry.ts";

export interface ServiceState {
  base: string;
  /** The embedded Oxigraph store (RefStore), or a remote one with --store (data/remote-store.ts). */
  store: GraphStore;
  /** Built from the store after each load; absent while loading. */
  matcher?: Matcher;
  status: "loading" | "ready" | "failed";
  report?: LoadReport;
  progress?: LoadProgress;
  error?: string;
  loadedAt?: Date;
  /** A replica serving a published snapshot: it never parses nor writes (server/replica.ts). */
  readOnly?: boolean;
  /** True while the data served is the shipped sample (data/sample), which every page and /health then says. */
  sample?: boolean;
  /** What the last reload (SIGHUP) did: absent until one is asked; /health shows it. */
  lastReload?: ReloadOutcome;
  /** Where the job API keeps jobs across restarts (a folder under the cache directory); absent: a temporary folder, lost at exit. */
  jobsDir?: string;
  /** SPARQL endpoint limits and federation allow-list; unset fields come from the environment (server/sparql/config.ts). */
  sparql?: Partial<SparqlOptions>;
  /**
   * The SPARQL engine of `store`, started at the first query (server/sparql/registry.ts, which alone
   * sets it); one made for another store is ended then. Not enumerable, so a spread copy does not share it.
   */
  readonly sparqlEngine?: EngineSlot;
}

export interface ReloadOutcome {
  at: string;
  outcome: "reloaded" | "refused" | "failed";
  /** Why it was refused or failed; the previous data is still served then. */
  error?: string;
}

/**
 * Serve newly opened referentials: store, matcher and report are replaced in one assignment, so no
 * request sees the store of one load with the matcher of another.
 */
export function serve(state: ServiceState, r: Readonly<Referentials<GraphStore>>): void {
  Object.assign(state, { store: r.store, matcher: r.matcher, report: r.report, status: "ready", loadedAt: r.loadedAt, error: undefined, progress: undefined });
}
