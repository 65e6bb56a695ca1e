// The SPARQL 1.1 Service Description returned for a bare GET /sparql (a
// browser gets the editor page instead: server/web/sparql-page.ts).
import { DCTERMS, RDF, RDFS } from "../../vocab/namespaces.ts";
import { DCAT2, FORMATS, RDFS2, SD, VOID2 } from "../../vocab/service.ts";
import { Doc } from "../../app/rdf.ts";
import type { SparqlOptions } from "./config.ts";

export function serviceDescription(base: string, graphs: { graph: string; triples?: number }[], o: SparqlOptions): Doc {
  const ep = `${base}/sparql`;
  const ds = `${ep}#dataset`;
  const doc = new Doc()
    .iri(ep, RDF.type, SD.Service)
    .iri(ep, RDF.type, DCAT2.DataService)
    .iri(ep, SD.endpoint, ep)
    .iri(ep, DCAT2.endpointURL, ep)
    .iri(ep, SD.supportedLanguage, SD.SPARQL11Query)
    .iri(ep, SD.feature, SD.UnionDefaultGraph)
    .iri(ep, SD.feature, SD.BasicFederatedQuery)
    .lit(ep, DCTERMS.title, "refx SPARQL endpoint: French higher-education and research referentials", "en")
    .lit(
      ep,
      RDFS2.comment,
      `Read-only SPARQL 1.1 Query. The default graph is the union of all named graphs. Each query is cut off after ${o.timeoutMs / 1000} s (503) ` +
        `and results beyond ${o.maxResults} rows or triples are cut (header X-Result-Truncated). SERVICE may only call: ${o.allowServices.join(", ") || "(none)"}.`,
      "en",
    )
    .iri(ep, RDFS.seeAlso, `${base}/catalog`)
    .iri(ep, SD.defaultDataset, ds)
    .iri(ds, RDF.type, SD.Dataset)
    .iri(ds, SD.defaultGraph, `${ds}-default`)
    .iri(`${ds}-default`, RDF.type, SD.Graph);
  for (const f of [FORMATS.SPARQL_Results_JSON, FORMATS.SPARQL_Results_XML, FORMATS.SPARQL_Results_CSV, FORMATS.SPARQL_Results_TSV, FORMATS.Turtle, FORMATS["N-Triples"], FORMATS["JSON-LD"], FORMATS.RDF_XML]) {
    doc.iri(ep, SD.resultFormat, f);
  }
  let total = 0;
  for (const g of graphs) {
    const ng = `${g.graph}#sd`;
    doc.iri(ds, SD.namedGraph, ng).iri(ng, RDF.type, SD.NamedGraph).iri(ng, SD.name, g.graph).iri(ng, SD.graph, g.graph).iri(g.graph, RDF.type, SD.Graph);
    doc.iri(ep, DCAT2.servesDataset, g.graph);
    if (g.triples !== undefined) {
      doc.lit(g.graph, VOID2.triples, g.triples);
      total += g.triples;
    }
  }
  if (graphs.every((g) => g.triples !== undefined)) doc.lit(`${ds}-default`, VOID2.triples, total);
  return doc;
}
