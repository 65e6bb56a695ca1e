// The store of the referentials, behind the few operations refx needs.
// `GraphStore` is that interface; `RefStore` is the embedded Oxigraph store
// (the default, saved to and restored from snapshots) and answers at once;
// data/remote-store.ts is an external SPARQL 1.1 endpoint (`--store <url>`)
// and answers later. Callers `await` every operation so either will do.
// Queries read the union of the named graphs as their default graph.
import { createHash } from "node:crypto";
import oxigraph from "oxigraph";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { DataFactory, type Term } from "n3";

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

export class RefStore implements GraphStore {
  readonly kind = "embedded";
  readonly oxigraph = new oxigraph.Store();

  /**
   * Replaces the content of `graph` with the N-Triples `chunks`. Oxigraph's
   * transactional load grows superlinearly past ~100k quads, so the bulk path
   * (no transaction) is used, and atomicity is ours: the old graph is kept
   * aside and put back if anything fails. JavaScript runs one request at a
   * time, so no query sees the graph half-replaced.
   */
  replaceGraph(graph: string, chunks: Iterable<string>): void {
    const g = oxigraph.namedNode(graph);
    const previous = this.oxigraph.dump({ format: NT, from_graph_name: g });
    this.oxigraph.update(`DROP SILENT GRAPH <${graph}>`);
    try {
      for (const chunk of chunks) this.bulkLoad(chunk, g);
    } catch (err) {
      this.oxigraph.update(`DROP SILENT GRAPH <${graph}>`);
      if (previous) this.bulkLoad(previous, g);
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

  /** One named graph as N-Triples: snapshots, the SPARQL worker's copy, the upload to a remote store. */
  dumpGraph(graph: string): string {
    return this.oxigraph.dump({ format: NT, from_graph_name: oxigraph.namedNode(graph) });
  }

  /** Writes every named graph to `<dir>/<n>.nt` with an index, replacing the previous save only once complete. */
  save(dir: string, graphs: readonly string[]): void {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const index = graphs.map((graph, i) => {
      const file = `${i}.nt`;
      const text = this.oxigraph.dump({ format: NT, from_graph_name: oxigraph.namedNode(graph) });
      writeFileSync(join(tmp, file), text);
      // Checked at restore: a file cut short (even at a line end) must not be served as the whole graph.
      return { graph, file, sha256: sha256(text) };
    });
    writeFileSync(join(tmp, "graphs.json"), JSON.stringify(index, null, 2));
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  }

  /**
   * Loads a save made by `save`; returns false when there is none. Graphs are
   * loaded in slices of a few megabytes with a turn of the event loop between
   * them, so a server restoring a large store still answers /health meanwhile.
   */
  async restore(dir: string): Promise<boolean> {
    const indexFile = join(dir, "graphs.json");
    if (!existsSync(indexFile)) return false;
    const index = JSON.parse(readFileSync(indexFile, "utf8")) as { graph: string; file: string; sha256?: string }[];
    // A save without checksums (older refx) cannot be trusted whole: parsed again once.
    if (index.some((e) => !e.sha256)) return false;
    const done: string[] = [];
    for (const { graph, file, sha256: expected } of index) {
      const text = readFileSync(join(dir, file), "utf8");
      if (sha256(text) !== expected) {
        for (const g of done) this.replaceGraph(g, []);
        throw new Error(`the saved graph ${file} (${graph}) does not match its checksum: the saved store is damaged and is parsed again`);
      }
      done.push(graph);
      this.replaceGraph(graph, []);
      const g = oxigraph.namedNode(graph);
      for (const slice of slices(text, 8 * 2 ** 20)) {
        this.bulkLoad(slice, g);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    return true;
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

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
