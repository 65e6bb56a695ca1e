// Serialises quads through a throwaway Oxigraph store: one writer for
// Turtle, N-Triples, N-Quads, JSON-LD and RDF/XML, the same as the endpoint's.
import oxigraph from "oxigraph";
import { RDF_TYPES, type RdfFormat } from "./rdf-formats.ts";

type AnyQuad = Parameters<typeof oxigraph.fromQuad>[0];

export function serialiseQuads(quads: readonly AnyQuad[], format: RdfFormat): string {
  const store = new oxigraph.Store();
  for (const q of quads) store.add(oxigraph.fromQuad(q) as oxigraph.Quad);
  if (format === "nquads") return store.dump({ format: RDF_TYPES.nquads });
  // Triples formats: every graph is written as the default graph.
  const merged = new oxigraph.Store();
  for (const q of store.match(null, null, null, null)) merged.add(oxigraph.quad(q.subject, q.predicate, q.object));
  return merged.dump({ format: RDF_TYPES[format], from_graph_name: oxigraph.defaultGraph() });
}
