// `refx affiliations input.csv --column aff -o out.csv`: every organisation
// the affiliation strings of a CSV column name, offline, as POST
// /api/affiliations finds them (docs/affiliations.md). The file is checked
// first (format, header, the column) so a mistake fails before the data load;
// rows are then streamed in and out, with a progress bar on a terminal.
import { existsSync, statSync } from "node:fs";
import cliProgress from "cli-progress";
import { Command } from "commander";
import type { AffiliationResult } from "../reconcile/affiliation/match.ts";
import { SERVICE_IDS, type ServiceId } from "../reconcile/types.ts";
import { isServiceId } from "../app/targets.ts";
import { controlsAsSpaces } from "../app/text.ts";
import { AFFILIATION_COLUMNS, AFFILIATION_LIMIT, AFFILIATION_LIMIT_MAX, AFFILIATION_MAX_CHARS, affiliationCells } from "../app/affiliations.ts";
import { bindSpec, write } from "../app/batch.ts";
import { csvLines, inspectCsv, parseOverrides, readRecords, splitHeader } from "../app/csv-io.ts";
import { baseUri } from "../app/config.ts";
import { runOpen } from "./load-command.ts";
import { delimiterOption, encodingOption, rawFormulasOption } from "../app/options.ts";
import { RefxCommand } from "./refx-command.ts";
import { openOutput } from "./output-file.ts";
import { PROCESS_IO, println, type CliIo } from "./io.ts";

export interface AffiliationsCommandOptions {
  input: string;
  output?: string;
  column: string;
  target?: string;
  limit?: string;
  delimiter?: string;
  encoding?: string;
  dataDir: string;
  cacheDir: string | false;
  base: string;
  /** No progress bar. */
  quiet?: boolean;
  /** The progress bar even when standard error is not a terminal (a log file, CI). */
  progress?: boolean;
  /** Cells beginning with = + - @ written as they are (default: neutralised, data/csv-formulas.ts). */
  rawFormulas?: boolean;
}

export interface AffiliationsReport {
  input: string;
  output: string;
  target: ServiceId;
  column: string;
  encoding: string;
  delimiter: string;
  rows: number;
  /** Rows whose cell is empty (nothing to match). */
  empty: number;
  /** Rows whose primary organisation is an automatic match. */
  primaryMatched: number;
  /** Rows with a primary organisation, matched or not. */
  withPrimary: number;
  /** Organisations found, over all rows. */
  organisations: number;
  /** Rows the matcher failed on (a bug: logged; the run goes on). */
  errors: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMB: number;
}

export async function runAffiliations(o: AffiliationsCommandOptions, io: CliIo = PROCESS_IO): Promise<AffiliationsReport> {
  const target = o.target ?? "all";
  if (!isServiceId(target)) throw new Error(`--target must be one of ${SERVICE_IDS.join(", ")}, not ${JSON.stringify(o.target)}`);
  const limit = o.limit === undefined ? AFFILIATION_LIMIT : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > AFFILIATION_LIMIT_MAX) throw new Error(`--limit must be a whole number from 1 to ${AFFILIATION_LIMIT_MAX}, not ${JSON.stringify(o.limit)}`);
  if (!existsSync(o.input) || !statSync(o.input).isFile()) throw new Error(`${o.input}: no such file`);

  // Before loading anything: the file must be readable CSV with the column named.
  const info = await inspectCsv(o.input, parseOverrides(o.encoding, o.delimiter));
  const column = bindSpec({ column: o.column, target, properties: [], minScore: 0 }, info.header).name;

  const showBar = !o.quiet && (io.stderr.isTTY || o.progress);
  if (!o.quiet) io.stderr.write(`refx: ${info.rows} rows (${info.format.encoding}, delimiter ${JSON.stringify(info.format.delimiter)}); loading the referentials from ${o.dataDir}…\n`);
  const { matcher } = await runOpen({ dataDir: o.dataDir, base: o.base, cacheDir: o.cacheDir, quiet: true, silent: o.quiet }, io);

  const output = openOutput(o.output, io.stdout);
  const out = output.stream;
  const bar = showBar
    ? new cliProgress.SingleBar(
        { format: "affiliations [{bar}] {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta}s", hideCursor: true, stream: io.stderr, noTTYOutput: !io.stderr.isTTY },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const r: AffiliationsReport = {
    input: o.input, output: o.output ?? "-", target, column: info.header[column], encoding: info.format.encoding, delimiter: info.format.delimiter,
    rows: 0, empty: 0, primaryMatched: 0, withPrimary: 0, organisations: 0, errors: 0, seconds: 0, rowsPerSecond: 0, peakRssMB: 0,
  };
  const t0 = performance.now();
  const stamp = () => {
    r.seconds = Math.round(performance.now() - t0) / 1000;
    r.rowsPerSecond = r.seconds > 0 ? Math.round(r.rows / r.seconds) : 0;
  };
  const csvOut = { ...info.format, formulas: o.rawFormulas ? ("raw" as const) : ("neutralise" as const) };
  const stream = readRecords(o.input, info.format);
  bar?.start(info.rows, 0, { speed: 0 });
  try {
    const { header, rows } = await splitHeader(stream.records);
    // Input columns named like ours (a file run twice) are replaced by the fresh result.
    const ours = new Set(AFFILIATION_COLUMNS);
    const keep = header.map((_, i) => i).filter((i) => !ours.has(header[i]));
    const width = header.length;
    await write(out, csvLines([[...keep.map((i) => header[i]), ...AFFILIATION_COLUMNS]], csvOut));
    let pending: string[][] = [];
    let logged = false;
    for await (const cells of rows) {
      const text = controlsAsSpaces(cells[column] ?? "").replace(/\s+/g, " ").trim().slice(0, AFFILIATION_MAX_CHARS);
      let result: AffiliationResult | undefined;
      if (!text) r.empty++;
      else {
        try {
          result = matcher.affiliation(target, text, limit);
        } catch (err) {
          // One row must not sink a run of a hundred thousand: the row is left empty, the log says why.
          if (!logged) println(io.stderr, `refx: matching failed on ${JSON.stringify(text.slice(0, 80))}: ${(err as Error).stack ?? err}`);
          logged = true;
          r.errors++;
        }
      }
      r.rows++;
      if (result?.primary) r.withPrimary++;
      if (result?.primary?.match) r.primaryMatched++;
      r.organisations += result?.organisations.length ?? 0;
      // Short rows are padded to the header; cells beyond it have no column and are dropped (as refx reconcile does).
      pending.push([...keep.map((i) => (i < width ? (cells[i] ?? "") : "")), ...affiliationCells(result)]);
      if (pending.length >= 200) {
        await write(out, csvLines(pending, csvOut));
        pending = [];
      }
      if (r.rows % 10 === 0) {
        stamp();
        bar?.update(r.rows, { speed: r.rowsPerSecond });
      }
    }
    if (pending.length) await write(out, csvLines(pending, csvOut));
    stamp();
    bar?.update(r.rows, { speed: r.rowsPerSecond });
    await output.commit();
  } catch (err) {
    output.abort();
    throw err;
  } finally {
    bar?.stop();
    stream.close();
  }
  r.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  return r;
}

/** The one-line summary. */
export function formatAffiliationsReport(r: AffiliationsReport): string {
  const pct = (n: number) => (r.rows ? ` (${Math.round((100 * n) / r.rows)}%)` : "");
  return (
    `refx affiliations: ${r.rows} rows → ${r.output === "-" ? "standard output" : r.output}: ` +
    `${r.primaryMatched} with an auto-matched primary${pct(r.primaryMatched)}, ${r.organisations} organisations found` +
    `${r.empty ? `, ${r.empty} empty` : ""}${r.errors ? `, ${r.errors} failed (see the log above)` : ""}; ` +
    `${r.seconds.toFixed(1)} s, ${r.rowsPerSecond} rows/s, peak memory ${r.peakRssMB} MB`
  );
}

/** The `refx affiliations` command, for scripts/cli.ts. */
export function affiliationsCommand(io: CliIo = PROCESS_IO): Command {
  return new RefxCommand("affiliations")
    .description("find every organisation the affiliation strings of a CSV column name, offline, as POST /api/affiliations does (docs/affiliations.md)")
    .showHelpAfterError()
    .argument("<input>", "CSV file: delimiter and encoding (UTF-8, Latin-1) detected, first line the header")
    .requiredOption("--column <name>", "column holding the affiliation strings")
    .option("--target <target>", "which referential's records are found: uai, rnsr, siret, wikidata, ror or all", "all")
    .option("-o, --output <file>", "where to write the result CSV (default: standard output)")
    .option("--limit <n>", `organisations listed per row (at most ${AFFILIATION_LIMIT_MAX})`, String(AFFILIATION_LIMIT))
    .addOption(delimiterOption())
    .addOption(encodingOption())
    .referentialsOptions()
    .option("--json", "print the summary as JSON")
    .option("--quiet", "no progress bar and no summary line")
    .option("--progress", "show the progress bar even when standard error is not a terminal")
    .addOption(rawFormulasOption())
    .action(async (input: string, o: Record<string, string | boolean | undefined>) => {
      const report = await runAffiliations({
        input,
        output: o.output as string | undefined,
        column: o.column as string,
        target: o.target as string,
        limit: o.limit as string,
        delimiter: o.delimiter as string | undefined,
        encoding: o.encoding as string | undefined,
        dataDir: o.dataDir as string,
        cacheDir: o.cache === false ? false : (o.cacheDir as string),
        base: baseUri(o.baseUri as string | undefined, 3000),
        quiet: Boolean(o.quiet),
        progress: Boolean(o.progress),
        rawFormulas: Boolean(o.rawFormulas),
      }, io);
      // The JSON summary goes to standard output, unless the rows do; the line always to standard error.
      if (o.json) println(report.output === "-" ? io.stderr : io.stdout, JSON.stringify(report, null, 2));
      else if (!o.quiet) println(io.stderr, formatAffiliationsReport(report));
    });
}
