// A Virtuoso (Debian's virtuoso-opensource-7-bin) started on loopback for the
// remote store's test and the scale bench: a fresh database in `dir`, from a
// virtuoso.ini written here (free ports, DirsAllowed limited to `dir`), its
// SPARQL endpoint with digest authentication (`/sparql-auth`, the dba account
// of a fresh database). Buffers are Virtuoso's page cache (8 KB a buffer):
// the test needs few, a national load tens of millions of triples' worth.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

export const VIRTUOSO = process.env.REFX_VIRTUOSO ?? "virtuoso-t";
export const HAS_VIRTUOSO = spawnSync("sh", ["-c", `command -v ${VIRTUOSO}`]).status === 0;
/** The credentials of a fresh database, as the environment gives them to refx (data/remote-store.ts). */
export const VIRTUOSO_ENV = { REFX_STORE_USER: "dba", REFX_STORE_PASSWORD: "dba" };

export interface VirtuosoOptions {
  dir: string;
  /** NumberOfBuffers (8 KB pages; Virtuoso's guide: ~2/3 of the memory it may use); MaxDirtyBuffers is 3/4 of it. */
  buffers?: number;
  /** ResultSetMaxRows: the matcher's records are read in one SELECT. */
  maxRows?: number;
  /** MaxQueryExecutionTime, seconds (0: none). */
  maxQuerySeconds?: number;
}

export interface RunningVirtuoso {
  /** SPARQL Query and Update, digest authentication. */
  endpoint: string;
  /** Its Graph Store Protocol endpoint, digest authentication (REFX_STORE_GRAPH_URL). */
  graphStore: string;
  pid: number;
  /** Its output so far (also in <dir>/virtuoso.log). */
  log(): string;
  /** User + system CPU seconds of the process so far (Linux). */
  cpuSeconds(): number;
  /** Peak and current resident memory in MB (VmHWM, VmRSS; Linux). */
  memoryMB(): { peak: number; now: number };
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function virtuosoIni(dir: string, sqlPort: number, httpPort: number, o: VirtuosoOptions): string {
  const buffers = o.buffers ?? 10_000;
  return `[Database]
DatabaseFile = ${dir}/virtuoso.db
ErrorLogFile = ${dir}/virtuoso.log
LockFile = ${dir}/virtuoso.lck
TransactionFile = ${dir}/virtuoso.trx
xa_persistent_file = ${dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = ${dir}/virtuoso-temp.db
TransactionFile = ${dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:${sqlPort}
DirsAllowed = ., ${dir}
NumberOfBuffers = ${buffers}
MaxDirtyBuffers = ${Math.floor(buffers * 0.75)}
ThreadsPerQuery = 1
MaxClientConnections = 8
CheckpointInterval = 60
VADInstallDir = ${dir}

[HTTPServer]
ServerPort = 127.0.0.1:${httpPort}
ServerRoot = ${dir}
MaxClientConnections = 8
ServerThreads = 8
EnabledDavVSP = 0
HTTPProxyEnabled = 0

[SPARQL]
ResultSetMaxRows = ${o.maxRows ?? 1_000_000}
MaxQueryExecutionTime = ${o.maxQuerySeconds ?? 60}
MaxQueryCostEstimationTime = 0
`;
}

const procStatus = (pid: number, key: string): number => {
  try {
    const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
};

/** Starts Virtuoso on a fresh database in `dir` and waits (180 s at most: a first start creates the database) until it answers. */
export async function startVirtuoso(o: VirtuosoOptions): Promise<RunningVirtuoso> {
  const [sqlPort, httpPort] = [await freePort(), await freePort()];
  writeFileSync(join(o.dir, "virtuoso.ini"), virtuosoIni(o.dir, sqlPort, httpPort, o));
  const child: ChildProcess = spawn(VIRTUOSO, ["+foreground", "+configfile", join(o.dir, "virtuoso.ini")], { cwd: o.dir, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.on("data", (b) => (log = (log + b).slice(-20_000)));
  child.stderr!.on("data", (b) => (log = (log + b).slice(-20_000)));
  const pid = child.pid!;
  let lastCpu = 0;
  const running: RunningVirtuoso = {
    endpoint: `http://127.0.0.1:${httpPort}/sparql-auth`,
    graphStore: `http://127.0.0.1:${httpPort}/sparql-graph-crud-auth`,
    pid,
    log: () => log,
    cpuSeconds: () => {
      try {
        // Fields 14 and 15 of /proc/<pid>/stat (after the command's parenthesis): utime, stime, in clock ticks.
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        lastCpu = (Number(f[11]) + Number(f[12])) / 100;
      } catch {
        // Gone: the last reading stands.
      }
      return lastCpu;
    },
    memoryMB: () => ({ peak: procStatus(pid, "VmHWM"), now: procStatus(pid, "VmRSS") }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
  };
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${httpPort}/sparql?query=${encodeURIComponent("ASK { }")}`).then((r) => r.ok, () => false);
    if (up) return running;
    if (i >= 180 || child.exitCode !== null) {
      await running.stop();
      throw new Error(`Virtuoso did not answer within 180 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
