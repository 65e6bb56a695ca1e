// Describes each source graph in DCAT, VoID and PROV, inside the graph itself,
// so the description is replaced together with the data it describes.
import { statSync } from "node:fs";
import { basename } from "node:path";
import { DCAT, DCTERMS, PROV, RDF, RDFS, VOID, XSD } from "../vocab/namespaces.ts";
import { publicationOf } from "./publication.ts";
import type { SourceInfo } from "./sources.ts";
import type { TripleSink } from "./triples.ts";

export interface GraphFacts {
  graph: string;
  source: SourceInfo;
  files: string[];
  rows: number;
  entities: number;
  loadedAt: Date;
}

export function describeGraph(sink: TripleSink, f: GraphFacts): void {
  const g = f.graph;
  const dataTriples = sink.count;
  sink.iri(g, RDF.type, DCAT.Dataset);
  sink.iri(g, RDF.type, VOID.Dataset);
  sink.iri(g, RDF.type, PROV.Entity);
  sink.lit(g, DCTERMS.title, f.source.title, "fr");
  sink.lit(g, DCTERMS.publisher, f.source.publisher, "fr");
  sink.iri(g, DCTERMS.license, f.source.licence);
  sink.lit(g, RDFS.label, f.source.licenceLabel);
  sink.iri(g, DCAT.landingPage, f.source.landingPage);
  sink.lit(g, PROV.generatedAtTime, f.loadedAt.toISOString(), XSD.dateTime);
  sink.lit(g, VOID.entities, f.entities, XSD.integer);
  sink.lit(g, VOID.triples, dataTriples, XSD.integer);
  const extent = `${g}#extent`;
  sink.iri(g, DCTERMS.extent, extent);
  sink.iri(extent, RDF.type, DCTERMS.SizeOrDuration);
  sink.lit(extent, RDF.value, f.rows, XSD.integer);
  sink.lit(extent, RDFS.label, `${f.rows} records read from the source`, "en");
  let newest = 0;
  f.files.forEach((file, i) => {
    const st = statSync(file);
    // The publisher's date when refx download recorded it; a file put there by hand has only its mtime.
    const published = Date.parse(publicationOf(file)?.published ?? "") || st.mtimeMs;
    newest = Math.max(newest, published);
    const d = `${g}#file-${i + 1}`;
    sink.iri(g, DCAT.distribution, d);
    sink.iri(g, PROV.wasDerivedFrom, d);
    sink.iri(d, RDF.type, DCAT.Distribution);
    sink.lit(d, DCTERMS.title, basename(file));
    sink.iri(d, DCAT.downloadURL, f.source.downloadUrl);
    sink.lit(d, DCAT.byteSize, st.size, XSD.integer);
    sink.lit(d, DCTERMS.modified, new Date(published).toISOString(), XSD.dateTime);
  });
  if (newest) sink.lit(g, DCTERMS.modified, new Date(newest).toISOString(), XSD.dateTime);
}
