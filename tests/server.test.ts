// The start-up contract, over real HTTP: `npm start -- --data-dir <dir> --port <n>`
// loads every source file under <dir>, then GET /health answers 200 with counts per source.
import { afterAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT, SAMPLE_DATA_DIR, tempDir } from "./helpers.ts";

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Ends a started server and everything it started: `npm start` runs sh, tsx
 * and node under it, and killing npm alone left `server/main.ts --port 0`
 * running after the test run. The child leads its own process group, so the
 * whole group gets the signal.
 */
function stop(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // the group is already gone
  }
}

/** Starts the server as a user does, on a free port, and waits until it listens. */
function start(args: string[], viaNpm = false): Promise<Started> {
  const cmd = viaNpm ? "npm" : process.execPath;
  const argv = viaNpm ? ["start", "--silent", "--", ...args] : ["--import", "tsx", "server/main.ts", ...args];
  const child = spawn(cmd, argv, { cwd: PROJECT_ROOT, env: { ...process.env, PORT: "" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not listen within 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, exited });
      }
    };
    child.stdout!.on("data", check);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
}

async function waitReady(url: string): Promise<{ status: number; body: any }> {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${url}/health`);
    const body = await res.json();
    if (res.status === 200) return { status: res.status, body };
    expect(res.status).toBe(503);
    expect(body.status).toBe("loading");
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("not ready after 30 s");
}

describe("npm start on the shipped sample", () => {
  const cache = tempDir();
  const running: ChildProcess[] = [];
  afterAll(() => {
    for (const c of running) stop(c);
    cache.remove();
  });

  it("serves /health with counts for every source, then restarts from the saved store", async () => {
    const s = await start(["--data-dir", SAMPLE_DATA_DIR, "--port", "0", "--cache-dir", cache.path], true);
    running.push(s.child);
    const { body } = await waitReady(s.url);
    expect(body.status).toBe("ready");
    expect(body.fromCache).toBe(false);
    expect(Object.keys(body.sources).sort()).toEqual(["education", "rnsr", "ror", "sirene-etab", "sirene-ul", "uai", "wikidata"]);
    for (const [name, src] of Object.entries<any>(body.sources)) {
      expect(src.entities, name).toBeGreaterThan(0);
      expect(src.triples, name).toBeGreaterThan(src.entities);
    }
    expect(body.links.sameAs).toBeGreaterThan(0);

    const missing = await fetch(`${s.url}/no/such/route`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).message).toMatch(/no route/);

    stop(s.child);
    await s.exited;
    const again = await start(["--data-dir", SAMPLE_DATA_DIR, "--port", "0", "--cache-dir", cache.path]);
    running.push(again.child);
    const second = await waitReady(again.url);
    expect(second.body.fromCache).toBe(true);
    expect(second.body.triples).toBe(body.triples);
    expect(second.body.sources).toEqual(body.sources);
  }, 90_000);

  it("stops with the file and line when a source file is malformed", async () => {
    const dir = tempDir();
    try {
      mkdirSync(join(dir.path, "rnsr"));
      writeFileSync(join(dir.path, "rnsr", "fr-esr-structures-recherche-publiques-actives.csv"), "numero_national_de_structure,libelle\n200112433P,LIPN\n");
      const s = await start(["--data-dir", dir.path, "--port", "0", "--no-cache"]);
      running.push(s.child);
      expect(await s.exited).toBe(1);
      expect(s.output()).toMatch(/fr-esr-structures-recherche-publiques-actives\.csv:1: wrong delimiter/);
    } finally {
      dir.remove();
    }
  }, 60_000);
});
