// `npm start [-- --data-dir <dir>] [--port <n>]`: load the data, then serve.
// The server listens at once and answers /health with 503 until data is in.
import { Command, InvalidArgumentError } from "commander";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { buildMatcher } from "../reconcile/build.ts";
import { createApp } from "./app.ts";
import { baseUri, DEFAULT_CACHE_DIR, defaultPort, SAMPLE_DATA_DIR } from "./config.ts";
import type { ServiceState } from "./state.ts";
import { sparqlEngine, closeSparql } from "./sparql/registry.ts";
import { resolveSparqlOptions } from "./sparql/config.ts";
import { storeCounts } from "./health.ts";
import { reloadRefusal } from "./reload-guard.ts";
import { removeStaleSaves } from "../data/stale-saves.ts";

function parsePositive(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("a positive number is expected");
  return n;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port is a whole number from 0 to 65535");
  return n;
}

const program = new Command("refx-server")
  .description("Serve the ESR referentials: loads every source file found under the data directory, then serves HTTP.")
  .option("--data-dir <dir>", "directory laid out like ../shared/data (default: the shipped sample)", SAMPLE_DATA_DIR)
  .option("--port <n>", "port to listen on (default: $PORT or 3000)", parsePort)
  .option("--host <host>", "interface to listen on", "127.0.0.1")
  .option("--base-uri <uri>", "base of entity URIs (default: $REFX_BASE_URI or http://localhost:<port>)")
  .option("--cache-dir <dir>", "where the loaded store is saved for fast restarts", DEFAULT_CACHE_DIR)
  .option("--no-cache", "neither read nor write the saved store")
  .option("--sparql-timeout <seconds>", "time limit of a SPARQL query (default: $REFX_SPARQL_TIMEOUT or 30)", parsePositive)
  .option("--sparql-max-results <n>", "rows or triples a SPARQL answer holds at most (default: $REFX_SPARQL_MAX_RESULTS or 100000)", parsePositive)
  .option("--sparql-allow-service <url>", "a SPARQL endpoint that SERVICE may call, repeatable (default: $REFX_SPARQL_SERVICES, comma-separated, or https://query.wikidata.org/sparql)", (v: string, acc: string[] = []) => [...acc, v])
  .parse();

const opts = program.opts<{ dataDir: string; port?: number; host: string; baseUri?: string; cacheDir: string; cache: boolean; sparqlTimeout?: number; sparqlMaxResults?: number; sparqlAllowService?: string[] }>();
const port = opts.port ?? defaultPort();
const state: ServiceState = {
  base: baseUri(opts.baseUri, port),
  store: new RefStore(),
  status: "loading",
  sparql: { timeoutMs: opts.sparqlTimeout && opts.sparqlTimeout * 1000, maxResults: opts.sparqlMaxResults && Math.floor(opts.sparqlMaxResults), allowServices: opts.sparqlAllowService },
};

// A bad --sparql-allow-service URL stops the start, not the first federated query.
resolveSparqlOptions(state.sparql);

async function load(reload?: "checked" | "forced"): Promise<void> {
  // Each load fills a fresh store, swapped in only when complete: a failed
  // reload leaves the previous data served.
  const store = new RefStore();
  const report = await loadDataDir(store, {
    dataDir: opts.dataDir,
    base: state.base,
    cacheDir: opts.cache ? opts.cacheDir : false,
    onProgress: (p) => (state.progress = p),
    onSource: (event, source, r) => {
      if (event === "end" && r) console.log(`  ${source}: ${r.entities} entities from ${r.rows} records in ${r.seconds.toFixed(1)} s${r.warnings.length ? `, ${r.warnings.length} warnings (first: ${r.warnings[0]})` : ""}`);
    },
  });
  const refusal = reload === "checked" && state.report ? reloadRefusal(state.report, report) : undefined;
  if (refusal) {
    state.lastReload = { at: new Date().toISOString(), outcome: "refused", error: refusal };
    console.error(refusal);
    return;
  }
  const t0 = performance.now();
  const matcher = await buildMatcher(store, state.base, report);
  // Counts for /health, taken once now rather than on each call.
  storeCounts(store);
  const indexSeconds = (performance.now() - t0) / 1000;
  Object.assign(state, { store, matcher, report, status: "ready", loadedAt: new Date(), error: undefined, progress: undefined });
  if (reload) state.lastReload = { at: new Date().toISOString(), outcome: "reloaded" };
  // The SPARQL worker copies the store now, not at the first query (seconds on a large store).
  sparqlEngine(state).warm();
  console.log(`Loaded ${store.size} triples from ${report.dataDir} in ${report.seconds.toFixed(1)} s${report.fromCache ? " (saved store)" : ""}, matching index in ${indexSeconds.toFixed(1)} s; memory ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB.`);
}

const server = createApp(state).listen(port, opts.host, () => {
  const addr = server.address();
  const actual = typeof addr === "object" && addr ? addr.port : port;
  console.log(`refx listening on http://${opts.host}:${actual} (entity URIs under ${state.base}/id/)`);
});

if (opts.cache) {
  for (const path of removeStaleSaves(opts.cacheDir)) console.log(`Removed ${path}, left by an interrupted save`);
}

load().catch((err: Error) => {
  state.status = "failed";
  state.error = err.message;
  console.error(`Load failed: ${err.message}`);
  process.exitCode = 1;
  server.close();
});

// `kill -HUP <pid>` reloads the data directory without a restart; `kill -USR2 <pid>` does it even if a source would lose most of its entities.
for (const [sig, mode] of [["SIGHUP", "checked"], ["SIGUSR2", "forced"]] as const) {
  process.on(sig, () => {
    console.log(`${sig}: reloading data${mode === "forced" ? " (forced)" : ""}`);
    load(mode).catch((err: Error) => {
      state.lastReload = { at: new Date().toISOString(), outcome: "failed", error: err.message };
      console.error(`Reload failed, previous data kept: ${err.message}`);
    });
  });
}
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => {
  closeSparql(state);
  server.close(() => process.exit(0));
  // Idle keep-alive connections would hold close() open; a stuck one must not keep the process alive.
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 3000).unref();
});
