// How one query of a batch says what happened to it. A batch is answered
// query by query: a query that cannot be answered gets no candidates and an
// `error`; one answered after an adjustment (a type ignored, a cell cut at
// 1,000 characters) gets `warnings`. Both versions' result schemas allow these
// extra members on a query's result, and OpenRefine ignores them, so no row is
// lost to its neighbour's bad cell (docs/reconciliation-api.md).

export interface Notice {
  /** Stable, for scripts: unknown_type, unknown_property, empty_query, truncated, ... */
  code: string;
  message: string;
}

/** Thrown while reading one query: that query alone is refused, the batch goes on. */
export class QueryRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const refuse = (code: string, message: string) => new QueryRefusal(code, message);

/** Collects the warnings of one query while it is read. */
export class Notes {
  readonly warnings: Notice[] = [];

  warn(code: string, message: string): void {
    // One line a problem: fifty identical properties need not give fifty warnings.
    if (!this.warnings.some((w) => w.code === code && w.message === message)) this.warnings.push({ code, message });
  }
}

/** The members a query's result carries beside its candidates. */
export function outcome(warnings: Notice[], error?: Notice): { error?: Notice; warnings?: Notice[] } {
  return { ...(error ? { error } : {}), ...(warnings.length ? { warnings } : {}) };
}
