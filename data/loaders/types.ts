// What every loader receives and returns. A loader reads one file of its
// source's published format and writes triples into the sink; it never touches
// the store, so a file that fails to parse cannot leave half a graph behind.
import type { TripleSink } from "../triples.ts";
import type { SourceId } from "../sources.ts";

/** Identifiers that one source points to and a later source needs (Sirene keeps what others cite). */
export interface CrossReferences {
  sirens: Set<string>;
  sirets: Set<string>;
  /** SIRENs Sirene kept, with their name, for the establishments that follow. */
  keptSirens: Map<string, string>;
  /** Set once a StockUniteLegale file was read: without it no establishment may be loaded. */
  sireneUnitsRead: boolean;
}

export function emptyCrossReferences(): CrossReferences {
  return { sirens: new Set(), sirets: new Set(), keptSirens: new Map(), sireneUnitsRead: false };
}

export interface LoadContext {
  /** Base of refx URIs, without trailing slash, e.g. http://localhost:3000 */
  base: string;
  /** Path of the file being read, as shown in messages. */
  file: string;
  refs: CrossReferences;
  /** Bytes read so far out of `total`, for progress bars. */
  onProgress?: (bytes: number, total: number) => void;
}

export interface LoadOutcome {
  /** Records read (CSV rows, JSON records). */
  rows: number;
  /** Entities described. */
  entities: number;
  /** Records deliberately left out, by reason (e.g. "not diffusible"). */
  skipped: Record<string, number>;
  warnings: string[];
}

export type Loader = (ctx: LoadContext, sink: TripleSink) => Promise<LoadOutcome>;

export type SourceLoaders = Record<SourceId, Loader>;
