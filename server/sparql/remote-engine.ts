// /sparql with a remote store (--store): the query, already checked and
// limited by analyseQuery, goes to the external endpoint with this endpoint's
// time limit, and its answer comes back in the format the client asked for,
// cut at the result-size limit as the embedded engine cuts it. SERVICE is
// refused: the external store would call other endpoints on refx's behalf.
import { Parser } from "n3";
import { RemoteStore, StoreError } from "../../data/remote-store.ts";
import type { QueryAnswer, QueryJob } from "./engine.ts";
import { QueryFailed } from "./engine.ts";
import { RESULTS_TYPES } from "../http/negotiation.ts";
import { serialiseQuads } from "../../app/rdf-out.ts";
import { writeResults, type JsonResults } from "./results.ts";

export class RemoteEngine {
  private running = 0;
  /** Kept for the same shape as SparqlEngine: a remote store has no worker to restart. */
  restarts = 0;

  constructor(
    private readonly store: RemoteStore,
    private readonly opts: { timeoutMs: number; maxQueued: number },
  ) {}

  warm(): void {}

  close(): void {}

  async run(job: QueryJob, signal?: AbortSignal): Promise<QueryAnswer> {
    if (job.federated) throw new QueryFailed(400, "service_not_allowed", "SERVICE is not available when refx answers from an external store (--store): query the other endpoint directly");
    if (this.running >= this.opts.maxQueued) throw new QueryFailed(503, "busy", `${this.running} queries are already running; try again shortly`);
    const t0 = performance.now();
    this.running++;
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const dataset: Record<string, string[]> = job.dataset ? { "default-graph-uri": job.dataset.default, "named-graph-uri": job.dataset.named } : {};
    try {
      if (job.form === "SELECT" || job.form === "ASK") {
        const json = (await (await this.store.query(job.text, RESULTS_TYPES.json, dataset, both)).json()) as JsonResults;
        const rows = json.results?.bindings;
        const truncated = !!rows && job.capped && rows.length > job.maxResults;
        if (truncated) rows!.length = job.maxResults;
        return { body: writeResults(json, job.resultsFormat ?? "json"), truncated, ms: performance.now() - t0 };
      }
      const text = await (await this.store.query(job.text, "application/n-triples, text/plain;q=0.5", dataset, both)).text();
      const quads = new Parser({ format: "N-Triples" }).parse(text);
      const truncated = job.capped && quads.length > job.maxResults;
      return { body: serialiseQuads(truncated ? quads.slice(0, job.maxResults) : quads, job.rdfFormat ?? "turtle"), truncated, ms: performance.now() - t0 };
    } catch (err) {
      if (timeout.aborted) {
        throw new QueryFailed(503, "timeout", `the query was cut off after ${this.opts.timeoutMs / 1000} s, this endpoint's time limit. Narrow it (more specific patterns, a LIMIT, fewer OPTIONALs).`);
      }
      if (err instanceof StoreError) throw new QueryFailed(err.status >= 500 ? 502 : 400, err.status >= 500 ? "store_error" : "query_error", err.message);
      throw new QueryFailed(502, "store_unreachable", `the external store did not answer: ${(err as Error).message}`);
    } finally {
      this.running--;
    }
  }
}
