// The saved store's files: one N-Triples file per named graph and an index
// (`graphs.json`: graph, file, sha256). Written and read in bounded pieces,
// never as one string: at national size a graph's N-Triples is several
// gigabytes, past what V8 holds in a string (~512 M characters) and what
// Oxigraph's WebAssembly memory (4 GB) could hold beside the store.
import { createHash, type Hash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

export interface GraphFileEntry {
  graph: string;
  file: string;
  sha256: string;
}

/** Bytes read at a time when a saved graph is restored (cut at the last line end). */
export const SLICE_BYTES = 8 * 2 ** 20;

/** Writes all of `bytes` (one writeSync may write fewer). */
export function writeBytes(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
}

/** One graph's file being written, piece by piece, with its checksum kept as it goes. */
export class GraphFileWriter {
  private readonly fd: number;
  private readonly hash = createHash("sha256");
  private closed?: string;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  write(ntriples: string | Uint8Array): void {
    if (this.closed) throw new Error("graph file already closed");
    const bytes = typeof ntriples === "string" ? Buffer.from(ntriples, "utf8") : ntriples;
    this.hash.update(bytes);
    writeBytes(this.fd, bytes);
  }

  /** Closes the file; returns its sha256. */
  close(): string {
    if (!this.closed) {
      closeSync(this.fd);
      this.closed = this.hash.digest("hex");
    }
    return this.closed;
  }
}

/** A `graphs/` folder being written: files are opened per graph, the index is written last. */
export class GraphFiles {
  private readonly entries: (Omit<GraphFileEntry, "sha256"> & { writer: GraphFileWriter })[] = [];

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** The writer of `graph`'s file (a new one the first time). */
  writer(graph: string): GraphFileWriter {
    const found = this.entries.find((e) => e.graph === graph);
    if (found) return found.writer;
    const file = `${this.entries.length}.nt`;
    const writer = new GraphFileWriter(join(this.dir, file));
    this.entries.push({ graph, file, writer });
    return writer;
  }

  /** The path of `graph`'s file (opened by `writer`): complete up to the last write, which is synchronous. */
  pathOf(graph: string): string | undefined {
    const found = this.entries.find((e) => e.graph === graph);
    return found && join(this.dir, found.file);
  }

  /** Writes `graph` from N-Triples pieces (a store's bounded dump). */
  writeAll(graph: string, pieces: Iterable<string>): void {
    const w = this.writer(graph);
    for (const piece of pieces) w.write(piece);
  }

  /** Closes every file and writes the index; only `graphs` (in that order) are listed, the others' files are left out. */
  finish(graphs?: readonly string[]): GraphFileEntry[] {
    const closed = this.entries.map(({ graph, file, writer }) => ({ graph, file, sha256: writer.close() }));
    const index = graphs ? graphs.map((g) => closed.find((e) => e.graph === g)!).filter(Boolean) : closed;
    writeFileSync(join(this.dir, "graphs.json"), JSON.stringify(index, null, 2));
    return index;
  }
}

/** The index of a saved store, or undefined when there is none or it predates checksums. */
export function readGraphIndex(dir: string): GraphFileEntry[] | undefined {
  let index: Partial<GraphFileEntry>[];
  try {
    index = JSON.parse(readFileSync(join(dir, "graphs.json"), "utf8")) as Partial<GraphFileEntry>[];
  } catch {
    return undefined;
  }
  // A save without checksums (older refx) cannot be trusted whole.
  return index.every((e) => e.graph && e.file && e.sha256) ? (index as GraphFileEntry[]) : undefined;
}

/**
 * The bytes of a saved graph in slices of about `size` bytes, each ending at
 * a line end (so each is whole N-Triples for the bulk loader, or whole JSON
 * lines), fed to `hash` as they are read. Line ends are single bytes in UTF-8, so a cut never
 * splits a character.
 */
export function* graphFileSlices(path: string, hash?: Hash, size = SLICE_BYTES): Generator<Uint8Array> {
  const fd = openSync(path, "r");
  try {
    let carry: Buffer = Buffer.alloc(0);
    const block = Buffer.allocUnsafe(size);
    for (;;) {
      const n = readSync(fd, block, 0, size, null);
      if (n === 0) break;
      hash?.update(block.subarray(0, n));
      const data = carry.length ? Buffer.concat([carry, block.subarray(0, n)]) : block.subarray(0, n);
      const end = data.lastIndexOf(10) + 1;
      if (end > 0) yield Uint8Array.prototype.slice.call(data, 0, end);
      // The part after the last line end waits for the next block (copied: `block` is reused).
      carry = Buffer.from(data.subarray(end));
    }
    if (carry.length) yield carry;
  } finally {
    closeSync(fd);
  }
}
