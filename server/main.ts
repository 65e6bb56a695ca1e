// `npm start [-- --data-dir <dir>] [--port <n>]`: load the data, then serve.
// The server listens at once and answers /health with 503 until data is in.
import { Command, InvalidArgumentError } from "commander";
import { loadDataDir, type LoadReport } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { buildMatcher, saveRecords } from "../reconcile/build.ts";
import { replicaBase, replicaSnapshotDir, restoreReplica } from "./replica.ts";
import { RemoteStore, remoteStoreOptions } from "../data/remote-store.ts";
import { remoteReport, waitForStore } from "./remote.ts";
import { createApp } from "./app.ts";
import { baseUri, DEFAULT_CACHE_DIR, defaultPort } from "./config.ts";
import { defaultServedDataDir, isSampleDataDir, SAMPLE_NOTICE } from "./sample-notice.ts";
import type { ServiceState } from "./state.ts";
import { sparqlEngine, closeSparql } from "./sparql/registry.ts";
import { servedStore } from "./sparql/worker-store.ts";
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
  .option("--data-dir <dir>", "directory laid out like ../shared/data (default: what refx download wrote to $REFX_DATA_DIR or .refx/data, else the shipped sample)")
  .option("--port <n>", "port to listen on (default: $PORT or 3000)", parsePort)
  .option("--host <host>", "interface to listen on", "127.0.0.1")
  .option("--base-uri <uri>", "base of entity URIs (default: $REFX_BASE_URI or http://localhost:<port>)")
  .option("--cache-dir <dir>", "where the loaded store is saved for fast restarts", DEFAULT_CACHE_DIR)
  .option("--no-cache", "neither read nor write the saved store")
  .option("--read-only", "serve the snapshot that `refx load` published for --data-dir under --cache-dir, never parse nor write (a replica)")
  .option("--store <url>", "answer /sparql, entity pages and exports from this SPARQL 1.1 endpoint, filled by `refx load --store` (credentials: REFX_STORE_USER, REFX_STORE_PASSWORD)")
  .option("--snapshot <dir>", "serve, read-only, the snapshot published in <dir> (a cache folder holding `current`, as `refx load` prints it)")
  .option("--sparql-timeout <seconds>", "time limit of a SPARQL query (default: $REFX_SPARQL_TIMEOUT or 30)", parsePositive)
  .option("--sparql-max-results <n>", "rows or triples a SPARQL answer holds at most (default: $REFX_SPARQL_MAX_RESULTS or 100000)", parsePositive)
  .option("--sparql-allow-service <url>", "a SPARQL endpoint that SERVICE may call, repeatable (default: $REFX_SPARQL_SERVICES, comma-separated, or https://query.wikidata.org/sparql)", (v: string, acc: string[] = []) => [...acc, v])
  .parse();

const opts = program.opts<{ dataDir?: string; port?: number; host: string; baseUri?: string; cacheDir: string; cache: boolean; readOnly?: boolean; snapshot?: string; store?: string; sparqlTimeout?: number; sparqlMaxResults?: number; sparqlAllowService?: string[] }>();
const dataDir = opts.dataDir ?? defaultServedDataDir();
const port = opts.port ?? defaultPort();
// A replica serves what a loader published: the snapshot folder, and the base of entity URIs it was made with.
const replicaDir = opts.snapshot || opts.readOnly ? replicaSnapshotDir({ ...opts, dataDir }) : undefined;
/** A mistake in the options (no snapshot yet, a bad store URL) stops the start with its message, not a stack trace. */
function orStop<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    console.error(`refx: ${(err as Error).message}`);
    process.exit(2);
  }
}
const remote = opts.store ? orStop(() => new RemoteStore(remoteStoreOptions(opts.store!, baseUri(opts.baseUri, port)))) : undefined;
const state: ServiceState = {
  base: replicaDir && !remote ? orStop(() => replicaBase(replicaDir, opts.baseUri)) : baseUri(opts.baseUri, port),
  store: new RefStore(),
  status: "loading",
  readOnly: !!replicaDir || !!remote,
  sample: isSampleDataDir(dataDir),
  sparql: { timeoutMs: opts.sparqlTimeout && opts.sparqlTimeout * 1000, maxResults: opts.sparqlMaxResults && Math.floor(opts.sparqlMaxResults), allowServices: opts.sparqlAllowService },
};

// A bad --sparql-allow-service URL stops the start, not the first federated query.
resolveSparqlOptions(state.sparql);

/** With --store: the graphs stay in the external store; only the matcher, streamed out of it, is held here. */
async function loadRemote(store: RemoteStore): Promise<void> {
  await waitForStore(store);
  const report = await remoteReport(store, state.base);
  const t0 = performance.now();
  const matcher = await buildMatcher(store, state.base, report, true);
  const indexSeconds = (performance.now() - t0) / 1000;
  Object.assign(state, { store, matcher, report, status: "ready", loadedAt: new Date(), error: undefined, progress: undefined });
  console.log(`Serving ${report.triples} triples from the store at ${store.endpoint}, matching index streamed out of it in ${indexSeconds.toFixed(1)} s; memory ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB.`);
}

async function load(reload?: "checked" | "forced"): Promise<void> {
  if (remote) return loadRemote(remote);
  // Each load fills a fresh store, swapped in only when complete: a failed
  // reload leaves the previous data served.
  const store = new RefStore();
  const report: LoadReport = replicaDir ? await restoreReplica(store, replicaDir) : await loadDataDir(store, {
    dataDir,
    base: state.base,
    cacheDir: opts.cache ? opts.cacheDir : false,
    // An up-to-date snapshot is restored by the SPARQL worker only: one copy of the store (servedStore).
    restore: false,
    onSnapshot: (s, dir, fingerprint) => saveRecords(s, state.base, dir, fingerprint),
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
  const served = servedStore(store, report, state.sparql);
  const matcher = await buildMatcher(served, state.base, report, !!replicaDir);
  // Counts for /health, taken once now rather than on each call.
  void storeCounts(served);
  const indexSeconds = (performance.now() - t0) / 1000;
  Object.assign(state, { store: served, matcher, report, status: "ready", loadedAt: new Date(), error: undefined, progress: undefined });
  if (reload) state.lastReload = { at: new Date().toISOString(), outcome: "reloaded" };
  // The SPARQL worker copies the store now, not at the first query (seconds on a large store).
  sparqlEngine(state).warm();
  console.log(`Loaded ${report.triples} triples from ${report.dataDir} in ${report.seconds.toFixed(1)} s${report.fromCache ? ` (restored from snapshot ${report.cacheDir}${replicaDir ? ", read-only" : ""})` : ""}, matching index in ${indexSeconds.toFixed(1)} s; memory ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB.`);
}

const server = createApp(state).listen(port, opts.host, () => {
  const addr = server.address();
  const actual = typeof addr === "object" && addr ? addr.port : port;
  console.log(`refx listening on http://${opts.host}:${actual} (entity URIs under ${state.base}/id/)`);
  if (state.sample) console.log(`Serving the demonstration sample (data/sample), not the referentials. ${SAMPLE_NOTICE.en.split(". ").slice(-1)[0]}`);
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

// `kill -HUP <pid>` reloads the data directory without a restart (a replica: the snapshot now current); `kill -USR2 <pid>` does it even if a source would lose most of its entities.
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
