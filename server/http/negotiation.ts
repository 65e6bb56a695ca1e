// Media types of SPARQL results and RDF, chosen by `Accept` or by a `format`
// parameter (for browsers, which cannot set Accept on a link).
import type { Request } from "express";
import { RDF_TYPES, type RdfFormat } from "../../app/rdf-formats.ts";

export { RDF_EXTENSIONS, RDF_TYPES, type RdfFormat } from "../../app/rdf-formats.ts";

export type ResultsFormat = "json" | "xml" | "csv" | "tsv";

export const RESULTS_TYPES: Record<ResultsFormat, string> = {
  json: "application/sparql-results+json",
  xml: "application/sparql-results+xml",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
};

/** Names accepted by `format=`: short names, extensions and media types. */
const RESULTS_ALIASES: Record<string, ResultsFormat> = {
  json: "json", srj: "json", "application/sparql-results+json": "json", "application/json": "json",
  xml: "xml", srx: "xml", "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
  csv: "csv", "text/csv": "csv",
  tsv: "tsv", "text/tab-separated-values": "tsv",
};

const RDF_ALIASES: Record<string, RdfFormat> = {
  ttl: "turtle", turtle: "turtle", "text/turtle": "turtle", "application/x-turtle": "turtle",
  nt: "ntriples", ntriples: "ntriples", "n-triples": "ntriples", "application/n-triples": "ntriples", "text/plain": "ntriples",
  nq: "nquads", nquads: "nquads", "n-quads": "nquads", "application/n-quads": "nquads",
  jsonld: "jsonld", "json-ld": "jsonld", json: "jsonld", "application/ld+json": "jsonld", "application/json": "jsonld",
  rdf: "rdfxml", rdfxml: "rdfxml", "rdf/xml": "rdfxml", xml: "rdfxml", owl: "rdfxml", "application/rdf+xml": "rdfxml", "application/xml": "rdfxml", "text/xml": "rdfxml",
};

export class NotAcceptable extends Error {
  status = 406;
}

/** The `format` parameter, when given: from the query string or a form body. */
export function formatParam(req: Request): string | undefined {
  const q = req.query.format;
  const b = typeof req.body === "object" && req.body ? (req.body as Record<string, unknown>).format : undefined;
  const v = typeof q === "string" ? q : typeof b === "string" ? b : undefined;
  return v?.trim().toLowerCase() || undefined;
}

function negotiate<F extends string>(req: Request, types: Record<F, string>, aliases: Record<string, F>, allowed: readonly F[], what: string): F {
  const param = formatParam(req);
  if (param) {
    const f = aliases[param];
    if (!f || !allowed.includes(f)) {
      throw new NotAcceptable(`format=${param} is not available for ${what}; use one of ${allowed.join(", ")}`);
    }
    return f;
  }
  // Media types in our order of preference first, then the aliases a client may send (application/json, text/xml, text/plain).
  const accept = req.get("accept");
  if (!accept) return allowed[0];
  // A browser's Accept lists application/xml at q=0.9 for web pages: that is no request for SPARQL XML or RDF/XML.
  const browser = /text\/html/.test(accept);
  const offers = [
    ...allowed.map((f) => types[f]),
    ...Object.keys(aliases).filter((k) => k.includes("/") && allowed.includes(aliases[k]) && !(browser && /\/xml$/.test(k))),
  ];
  const chosen = req.accepts([...new Set(offers)]);
  if (!chosen) {
    throw new NotAcceptable(`none of the media types in Accept (${accept}) is available for ${what}; available: ${allowed.map((f) => types[f]).join(", ")}`);
  }
  return aliases[chosen] ?? (Object.entries(types).find(([, t]) => t === chosen)![0] as F);
}

export function negotiateResults(req: Request): ResultsFormat {
  return negotiate(req, RESULTS_TYPES, RESULTS_ALIASES, ["json", "xml", "csv", "tsv"], "SELECT and ASK results");
}

export function negotiateRdf(req: Request, allowed: readonly RdfFormat[] = ["turtle", "ntriples", "jsonld", "rdfxml"], what = "RDF graphs"): RdfFormat {
  return negotiate(req, RDF_TYPES, RDF_ALIASES, allowed, what);
}

/** Content-Type header value of a format, with the charset of text types. */
export function contentType(mediaType: string): string {
  return `${mediaType}; charset=utf-8`;
}
