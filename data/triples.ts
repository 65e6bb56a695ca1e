// Collects the triples of one source and serialises them to N-Triples chunks
// for Oxigraph's bulk loader. Empty values are skipped here once, so loaders
// can hand over optional CSV cells as they come.
import { DataFactory, Writer, type Quad } from "n3";
import { XSD } from "../vocab/namespaces.ts";

const { namedNode, literal, quad } = DataFactory;

const CHUNK = 50_000;

export class TripleSink {
  private pending: Quad[] = [];
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
    this.push(quad(namedNode(s), namedNode(p), namedNode(o)));
  }

  /** A plain, language-tagged (`lang` like "fr") or typed (`datatype` an IRI) literal. */
  lit(s: string, p: string, value: string | number | undefined | null, langOrDatatype?: string): void {
    if (value === undefined || value === null) return;
    const v = typeof value === "number" ? String(value) : value.trim();
    if (!v) return;
    const tag = langOrDatatype
      ? langOrDatatype.includes(":") ? namedNode(langOrDatatype) : langOrDatatype.toLowerCase()
      : undefined;
    this.push(quad(namedNode(s), namedNode(p), literal(v, tag)));
  }

  /** A year ("1971") or a date ("2012-01-01") as xsd:gYear or xsd:date; anything else is dropped. */
  date(s: string, p: string, value: string | undefined | null): void {
    const v = value?.trim();
    if (!v) return;
    if (/^\d{4}$/.test(v)) this.lit(s, p, v, XSD.gYear);
    else if (/^\d{4}-\d{2}-\d{2}$/.test(v)) this.lit(s, p, v, XSD.date);
  }

  private push(q: Quad): void {
    this.pending.push(q);
    this.count++;
    if (this.pending.length >= CHUNK) this.flush();
  }

  private flush(): void {
    if (!this.pending.length) return;
    const text = new Writer({ format: "N-Triples" }).quadsToString(this.pending);
    this.pending = [];
    if (this.onChunk) this.onChunk(text);
    else this.done.push(text);
  }

  /** The N-Triples text, in chunks of at most 50,000 triples (with `onChunk`: hands over the last one, returns none). */
  chunks(): string[] {
    this.flush();
    return this.done;
  }
}
