// `refx reconcile input.csv --column name ...`: the REST API's batch
// reconciliation, offline, against the saved store (or the files under
// --data-dir, as `npm start` reads them). The file is checked first (format,
// header, columns) so a mistake fails before the data load; rows are then
// streamed through the same code as POST /api/reconcile, with a progress bar.
import { existsSync, statSync } from "node:fs";
import cliProgress from "cli-progress";
import { PROPERTY_IDS, type PropertyId } from "../reconcile/types.ts";
import { bindSpec, csvWriter, jsonWriter, parseBatchSpec, runBatch, type Summary } from "../app/batch.ts";
import { inspectCsv, parseOverrides, readRecords, splitHeader } from "../app/csv-io.ts";
import { runOpen } from "./load-command.ts";
import { openOutput } from "./output-file.ts";
import { PROCESS_IO, type CliIo } from "./io.ts";

export interface ReconcileCommandOptions extends Partial<Record<PropertyId, string>> {
  input: string;
  output?: string;
  column: string;
  target?: string;
  minScore?: string;
  format?: string;
  delimiter?: string;
  encoding?: string;
  dataDir: string;
  cacheDir: string | false;
  base: string;
  json?: boolean;
  quiet?: boolean;
  /** Cells beginning with = + - @ written as they are (default: neutralised, data/csv-formulas.ts). */
  rawFormulas?: boolean;
}

export interface ReconcileReport extends Summary {
  input: string;
  output: string;
  target: string;
  column: string;
  encoding: string;
  delimiter: string;
  peakRssMB: number;
}

export async function runReconcile(o: ReconcileCommandOptions, io: CliIo = PROCESS_IO): Promise<ReconcileReport> {
  const fields: Record<string, unknown> = { column: o.column, target: o.target, min_score: o.minScore };
  for (const p of PROPERTY_IDS) if (o[p] !== undefined) fields[p] = o[p];
  const spec = parseBatchSpec(fields);
  const format = o.format ?? (o.output?.toLowerCase().endsWith(".json") ? "json" : "csv");
  if (format !== "csv" && format !== "json") throw new Error(`--format is csv or json, not ${JSON.stringify(format)}`);
  if (!existsSync(o.input) || !statSync(o.input).isFile()) throw new Error(`${o.input}: no such file`);

  // Before loading anything: the file must be readable CSV with the columns named.
  const info = await inspectCsv(o.input, parseOverrides(o.encoding, o.delimiter));
  bindSpec(spec, info.header);

  if (!o.quiet) io.stderr.write(`refx: ${info.rows} rows (${info.format.encoding}, delimiter ${JSON.stringify(info.format.delimiter)}); loading the referentials from ${o.dataDir}…\n`);
  const { matcher } = await runOpen({ dataDir: o.dataDir, base: o.base, cacheDir: o.cacheDir, quiet: true, silent: o.quiet }, io);

  const output = openOutput(o.output, io.stdout);
  const out = output.stream;
  const writer = format === "json"
    ? jsonWriter({ target: spec.target, column: spec.column, input: { encoding: info.format.encoding, delimiter: info.format.delimiter, bom: info.format.bom } })
    : csvWriter({ ...info.format, formulas: o.rawFormulas ? "raw" : "neutralise" });
  const bar = o.quiet ? undefined : new cliProgress.SingleBar(
    { format: "reconcile [{bar}] {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta}s", hideCursor: true, stream: io.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar?.start(info.rows, 0, { speed: 0 });
  const stream = readRecords(o.input, info.format);
  let summary: Summary;
  try {
    const { header, rows } = await splitHeader(stream.records);
    summary = await runBatch({
      header, rows, spec, writer, out, matcher: () => matcher,
      onProgress: (n, s) => bar?.update(n, { speed: s.rowsPerSecond }),
    });
    await output.commit();
  } catch (err) {
    output.abort();
    throw err;
  } finally {
    bar?.stop();
    stream.close();
  }
  return {
    input: o.input,
    output: o.output ?? "-",
    target: spec.target,
    column: spec.column,
    encoding: info.format.encoding,
    delimiter: info.format.delimiter,
    ...summary,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

export function formatReconcileReport(r: ReconcileReport): string {
  const pct = (n: number) => (r.rows ? ` (${Math.round((100 * n) / r.rows)}%)` : "");
  return [
    `${r.rows} rows → ${r.output === "-" ? "standard output" : r.output}`,
    `  matched    ${String(r.matched).padStart(8)}${pct(r.matched)}`,
    `  ambiguous  ${String(r.ambiguous).padStart(8)}${pct(r.ambiguous)}`,
    `  none       ${String(r.none).padStart(8)}${pct(r.none)}`,
    ...(r.error ? [`  error      ${String(r.error).padStart(8)}${pct(r.error)}  (the matcher failed on these rows: see the log above)`] : []),
    `${r.seconds.toFixed(1)} s, ${r.rowsPerSecond} rows/s, peak memory ${r.peakRssMB} MB`,
  ].join("\n");
}
