// Federated queries: a query with SERVICE clauses (all allow-listed, checked
// before) is evaluated by Comunica over the local store, which Comunica sees as
// an RDF/JS source, and the SERVICE endpoints. A fetch guard refuses any URL
// off the allow-list, so no request can leave for another host whatever
// Comunica decides to dereference.
import oxigraph from "oxigraph";
import type * as RDF from "@rdfjs/types";
import sparqljs from "sparqljs";
import type { RdfFormat, ResultsFormat } from "../http/negotiation.ts";
import { writeResults, type JsonResults, type JsonTerm } from "./results.ts";
import { serialiseQuads } from "../../app/rdf-out.ts";
import { fetchCheckingRedirects } from "../../data/redirects.ts";
import type { RefStore } from "../../data/store.ts";

export interface FederatedRequest {
  text: string;
  form: "SELECT" | "CONSTRUCT" | "ASK" | "DESCRIBE";
  baseIri: string;
  maxResults: number;
  resultsFormat?: ResultsFormat;
  rdfFormat?: RdfFormat;
  dataset?: { default: string[]; named: string[] };
  allowServices: string[];
}

export interface Answer {
  body: string;
  truncated: boolean;
}

type Engine = { query(q: string, ctx: Record<string, unknown>): Promise<any> };
let engine: Promise<Engine> | undefined;

function comunica(): Promise<Engine> {
  engine ??= import("@comunica/query-sparql").then((m) => new m.QueryEngine() as unknown as Engine);
  return engine;
}

function term(t: RDF.Term | oxigraph.Term | null | undefined): string {
  if (!t || t.termType === "Variable") return "";
  switch (t.termType) {
    case "NamedNode":
      return `<${t.value}>`;
    case "BlankNode":
      return `_:${t.value}`;
    case "Literal": {
      const lex = JSON.stringify(t.value);
      return t.language ? `${lex}@${t.language}` : `${lex}^^<${t.datatype.value}>`;
    }
    default:
      return "";
  }
}

/** The local store as an RDF/JS source; counts answered by SPARQL so Comunica can plan joins without copying quads. */
function localSource(store: RefStore) {
  const conv = (t: RDF.Term | null | undefined) => (t && t.termType !== "Variable" ? (oxigraph.fromTerm(t) as oxigraph.Term) : null);
  return {
    match: (s?: RDF.Term | null, p?: RDF.Term | null, o?: RDF.Term | null, g?: RDF.Term | null) => store.match(conv(s), conv(p), conv(o), conv(g)),
    countQuads: async (s?: RDF.Term | null, p?: RDF.Term | null, o?: RDF.Term | null, g?: RDF.Term | null) => {
      const pat = `${term(s as RDF.Term) || "?s"} ${term(p as RDF.Term) || "?p"} ${term(o as RDF.Term) || "?o"}`;
      const where = g && g.termType !== "Variable" ? (g.termType === "DefaultGraph" ? pat : `GRAPH ${term(g)} { ${pat} }`) : `{ ${pat} } UNION { GRAPH ?g { ${pat} } }`;
      const rows = store.query(`SELECT (COUNT(*) AS ?n) WHERE { ${where} }`) as Map<string, oxigraph.Term>[];
      return Number(rows[0]?.get("n")?.value ?? 0);
    },
  };
}

/** The endpoint a URL calls: the URL without its query string. */
function endpointOf(u: URL): string {
  const e = new URL(u.href);
  e.search = "";
  e.hash = "";
  return e.href;
}

/** Refuses any request that is not to an allow-listed endpoint (the query string aside), at every hop of a redirect. */
export function guardedFetch(allow: readonly string[], fetchImpl: typeof fetch = fetch): typeof fetch {
  const allowed = (u: URL) => (allow.includes(endpointOf(u)) ? undefined : `${endpointOf(u)} is not an allow-listed SPARQL service`);
  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const u = new URL(request ? request.url : input instanceof URL ? input.href : (input as string));
    const refusal = allowed(u);
    if (refusal) throw new Error(`refused: ${refusal}`);
    const base: RequestInit = request ? { method: request.method, headers: request.headers, body: request.body, signal: request.signal, duplex: "half" } as RequestInit : {};
    return fetchCheckingRedirects(fetchImpl, u, { ...base, ...init }, (next) => allowed(next));
  };
}

function jsonTerm(t: RDF.Term): JsonTerm {
  switch (t.termType) {
    case "NamedNode":
      return { type: "uri", value: t.value };
    case "BlankNode":
      return { type: "bnode", value: t.value };
    case "Literal":
      return t.language ? { type: "literal", value: t.value, "xml:lang": t.language } : { type: "literal", value: t.value, datatype: t.datatype.value };
    case "Quad":
      return { type: "triple", value: { subject: jsonTerm(t.subject), predicate: jsonTerm(t.predicate), object: jsonTerm(t.object) } };
    default:
      return { type: "literal", value: t.value };
  }
}

/** Reads at most `max` items of an async iterator, then ends it. */
async function take<T>(stream: AsyncIterable<T> & { destroy?: () => void }, max: number): Promise<T[]> {
  const out: T[] = [];
  for await (const x of stream) {
    out.push(x);
    if (out.length >= max) break;
  }
  stream.destroy?.();
  return out;
}

function withDataset(text: string, baseIri: string, dataset: FederatedRequest["dataset"]): string {
  if (!dataset) return text;
  const q = new sparqljs.Parser({ baseIRI: baseIri }).parse(text) as sparqljs.Query;
  const node = (v: string) => oxigraph.namedNode(v) as unknown as sparqljs.IriTerm;
  q.from = { default: dataset.default.map(node), named: dataset.named.map(node) };
  return new sparqljs.Generator().stringify(q);
}

export async function runFederated(store: RefStore, r: FederatedRequest): Promise<Answer> {
  const engine = await comunica();
  const context: Record<string, unknown> = {
    sources: [localSource(store)],
    unionDefaultGraph: !r.dataset,
    baseIRI: r.baseIri,
    fetch: guardedFetch(r.allowServices),
  };
  const result = await engine.query(withDataset(r.text, r.baseIri, r.dataset), context);
  if (result.resultType === "boolean") {
    const b = (await result.execute()) as boolean;
    return { body: writeResults({ head: {}, boolean: b }, r.resultsFormat ?? "json"), truncated: false };
  }
  if (result.resultType === "bindings") {
    const stream = await result.execute();
    const meta = await result.metadata();
    const vars: string[] = (meta.variables ?? []).map((v: { variable?: RDF.Variable; value?: string }) => v.variable?.value ?? v.value ?? "");
    const rows = (await take(stream, r.maxResults + 1)) as { [Symbol.iterator](): Iterator<[RDF.Variable, RDF.Term]> }[];
    const truncated = rows.length > r.maxResults;
    const bindings = rows.slice(0, r.maxResults).map((b) => Object.fromEntries([...b].map(([k, v]) => [k.value, jsonTerm(v)])));
    const json: JsonResults = { head: { vars }, results: { bindings } };
    return { body: writeResults(json, r.resultsFormat ?? "json"), truncated };
  }
  const stream = await result.execute();
  const quads = (await take(stream, r.maxResults + 1)) as RDF.Quad[];
  const truncated = quads.length > r.maxResults;
  return { body: serialiseQuads(quads.slice(0, r.maxResults) as never, r.rdfFormat ?? "turtle"), truncated };
}
