// When each downloaded file was published, as its publisher said: refx
// download writes it to one file at the root of the data directory, and the
// load shows it (a file's mtime is only when it reached this disk).
//
//   <dataDir>/refx-download.json  {"files": {"sirene/StockUniteLegale_utf8.zip": {...}}}
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { writeFileAtomic } from "./write-atomic.ts";

export const PUBLICATION_FILE = "refx-download.json";

export interface Publication {
  url: string;
  /** ISO date-time the publisher gives: Zenodo's publication date, else the HTTP Last-Modified. */
  published?: string;
  downloadedAt: string;
  etag?: string;
}

interface PublicationIndex {
  files: Record<string, Publication>;
}

function readIndex(dataDir: string): PublicationIndex {
  const file = join(dataDir, PUBLICATION_FILE);
  if (!existsSync(file)) return { files: {} };
  try {
    const j = JSON.parse(readFileSync(file, "utf8")) as PublicationIndex;
    return j && typeof j.files === "object" && j.files ? j : { files: {} };
  } catch {
    return { files: {} };
  }
}

/** Records where `path` (inside `dataDir`) came from and when it was published. Synchronous: parallel downloads cannot interleave. */
export function recordPublication(dataDir: string, path: string, p: Publication): void {
  const index = readIndex(dataDir);
  index.files[relative(dataDir, path).split("\\").join("/")] = p;
  const file = join(dataDir, PUBLICATION_FILE);
  writeFileAtomic(file, JSON.stringify(index, null, 2));
}

/**
 * The publication record of a data file: looked up in the index of its
 * directory and of each parent up to three levels (the data directory may be
 * a parent of the source folders).
 */
export function publicationOf(file: string): Publication | undefined {
  let dir = dirname(file);
  for (let i = 0; i < 4; i++) {
    const index = readIndex(dir);
    const hit = index.files[relative(dir, file).split("\\").join("/")];
    if (hit) return hit;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** An HTTP date (Last-Modified) or an ISO date as an ISO date-time, or undefined. */
export function isoDate(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const t = Date.parse(raw);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}
