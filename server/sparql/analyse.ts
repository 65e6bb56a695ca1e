// Reads a query before anything runs: its form, whether it is an update
// (refused: the endpoint is read-only), which SERVICE endpoints it calls
// (refused unless allow-listed), and caps its LIMIT at the result-size limit.
import sparqljs from "sparqljs";
import { checkQueryShape } from "./shape.ts";

export type QueryForm = "SELECT" | "CONSTRUCT" | "ASK" | "DESCRIBE";

export interface AnalysedQuery {
  form: QueryForm;
  /** The text to run: the client's own, or regenerated with a capped LIMIT. */
  text: string;
  /** SERVICE endpoints the query calls (all on the allow-list), normalised. */
  services: string[];
  /** The LIMIT was absent or above the cap and was set to cap + 1, so a cut can be detected. */
  capped: boolean;
}

/** A query refused before it ran: a client error with a status and a code for the JSON answer. */
export class QueryRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AnalyseOptions {
  /** Relative IRIs in queries resolve against this (the service base, with a final slash). */
  baseIri: string;
  maxResults: number;
  allowServices: readonly string[];
  normaliseService: (iri: string) => string | undefined;
}

const UPDATE_KEYWORDS = /^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b/im;

export function analyseQuery(text: string, o: AnalyseOptions): AnalysedQuery {
  if (!text.trim()) throw new QueryRefused(400, "malformed_query", "the query is empty");
  // Before sparqljs: its parser recurses, and a deeply nested text would block this thread.
  checkQueryShape(text);
  let parsed: sparqljs.SparqlQuery;
  try {
    parsed = new sparqljs.Parser({ baseIRI: o.baseIri }).parse(text);
  } catch (err) {
    const message = (err as Error).message.split("\n").slice(0, 4).join("\n");
    if (UPDATE_KEYWORDS.test(stripPrologue(text))) throw readOnly();
    throw new QueryRefused(400, "malformed_query", `the query does not parse: ${message}`);
  }
  if (parsed.type === "update") throw readOnly();
  const query = parsed as sparqljs.Query & { limit?: number };

  const services: string[] = [];
  for (const s of findServices(query)) {
    if (s.name.termType !== "NamedNode") {
      throw new QueryRefused(403, "service_not_allowed", `SERVICE ${"?" + s.name.value} names its endpoint with a variable; only these endpoints may be called: ${o.allowServices.join(", ")}`);
    }
    const iri = o.normaliseService(s.name.value);
    if (!iri || !o.allowServices.includes(iri)) {
      throw new QueryRefused(403, "service_not_allowed", `SERVICE <${s.name.value}> is not on this endpoint's allow-list (${o.allowServices.join(", ") || "empty"}); nothing was sent to it`);
    }
    if (!services.includes(iri)) services.push(iri);
  }

  let capped = false;
  let out = text;
  if (query.queryType !== "ASK" && (query.limit === undefined || query.limit > o.maxResults)) {
    query.limit = o.maxResults + 1;
    capped = true;
    out = new sparqljs.Generator().stringify(query);
  }
  return { form: query.queryType, text: out, services, capped };
}

function readOnly(): QueryRefused {
  return new QueryRefused(400, "read_only", "this SPARQL endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP...) is not accepted");
}

/** The query without its PREFIX/BASE declarations and comments, to read its first keyword. */
function stripPrologue(text: string): string {
  return text.replace(/#[^\n]*/g, "").replace(/^\s*((PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*/i, "");
}

/** Every SERVICE pattern, wherever it is: nested groups, subqueries, EXISTS filters. */
function findServices(node: unknown, found: sparqljs.ServicePattern[] = []): sparqljs.ServicePattern[] {
  if (Array.isArray(node)) {
    for (const n of node) findServices(n, found);
  } else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (o.type === "service" && o.name && typeof o.name === "object") found.push(o as unknown as sparqljs.ServicePattern);
    for (const [k, v] of Object.entries(o)) if (k !== "prefixes" && typeof v === "object") findServices(v, found);
  }
  return found;
}
