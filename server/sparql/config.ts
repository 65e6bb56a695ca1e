// Limits and the federation allow-list of the SPARQL endpoint (docs/sparql.md).
// Defaults come from the environment; `npm start` options override them.

export interface SparqlOptions {
  /** A query running longer is cut off (its worker is ended and restarted), in milliseconds. */
  timeoutMs: number;
  /** At most this many results (rows of a SELECT, triples of a CONSTRUCT/DESCRIBE) are returned. */
  maxResults: number;
  /** SERVICE endpoints a query may call; any other SERVICE IRI is refused before anything runs. */
  allowServices: string[];
  /** Queries waiting for the query worker beyond this many are refused with 503. */
  maxQueued: number;
}

export const DEFAULT_SPARQL_SERVICES = ["https://query.wikidata.org/sparql"];
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_MAX_RESULTS = 100_000;

function positive(v: string | undefined): number | undefined {
  const n = Number(v);
  return v && Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Options from REFX_SPARQL_TIMEOUT (seconds), REFX_SPARQL_MAX_RESULTS and REFX_SPARQL_SERVICES (comma-separated). */
export function sparqlOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SparqlOptions {
  const services = env.REFX_SPARQL_SERVICES?.split(",").map((s) => s.trim()).filter(Boolean);
  return {
    timeoutMs: (positive(env.REFX_SPARQL_TIMEOUT) ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    maxResults: Math.floor(positive(env.REFX_SPARQL_MAX_RESULTS) ?? DEFAULT_MAX_RESULTS),
    allowServices: normaliseServices(services?.length ? services : DEFAULT_SPARQL_SERVICES),
    maxQueued: 32,
  };
}

/** The effective options: what the state carries, over the environment's. */
export function resolveSparqlOptions(partial: Partial<SparqlOptions> | undefined): SparqlOptions {
  const env = sparqlOptionsFromEnv();
  const o = { ...env, ...Object.fromEntries(Object.entries(partial ?? {}).filter(([, v]) => v !== undefined)) } as SparqlOptions;
  return { ...o, allowServices: normaliseServices(o.allowServices) };
}

/** Service IRIs compared in one form: `new URL().href` (lower-case scheme and host, default port dropped). */
export function normaliseServiceUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
    u.hash = "";
    return u.href;
  } catch {
    return undefined;
  }
}

function normaliseServices(list: readonly string[]): string[] {
  const out = list.map((s) => {
    const n = normaliseServiceUrl(s);
    if (!n) throw new Error(`not an http(s) URL for a SPARQL service: ${s}`);
    return n;
  });
  return [...new Set(out)];
}
