// `refx serve`: the server, exactly as `npm start` runs it (server/main.ts in
// a child process, with the same flags); signals are passed on, so
// `kill -HUP` still reloads and Ctrl-C still stops.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { PROJECT_ROOT } from "../app/config.ts";

export interface ServeOptions {
  dataDir?: string;
  port?: string;
  host?: string;
  baseUri?: string;
  cacheDir?: string;
  cache?: boolean;
  readOnly?: boolean;
  snapshot?: string;
  store?: string;
}

export function serveArgs(o: ServeOptions): string[] {
  const args: string[] = [];
  if (o.dataDir) args.push("--data-dir", o.dataDir);
  if (o.port !== undefined) args.push("--port", o.port);
  if (o.host) args.push("--host", o.host);
  if (o.baseUri) args.push("--base-uri", o.baseUri);
  if (o.cacheDir) args.push("--cache-dir", o.cacheDir);
  if (o.cache === false) args.push("--no-cache");
  if (o.readOnly) args.push("--read-only");
  if (o.snapshot) args.push("--snapshot", o.snapshot);
  if (o.store) args.push("--store", o.store);
  return args;
}

export function runServe(o: ServeOptions): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "server", "main.ts"), ...serveArgs(o)], { stdio: "inherit" });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((sig) => [sig, forward(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      for (const [sig, h] of handlers) process.off(sig, h);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
