// The store when the SPARQL worker holds its only copy (issue 12: "no second
// full copy of the store for SPARQL"). A server starting from a snapshot does
// not restore the store into the main thread at all: Oxigraph's WebAssembly
// memory never shrinks, so a copy restored there would stay resident even if
// dropped. The worker restores the snapshot, runs the time-limited SPARQL
// queries, and answers the store's own reads (entity pages, exports, counts,
// the catalogue) sent here, like data/remote-store.ts does over HTTP. After a
// query is cut off or traps, the worker is ended and a fresh one restored from
// the same snapshot (issue 15's guarantees); these reads wait meanwhile.
import { DataFactory, type Term } from "n3";
import { snapshotFiles } from "../../data/cache.ts";
import type { LoadReport } from "../../data/load.ts";
import { tsvCells, type GraphStore, type RefStore, type TermRow } from "../../data/store.ts";
import type { ServiceConfig } from "../state.ts";
import { resolveSparqlOptions } from "./config.ts";
import { SparqlEngine, type EngineOptions } from "./engine.ts";

/**
 * What a server serves after a load: the SPARQL worker's store when the load
 * only checked a snapshot (loadDataDir with `restore: false`, leaving `store`
 * empty), else `store` itself (parsed here; the worker then gets a copy).
 */
export function servedStore(store: RefStore, report: LoadReport, sparql: ServiceConfig["sparql"]): GraphStore {
  if (!report.fromCache || !report.cacheDir || store.size > 0) return store;
  const { timeoutMs, maxQueued } = resolveSparqlOptions(sparql);
  return new WorkerStore(snapshotFiles(report.cacheDir).graphs, { timeoutMs, maxQueued });
}

interface JsonTerm {
  type: "uri" | "literal" | "bnode" | "typed-literal";
  value: string;
  "xml:lang"?: string;
  datatype?: string;
}
interface JsonSelect {
  results: { bindings: Record<string, JsonTerm>[] };
}

const READ_ONLY = "the served snapshot is read-only: a new load (refx load, or a reload) publishes a new snapshot";

export class WorkerStore implements GraphStore {
  readonly kind = "embedded";
  readonly engine: SparqlEngine;

  /** `graphsDir`: the snapshot's saved store (its `graphs/` folder). */
  constructor(
    readonly graphsDir: string,
    opts: EngineOptions,
  ) {
    this.engine = new SparqlEngine(() => ({ type: "init", graphsDir }), opts);
  }

  replaceGraph(): never {
    throw new Error(READ_ONLY);
  }

  appendNTriples(): never {
    throw new Error(READ_ONLY);
  }

  async graphSizes(): Promise<Map<string, number>> {
    return new Map(await this.engine.call<[string, number][]>({ op: "graph-sizes" }));
  }

  graphNames(): Promise<string[]> {
    return this.engine.call<string[]>({ op: "graph-names" });
  }

  triples(): Promise<number> {
    return this.engine.call<number>({ op: "triples" });
  }

  async select(sparql: string): Promise<Record<string, string>[]> {
    const json = JSON.parse(await this.engine.call<string>({ op: "select-json", sparql })) as JsonSelect;
    return json.results.bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.value])));
  }

  async selectTerms(sparql: string): Promise<TermRow[]> {
    const json = JSON.parse(await this.engine.call<string>({ op: "select-json", sparql })) as JsonSelect;
    return json.results.bindings.map((b) => new Map(Object.entries(b).map(([k, v]) => [k, toTerm(v)])));
  }

  async *selectNtRows(sparql: string): AsyncIterable<string[]> {
    yield* tsvCells(await this.engine.call<string>({ op: "select-tsv", sparql }));
  }

  ask(sparql: string): Promise<boolean> {
    return this.engine.call<boolean>({ op: "ask", sparql });
  }

  construct(sparql: string, mediaType: string): Promise<string> {
    return this.engine.call<string>({ op: "construct", sparql, mediaType });
  }

  close(): void {
    this.engine.close();
  }
}

function toTerm(v: JsonTerm): Term {
  if (v.type === "uri") return DataFactory.namedNode(v.value);
  if (v.type === "bnode") return DataFactory.blankNode(v.value);
  return DataFactory.literal(v.value, v["xml:lang"] ?? (v.datatype ? DataFactory.namedNode(v.datatype) : undefined));
}
