// The command-line options of the two front doors (`npm start`, i.e.
// server/main.ts, and the `refx` commands), declared once: their flags, help,
// parsing and defaults. Declarations only: each front door parses its own argv.
import { InvalidArgumentError, Option } from "commander";
import { DEFAULT_CACHE_DIR } from "./config.ts";
import { defaultServedDataDir } from "./sample-notice.ts";

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

const collect = (v: string, acc: string[] = []) => [...acc, v];

// --- Commands that read the store --------------------------------------------------------------

export const dataDirOption = () =>
  new Option("--data-dir <dir>", "directory laid out like ../shared/data").default(defaultServedDataDir(), "what refx download wrote, else the shipped sample");
export const cacheDirOption = () => new Option("--cache-dir <dir>", "where the store is saved").default(DEFAULT_CACHE_DIR);
export const noCacheOption = () => new Option("--no-cache", "neither read nor write the saved store");
export const baseUriOption = (help = "base of entity URIs (default http://localhost:3000)") => new Option("--base-uri <uri>", help);

// --- Commands that write a CSV file (reconcile, affiliations, export-resolved) -------------------

export const delimiterOption = () => new Option("--delimiter <d>", "override the detected delimiter: ';', ',', tab or '|'");
export const encodingOption = () => new Option("--encoding <e>", "override the detected encoding: utf-8, latin1, utf-16le");
export const rawFormulasOption = () =>
  new Option("--raw-formulas", "write cells beginning with = + - @ as they are, not prefixed with ' (the default keeps spreadsheets from running them as formulas)");

// --- The server ----------------------------------------------------------------------------------

/** The server's options, taken by `npm start` and passed on as they are by `refx serve`. */
export const serverOptions = (): Option[] => [
  new Option("--data-dir <dir>", "directory laid out like ../shared/data (default: what refx download wrote to $REFX_DATA_DIR or .refx/data, else the shipped sample)"),
  new Option("--port <n>", "port to listen on (default: $PORT or 3000)").argParser(parsePort),
  new Option("--host <host>", "interface to listen on").default("127.0.0.1"),
  new Option("--base-uri <uri>", "base of entity URIs (default: $REFX_BASE_URI or http://localhost:<port>)"),
  new Option("--cache-dir <dir>", "where the loaded store is saved for fast restarts").default(DEFAULT_CACHE_DIR),
  noCacheOption(),
  new Option("--read-only", "serve the snapshot that `refx load` published for --data-dir under --cache-dir, never parse nor write (a replica)"),
  new Option("--store <url>", "answer /sparql, entity pages and exports from this SPARQL 1.1 endpoint, filled by `refx load --store` (credentials: REFX_STORE_USER, REFX_STORE_PASSWORD)"),
  new Option("--snapshot <dir>", "serve, read-only, the snapshot published in <dir> (a cache folder holding `current`, as `refx load` prints it)"),
  new Option("--sparql-timeout <seconds>", "time limit of a SPARQL query (default: $REFX_SPARQL_TIMEOUT or 30)").argParser(parsePositive),
  new Option("--sparql-max-results <n>", "rows or triples a SPARQL answer holds at most (default: $REFX_SPARQL_MAX_RESULTS or 100000)").argParser(parsePositive),
  new Option("--sparql-allow-service <url>", "a SPARQL endpoint that SERVICE may call, repeatable (default: $REFX_SPARQL_SERVICES, comma-separated, or https://query.wikidata.org/sparql)").argParser(collect),
];

export interface ServerOptions {
  dataDir?: string;
  port?: number;
  host: string;
  baseUri?: string;
  cacheDir: string;
  cache: boolean;
  readOnly?: boolean;
  snapshot?: string;
  store?: string;
  sparqlTimeout?: number;
  sparqlMaxResults?: number;
  sparqlAllowService?: string[];
}

/** Parsed server options back as arguments (`refx serve` runs the server in a child process): every option, none forgotten. */
export function serverArgs(o: Partial<Record<string, unknown>>): string[] {
  const args: string[] = [];
  for (const opt of serverOptions()) {
    const v = o[opt.attributeName()];
    if (v === undefined || !opt.long) continue;
    if (opt.negate) {
      if (v === false) args.push(opt.long);
    } else if (opt.isBoolean()) {
      if (v === true) args.push(opt.long);
    } else {
      for (const one of Array.isArray(v) ? v : [v]) args.push(opt.long, String(one));
    }
  }
  return args;
}
