// `refx load --store <url>`: the graphs go to the external store as they are
// made, never into an embedded store. Each source's N-Triples file (written
// into the snapshot as the source loads, data/graph-files.ts) is sent in
// slices into `<graph>.loading` while the next source is parsed; the links
// graph is closed from the owl:sameAs pairs read off the same text. Only when
// every graph is sent does one MOVE a graph swap it in, so readers of the
// store see the old graph or the new one, and a failed load leaves the old
// data. What refx holds is the pairs and the requests in flight, not the graph.
import { join } from "node:path";
import { OWL } from "../vocab/namespaces.ts";
import { graphFileSlices, readGraphIndex } from "./graph-files.ts";
import type { RemoteStore } from "./remote-store.ts";

const scratchOf = (graph: string) => `${graph}.loading`;

/** The graphs of one load being sent to a remote store, one after the other, in the background. */
export class RemoteUpload {
  private chain: Promise<void> = Promise.resolve();
  private error: unknown;
  /** Triples sent per graph (lines of its file: a store drops repeated triples, so it may count fewer). */
  readonly sent = new Map<string, number>();
  /** Seconds spent sending, summed over graphs (they overlap the parsing of the next source). */
  seconds = 0;

  constructor(readonly remote: RemoteStore) {}

  /** Sends the N-Triples file `file` into `graph`'s scratch graph once the graphs before it are sent. */
  send(graph: string, file: string): void {
    this.chain = this.chain.then(async () => {
      if (this.error) return;
      const t0 = performance.now();
      try {
        await this.remote.dropGraph(scratchOf(graph));
        this.sent.set(graph, await this.remote.sendNTriples(scratchOf(graph), graphFileSlices(file)));
      } catch (err) {
        this.error ??= err;
      }
      this.seconds += (performance.now() - t0) / 1000;
    });
  }

  /**
   * Waits for every graph to be sent, then swaps each of `graphs` in with one
   * MOVE and drops refx's graphs that the store holds but this load did not
   * make (a source no longer in the data directory). A failed send drops the
   * scratch graphs and throws: the store keeps the previous load.
   */
  async publish(graphs: readonly string[]): Promise<void> {
    await this.chain;
    if (this.error) {
      await this.abandon();
      throw this.error;
    }
    for (const g of graphs) await ((this.sent.get(g) ?? 0) > 0 ? this.remote.moveGraph(scratchOf(g), g) : this.remote.dropGraph(g));
    for (const stale of await this.remote.graphNames()) if (!graphs.includes(stale)) await this.remote.dropGraph(stale);
  }

  /** Drops the scratch graphs of this load (a load that failed before publishing). */
  async abandon(): Promise<void> {
    await this.chain;
    for (const g of this.sent.keys()) await this.remote.dropGraph(scratchOf(g)).catch(() => undefined);
  }
}

/** Sends a saved snapshot's graphs (`graphs/` and its index) to the store: a `refx load --store` whose files have not changed. */
export async function sendSavedGraphs(remote: RemoteStore, graphsDir: string): Promise<RemoteUpload> {
  const index = readGraphIndex(graphsDir);
  if (!index) throw new Error(`the saved store in ${graphsDir} has no index`);
  const upload = new RemoteUpload(remote);
  for (const { graph, file } of index) upload.send(graph, join(graphsDir, file));
  await upload.publish(index.map((e) => e.graph));
  return upload;
}

const SAME_AS = ` <${OWL.sameAs}> <`;

/**
 * The owl:sameAs statements between two IRIs in N-Triples `text` (as
 * TripleSink writes it: one triple a line, IRIs without `>` inside), as the
 * embedded path selects them out of its store for the links graph.
 */
export function* sameAsPairs(text: string): Generator<[string, string]> {
  for (let i = text.indexOf(SAME_AS); i >= 0; i = text.indexOf(SAME_AS, i + 1)) {
    const start = text.lastIndexOf("\n", i) + 1;
    if (text[start] !== "<" || text[i - 1] !== ">") continue;
    const o = i + SAME_AS.length;
    const end = text.indexOf(">", o);
    if (end < 0) continue;
    yield [text.slice(start + 1, i - 1), text.slice(o, end)];
  }
}
