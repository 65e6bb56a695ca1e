// `refx serve` in a child process, as an operator runs it: on a free port,
// with its output kept for assertions, stopped with SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { PROJECT_ROOT } from "./helpers.ts";

export interface ServeChild {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts `refx serve <args> --port 0` and resolves once it listens (90 s at most: a busy machine starts tsx slowly). */
export function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeChild> {
  return start(["scripts/refx.mjs", "serve", "--port", "0", ...args], env);
}

/**
 * Starts the server itself (`server/main.ts`, what `refx serve` runs in a child of its own), so
 * that a signal reaches it: SIGKILL on `refx serve` would leave its server running.
 */
export function startServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeChild> {
  return start(["--import", "tsx", "server/main.ts", "--port", "0", "--host", "127.0.0.1", ...args], env);
}

function start(argv: string[], env: NodeJS.ProcessEnv): Promise<ServeChild> {
  const child = spawn(process.execPath, argv, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => stop().then(() => reject(new Error(`not listening within 90 s:\n${out}`))), 90_000);
    child.stdout!.on("data", () => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, stop });
      }
    });
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`refx serve exited before listening:\n${out}`));
    });
  });
}

/** Polls /health until 200 (60 s at most) and returns its body. */
export async function waitHealthy(url: string): Promise<any> {
  let last = "";
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${url}/health`);
    const body = await res.json();
    if (res.status === 200) return body;
    last = JSON.stringify(body);
    if (body.status === "failed") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not healthy: ${last}`);
}
