// A store behind a SPARQL 1.1 endpoint (`--store <url>`): Virtuoso, Fuseki,
// GraphDB, QLever... Reads are SPARQL 1.1 Query over HTTP, writes SPARQL 1.1
// Update (INSERT DATA in slices, then MOVE, so readers see the old graph or
// the new one), both through the standard protocol so any store will do.
// Credentials come from the environment, never from the command line:
//   REFX_STORE_USER, REFX_STORE_PASSWORD   HTTP authentication
//   REFX_STORE_AUTH                        "digest" (default, Virtuoso's /sparql-auth) or "basic"
//   REFX_STORE_UPDATE_URL                  where updates go, when not the query URL
//   REFX_STORE_GRAPH_URL                   a Graph Store Protocol endpoint: triples are POSTed there
//                                          as N-Triples (faster) instead of sent as INSERT DATA
//   REFX_STORE_TIMEOUT                     seconds a request may take (default 120)
//   REFX_STORE_INSERT_SLICE, REFX_STORE_IN_FLIGHT   triples per INSERT DATA, requests at once (defaults below)
// Only refx's own graphs (under <base>/graph/) are listed or counted: a store
// holds other graphs too (Virtuoso's system graphs, other applications').
import DigestClient from "digest-fetch";
import oxigraph from "oxigraph";
import { DataFactory, type Term } from "n3";
import type { GraphStore, TermRow } from "./store.ts";
import { streamBindings, type JsonTerm } from "./sparql-json.ts";

interface JsonResults {
  head: { vars?: string[] };
  results?: { bindings: Record<string, JsonTerm>[] };
  boolean?: boolean;
}

export interface RemoteStoreOptions {
  /** The SPARQL query endpoint. */
  endpoint: string;
  /** The SPARQL update endpoint (default: the query endpoint). */
  updateEndpoint?: string;
  /**
   * A SPARQL 1.1 Graph Store Protocol endpoint (Virtuoso: /sparql-graph-crud-auth): when given, triples
   * are sent as N-Triples bodies POSTed to `<url>?graph=<graph>` instead of INSERT DATA (2× faster into Virtuoso).
   */
  graphStore?: string;
  /** Base of refx URIs: the graphs refx owns are under `<base>/graph/`. */
  base: string;
  user?: string;
  password?: string;
  auth?: "digest" | "basic";
  timeoutMs?: number;
  /** Triples per INSERT DATA (default INSERT_SLICE). */
  insertSlice?: number;
  /** INSERT DATA requests in flight while a graph is sent (default IN_FLIGHT). */
  inFlight?: number;
}

/** Options from the environment (variables listed at the top of this file). */
export function remoteStoreOptions(endpoint: string, base: string, env: NodeJS.ProcessEnv = process.env): RemoteStoreOptions {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`--store expects the URL of a SPARQL endpoint (http://host:8890/sparql), not ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`--store expects an http(s) URL, not ${endpoint}`);
  if (url.username || url.password) throw new Error("put the store's credentials in REFX_STORE_USER and REFX_STORE_PASSWORD, not in the URL");
  const auth = env.REFX_STORE_AUTH ?? "digest";
  if (auth !== "digest" && auth !== "basic") throw new Error(`REFX_STORE_AUTH is "digest" or "basic", not ${JSON.stringify(auth)}`);
  const timeout = Number(env.REFX_STORE_TIMEOUT);
  const positive = (v: string | undefined) => (Number(v) > 0 ? Math.floor(Number(v)) : undefined);
  return {
    endpoint,
    updateEndpoint: env.REFX_STORE_UPDATE_URL || undefined,
    graphStore: env.REFX_STORE_GRAPH_URL || undefined,
    base,
    user: env.REFX_STORE_USER || undefined,
    password: env.REFX_STORE_PASSWORD ?? undefined,
    auth,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 120_000,
    insertSlice: positive(env.REFX_STORE_INSERT_SLICE),
    inFlight: positive(env.REFX_STORE_IN_FLIGHT),
  };
}

/**
 * Triples an INSERT DATA carries at most (stores parse an update whole, and
 * Virtuoso refuses very long ones), and requests in flight at once while a
 * graph is sent (the store parses one while refx cuts the next). Measured
 * against Virtuoso: docs/benchmark.md, "On the remote store".
 */
const INSERT_SLICE = 2000;
const IN_FLIGHT = 3;
/** Bytes of N-Triples a Graph Store Protocol POST carries (REFX_STORE_GRAPH_URL), and how many at once. */
const GSP_BODY = 4 * 2 ** 20;
const GSP_IN_FLIGHT = 2;

export class RemoteStore implements GraphStore {
  readonly kind = "remote";
  private readonly client?: DigestClient;

  constructor(readonly opts: RemoteStoreOptions) {
    if (opts.user) this.client = new DigestClient(opts.user, opts.password ?? "", { basic: opts.auth === "basic" });
  }

  get endpoint(): string {
    return this.opts.endpoint;
  }

  /** One HTTP request to the store, with its credentials and the time limit; a non-2xx answer throws with the store's message. */
  async request(url: string, init: { method: string; headers?: Record<string, string>; body?: string | Uint8Array }, signal?: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 120_000);
    const options = { ...init, body: init.body as BodyInit | undefined, signal: signal ? AbortSignal.any([signal, timeout]) : timeout };
    const res = (this.client ? await this.client.fetch(url, options) : await fetch(url, options)) as Response;
    if (!res.ok) {
      const text = (await res.text()).slice(0, 500).trim();
      throw new StoreError(res.status, `the store at ${url.split("?")[0]} answered ${res.status}${text ? `: ${text}` : ""}`);
    }
    return res;
  }

  /** POSTs a query (form-encoded, as every store accepts) and returns the answer, in `accept`. */
  async query(sparql: string, accept: string, extra: Record<string, string[]> = {}, signal?: AbortSignal): Promise<Response> {
    const form = new URLSearchParams({ query: sparql });
    for (const [k, vs] of Object.entries(extra)) for (const v of vs) form.append(k, v);
    return this.request(this.opts.endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept }, body: form.toString() }, signal);
  }

  async update(sparql: string): Promise<void> {
    const res = await this.request(this.opts.updateEndpoint ?? this.opts.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "*/*" },
      body: new URLSearchParams({ update: sparql }).toString(),
    });
    await res.arrayBuffer();
  }

  private async json(sparql: string): Promise<JsonResults> {
    const res = await this.query(sparql, "application/sparql-results+json");
    // Virtuoso cuts a result at its ResultSetMaxRows and says so in a header: a cut result would be wrong data, not less data.
    const cut = res.headers.get("x-sparql-maxrows");
    if (cut) throw new StoreError(502, `the store cut a result at ${cut} rows (Virtuoso: raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)`);
    return (await res.json()) as JsonResults;
  }

  /**
   * Loads into a scratch graph, then MOVEs it over `graph` in one update: the
   * store swaps it whole, so readers see the old graph or the new one. A
   * failure leaves `graph` as it was.
   */
  async replaceGraph(graph: string, chunks: Iterable<string>): Promise<void> {
    const scratch = `${graph}.loading`;
    await this.update(`DROP SILENT GRAPH <${scratch}>`);
    try {
      const sent = await this.sendNTriples(scratch, chunks);
      await (sent ? this.moveGraph(scratch, graph) : this.dropGraph(graph));
    } finally {
      await this.update(`DROP SILENT GRAPH <${scratch}>`).catch(() => undefined);
    }
  }

  async appendNTriples(graph: string, text: string): Promise<void> {
    await this.sendNTriples(graph, [text]);
  }

  /**
   * Adds N-Triples `pieces` (strings or UTF-8 bytes cut at line ends, as
   * data/graph-files.ts reads a saved graph) to `graph`: POSTed to the Graph
   * Store Protocol endpoint when there is one, else as INSERT DATA. Nothing
   * is held beyond the requests in flight and the piece being cut. Returns
   * the triples sent.
   */
  sendNTriples(graph: string, pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<number> {
    return this.opts.graphStore ? this.postTo(this.opts.graphStore, graph, pieces) : this.insertData(graph, pieces);
  }

  /** N-Triples bodies of GSP_BODY bytes POSTed (which adds to the graph); N-Triples is Turtle, which every Graph Store Protocol endpoint reads. */
  private async postTo(graphStore: string, graph: string, pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<number> {
    const pool = new RequestPool(GSP_IN_FLIGHT);
    const url = `${graphStore}${graphStore.includes("?") ? "&" : "?"}graph=${encodeURIComponent(graph)}`;
    const post = (body: Buffer) => retryDeadlock(() => this.request(url, { method: "POST", headers: { "content-type": "text/turtle" }, body }).then((r) => r.arrayBuffer()).then(() => undefined));
    let sent = 0;
    let parts: Buffer[] = [];
    let size = 0;
    for await (const piece of pieces) {
      const bytes = typeof piece === "string" ? Buffer.from(piece, "utf8") : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      sent += countLines(bytes);
      parts.push(bytes);
      size += bytes.length;
      if (size >= GSP_BODY) {
        const body = Buffer.concat(parts);
        parts = [];
        size = 0;
        await pool.add(() => post(body));
      }
    }
    if (size) await pool.add(() => post(Buffer.concat(parts)));
    await pool.done();
    return sent;
  }

  /** INSERT DATA of `insertSlice` triples, `inFlight` of them at once. */
  private async insertData(graph: string, pieces: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<number> {
    const pool = new RequestPool(this.opts.inFlight ?? IN_FLIGHT);
    const slice = this.opts.insertSlice ?? INSERT_SLICE;
    const insert = (lines: string[]) => retryDeadlock(() => this.update(`INSERT DATA { GRAPH <${graph}> {\n${lines.join("\n")}\n} }`));
    let sent = 0;
    let batch: string[] = [];
    const flush = async () => {
      const lines = batch;
      batch = [];
      sent += lines.length;
      await pool.add(() => insert(lines));
    };
    for await (const piece of pieces) {
      const text = typeof piece === "string" ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength).toString("utf8");
      for (const line of text.split("\n")) {
        if (!line.trim() || line.startsWith("#")) continue;
        batch.push(line);
        if (batch.length >= slice) await flush();
      }
    }
    if (batch.length) await flush();
    await pool.done();
    return sent;
  }

  /** Replaces `to` with `from` in one update (the store swaps it whole), or drops `to` when `from` is empty. */
  async moveGraph(from: string, to: string): Promise<void> {
    await this.update(`MOVE SILENT GRAPH <${from}> TO GRAPH <${to}>`);
  }

  async dropGraph(graph: string): Promise<void> {
    await this.update(`DROP SILENT GRAPH <${graph}>`);
  }

  private ownGraphs(): string {
    return `FILTER(STRSTARTS(STR(?g), ${JSON.stringify(`${this.opts.base}/graph/`)}) && !STRENDS(STR(?g), ".loading"))`;
  }

  async graphSizes(): Promise<Map<string, number>> {
    const rows = await this.select(`SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } ${this.ownGraphs()} } GROUP BY ?g`);
    return new Map(rows.map((r) => [r.g, Number(r.n)]));
  }

  async graphNames(): Promise<string[]> {
    return [...(await this.graphSizes()).keys()];
  }

  async triples(): Promise<number> {
    return [...(await this.graphSizes()).values()].reduce((a, b) => a + b, 0);
  }

  async select(sparql: string): Promise<Record<string, string>[]> {
    const r = await this.json(sparql);
    return (r.results?.bindings ?? []).map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, v.value])));
  }

  async selectTerms(sparql: string): Promise<TermRow[]> {
    const r = await this.json(sparql);
    return (r.results?.bindings ?? []).map((b) => new Map(Object.entries(b).map(([k, v]) => [k, termOf(v)])));
  }

  /** Streamed: the rows are read off the answer as it arrives (a national store's records are millions of rows). */
  async *selectNtRows(sparql: string): AsyncGenerator<string[]> {
    const res = await this.query(sparql, "application/sparql-results+json");
    const cut = res.headers.get("x-sparql-maxrows");
    if (cut) throw new StoreError(502, `the store cut a result at ${cut} rows (Virtuoso: raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)`);
    let vars: string[] | undefined;
    for await (const item of streamBindings(res)) {
      if (Array.isArray(item)) vars = item;
      else yield (vars ?? []).map((v) => (item[v] ? ntOf(item[v]) : ""));
    }
  }

  async ask(sparql: string): Promise<boolean> {
    return (await this.json(sparql)).boolean === true;
  }

  /** Asked as N-Triples, which every store writes, then written by Oxigraph in `mediaType`. */
  async construct(sparql: string, mediaType: string): Promise<string> {
    const text = await (await this.query(sparql, "application/n-triples, text/plain;q=0.5")).text();
    if (mediaType === "application/n-triples") return text;
    const s = new oxigraph.Store();
    s.load(text, { format: "application/n-triples", to_graph_name: oxigraph.defaultGraph() });
    return s.dump({ format: mediaType, from_graph_name: oxigraph.defaultGraph() });
  }

  /** Answers once the store does (a store just started takes a few seconds). */
  async ping(): Promise<void> {
    await this.json("ASK { }");
  }
}

/**
 * Runs a write again when the store ended it as a deadlock (Virtuoso: SR172,
 * SQL state 40001, between two requests adding to one graph): the store
 * rolled it back, so sending it again adds each triple once. Other errors
 * are thrown at once.
 */
async function retryDeadlock(write: () => Promise<void>, attempts = 6): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (err) {
      if (i >= attempts || !(err instanceof StoreError) || !/deadlock|40001/i.test(err.message)) throw err;
      await new Promise((r) => setTimeout(r, 50 * 2 ** i * Math.random()));
    }
  }
}

/** Triples in N-Triples bytes: its lines, blank ones aside (a file written by TripleSink has none). */
function countLines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** At most `size` requests at once; `add` waits for a free place, and the first failure is thrown by the next `add` or by `done`. */
class RequestPool {
  private readonly running = new Set<Promise<void>>();
  private failed: unknown;

  constructor(private readonly size: number) {}

  async add(start: () => Promise<void>): Promise<void> {
    if (this.failed) throw this.failed;
    const p: Promise<void> = start().catch((err) => {
      this.failed ??= err;
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
    if (this.running.size >= this.size) await Promise.race(this.running);
    if (this.failed) throw this.failed;
  }

  async done(): Promise<void> {
    await Promise.all(this.running);
    if (this.failed) throw this.failed;
  }
}

export class StoreError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";

function termOf(t: JsonTerm): Term {
  if (t.type === "uri") return DataFactory.namedNode(t.value);
  if (t.type === "bnode") return DataFactory.blankNode(t.value);
  if (t["xml:lang"]) return DataFactory.literal(t.value, t["xml:lang"]);
  return DataFactory.literal(t.value, t.datatype && t.datatype !== XSD_STRING ? DataFactory.namedNode(t.datatype) : undefined);
}

/** A SPARQL JSON term in N-Triples syntax: JSON's string escapes are valid N-Triples escapes. */
function ntOf(t: JsonTerm): string {
  if (t.type === "uri") return `<${t.value}>`;
  if (t.type === "bnode") return `_:${t.value}`;
  const lex = JSON.stringify(t.value);
  if (t["xml:lang"]) return `${lex}@${t["xml:lang"]}`;
  return t.datatype && t.datatype !== XSD_STRING ? `${lex}^^<${t.datatype}>` : lex;
}
