// Builds small RDF documents (entity descriptions, the catalogue, VoID, the
// service description) and writes them in every format the service offers:
// Turtle and N-Triples by n3 (Turtle with the project's prefixes), JSON-LD and
// RDF/XML by Oxigraph.
import { DataFactory, Writer, type Quad, type Quad_Object } from "n3";
import { SERVICE_PREFIXES } from "../vocab/service.ts";
import { XSD } from "../vocab/namespaces.ts";
import type { RdfFormat } from "./rdf-formats.ts";
import { serialiseQuads } from "./rdf-out.ts";

const { namedNode, literal, quad, defaultGraph } = DataFactory;

/** Collects triples with the same shorthand as data/triples.ts. */
export class Doc {
  readonly quads: Quad[] = [];
  private readonly seen = new Set<string>();

  add(q: Quad): void {
    const key = `${q.subject.id} ${q.predicate.id} ${q.object.id} ${q.graph.id}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.quads.push(q);
  }

  iri(s: string, p: string, o: string | undefined | null): this {
    if (o) this.add(quad(namedNode(s), namedNode(p), namedNode(o)));
    return this;
  }

  lit(s: string, p: string, value: string | number | undefined | null, langOrDatatype?: string): this {
    if (value === undefined || value === null || value === "") return this;
    const tag = langOrDatatype ? (langOrDatatype.includes(":") ? namedNode(langOrDatatype) : langOrDatatype) : typeof value === "number" ? namedNode(Number.isInteger(value) ? XSD.integer : XSD.decimal) : undefined;
    this.add(quad(namedNode(s), namedNode(p), literal(String(value), tag)));
    return this;
  }

  /** A term taken from a query result or another quad. */
  term(s: string, p: string, o: Quad_Object): this {
    this.add(quad(namedNode(s), namedNode(p), o, defaultGraph()));
    return this;
  }

  write(format: RdfFormat): string {
    return writeRdf(this.quads, format);
  }
}

export function writeRdf(quads: Quad[], format: RdfFormat): string {
  if (format === "turtle") {
    const used = Object.fromEntries(Object.entries(SERVICE_PREFIXES).filter(([, iri]) => quads.some((q) => q.predicate.value.startsWith(iri) || q.object.value.startsWith(iri))));
    const w = new Writer({ prefixes: used });
    w.addQuads(quads.map((q) => quad(q.subject, q.predicate, q.object)));
    let out = "";
    w.end((err, result) => {
      if (err) throw err;
      out = result;
    });
    return out;
  }
  if (format === "ntriples") return new Writer({ format: "N-Triples" }).quadsToString(quads.map((q) => quad(q.subject, q.predicate, q.object)));
  if (format === "nquads") return new Writer({ format: "N-Quads" }).quadsToString(quads);
  return serialiseQuads(quads as never, format);
}
