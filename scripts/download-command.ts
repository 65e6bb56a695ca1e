// `refx download`: fetches the official files of the sources into a data
// directory, with one progress bar a source. The commander wiring calls runDownload.

import cliProgress from "cli-progress";
import { downloadSources, type DownloadProgress, type DownloadResult } from "../data/download.ts";
import { SOURCES, type SourceId } from "../data/sources.ts";
import { PROCESS_IO, println, type CliIo } from "./io.ts";

export interface RunDownloadOptions {
  dataDir: string;
  /** Source ids to download (default: all). */
  sources?: string[];
  /** No progress bars and no summary. */
  quiet?: boolean;
}

/** Checks source names; throws an Error listing the valid ones on an unknown name. */
export function parseSourceIds(names: string[] | undefined): SourceId[] {
  const valid = SOURCES.map((s) => s.id);
  if (!names || names.length === 0) return valid;
  // Accept "uai,rnsr" as well as separate arguments.
  const split = names.flatMap((n) => n.split(",")).map((n) => n.trim()).filter(Boolean);
  const unknown = split.filter((n) => !(valid as string[]).includes(n));
  if (unknown.length) {
    throw new Error(
      `unknown source${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => JSON.stringify(n)).join(", ")}; ` +
        `valid sources are: ${valid.join(", ")}`,
    );
  }
  return [...new Set(split as SourceId[])];
}

export async function runDownload(opts: RunDownloadOptions, io: CliIo = PROCESS_IO): Promise<void> {
  const sources = parseSourceIds(opts.sources);
  if (opts.quiet) {
    await downloadSources({ dataDir: opts.dataDir, sources });
    return;
  }

  const width = Math.max(...sources.map((s) => s.length));
  const multibar = new cliProgress.MultiBar(
    {
      format: (options, params, payload: { source: string; known: boolean; state: string }) => {
        const name = payload.source.padEnd(width);
        if (!payload.known) {
          return `${name} ${formatBytes(params.value)}${payload.state ? ` ${payload.state}` : ""}`;
        }
        const bar = cliProgress.Format.BarFormat(params.progress, options);
        const pct = `${Math.floor(params.progress * 100)}`.padStart(3);
        return `${name} ${bar} ${pct}% ${formatBytes(params.value)} / ${formatBytes(params.total)}` +
          (payload.state ? ` ${payload.state}` : "");
      },
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 30,
      stream: io.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<SourceId, cliProgress.SingleBar>();
  for (const source of sources) {
    bars.set(source, multibar.create(0, 0, { source, known: false, state: "waiting" }));
  }

  const onProgress = (e: DownloadProgress) => {
    const bar = bars.get(e.source);
    if (!bar) return;
    if (e.totalBytes !== undefined) bar.setTotal(e.totalBytes);
    // Wikidata: no byte total, but a count of items once the SPARQL query answered.
    const items = e.items !== undefined ? `${e.items}${e.totalItems !== undefined ? `/${e.totalItems}` : ""} items` : "";
    bar.update(e.receivedBytes, {
      known: e.totalBytes !== undefined,
      state: [items, e.done ? "done" : ""].filter(Boolean).join(" "),
    });
  };

  let results: DownloadResult[] = [];
  let failure: unknown;
  try {
    results = await downloadSources({ dataDir: opts.dataDir, sources, onProgress });
  } catch (e) {
    failure = e;
    results = (e as { results?: DownloadResult[] }).results ?? [];
  } finally {
    multibar.stop();
  }
  for (const r of results) {
    println(io.stdout, `${r.source.padEnd(width)} ${formatBytes(r.bytes).padStart(9)}  ${r.path}${r.entry ? `  (from ${r.entry})` : ""}`);
  }
  if (failure) throw failure;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
