// `npm start [-- --data-dir <dir>] [--port <n>]`: load the data, then serve.
// The server listens at once and answers /health with 503 until data is in.
import { Command } from "commander";
import { serverOptions, type ServerOptions } from "../app/options.ts";
import { jobsFolder } from "../data/cache.ts";
import { RefStore } from "../data/store.ts";
import { openStore, withMatcher, type OpenedStore } from "../app/referentials.ts";
import { checkReplica, replicaBase, replicaSnapshotDir, snapshotToServe } from "./replica.ts";
import { RemoteStore, remoteStoreOptions } from "../data/remote-store.ts";
import { remoteReport, waitForStore, withLoadSnapshot } from "../app/remote.ts";
import { createApp } from "./app.ts";
import { keepConnections } from "./http/keep-alive.ts";
import { baseUri, defaultPort } from "../app/config.ts";
import { defaultServedDataDir, isSampleDataDir, SAMPLE_NOTICE } from "../app/sample-notice.ts";
import { closeServed, serve, serviceState, setLoading } from "./state.ts";
import { servedStore } from "./sparql/worker-store.ts";
import { resolveSparqlOptions } from "./sparql/config.ts";
import { storeCounts } from "./health.ts";
import { reloadRefusal } from "./reload-guard.ts";
import { removeStaleSaves } from "../data/stale-saves.ts";

const program = new Command("refx-server")
  .description("Serve the ESR referentials: loads every source file found under the data directory, then serves HTTP.");
for (const option of serverOptions()) program.addOption(option);
program.parse();

const opts = program.opts<ServerOptions>();
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
function orNone<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}
const remote = opts.store ? orStop(() => new RemoteStore(remoteStoreOptions(opts.store!, baseUri(opts.baseUri, port)))) : undefined;
const state = serviceState({
  base: replicaDir && !remote ? orStop(() => replicaBase(replicaDir, opts.baseUri)) : baseUri(opts.baseUri, port),
  readOnly: !!replicaDir || !!remote,
  sample: isSampleDataDir(dataDir),
  // Replicas share their cache folder and never write to it: their jobs stay in a temporary folder.
  jobsDir: opts.cache && !replicaDir ? jobsFolder(opts.cacheDir) : undefined,
  sparql: { timeoutMs: opts.sparqlTimeout && opts.sparqlTimeout * 1000, maxResults: opts.sparqlMaxResults && Math.floor(opts.sparqlMaxResults), allowServices: opts.sparqlAllowService },
});
const { config } = state;

// A bad --sparql-allow-service URL stops the start, not the first federated query.
resolveSparqlOptions(config.sparql);

/** With --store: the graphs stay in the external store; only the matcher, streamed out of it, is held here. */
async function loadRemote(store: RemoteStore): Promise<void> {
  await waitForStore(store);
  // The snapshot `refx load --store` published (--snapshot, --read-only, or the cache folder of --data-dir) holds the matcher's records.
  const snapshot = opts.cache || replicaDir ? orNone(() => snapshotToServe(replicaDir ?? replicaSnapshotDir({ ...opts, dataDir }))) : undefined;
  const report = withLoadSnapshot(await remoteReport(store, config.base), store, config.base, snapshot);
  const r = await withMatcher({ store, report }, config.base, true);
  serve(state, r);
  const from = report.cacheDir ? `read from snapshot ${report.cacheDir}` : "streamed out of it";
  console.log(`Serving ${report.triples} triples from the store at ${store.endpoint}, matching index ${from} in ${r.indexSeconds.toFixed(1)} s; memory ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB.`);
}

/** A replica's store: the published snapshot, checked here and restored by the SPARQL worker only (servedStore). */
function replicaStore(dir: string): OpenedStore {
  return { store: new RefStore(), report: checkReplica(dir) };
}

async function load(reload?: "checked" | "forced"): Promise<void> {
  if (remote) return loadRemote(remote);
  // Each load fills a fresh store, swapped in only when complete: a failed
  // reload leaves the previous data served.
  const opened: OpenedStore = replicaDir ? replicaStore(replicaDir) : await openStore({
    dataDir,
    baseUri: config.base,
    cache: opts.cache ? opts.cacheDir : false,
    // An up-to-date snapshot is restored by the SPARQL worker only: one copy of the store (servedStore).
    restore: false,
    onProgress: (progress) => setLoading(state, { progress }),
    onSource: (event, source, r) => {
      if (event === "end" && r) console.log(`  ${source}: ${r.entities} entities from ${r.rows} records in ${r.seconds.toFixed(1)} s${r.warnings.length ? `, ${r.warnings.length} warnings (first: ${r.warnings[0]})` : ""}`);
    },
  });
  const { report } = opened;
  const previous = state.served?.report;
  const refusal = reload === "checked" && previous ? reloadRefusal(previous, report) : undefined;
  if (refusal) {
    setLoading(state, { lastReload: { at: new Date().toISOString(), outcome: "refused", error: refusal } });
    console.error(refusal);
    return;
  }
  // The main thread reads the store through the SPARQL worker when only the worker holds it (servedStore).
  const store = servedStore(opened.store, report, config.sparql);
  const r = await withMatcher({ store, report }, config.base, !!replicaDir);
  // Counts for /health, taken once now rather than on each call.
  void storeCounts(store);
  // The previous load's SPARQL engine ends once the requests holding it have finished.
  serve(state, r);
  if (reload) setLoading(state, { lastReload: { at: new Date().toISOString(), outcome: "reloaded" } });
  // The SPARQL worker copies the store now, not at the first query (seconds on a large store).
  state.served!.sparql.get().warm();
  if (!report.fromCache) for (const w of report.links.warnings ?? []) console.warn(`  links: ${w}`);
  console.log(`Loaded ${report.triples} triples from ${report.dataDir} in ${report.seconds.toFixed(1)} s${report.fromCache ? ` (restored from snapshot ${report.cacheDir}${replicaDir ? ", read-only" : ""})` : ""}, matching index in ${r.indexSeconds.toFixed(1)} s; memory ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB.`);
}

const server = keepConnections(createApp(state).listen(port, opts.host, () => {
  const addr = server.address();
  const actual = typeof addr === "object" && addr ? addr.port : port;
  console.log(`refx listening on http://${opts.host}:${actual} (entity URIs under ${config.base}/id/)`);
  if (config.sample) console.log(`Serving the demonstration sample (data/sample), not the referentials. ${SAMPLE_NOTICE.en.split(". ").slice(-1)[0]}`);
}));

if (opts.cache) {
  for (const path of removeStaleSaves(opts.cacheDir)) console.log(`Removed ${path}, left by an interrupted save`);
}

load().catch((err: Error) => {
  setLoading(state, { error: err.message });
  console.error(`Load failed: ${err.message}`);
  process.exitCode = 1;
  server.close();
});

// `kill -HUP <pid>` reloads the data directory without a restart (a replica: the snapshot now current); `kill -USR2 <pid>` does it even if a source would lose most of its entities.
for (const [sig, mode] of [["SIGHUP", "checked"], ["SIGUSR2", "forced"]] as const) {
  process.on(sig, () => {
    console.log(`${sig}: reloading data${mode === "forced" ? " (forced)" : ""}`);
    load(mode).catch((err: Error) => {
      setLoading(state, { lastReload: { at: new Date().toISOString(), outcome: "failed", error: err.message } });
      console.error(`Reload failed, previous data kept: ${err.message}`);
    });
  });
}
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => {
  closeServed(state);
  server.close(() => process.exit(0));
  // Idle keep-alive connections would hold close() open; a stuck one must not keep the process alive.
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 3000).unref();
});
