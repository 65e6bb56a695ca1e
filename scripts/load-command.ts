// `refx load` and `refx stats`: parse a data directory into the saved store
// with a progress bar a source, and describe what the store holds.
import { dirname } from "node:path";
import cliProgress from "cli-progress";
import type { LoadReport } from "../data/load.ts";
import type { RefStore } from "../data/store.ts";
import type { RemoteStore } from "../data/remote-store.ts";
import { waitForStore } from "../app/remote.ts";
import { openStore, withMatcher, type OpenedStore, type Referentials } from "../app/referentials.ts";
import { isSampleDataDir, SAMPLE_NOTICE } from "../app/sample-notice.ts";
import { PREFIXES } from "../vocab/namespaces.ts";
import { PROCESS_IO, println, type CliIo } from "./io.ts";

export interface LoadCommandOptions {
  dataDir: string;
  base: string;
  cacheDir: string | false;
  refresh?: boolean;
  quiet?: boolean;
  /** No word on standard error at all, not even that the sample is served (a command's --quiet). */
  silent?: boolean;
  /** `refx load --store`: the graphs go to this store as they are parsed, never into refx's memory. */
  remote?: RemoteStore;
}

/** The store of `opts.dataDir` (app/referentials.ts), with a progress bar a source and the sample's notice. */
export async function runLoad(opts: LoadCommandOptions, io: CliIo = PROCESS_IO): Promise<OpenedStore> {
  // On standard error, so that JSON and CSV outputs stay clean; a command's --quiet silences it with the rest.
  if (!opts.silent && isSampleDataDir(opts.dataDir)) println(io.stderr, `refx: ${SAMPLE_NOTICE.en}`);
  const bars = new cliProgress.MultiBar(
    { format: "{source} [{bar}] {percentage}% {value}/{total} KB", hideCursor: true, clearOnComplete: false, noTTYOutput: false, stream: io.stderr },
    cliProgress.Presets.shades_classic,
  );
  const bySource = new Map<string, cliProgress.SingleBar>();
  const kb = (b: number) => Math.ceil(b / 1024);
  try {
    // The store may still be starting; a load that cannot reach it stops before parsing.
    if (opts.remote) await waitForStore(opts.remote, 10);
    return await openStore({
      dataDir: opts.dataDir,
      baseUri: opts.base,
      cache: opts.cacheDir,
      refresh: opts.refresh,
      remote: opts.remote,
      onProgress: (p) => {
        if (opts.quiet) return;
        let bar = bySource.get(p.source);
        if (!bar) bySource.set(p.source, (bar = bars.create(kb(p.total), 0, { source: p.source.padEnd(11) })));
        bar.setTotal(kb(p.total));
        bar.update(kb(p.bytes), { source: p.source.padEnd(11) });
      },
    });
  } finally {
    bars.stop();
  }
}

/** The store and the matcher, for the commands that match (reconcile, affiliations, lookup). */
export async function runOpen(opts: LoadCommandOptions, io: CliIo = PROCESS_IO): Promise<Readonly<Referentials>> {
  return withMatcher(await runLoad(opts, io), opts.base);
}

/** The load report as a table: what each source gave, how fast, how much memory; `sizes`: triples per graph in the store loaded. */
export function formatReport(report: LoadReport, sizes: Map<string, number>): string {
  const total = [...sizes.values()].reduce((a, b) => a + b, 0);
  const lines = [
    `${"source".padEnd(12)}${"records".padStart(9)}${"entities".padStart(10)}${"triples".padStart(10)}${"seconds".padStart(9)}  skipped`,
    ...report.sources.map((s) =>
      `${s.source.padEnd(12)}${String(s.rows).padStart(9)}${String(s.entities).padStart(10)}${String(sizes.get(s.graph) ?? 0).padStart(10)}${s.seconds.toFixed(1).padStart(9)}  ${Object.entries(s.skipped).map(([k, v]) => `${v} ${k}`).join(", ")}`,
    ),
    `links: ${report.links.links} owl:sameAs in ${report.links.clusters} clusters (largest ${report.links.largest}${report.links.stars ? `; ${report.links.stars} too large to close, linked as a star through their hub` : ""})`,
    `total: ${total} triples in ${report.seconds.toFixed(1)} s${report.fromCache ? " (restored from the saved store)" : ""}, ${Math.round(total / report.seconds)} triples/s, peak memory ${Math.round(report.peakRssMB)} MB`,
  ];
  if (report.sent) lines.push(`sent to ${report.sent.endpoint} (${report.sent.seconds.toFixed(1)} s sending, beside the parse); serve it with refx serve --store ${report.sent.endpoint}`);
  // Replicas follow the folder holding `current`, two levels above the snapshot (data/snapshot.ts).
  if (report.cacheDir) lines.push(`snapshot: ${report.cacheDir} (read-only replicas: refx serve --snapshot ${dirname(dirname(report.cacheDir))})`);
  const warnings = [...report.sources.flatMap((s) => s.warnings), ...(report.links.warnings ?? [])];
  if (warnings.length) lines.push(`warnings (${warnings.length}, first 5):`, ...warnings.slice(0, 5).map((w) => `  ${w}`));
  return lines.join("\n");
}

/** Entities by class in each graph: what a researcher wants to know before writing a query. */
export function statsOf(store: RefStore): { graph: string; class: string; entities: number }[] {
  const rows = store.select(`SELECT ?g ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?g ?c ORDER BY ?g DESC(?n)`);
  const short = (iri: string) => {
    for (const [p, ns] of Object.entries(PREFIXES)) if (iri.startsWith(ns)) return `${p}:${iri.slice(ns.length)}`;
    return iri;
  };
  return rows.map((r) => ({ graph: r.g, class: short(r.c), entities: Number(r.n) }));
}
