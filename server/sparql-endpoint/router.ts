// /sparql: the SPARQL 1.1 Protocol, query operation only (docs/sparql.md).
//   GET  /sparql?query=...                        query in the URL
//   POST /sparql  application/x-www-form-urlencoded  query=... in the body
//   POST /sparql  application/sparql-query        the query is the body
// with default-graph-uri / named-graph-uri (repeatable), Accept or format=.
// A bare GET answers the Service Description (the YASGUI editor page for browsers).
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { heldServed, type Served, type ServiceState } from "../state.ts";
import { analyseQuery, QueryRefused } from "../sparql/analyse.ts";
import { normaliseServiceUrl, resolveSparqlOptions, type SparqlOptions } from "../sparql/config.ts";
import { QueryFailed } from "../sparql/engine.ts";
import { contentType, negotiateRdf, negotiateResults, NotAcceptable, RDF_TYPES, RESULTS_TYPES, formatParam } from "../http/negotiation.ts";
import { serviceDescription } from "../sparql/service-description.ts";
import { declaredSizeLimit } from "../limits/body-size.ts";
import { sparqlPage } from "../web/sparql-page.ts";
import { pickLang } from "../html/i18n.ts";
import { safeIri } from "../../app/describe.ts";
import { graphList, graphStatsIfReady } from "../linked-data/catalog.ts";

const BODY_LIMIT = "1mb";

function fail(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

function list(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

interface ProtocolRequest {
  query?: string;
  update?: string;
  defaultGraphs: string[];
  namedGraphs: string[];
}

/** Reads the three protocol forms into one request, or answers the client's mistake. */
function readProtocol(req: Request): ProtocolRequest {
  const q = req.query as Record<string, unknown>;
  const type = req.is("application/x-www-form-urlencoded") ? "form" : req.is("application/sparql-query") ? "direct" : req.is("application/sparql-update") ? "update" : undefined;
  if (req.method === "GET" || req.method === "HEAD") {
    return { query: list(q.query)[0], update: list(q.update)[0], defaultGraphs: list(q["default-graph-uri"]), namedGraphs: list(q["named-graph-uri"]) };
  }
  if (type === "update") return { update: String(req.body ?? ""), defaultGraphs: [], namedGraphs: [] };
  if (type === "direct") {
    if (q.query !== undefined) throw new QueryRefused(400, "bad_request", "the query is the body of an application/sparql-query POST: it cannot also be in the URL");
    return { query: typeof req.body === "string" ? req.body : "", defaultGraphs: list(q["default-graph-uri"]), namedGraphs: list(q["named-graph-uri"]) };
  }
  if (type === "form") {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (q.query !== undefined) throw new QueryRefused(400, "bad_request", "a form-encoded POST carries the query in its body, not also in the URL");
    return { query: list(b.query)[0], update: list(b.update)[0], defaultGraphs: list(b["default-graph-uri"]), namedGraphs: list(b["named-graph-uri"]) };
  }
  throw new QueryRefused(415, "unsupported_media_type", `POST a query as application/x-www-form-urlencoded (query=...) or application/sparql-query, not ${req.get("content-type") ?? "without a Content-Type"}`);
}

export function sparqlRouter(state: ServiceState): Router {
  const router = express.Router();
  const parsers = [
    declaredSizeLimit(BODY_LIMIT, 0),
    express.urlencoded({ extended: false, limit: BODY_LIMIT }),
    express.text({ type: ["application/sparql-query", "application/sparql-update"], limit: BODY_LIMIT }),
  ];

  router.options("/sparql", (_req, res) => {
    res.set({ "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type, Accept" });
    res.status(204).end();
  });

  router.all("/sparql", ...parsers, (req: Request, res: Response, next: NextFunction) => {
    res.set({ "Access-Control-Allow-Origin": "*", Vary: "Accept" });
    if (req.method !== "GET" && req.method !== "POST" && req.method !== "HEAD") {
      res.set("Allow", "GET, POST, OPTIONS");
      return fail(res, 405, "method_not_allowed", `${req.method} is not part of the SPARQL protocol; use GET or POST`);
    }
    handle(state, req, res).catch(next);
  });
  return router;
}

/** The limits of the served value's engine; before any load, the configured ones (the same values). */
function sparqlOptions(state: ServiceState, served: Served | undefined): SparqlOptions {
  return served?.sparql.options ?? resolveSparqlOptions(state.config.sparql);
}

async function handle(state: ServiceState, req: Request, res: Response): Promise<void> {
  const served = heldServed(res);
  const o = sparqlOptions(state, served);
  let p: ProtocolRequest;
  try {
    p = readProtocol(req);
  } catch (err) {
    if (err instanceof QueryRefused) return fail(res, err.status, err.code, err.message);
    throw err;
  }
  if (p.update !== undefined) {
    return fail(res, 400, "read_only", "this SPARQL endpoint is read-only: SPARQL Update (update=, application/sparql-update) is not accepted");
  }
  if (p.query === undefined) {
    if (req.method === "POST") return fail(res, 400, "bad_request", "the POST carries no query (a query= field, or an application/sparql-query body)");
    return await describeService(state, served, req, res);
  }

  if (!served) {
    res.set("Retry-After", "10");
    return fail(res, 503, "loading", "the data is still loading; try again in a few seconds (GET /health tells when it is ready)");
  }
  for (const g of [...p.defaultGraphs, ...p.namedGraphs]) {
    if (!safeIri(g)) return fail(res, 400, "bad_request", `default-graph-uri and named-graph-uri must be absolute IRIs: ${JSON.stringify(g)} is not`);
  }

  const baseIri = state.config.base + "/";
  let a;
  try {
    a = analyseQuery(p.query, { baseIri, maxResults: o.maxResults, allowServices: o.allowServices, normaliseService: normaliseServiceUrl });
  } catch (err) {
    if (err instanceof QueryRefused) return fail(res, err.status, err.code, err.message);
    throw err;
  }

  let resultsFormat, rdfFormat;
  try {
    if (a.form === "SELECT" || a.form === "ASK") resultsFormat = negotiateResults(req);
    else rdfFormat = negotiateRdf(req, ["turtle", "ntriples", "jsonld", "rdfxml"], `${a.form} results`);
  } catch (err) {
    if (err instanceof NotAcceptable) return fail(res, 406, "not_acceptable", err.message);
    throw err;
  }

  const abort = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const dataset = p.defaultGraphs.length || p.namedGraphs.length ? { default: p.defaultGraphs, named: p.namedGraphs } : undefined;
  try {
    const answer = await served.sparql.get().run(
      { text: a.text, form: a.form, capped: a.capped, maxResults: o.maxResults, baseIri, resultsFormat, rdfFormat, dataset, federated: a.services.length > 0, allowServices: o.allowServices },
      abort.signal,
    );
    const type = resultsFormat ? RESULTS_TYPES[resultsFormat] : RDF_TYPES[rdfFormat!];
    res.set("Content-Type", contentType(type));
    res.set("Server-Timing", `query;dur=${answer.ms.toFixed(1)}`);
    if (answer.truncated) {
      res.set("X-Result-Truncated", "true");
      res.set("X-Result-Limit", String(o.maxResults));
      res.set("Warning", `199 refx "result cut at ${o.maxResults} ${a.form === "SELECT" ? "rows" : "triples"}, this endpoint's result-size limit: page with LIMIT/OFFSET"`);
    }
    res.status(200).send(answer.body);
  } catch (err) {
    if (err instanceof QueryFailed) {
      if (err.status === 503) res.set("Retry-After", "5");
      return fail(res, err.status, err.code, err.message);
    }
    throw err;
  }
}

async function describeService(state: ServiceState, served: Served | undefined, req: Request, res: Response): Promise<void> {
  const o = sparqlOptions(state, served);
  const graphs = served ? await graphList(served.store) : [];
  const fmt = formatParam(req);
  const wantsHtml = fmt === "html" || (!fmt && req.accepts(["text/turtle", "text/html", ...Object.values(RDF_TYPES)]) === "text/html" && /text\/html/.test(req.get("accept") ?? ""));
  if (wantsHtml) {
    res.vary("Accept-Language").type("html").send(sparqlPage({ options: o, graphs, lang: pickLang(req), path: req.originalUrl }));
    return;
  }
  let f;
  try {
    f = negotiateRdf(req, ["turtle", "ntriples", "jsonld", "rdfxml"], "the service description");
  } catch (err) {
    if (err instanceof NotAcceptable) return fail(res, 406, "not_acceptable", err.message);
    throw err;
  }
  res.set("Content-Type", contentType(RDF_TYPES[f]));
  // Triple counts when the VoID statistics are already computed; never waits for them.
  const stats = served ? await graphStatsIfReady(served.store) : undefined;
  const sized = graphs.map((graph) => ({ graph, triples: stats?.find((s) => s.graph === graph)?.triples }));
  res.send(serviceDescription(state.config.base, sized, o).write(f));
}
