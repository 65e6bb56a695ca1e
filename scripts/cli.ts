// The refx command line: `refx <command> --help` for each command. `main`
// runs one command line and returns its exit code; scripts/refx.mjs is the
// process around it (argv, the standard streams, the exit), and the tests call
// `main` in their own process with buffers for streams.
import { Command, CommanderError } from "commander";
import { baseUri, DEFAULT_DATA_DIR } from "../app/config.ts";
import { affiliationsCommand } from "./affiliations-command.ts";
import { runDownload } from "./download-command.ts";
import { runExport, runExportResolved } from "./export-command.ts";
import { formatReport, runLoad, statsOf } from "./load-command.ts";
import { RemoteStore, remoteStoreOptions } from "../data/remote-store.ts";
import { formatLookup, runLookup } from "./lookup-command.ts";
import { formatReconcileReport, runReconcile } from "./reconcile-command.ts";
import { runServe } from "./serve-command.ts";
import { delimiterOption, encodingOption, rawFormulasOption, serverArgs, serverOptions, type ServerOptions } from "../app/options.ts";
import { RefxCommand } from "./refx-command.ts";
import { PROPERTY_IDS } from "../reconcile/types.ts";
import { DomainError } from "../app/errors.ts";
import { PROCESS_IO, println, type CliIo } from "./io.ts";

/** What the options of a command that opens the referentials parse to (app/options.ts). */
interface StoreCommandOptions {
  dataDir: string;
  cacheDir: string;
  cache: boolean;
  baseUri?: string;
}

/** The saved-store folder, or false with --no-cache. */
const cacheOf = (o: StoreCommandOptions): string | false => (o.cache === false ? false : o.cacheDir);

/** One command line being run: where it writes, and the exit code a command sets without failing (`refx serve`: the server's). */
interface Run {
  io: CliIo;
  code: number;
}

/** The commands; built afresh for each command line (commander keeps the parsed options on its objects). */
function program(run: Run): Command {
  const { io } = run;
  const program = new RefxCommand("refx")
    .description("refx: reconciliation of French higher education and research referentials")
    .showHelpAfterError()
    // Help and usage errors go to `io`, and end the command line with their exit code instead of the process.
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  const out = (text: string) => println(io.stdout, text);

  program
    .command("load")
    .description("parse every source file under a data directory into the saved store that `npm start` restores")
    .referentialsOptions("base of entity URIs (must match the server's; default http://localhost:3000)")
    .option("--force", "parse the files even when the saved store is up to date")
    .option("--store <url>", "send the graphs to this SPARQL 1.1 endpoint as they are parsed, replacing refx's graphs there, for `refx serve --store`; the snapshot keeps the files and the matcher's records (credentials: REFX_STORE_USER, REFX_STORE_PASSWORD; docs/deployment.md)")
    .option("--json", "print the load report as JSON")
    .action(async (o: StoreCommandOptions & { force?: boolean; store?: string; json?: boolean }) => {
      const base = baseUri(o.baseUri, 3000);
      // A bad URL or credentials setting stops before the parse, not after it.
      const remote = o.store ? new RemoteStore(remoteStoreOptions(o.store, base)) : undefined;
      // With --store the graphs go to the store as they are parsed; refx's embedded store stays empty.
      const { store, report } = await runLoad({ dataDir: o.dataDir, base, cacheDir: cacheOf(o), refresh: o.force, quiet: o.json, remote }, io);
      const sizes = remote ? await remote.graphSizes() : store.graphSizes();
      const triples = [...sizes.values()].reduce((a, b) => a + b, 0);
      const sent = remote && { endpoint: remote.endpoint, triples, seconds: report.sent?.seconds ?? 0, embeddedTriples: store.size };
      out(o.json ? JSON.stringify({ ...report, graphSizes: Object.fromEntries(sizes), ...(sent ? { store: sent } : {}) }, null, 2) : formatReport(report, sizes));
    });

  program
    .command("download")
    .description("fetch the official files of the sources into a data directory (needs the network)")
    .option("--data-dir <dir>", "directory to write into (default: $REFX_DATA_DIR or .refx/data, which npm start then serves)", DEFAULT_DATA_DIR)
    .option("--source <ids...>", "only these sources (uai, education, rnsr, wikidata, ror, sirene-ul, sirene-etab)")
    .option("--quiet", "no progress bars")
    .action(async (o: { dataDir: string; source?: string[]; quiet?: boolean }) => {
      await runDownload({ dataDir: o.dataDir, sources: o.source, quiet: o.quiet }, io);
    });

  program
    .command("stats")
    .description("what the store holds: triples per graph, entities per class, links")
    .referentialsOptions()
    .option("--json", "print as JSON")
    .action(async (o: StoreCommandOptions & { json?: boolean }) => {
      const { store, report } = await runLoad({ dataDir: o.dataDir, base: baseUri(o.baseUri, 3000), cacheDir: cacheOf(o), quiet: true }, io);
      const stats = statsOf(store);
      if (o.json) {
        out(JSON.stringify({ graphs: Object.fromEntries(store.graphSizes()), classes: stats, links: report.links }, null, 2));
        return;
      }
      out(formatReport(report, store.graphSizes()));
      out("\nentities by class:");
      for (const s of stats) out(`  ${s.graph.padEnd(40)} ${s.class.padEnd(34)} ${s.entities}`);
    });

  const reconcileCommand = program
    .command("reconcile")
    .description("reconcile every row of a CSV file offline, as POST /api/reconcile does (docs/rest-api.md)")
    .argument("<input>", "CSV file: delimiter and encoding (UTF-8, Latin-1) detected, first line the header")
    .requiredOption("--column <name>", "column holding the establishments' names")
    .option("--target <target>", "identifier written in refx_id: uai, rnsr, siret, wikidata, ror or all", "all")
    .option("-o, --output <file>", "where to write the result (default: standard output)")
    .option("--format <format>", "csv or json (default: json for an output ending in .json, else csv)")
    .addOption(rawFormulasOption());
  for (const p of PROPERTY_IDS) reconcileCommand.option(`--${p} <column>`, `column holding the ${p} of each row`);
  reconcileCommand
    .option("--min-score <n>", "candidates below this score (0-100) do not make a row ambiguous", "50")
    .addOption(delimiterOption())
    .addOption(encodingOption())
    .referentialsOptions()
    .option("--json", "print the summary as JSON")
    .option("--quiet", "no progress bar")
    .action(async (input: string, o: Record<string, string | boolean | undefined>) => {
      const report = await runReconcile({
        ...(o as Record<string, string>),
        input,
        column: o.column as string,
        minScore: o.minScore as string | undefined,
        dataDir: o.dataDir as string,
        cacheDir: cacheOf(o as unknown as StoreCommandOptions),
        base: baseUri(o.baseUri as string | undefined, 3000),
        json: Boolean(o.json),
        quiet: Boolean(o.quiet),
        rawFormulas: Boolean(o.rawFormulas),
      }, io);
      // The summary goes to standard output, unless the rows do.
      println(report.output === "-" ? io.stderr : io.stdout, o.json ? JSON.stringify(report, null, 2) : formatReconcileReport(report));
    });

  program.addCommand(affiliationsCommand(io).copyInheritedSettings(program));

  program
    .command("lookup")
    .description("one establishment by any identifier, with all its other identifiers, names, address, relations and sources")
    .argument("<scheme>", "uai, siret, siren, rnsr, wikidata, ror, idref, grid or isni")
    .argument("<id>", "the identifier (its format and check character are verified)")
    .referentialsOptions()
    .option("--json", "print as JSON")
    .action(async (scheme: string, id: string, o: StoreCommandOptions & { json?: boolean }) => {
      const r = await runLookup({ scheme, id, dataDir: o.dataDir, cacheDir: cacheOf(o), base: baseUri(o.baseUri, 3000) }, io);
      out(o.json ? JSON.stringify(r, null, 2) : formatLookup(r));
    });

  const serveCommand = program
    .command("serve")
    .description("serve HTTP (the REST API, the reconciliation services): the same as npm start")
    .action(async (o: ServerOptions) => {
      run.code = await runServe(serverArgs({ ...o }), io);
    });
  for (const option of serverOptions()) serveCommand.addOption(option);

  program
    .command("export")
    .description("stream a graph, or the whole store, as Turtle, N-Triples, N-Quads or JSON-LD")
    .option("--source <id>", "uai, education, rnsr, wikidata, ror, sirene-ul, sirene-etab, links, or all", "all")
    .option("--format <f>", "ttl, nt, nq or jsonld", "nt")
    .option("-o, --output <file>", "write here instead of standard output")
    .referentialsOptions()
    .action((o: StoreCommandOptions & { source: string; format: string; output?: string }) =>
      runExport({ ...o, cacheDir: cacheOf(o), base: baseUri(o.baseUri, 3000) }, io),
    );

  program
    .command("export-resolved")
    .description("enrich a reconciled CSV table with every identifier and name, as CSV or 5-star RDF")
    .requiredOption("--input <file>", "the reconciled table (CSV, delimiter , ; or tab)")
    .option("--column <name>", "the column of ids (default: the first)")
    .option("--service <id>", "what the ids are: uai, rnsr, siret, wikidata, ror, or all (any id or entity URI)", "all")
    .option("--format <f>", "csv, ttl, nt, jsonld or rdfxml", "csv")
    .addOption(rawFormulasOption())
    .option("-o, --output <file>", "write here instead of standard output")
    .referentialsOptions()
    .action((o: StoreCommandOptions & { input: string; column?: string; service: string; format: string; output?: string; rawFormulas?: boolean }) =>
      runExportResolved({ ...o, cacheDir: cacheOf(o), base: baseUri(o.baseUri, 3000) }, io),
    );

  return program;
}

/**
 * The one place a failure becomes an exit code: 2 when what was asked for does not exist, so
 * scripts tell it from invalid input or a failure (1).
 */
const exitCode = (err: unknown): number => (err instanceof DomainError && err.kind === "not_found" ? 2 : 1);

/**
 * Runs one command line (`argv`: what follows `refx`, as `["reconcile", "in.csv", "--column", "nom"]`),
 * writing to `io`; resolves to the exit code, never throws.
 */
export async function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  const run: Run = { io, code: 0 };
  try {
    await program(run).parseAsync(argv, { from: "user" });
    return run.code;
  } catch (err) {
    // Help shown (0) or a usage error commander has already explained (1).
    if (err instanceof CommanderError) return err.exitCode;
    println(io.stderr, `refx: ${(err as Error)?.message ?? err}`);
    return exitCode(err);
  }
}
