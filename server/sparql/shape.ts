// A cheap look at a query's shape before any parser sees it. sparqljs (on the
// main thread) and Oxigraph (in the query worker) parse and plan recursively:
// a query nested a few thousand deep blocks the main thread for minutes, and
// one with thousands of UNION branches, OPTIONALs or chained operators
// overflows the WASM stack and leaves the engine broken ("memory access out of
// bounds"). One linear scan over the text — strings, IRIs and comments skipped
// — counts what makes those parsers recurse, and refuses a query past the
// limits below with a client error naming the limit. The limits sit well
// below where the parsers fail (measured in docs/sparql.md) and well above
// what a hand-written or generated query needs.
import { QueryRefused } from "./analyse.ts";

export const QUERY_LIMITS = {
  /** Characters of query text (a 1 MB query takes sparqljs seconds of main-thread time). */
  maxChars: 100_000,
  /** Depth of nested braces, parentheses and brackets together. */
  maxNesting: 64,
  /** UNION, OPTIONAL, MINUS, FILTER, BIND, GRAPH, SERVICE, EXISTS, VALUES and sub-SELECTs together. */
  maxAlgebra: 256,
  /** Operators of expressions and property paths (|| && = != < > <= >= + - * / ! ^ |). */
  maxOperators: 500,
} as const;

export interface QueryShape {
  chars: number;
  nesting: number;
  algebra: number;
  operators: number;
}

const ALGEBRA = new Set(["UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "EXISTS", "VALUES", "SELECT"]);
const IRI = /<[^<>"{}|^`\\\x00-\x20]*>/y;
const WORD = /[A-Za-z_\u00C0-\uFFFF][\w\u00B7\u00C0-\uFFFF.\-:%]*/y;
const NUMBER = /[0-9][0-9.eE]*/y;

/** Counts, in one pass, what the recursive parsers recurse on. Stops counting once a limit is passed. */
export function measureQuery(text: string): QueryShape {
  const shape: QueryShape = { chars: text.length, nesting: 0, algebra: 0, operators: 0 };
  let depth = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "#") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end + 1;
    } else if (c === '"' || c === "'") {
      i = skipString(text, i, c);
    } else if (c === "<") {
      IRI.lastIndex = i;
      if (IRI.test(text)) i = IRI.lastIndex;
      else {
        shape.operators++;
        i++;
      }
    } else if (c === "{" || c === "(" || c === "[") {
      depth++;
      if (depth > shape.nesting) shape.nesting = depth;
      i++;
    } else if (c === "}" || c === ")" || c === "]") {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (c === "?" || c === "$") {
      WORD.lastIndex = i + 1;
      i = WORD.test(text) ? WORD.lastIndex : i + 1;
    } else if (c === "^" && text[i + 1] === "^") {
      i += 2; // a datatype ("1"^^xsd:int), not a path operator
    } else if ("|&=!>+-*/^".includes(c)) {
      shape.operators++;
      // Two-character operators (||, &&, !=, <=, >=) count once.
      i += (c === "|" || c === "&") && text[i + 1] === c ? 2 : (c === "!" || c === ">") && text[i + 1] === "=" ? 2 : 1;
    } else if (c >= "0" && c <= "9") {
      NUMBER.lastIndex = i;
      NUMBER.test(text);
      i = NUMBER.lastIndex;
    } else {
      WORD.lastIndex = i;
      if (WORD.test(text)) {
        const word = text.slice(i, WORD.lastIndex);
        // A local name may hold dashes (ex:foo-bar): only a bare keyword counts.
        if (word.length <= 8 && ALGEBRA.has(word.toUpperCase())) shape.algebra++;
        i = WORD.lastIndex;
      } else i++;
    }
    if (shape.nesting > QUERY_LIMITS.maxNesting || shape.algebra > QUERY_LIMITS.maxAlgebra || shape.operators > QUERY_LIMITS.maxOperators) break;
  }
  return shape;
}

function skipString(text: string, i: number, quote: string): number {
  const long = text.startsWith(quote.repeat(3), i);
  const close = long ? quote.repeat(3) : quote;
  let j = i + close.length;
  while (j < text.length) {
    if (text[j] === "\\") j += 2;
    else if (text.startsWith(close, j)) return j + close.length;
    else if (!long && (text[j] === "\n" || text[j] === "\r")) return j;
    else j++;
  }
  return j;
}

/** Refuses a query past a limit: 413 for its size, 400 `query_too_complex` for its shape. */
export function checkQueryShape(text: string): void {
  const L = QUERY_LIMITS;
  if (text.length > L.maxChars) {
    throw new QueryRefused(413, "query_too_large", `the query is ${text.length} characters long; this endpoint takes at most ${L.maxChars}. Split it, or run it on your own copy of the data (GET /export/all)`);
  }
  const s = measureQuery(text);
  const over =
    s.nesting > L.maxNesting
      ? `it nests braces, parentheses or brackets more than ${L.maxNesting} deep`
      : s.algebra > L.maxAlgebra
        ? `it has more than ${L.maxAlgebra} UNION, OPTIONAL, MINUS, FILTER, BIND, GRAPH, SERVICE, EXISTS, VALUES or sub-SELECT clauses`
        : s.operators > L.maxOperators
          ? `it has more than ${L.maxOperators} operators in its expressions and property paths`
          : undefined;
  if (over) throw new QueryRefused(400, "query_too_complex", `the query was refused before it ran: ${over}, this endpoint's limit. Simplify it (VALUES instead of UNIONs of constants, fewer nested groups) or run it on your own copy of the data (GET /export/all)`);
}
