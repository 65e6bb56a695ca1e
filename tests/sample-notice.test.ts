// From download to serving, plainly: without --data-dir, npm start serves what
// refx download wrote to the default data directory, else the shipped sample,
// and then says so (home page, /health, log, CLI) with the command that gets
// the real data. The date shown for a source is its publication date.
import { afterAll, describe, expect, it } from "vitest";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PUBLICATION_FILE } from "../data/publication.ts";
import { PROJECT_ROOT, SAMPLE_DATA_DIR, tempDir } from "./helpers.ts";

const running: ChildProcess[] = [];
const dirs: { remove(): void }[] = [];
afterAll(() => {
  for (const c of running) c.kill();
  for (const d of dirs) d.remove();
});

/** `node server/main.ts --port 0` with REFX_DATA_DIR set and no --data-dir; resolves once /health is 200. */
async function serve(dataDir: string): Promise<{ url: string; output: () => string }> {
  const cache = tempDir();
  dirs.push(cache);
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--port", "0", "--cache-dir", cache.path], {
    cwd: PROJECT_ROOT, env: { ...process.env, PORT: "", REFX_DATA_DIR: dataDir }, stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  for (let i = 0; i < 600; i++) {
    const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
    if (m && (await fetch(`${m[1]}/health`)).status === 200) return { url: m[1], output: () => out };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready:\n${out}`);
}

describe("what npm start serves without --data-dir", () => {
  it("serves the shipped sample when nothing was downloaded, and says so with the command to run", async () => {
    const empty = tempDir();
    dirs.push(empty);
    const s = await serve(empty.path);
    const health = await (await fetch(`${s.url}/health`)).json();
    expect(health).toMatchObject({ status: "ready", sample: true, getRealData: "npx refx download && npm start" });
    expect(health.notice).toMatch(/demonstration sample .* not the full referentials/);
    expect(s.output()).toMatch(/Serving the demonstration sample .*npx refx download && npm start/);
    const home = await (await fetch(`${s.url}/?lang=fr`)).text();
    expect(home).toContain("Données de démonstration");
    expect(home).toContain("<code>npx refx download &amp;&amp; npm start</code>");
    expect(home).not.toContain("Fichier daté du");
  }, 90_000);

  it("serves what refx download wrote to the default data directory, dated by its publication", async () => {
    const data = tempDir();
    dirs.push(data);
    const rel = "rnsr/fr-esr-structures-recherche-publiques-actives.csv";
    mkdirSync(join(data.path, "rnsr"));
    copyFileSync(join(SAMPLE_DATA_DIR, rel), join(data.path, rel));
    writeFileSync(join(data.path, PUBLICATION_FILE), JSON.stringify({ files: { [rel]: { url: "https://example.org/rnsr.csv", published: "2026-11-03T08:00:00.000Z", downloadedAt: new Date().toISOString() } } }));
    const s = await serve(data.path);
    const health = await (await fetch(`${s.url}/health`)).json();
    expect(health.sample).toBeUndefined();
    expect(Object.keys(health.sources)).toEqual(["rnsr"]);
    const home = await (await fetch(`${s.url}/?lang=fr`)).text();
    expect(home).not.toContain("Données de démonstration");
    expect(home).toMatch(/Publié le<\/dt><dd>3 nov\. 2026</);
  }, 90_000);

  it("the command line says it reads the sample, on standard error", async () => {
    const empty = tempDir();
    dirs.push(empty);
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(process.execPath, ["scripts/refx.mjs", "stats", "--json", "--cache-dir", join(empty.path, "cache")], { cwd: PROJECT_ROOT, env: { ...process.env, REFX_DATA_DIR: empty.path } },
        (err, stdout, stderr) => (err ? reject(err) : resolve({ stdout, stderr }))));
    expect(stderr).toMatch(/demonstration sample .*npx refx download && npm start/);
    expect(() => JSON.parse(stdout)).not.toThrow();
  }, 90_000);
});
