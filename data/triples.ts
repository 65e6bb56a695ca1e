// Collects the triples of one source and serialises them to N-Triples chunks
// for Oxigraph's bulk loader. Empty values are skipped here once, so loaders
// can hand over optional CSV cells as they come.
//
// The text is written directly, in the canonical form n3's Writer gives
// (same escapes, same spacing: tests/triples.test.ts compares the two):
// building an n3 term and quad object per triple and serialising them again
// was most of the CPU a kept Sirene row cost.
import { XSD } from "../vocab/namespaces.ts";

const CHUNK = 50_000;

const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";

// Characters that canonical N-Triples escapes: U+0000–U+001F, `"`, `\`, U+007F, U+FFFE, U+FFFF.
const NEEDS_ESCAPE = /[^ !#-\[\]-~\u0080-\uFFFD]/;
const ESCAPE_ALL = /[^ !#-\[\]-~\u0080-\uFFFD]/g;
const SHORT_ESCAPES: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b", "\f": "\\f" };
const escapeChar = (c: string) => SHORT_ESCAPES[c] ?? "\\u" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
const escaped = (s: string) => (NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE_ALL, escapeChar) : s);

export class TripleSink {
  private pending = "";
  private inChunk = 0;
  private readonly done: string[] = [];
  count = 0;

  /**
   * With `onChunk`, each chunk of N-Triples is handed over as soon as it is
   * written (the load streams into the store) instead of being kept.
   */
  constructor(private readonly onChunk?: (ntriples: string) => void) {}

  /** subject and object are IRIs */
  iri(s: string, p: string, o: string | undefined | null): void {
    if (!o) return;
    this.push(`<${escaped(s)}> <${escaped(p)}> <${escaped(o)}> .\n`);
  }

  /** A plain, language-tagged (`lang` like "fr") or typed (`datatype` an IRI) literal. */
  lit(s: string, p: string, value: string | number | undefined | null, langOrDatatype?: string): void {
    if (value === undefined || value === null) return;
    const v = typeof value === "number" ? String(value) : value.trim();
    if (!v) return;
    const head = `<${escaped(s)}> <${escaped(p)}> "${escaped(v)}"`;
    if (!langOrDatatype) this.push(`${head} .\n`);
    else if (!langOrDatatype.includes(":")) this.push(`${head}@${langOrDatatype.toLowerCase()} .\n`);
    else if (langOrDatatype === XSD_STRING) this.push(`${head} .\n`);
    else this.push(`${head}^^<${escaped(langOrDatatype)}> .\n`);
  }

  /** A year ("1971") or a date ("2012-01-01") as xsd:gYear or xsd:date; anything else is dropped. */
  date(s: string, p: string, value: string | undefined | null): void {
    const v = value?.trim();
    if (!v) return;
    if (/^\d{4}$/.test(v)) this.lit(s, p, v, XSD.gYear);
    else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) this.lit(s, p, v, XSD.date);
  }

  private push(line: string): void {
    this.pending += line;
    this.count++;
    if (++this.inChunk >= CHUNK) this.flush();
  }

  private flush(): void {
    if (!this.inChunk) return;
    const text = this.pending;
    this.pending = "";
    this.inChunk = 0;
    if (this.onChunk) this.onChunk(text);
    else this.done.push(text);
  }

  /** The N-Triples text, in chunks of at most 50,000 triples (with `onChunk`: hands over the last one, returns none). */
  chunks(): string[] {
    this.flush();
    return this.done;
  }
}
