// `npx tsx scripts/bench/under-load.ts [--data-dir <dir>] [--cache-dir <dir>] [--seconds 20] [--clients 8] [--cpu-prof <dir>]`:
// the issue-15 targets, measured, not asserted. A server is started as a child
// process; `clients` loops hammer /api/search (short prefixes) and /sparql
// while one probe times /health and a small reconcile batch every 200 ms.
// Prints p50/p99 of each. Loopback only; stops by itself.
import { spawn } from "node:child_process";
import { loadavg } from "node:os";
import { Command } from "commander";
import { PROJECT_ROOT, SAMPLE_DATA_DIR } from "../../app/config.ts";

const o = new Command()
  .option("--data-dir <dir>", "data directory", SAMPLE_DATA_DIR)
  .option("--cache-dir <dir>", "saved store (default: none)")
  .option("--seconds <n>", "duration of the load", "20")
  .option("--clients <n>", "hammering clients", "8")
  .option("--cpu-prof <dir>", "write the server's CPU profile (.cpuprofile) into <dir> when it stops")
  .parse()
  .opts<{ dataDir: string; cacheDir?: string; seconds: string; clients: string; cpuProf?: string }>();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};
const summary = (name: string, xs: number[]) => `${name.padEnd(28)} n=${String(xs.length).padStart(5)}  p50 ${pct(xs, 50).toFixed(1).padStart(7)} ms  p99 ${pct(xs, 99).toFixed(1).padStart(7)} ms  max ${Math.max(...xs).toFixed(1).padStart(7)} ms`;

async function timed(url: string, init?: RequestInit): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(url, init);
  await r.arrayBuffer();
  if (r.status >= 500) throw new Error(`${url}: ${r.status}`);
  return performance.now() - t0;
}

const args = [...(o.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${o.cpuProf}`] : []), "--import", "tsx", "server/main.ts", "--port", "0", "--data-dir", o.dataDir, ...(o.cacheDir ? ["--cache-dir", o.cacheDir] : ["--no-cache"])];
const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PORT: "" } });
const url = await new Promise<string>((resolve, reject) => {
  let out = "";
  child.stdout!.on("data", (d) => {
    out += d;
    const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.on("exit", (c) => reject(new Error(`server exited (${c})`)));
});
try {
  for (let i = 0; i < 600; i++) {
    // A loading server can block longer than its keep-alive timeout: a reset connection is retried.
    const status = await fetch(`${url}/health`).then((r) => r.status, () => 0);
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  // A ready server still copies the store into its SPARQL worker: a first query waits for that, so the measure does not (as in replicas.ts).
  await fetch(`${url}/sparql?query=${encodeURIComponent("ASK { }")}`).then((r) => r.arrayBuffer());
  const prefixes = ["Uni", "Univ", "Lyc", "Eco", "Cen", "Lab", "Ins", "Col", "Un", "Ly"];
  const sparql = encodeURIComponent("SELECT ?s WHERE { ?s ?p ?o } LIMIT 100");
  const batch = JSON.stringify({ column: "name", rows: [{ name: "Université de Lorraine" }, { name: "LIPN" }, { name: "Lycée Henri IV" }, { name: "CNRS" }, { name: "Inria" }] });
  const idle = { health: [] as number[], batch: [] as number[] };
  for (let i = 0; i < 20; i++) {
    idle.health.push(await timed(`${url}/health`));
    idle.batch.push(await timed(`${url}/api/reconcile`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: batch }));
  }
  const end = Date.now() + Number(o.seconds) * 1000;
  const loaded = { search: [] as number[], sparql: [] as number[], health: [] as number[], batch: [] as number[] };
  const hammer = async (k: number) => {
    for (let i = 0; Date.now() < end; i++) {
      if ((i + k) % 4 === 3) loaded.sparql.push(await timed(`${url}/sparql?query=${sparql}`));
      else loaded.search.push(await timed(`${url}/api/search?q=${prefixes[(i + k) % prefixes.length]}`));
    }
  };
  const probe = async () => {
    while (Date.now() < end) {
      loaded.health.push(await timed(`${url}/health`));
      loaded.batch.push(await timed(`${url}/api/reconcile`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: batch }));
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  await Promise.all([probe(), ...Array.from({ length: Number(o.clients) }, (_, k) => hammer(k))]);
  console.log(`data: ${o.dataDir}; ${o.clients} clients for ${o.seconds} s; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  console.log(summary("idle /health", idle.health));
  console.log(summary("idle reconcile batch (5)", idle.batch));
  console.log(summary("load /api/search", loaded.search));
  console.log(summary("load /sparql", loaded.sparql));
  console.log(summary("load /health", loaded.health));
  console.log(summary("load reconcile batch (5)", loaded.batch));
} finally {
  child.kill("SIGTERM");
  // The profile is written as the server exits.
  await new Promise((r) => child.once("exit", r));
}
