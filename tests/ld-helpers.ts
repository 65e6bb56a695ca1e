// Shared by the SPARQL, linked-data and export tests: a state loaded from a
// data directory, served by the real express app on a free loopback port.
import type { Server } from "node:http";
import { join } from "node:path";
import type express from "express";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { buildMatcher } from "../reconcile/build.ts";
import { createApp } from "../server/app.ts";
import { keepConnections } from "../server/http/keep-alive.ts";
import { closeServed, serviceState, type ServiceConfig, type ServiceState } from "../server/state.ts";
import { PROJECT_ROOT } from "./helpers.ts";

export async function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  const server = keepConnections(app.listen(0, "127.0.0.1"));
  await new Promise((resolve) => server.once("listening", resolve));
  const addr = server.address();
  return { server, url: `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}` };
}

export interface Served {
  state: ServiceState;
  url: string;
  close(): void;
}

/**
 * Loads `dataDir` and serves it. `cache`: a folder name under .refx/test-cache
 * (kept between runs, so ../shared/data is parsed once per machine and then
 * restored, and the SPARQL worker copies it from disk); false for the sample.
 * `matcher`: build the matcher too (the reconciliation and REST routes need it; the pages do not).
 */
export async function serve(dataDir: string, base: string, opts: { cache?: string; sparql?: ServiceConfig["sparql"]; matcher?: boolean } = {}): Promise<Served> {
  const store = new RefStore();
  const cacheDir = opts.cache ? join(PROJECT_ROOT, ".refx", "test-cache", opts.cache) : false;
  const report = await loadDataDir(store, { dataDir, base, cacheDir });
  const matcher = opts.matcher ? await buildMatcher(store, base, report) : undefined;
  return serveState(serviceState({ base, sparql: opts.sparql }, { store, report, matcher, loadedAt: new Date() }));
}

export async function serveState(state: ServiceState): Promise<Served> {
  const { server, url } = await listen(createApp(state));
  return {
    state,
    url,
    close: () => {
      closeServed(state);
      server.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call(url: string, init?: RequestInit): Promise<Reply> {
  const res = await fetch(url, { redirect: "manual", ...init });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
