// Streams a graph, or every graph, as Turtle, N-Triples, N-Quads or JSON-LD,
// page by page: a CONSTRUCT over one graph with OFFSET/LIMIT gives each page,
// so at most one page (50,000 triples by default) is in memory at a time,
// and the event loop gets a turn between pages (docs/linked-data.md#exports).
import type { Writable } from "node:stream";
import { once } from "node:events";
import type { GraphStore } from "../data/store.ts";
import { RDF_TYPES, type RdfFormat } from "./rdf-formats.ts";

import { SOURCES } from "../data/sources.ts";

/** Named graphs of the store, in the order of SOURCES then links. */
export async function graphList(store: GraphStore): Promise<string[]> {
  const found = [...(await store.graphNames())];
  const order = (g: string) => {
    const i = SOURCES.findIndex((s) => g.endsWith(`/graph/${s.id}`));
    return i < 0 ? SOURCES.length : i;
  };
  return found.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

export type ExportFormat = Extract<RdfFormat, "turtle" | "ntriples" | "nquads" | "jsonld">;
export const EXPORT_FORMATS: ExportFormat[] = ["turtle", "ntriples", "nquads", "jsonld"];
export const DEFAULT_PAGE = 50_000;
/** A remote store's pages are sorted to be stable, and stores cap a sorted page (Virtuoso: 10,000 rows, MaxSortedTopRows). */
export const REMOTE_PAGE = 10_000;

export interface ExportStats {
  triples: number;
  graphs: number;
  seconds: number;
}

async function countTriples(store: GraphStore, graph: string): Promise<number> {
  const rows = await store.select(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${graph}> { ?s ?p ?o } }`);
  return Number(rows[0]?.n ?? 0);
}

/** The text of an export, chunk by chunk. `named`: keep graph names (N-Quads always does; JSON-LD does when several graphs). */
export async function* exportChunks(
  store: GraphStore,
  graphs: readonly string[],
  format: ExportFormat,
  opts: { pageSize?: number; onPage?: (triples: number) => void } = {},
): AsyncGenerator<string> {
  const page = opts.pageSize ?? (store.kind === "remote" ? REMOTE_PAGE : DEFAULT_PAGE);
  const named = format === "nquads" || (format === "jsonld" && graphs.length > 1);
  const serialise = format === "nquads" ? RDF_TYPES.ntriples : RDF_TYPES[format];
  if (format === "jsonld") yield "[\n";
  let firstGraph = true;
  for (const graph of graphs) {
    const total = await countTriples(store, graph);
    if (format === "turtle") yield `# graph <${graph}>: ${total} triples\n`;
    if (format === "jsonld" && named) yield `${firstGraph ? "" : ",\n"}{"@id": ${JSON.stringify(graph)}, "@graph": [\n`;
    let firstItem = true;
    for (let offset = 0; offset < total; offset += page) {
      // ORDER BY: without it a store may page through its triples in a different order each time (Virtuoso does).
      const text = await store.construct(`CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <${graph}> { ?s ?p ?o } } ${store.kind === "remote" ? "ORDER BY ?s ?p ?o " : ""}OFFSET ${offset} LIMIT ${page}`, serialise);
      opts.onPage?.(Math.min(page, total - offset));
      if (format === "nquads") {
        const g = ` <${graph}> .\n`;
        yield text.replace(/ \.\n/g, g);
      } else if (format === "jsonld") {
        // One expanded JSON-LD array a page: its items go into the enclosing array.
        const inner = text.trim().replace(/^\[/, "").replace(/\]$/, "").trim();
        if (inner) {
          yield `${firstItem ? "" : ",\n"}${inner}`;
          firstItem = false;
        }
      } else {
        yield text;
      }
      // Let other requests in between pages.
      await new Promise((r) => setImmediate(r));
    }
    if (format === "jsonld" && named) yield "\n]}";
    firstGraph = false;
  }
  if (format === "jsonld") yield "\n]\n";
}

/** Writes an export to a stream, waiting when it is full; stops early when `isClosed()` turns true. */
export async function writeExport(
  out: Writable,
  store: GraphStore,
  graphs: readonly string[],
  format: ExportFormat,
  opts: { pageSize?: number; isClosed?: () => boolean } = {},
): Promise<ExportStats> {
  const t0 = performance.now();
  let triples = 0;
  for await (const chunk of exportChunks(store, graphs, format, { pageSize: opts.pageSize, onPage: (n) => (triples += n) })) {
    if (opts.isClosed?.()) break;
    if (!out.write(chunk)) await once(out, "drain");
  }
  return { triples, graphs: graphs.length, seconds: (performance.now() - t0) / 1000 };
}

