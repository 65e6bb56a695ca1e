// The RDF serialisations refx writes: their media types and file extensions
// (an HTTP answer's Content-Type, a download's or a CLI output's name).
export type RdfFormat = "turtle" | "ntriples" | "nquads" | "jsonld" | "rdfxml";

export const RDF_TYPES: Record<RdfFormat, string> = {
  turtle: "text/turtle",
  ntriples: "application/n-triples",
  nquads: "application/n-quads",
  jsonld: "application/ld+json",
  rdfxml: "application/rdf+xml",
};

/** File extensions, for downloads. */
export const RDF_EXTENSIONS: Record<RdfFormat, string> = { turtle: "ttl", ntriples: "nt", nquads: "nq", jsonld: "jsonld", rdfxml: "rdf" };
