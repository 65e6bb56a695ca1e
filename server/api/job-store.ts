// Jobs on disk, so that they survive a restart (issue 15): one folder per job
// under the cache directory, holding the upload (`input.csv`), the result
// as it is written (`result.<csv|json>.part`, renamed when complete) and the
// job's state (`job.json`, rewritten through a temporary file and a rename at
// each change, so a kill leaves the old state or the new one, never half).
//
// One server owns a jobs folder at a time (`owner.pid`): a second server on
// the same cache directory would otherwise resume the first one's jobs.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { isServiceId } from "../../app/targets.ts";
import type { Summary } from "../../app/batch.ts";
import type { CsvFormat } from "../../app/csv-io.ts";
import type { JobInput, JobStatus } from "./jobs.ts";
import { writeFileAtomic } from "../../data/write-atomic.ts";

/** What `job.json` holds: what GET /api/jobs/{id} shows, and what re-running the job needs. */
export interface SavedJob {
  version: typeof VERSION;
  id: string;
  status: JobStatus;
  /** The input, its file named relative to the job's folder. */
  input: Omit<JobInput, "path">;
  format?: CsvFormat;
  total?: number;
  rows: number;
  summary?: Summary;
  error?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  expiresAt?: string;
  /** Times a server stopped while the job ran and the next one started it again. */
  restarts?: number;
}

const VERSION = 1;
export const INPUT_FILE = "input.csv";
const STATE_FILE = "job.json";
const OWNER_FILE = "owner.pid";
/** Job ids are UUIDs: anything else in the folder is not a job. */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A job folder found at start, read back or not. */
export type Found = { id: string; dir: string; saved: SavedJob } | { id: string; dir: string; lost: string };

export class JobStore {
  private constructor(readonly root: string) {}

  /**
   * The jobs folder under `dir`, taken for this process; undefined when a
   * live server holds it (the caller then keeps its jobs in a temporary folder).
   */
  static open(dir: string): JobStore | undefined {
    mkdirSync(dir, { recursive: true });
    const owner = join(dir, OWNER_FILE);
    const holder = readPid(owner);
    if (holder !== undefined && holder !== process.pid && alive(holder)) return undefined;
    // Written aside then renamed; read back, since two servers starting at once may both have found it free.
    writeFileAtomic(owner, String(process.pid));
    return readPid(owner) === process.pid ? new JobStore(dir) : undefined;
  }

  dirOf(id: string): string {
    return join(this.root, id);
  }

  save(dir: string, job: SavedJob): void {
    const file = join(dir, STATE_FILE);
    writeFileAtomic(file, JSON.stringify(job));
  }

  /**
   * Every job folder left by earlier servers. A folder without `job.json` was
   * an upload cut short (its client never had a job id) and is removed.
   */
  readAll(): Found[] {
    const found: Found[] = [];
    for (const id of readdirSync(this.root)) {
      const dir = join(this.root, id);
      if (!JOB_ID.test(id) || !statSync(dir).isDirectory()) continue;
      const file = join(dir, STATE_FILE);
      if (!existsSync(file)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      found.push(readJob(id, dir, file));
    }
    return found;
  }

  /** Gives the folder up (at exit), so the next server need not check whether this one is alive. */
  close(): void {
    const owner = join(this.root, OWNER_FILE);
    if (readPid(owner) === process.pid) rmSync(owner, { force: true });
  }
}

function readJob(id: string, dir: string, file: string): Found {
  let saved: SavedJob;
  try {
    saved = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    return { id, dir, lost: `its saved state could not be read (${(err as Error).message.slice(0, 120)})` };
  }
  const problem = invalid(saved, id);
  if (problem) return { id, dir, lost: `its saved state is not one this server reads (${problem})` };
  if (saved.status === "done" && !existsSync(join(dir, `result.${saved.input.output}`))) return { id, dir, lost: "its result file is missing" };
  if ((saved.status === "queued" || saved.status === "running") && !existsSync(join(dir, INPUT_FILE))) return { id, dir, lost: "its input file is missing, so it cannot be run again" };
  return { id, dir, saved };
}

/** What is wrong with a parsed job.json, if anything: only what the server relies on is checked. */
function invalid(s: SavedJob, id: string): string | undefined {
  if (!s || typeof s !== "object") return "not an object";
  if (s.version !== VERSION) return `version ${JSON.stringify(s.version)}`;
  if (s.id !== id) return "another job's id";
  if (!["queued", "running", "done", "failed", "cancelled"].includes(s.status)) return `status ${JSON.stringify(s.status)}`;
  const input = s.input as Partial<SavedJob["input"]> | undefined;
  const spec = input?.spec;
  if (!spec || typeof spec.column !== "string" || !isServiceId(spec.target) || !Array.isArray(spec.properties)) return "no batch specification";
  if (input.output !== "csv" && input.output !== "json") return "no output format";
  if (typeof s.rows !== "number" || Number.isNaN(Date.parse(s.createdAt))) return "no progress or creation time";
  for (const t of [s.startedAt, s.finishedAt, s.expiresAt]) if (t !== undefined && Number.isNaN(Date.parse(t))) return "a bad time";
  return undefined;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
