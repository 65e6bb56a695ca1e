// The store of the referentials, behind the few operations refx needs.
// `GraphStore` is that interface; `RefStore` is the embedded Oxigraph store
// (the default, saved to and restored from snapshots) and answers at once;
// data/remote-store.ts is an external SPARQL 1.1 endpoint (`--store <url>`)
// and answers later. Callers `await` every operation so either will do.
// Queries read the union of the named graphs as their default graph.
import { createHash } from "node:crypto";
import oxigraph from "oxigraph";
import { renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DataFactory, type Term } from "n3";
import { GraphFiles, graphFileSlices, readGraphIndex, SLICE_BYTES } from "./graph-files.ts";

const NT = "application/n-triples";

export type MaybePromise<T> = T | Promise<T>;

/** A SELECT row: variable name to RDF/JS term (n3's); unbound variables are absent. */
export type TermRow = Map<string, Term>;

export interface GraphStore {
  /** "embedded" (Oxigraph in this process) or "remote" (a SPARQL endpoint), for logs and /health. */
  readonly kind: "embedded" | "remote";
  /** Replaces the content of `graph` with the N-Triples `chunks`; readers see the old graph or the new one. */
  replaceGraph(graph: string, chunks: Iterable<string>): MaybePromise<void>;
  /** Adds N-Triples to `graph` in bulk, without a transaction: for a loader filling a store nobody reads yet. */
  appendNTriples(graph: string, text: string): MaybePromise<void>;
  /** Named graphs with their number of triples. */
  graphSizes(): MaybePromise<Map<string, number>>;
  /** Named graphs, not counted. */
  graphNames(): MaybePromise<string[]>;
  /** Triples in every graph. */
  triples(): MaybePromise<number>;
  /** SELECT rows as plain strings (values only). */
  select(sparql: string): MaybePromise<Record<string, string>[]>;
  /** SELECT rows as terms, for code that needs languages, datatypes or term types. */
  selectTerms(sparql: string): MaybePromise<TermRow[]>;
  /**
   * SELECT rows, each cell a term in N-Triples syntax (`<iri>`, `"lit"@fr`),
   * for reading the matcher's records out of a large store without an object
   * per binding.
   */
  selectNtRows(sparql: string): AsyncIterable<string[]> | Iterable<string[]>;
  ask(sparql: string): MaybePromise<boolean>;
  /** A CONSTRUCT, serialised in `mediaType` (N-Triples, Turtle, JSON-LD, RDF/XML). */
  construct(sparql: string, mediaType: string): MaybePromise<string>;
}

/** Oxigraph's options of a query: base IRI, dataset, results format. */
export type QueryOptions = NonNullable<Parameters<oxigraph.Store["query"]>[1]>;

export class RefStore implements GraphStore {
  readonly kind = "embedded";
  /** Callers go through the operations below, so what the store is built on stays here. */
  private readonly oxigraph = new oxigraph.Store();

  /**
   * Replaces the content of `graph` with the N-Triples `chunks`. Oxigraph's
   * transactional load grows superlinearly past ~100k quads, so the bulk path
   * (no transaction) is used, and atomicity is ours: the old graph is kept
   * aside and put back if anything fails. JavaScript runs one request at a
   * time, so no query sees the graph half-replaced.
   */
  replaceGraph(graph: string, chunks: Iterable<string>): void {
    const g = oxigraph.namedNode(graph);
    // In pieces: a national graph's dump does not fit in one string.
    const previous = [...this.dumpGraphPieces(graph)];
    this.oxigraph.update(`DROP SILENT GRAPH <${graph}>`);
    try {
      for (const chunk of chunks) this.bulkLoad(chunk, g);
    } catch (err) {
      this.oxigraph.update(`DROP SILENT GRAPH <${graph}>`);
      for (const piece of previous) this.bulkLoad(piece, g);
      throw err;
    }
  }

  /**
   * Adds N-Triples to `graph` with the bulk loader, as a load streams them in.
   * Not atomic: it is meant for a store that is not served yet (data/load.ts
   * fills a new store and swaps it in only when complete).
   */
  appendNTriples(graph: string, text: string): void {
    this.bulkLoad(text, oxigraph.namedNode(graph));
  }

  /**
   * appendNTriples for N-Triples already encoded as UTF-8: handed to the
   * WebAssembly memory in one copy, where a string is copied there one
   * character at a time by the bindings (a tenth of a Sirene load's CPU).
   */
  appendNTriplesBytes(graph: string, bytes: Uint8Array): void {
    this.bulkLoadBytes(bytes, oxigraph.namedNode(graph));
  }

  private bulkLoad(text: string, g: ReturnType<typeof oxigraph.namedNode>): void {
    this.oxigraph.load(text, { format: NT, to_graph_name: g, no_transaction: true, lenient: true } as Parameters<typeof this.oxigraph.load>[1]);
  }

  /** Graph names with their number of triples. */
  graphSizes(): Map<string, number> {
    const rows = this.oxigraph.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g") as Map<string, { value: string }>[];
    return new Map(rows.map((r) => [r.get("g")!.value, Number(r.get("n")!.value)]));
  }

  /** SELECT rows as plain objects of strings, for code that only needs values. */
  select(sparql: string): Record<string, string>[] {
    const rows = this.oxigraph.query(sparql, { use_default_graph_as_union: true }) as Map<string, { value: string }>[];
    return rows.map((r) => Object.fromEntries([...r].map(([k, v]) => [k, v.value])));
  }

  ask(sparql: string): boolean {
    return this.oxigraph.query(sparql, { use_default_graph_as_union: true }) as boolean;
  }

  /**
   * A query as the SPARQL endpoint runs it (server/sparql/worker.ts): with the protocol's base IRI and
   * dataset, answered serialised in a results format, or as quads (a CONSTRUCT the worker caps).
   */
  query(sparql: string, options?: QueryOptions): ReturnType<oxigraph.Store["query"]> {
    return this.oxigraph.query(sparql, options);
  }

  /** The quads matching a pattern (null: any), as Comunica reads the store in a federated query (server/sparql/federation.ts). */
  match(...pattern: Parameters<oxigraph.Store["match"]>): oxigraph.Quad[] {
    return this.oxigraph.match(...pattern);
  }

  /** Drops every graph: a load that failed part-way leaves nothing behind. */
  clear(): void {
    this.oxigraph.update("CLEAR ALL");
  }

  get size(): number {
    return this.oxigraph.size;
  }

  triples(): number {
    return this.oxigraph.size;
  }

  graphSizeOf(graph: string): number {
    return Number(this.select(`SELECT (COUNT(*) AS ?n) WHERE { GRAPH <${graph}> { ?s ?p ?o } }`)[0]?.n ?? 0);
  }

  graphNames(): string[] {
    return (this.oxigraph.query("SELECT ?g WHERE { GRAPH ?g { } }") as Map<string, { value: string }>[]).map((r) => r.get("g")!.value);
  }

  selectTerms(sparql: string): TermRow[] {
    const rows = this.oxigraph.query(sparql, { use_default_graph_as_union: true }) as Map<string, oxigraph.Term>[];
    return rows.map((r) => new Map([...r].map(([k, v]) => [k, DataFactory.fromTerm(v as never) as Term])));
  }

  /** Oxigraph's TSV cells are N-Triples terms: one string for the whole result is ten times faster than its bindings. */
  selectNtRows(sparql: string): Iterable<string[]> {
    return tsvCells(this.oxigraph.query(sparql, { results_format: "text/tab-separated-values", use_default_graph_as_union: true }) as string);
  }

  construct(sparql: string, mediaType: string): string {
    return this.oxigraph.query(sparql, { results_format: mediaType, use_default_graph_as_union: true }) as string;
  }

  /** One named graph as one N-Triples string: only for graphs known to be small (tests, the links graph of a sample). */
  dumpGraph(graph: string): string {
    return this.oxigraph.dump({ format: NT, from_graph_name: oxigraph.namedNode(graph) });
  }

  /**
   * One named graph as N-Triples pieces of at most `perPiece` triples: what
   * snapshots, the staging copy and the upload to a remote store use, since
   * a national graph's dump does not fit in one string. See dumpPieces.
   */
  dumpGraphPieces(graph: string, perPiece = DUMP_PIECE): Generator<string> {
    return dumpPieces(this, graph, perPiece);
  }

  /** Writes every named graph to `<dir>/<n>.nt` with an index, replacing the previous save only once complete. */
  save(dir: string, graphs: readonly string[], perPiece = DUMP_PIECE): void {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    const files = new GraphFiles(tmp);
    for (const graph of graphs) files.writeAll(graph, this.dumpGraphPieces(graph, perPiece));
    files.finish(graphs);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }

  /**
   * Loads a save made by `save` (or written as a load went, data/load.ts);
   * returns false when there is none. Each file is read in slices of a few
   * megabytes handed to the bulk loader as bytes, with a turn of the event
   * loop between them, so a server restoring a large store still answers
   * /health meanwhile, and no graph is ever held whole. The checksum is
   * computed as the slices go: a file that does not match (even one cut at a
   * line end) has its graphs dropped again and the restore fails.
   */
  async restore(dir: string, sliceBytes = SLICE_BYTES): Promise<boolean> {
    const index = readGraphIndex(dir);
    if (!index) return false;
    const done: string[] = [];
    for (const { graph, file, sha256: expected } of index) {
      done.push(graph);
      if (this.size) this.replaceGraph(graph, []);
      const g = oxigraph.namedNode(graph);
      const hash = createHash("sha256");
      for (const slice of graphFileSlices(join(dir, file), hash, sliceBytes)) {
        this.bulkLoadBytes(slice, g);
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (hash.digest("hex") !== expected) {
        for (const d of done) this.replaceGraph(d, []);
        throw new Error(`the saved graph ${file} (${graph}) does not match its checksum: the saved store is damaged and is parsed again`);
      }
    }
    return true;
  }

  private bulkLoadBytes(bytes: Uint8Array, g: ReturnType<typeof oxigraph.namedNode>): void {
    this.oxigraph.load(bytes as never, { format: NT, to_graph_name: g, no_transaction: true, lenient: true } as Parameters<typeof this.oxigraph.load>[1]);
  }
}

/** Triples per piece of a bounded dump: ~15–30 MB of N-Triples. */
const DUMP_PIECE = 200_000;

/**
 * A graph's N-Triples in pieces of at most `perPiece` triples. Oxigraph 0.5
 * has no streaming dump: a whole-graph `dump` builds one string in WASM
 * memory and then in V8, which fails past ~512 M characters and grows the
 * WASM memory (which never shrinks) by the size of the dump. Paging the whole
 * graph with OFFSET rescans what it skips, so the cost grows with the square
 * of its size (3 M triples: 2.7× a whole dump in pages of 200,000); paging
 * each predicate apart (`GRAPH <g> { ?s <p> ?o }` reads one index range)
 * rescans only within a predicate. The store must not change while the
 * pieces are read: OFFSET pages are only stable over an unchanged store.
 * The loader does not need this for its sources (data/load.ts writes their
 * files as it loads); the links graph, a reload's staging copy and a worker
 * fed without a saved store do.
 */
function* dumpPieces(store: RefStore, graph: string, perPiece: number): Generator<string> {
  const counts = store.query(`SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH <${graph}> { ?s ?p ?o } } GROUP BY ?p`) as Map<string, oxigraph.Term>[];
  for (const row of counts) {
    const p = row.get("p")!.value;
    const n = Number(row.get("n")!.value);
    for (let offset = 0; offset < n; offset += perPiece) {
      const page = offset === 0 && n <= perPiece ? "" : ` OFFSET ${offset} LIMIT ${perPiece}`;
      const text = store.query(`CONSTRUCT { ?s <${p}> ?o } WHERE { GRAPH <${graph}> { ?s <${p}> ?o } }${page}`, { results_format: NT }) as string;
      if (text) yield text;
    }
  }
}

/** Cuts N-Triples text into slices of about `size` characters, at line ends. */
export function* slices(text: string, size: number): Generator<string> {
  let start = 0;
  while (start < text.length) {
    const end = start + size >= text.length ? text.length : text.indexOf("\n", start + size) + 1 || text.length;
    yield text.slice(start, end);
    start = end;
  }
}

/** The rows of a TSV result (header line skipped), each cell as the store wrote it. */
export function* tsvCells(text: string): Generator<string[]> {
  let start = text.indexOf("\n") + 1;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end > start) yield text.slice(start, end).split("\t");
    start = end + 1;
  }
}

