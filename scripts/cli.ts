// The refx command line: `refx <command> --help` for each command.
import { Command } from "commander";
import { baseUri, DEFAULT_CACHE_DIR, SAMPLE_DATA_DIR } from "../server/config.ts";
import { runDownload } from "./download-command.ts";
import { formatReport, runLoad, statsOf } from "./load-command.ts";

const program = new Command("refx")
  .description("refx: reconciliation of French higher education and research referentials")
  .showHelpAfterError();

program
  .command("load")
  .description("parse every source file under a data directory into the saved store that `npm start` restores")
  .option("--data-dir <dir>", "directory laid out like ../shared/data", SAMPLE_DATA_DIR)
  .option("--cache-dir <dir>", "where the store is saved", DEFAULT_CACHE_DIR)
  .option("--base-uri <uri>", "base of entity URIs (must match the server's; default http://localhost:3000)")
  .option("--force", "parse the files even when the saved store is up to date")
  .option("--json", "print the load report as JSON")
  .action(async (o: { dataDir: string; cacheDir: string; baseUri?: string; force?: boolean; json?: boolean }) => {
    const { store, report } = await runLoad({
      dataDir: o.dataDir,
      base: baseUri(o.baseUri, 3000),
      cacheDir: o.cacheDir,
      refresh: o.force,
      quiet: o.json,
    });
    console.log(o.json ? JSON.stringify({ ...report, graphSizes: Object.fromEntries(store.graphSizes()) }, null, 2) : formatReport(report, store));
  });

program
  .command("download")
  .description("fetch the official files of the sources into a data directory (needs the network)")
  .option("--data-dir <dir>", "directory to write into", "data/downloads")
  .option("--source <ids...>", "only these sources (uai, education, rnsr, wikidata, ror, sirene-ul, sirene-etab)")
  .option("--quiet", "no progress bars")
  .action(async (o: { dataDir: string; source?: string[]; quiet?: boolean }) => {
    await runDownload({ dataDir: o.dataDir, sources: o.source, quiet: o.quiet });
  });

program
  .command("stats")
  .description("what the store holds: triples per graph, entities per class, links")
  .option("--data-dir <dir>", "directory laid out like ../shared/data", SAMPLE_DATA_DIR)
  .option("--cache-dir <dir>", "where the store is saved", DEFAULT_CACHE_DIR)
  .option("--base-uri <uri>", "base of entity URIs (default http://localhost:3000)")
  .option("--json", "print as JSON")
  .action(async (o: { dataDir: string; cacheDir: string; baseUri?: string; json?: boolean }) => {
    const { store, report } = await runLoad({ dataDir: o.dataDir, base: baseUri(o.baseUri, 3000), cacheDir: o.cacheDir, quiet: true });
    const stats = statsOf(store);
    if (o.json) {
      console.log(JSON.stringify({ graphs: Object.fromEntries(store.graphSizes()), classes: stats, links: report.links }, null, 2));
      return;
    }
    console.log(formatReport(report, store));
    console.log("\nentities by class:");
    for (const s of stats) console.log(`  ${s.graph.padEnd(40)} ${s.class.padEnd(34)} ${s.entities}`);
  });

program.parseAsync().catch((err: Error) => {
  console.error(`refx: ${err.message}`);
  process.exit(1);
});
