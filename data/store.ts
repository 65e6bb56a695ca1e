// The embedded Oxigraph store, with the few operations refx needs: replace a
// named graph atomically, query, and save to / restore from disk.
import { createHash } from "node:crypto";
import oxigraph from "oxigraph";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const NT = "application/n-triples";

export class RefStore {
  readonly oxigraph = new oxigraph.Store();

  /**
   * Replaces the content of `graph` with the N-Triples `chunks`. Oxigraph's
   * transactional load grows superlinearly past ~100k quads, so the bulk path
   * (no transaction) is used, and atomicity is ours: the old graph is kept
   * aside and put back if anything fails. JavaScript runs one request at a
   * time, so no query sees the graph half-replaced.
   */
  replaceGraph(graph: string, chunks: readonly string[]): void {
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
function* slices(text: string, size: number): Generator<string> {
  let start = 0;
  while (start < text.length) {
    const end = start + size >= text.length ? text.length : text.indexOf("\n", start + size) + 1 || text.length;
    yield text.slice(start, end);
    start = end;
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
