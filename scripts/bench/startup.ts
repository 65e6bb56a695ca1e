// Start-up time of the real server: from spawn to the first /health 200
// (data loaded and reconciliation index built), as tests/server.test.ts
// starts it: `node --import tsx server/main.ts --port 0 ...`.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface StartupRun {
  label: string;
  args: string[];
  /** Spawn to "listening on" in stdout. */
  listenSeconds?: number;
  /** Spawn to the first /health 200. */
  readySeconds?: number;
  fromCache?: boolean;
  error?: string;
}

/** A server spawned and ready (its /health said 200), and how long that took. */
export interface RunningServer {
  url: string;
  pid: number;
  listenSeconds: number;
  readySeconds: number;
  fromCache?: boolean;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** The last 2,000 characters the server printed. */
  output(): string;
}

/** Spawns `node --import tsx server/main.ts <args>` and waits for its first /health 200; stops it on any failure. */
export async function startServer(projectRoot: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", ...args], {
    cwd: projectRoot, env: { ...process.env, PORT: "", ...env }, stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  let exited = false;
  child.on("exit", () => (exited = true));
  const stop = async () => {
    if (exited) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
    if (!exited) child.kill("SIGKILL");
  };
  try {
    let url: string | undefined;
    let listenSeconds = 0;
    while (!url) {
      if (exited) throw new Error(`server exited before listening: ${out.slice(-500)}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`no "listening on" within ${timeoutMs / 1000} s`);
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        url = m[1];
        listenSeconds = (performance.now() - t0) / 1000;
      } else await new Promise((r) => setTimeout(r, 20));
    }
    for (;;) {
      if (exited) throw new Error(`server exited while loading: ${out.slice(-500)}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`/health not 200 within ${timeoutMs / 1000} s`);
      try {
        const res = await fetch(`${url}/health`);
        const body = (await res.json()) as { fromCache?: boolean; status?: string; error?: string };
        if (res.status === 200) return { url, pid: child.pid!, listenSeconds, readySeconds: (performance.now() - t0) / 1000, fromCache: body.fromCache, stop, output: () => out.slice(-2000) };
        if (body.status === "failed") throw new Error(`load failed: ${body.error}`);
      } catch (err) {
        if ((err as Error).message.startsWith("load failed")) throw err;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

async function timeOne(projectRoot: string, label: string, args: string[], timeoutMs: number): Promise<StartupRun> {
  try {
    const server = await startServer(projectRoot, args, timeoutMs);
    await server.stop();
    return { label, args, listenSeconds: server.listenSeconds, readySeconds: server.readySeconds, fromCache: server.fromCache };
  } catch (err) {
    return { label, args, error: (err as Error).message };
  }
}

/** Without a cache, then with a fresh cache directory (written), then again (restored). */
export async function measureStartup(projectRoot: string, dataDir: string, timeoutMs = 180_000, log: (s: string) => void = () => {}): Promise<StartupRun[]> {
  const cache = mkdtempSync(join(tmpdir(), "refx-bench-cache-"));
  const runs: StartupRun[] = [];
  try {
    const plan: [string, string[]][] = [
      ["no cache (--no-cache)", ["--data-dir", dataDir, "--port", "0", "--no-cache"]],
      ["empty cache (parse, then save)", ["--data-dir", dataDir, "--port", "0", "--cache-dir", cache]],
      ["saved store (restore)", ["--data-dir", dataDir, "--port", "0", "--cache-dir", cache]],
    ];
    for (const [label, args] of plan) {
      log(`  starting the server: ${label}...`);
      runs.push(await timeOne(projectRoot, label, args, timeoutMs));
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  return runs;
}
