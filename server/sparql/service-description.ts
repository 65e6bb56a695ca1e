// The SPARQL 1.1 Service Description returned for a bare GET /sparql, and the
// query page a browser gets instead.
import { DCTERMS, RDF, RDFS } from "../../vocab/namespaces.ts";
import { DCAT2, FORMATS, RDFS2, SD, VOID2 } from "../../vocab/service.ts";
import { esc } from "../linked-data/html.ts";
import { page } from "../linked-data/html.ts";
import { Doc } from "../linked-data/rdf.ts";
import type { SparqlOptions } from "./config.ts";
import { EXAMPLES } from "./examples.ts";

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

/** What a browser gets at /sparql: a query form, the examples, and links to the description. */
export function queryPage(o: SparqlOptions, graphs: string[], query = ""): string {
  const examples = EXAMPLES.map(
    (e) => `<li><a href="#q" data-query="${esc(e.text)}" onclick="document.getElementById('q').value=this.dataset.query;return false">${esc(e.title)}</a></li>`,
  ).join("\n");
  const body = `<h1>SPARQL endpoint</h1>
<p>SPARQL 1.1 Query over the referentials (UAI, RNSR, Sirene, Wikidata, ROR). Read-only. The default graph is the union of every named graph;
relative IRIs resolve against this server (<code>&lt;/id/uai/0751717J&gt;</code>, <code>&lt;/graph/rnsr&gt;</code>).
Limits: ${esc(o.timeoutMs / 1000)} s per query, ${esc(o.maxResults)} results. <code>SERVICE</code> may call: ${o.allowServices.map((s) => `<code>${esc(s)}</code>`).join(", ") || "none"}.</p>
<form method="get" action="/sparql">
<textarea id="q" name="query" rows="16">${esc(query || EXAMPLES[0].text)}</textarea>
<p><label>Results as <select name="format">
<option value="json">SPARQL JSON</option><option value="xml">SPARQL XML</option><option value="csv">CSV</option><option value="tsv">TSV</option>
<option value="ttl">Turtle (CONSTRUCT, DESCRIBE)</option><option value="jsonld">JSON-LD</option><option value="nt">N-Triples</option><option value="rdfxml">RDF/XML</option>
</select></label> <button type="submit">Run</button></p>
</form>
<h2>Examples</h2>
<ul>${examples}</ul>
<h2>Named graphs</h2>
<ul>${graphs.map((g) => `<li><code>${esc(g)}</code></li>`).join("\n")}</ul>
<p>Service description: <a href="/sparql?format=ttl">Turtle</a> · <a href="/sparql?format=jsonld">JSON-LD</a>. Catalogue: <a href="/catalog">/catalog</a>.</p>`;
  return page({ title: "SPARQL endpoint", body, alternates: [["/sparql?format=ttl", "text/turtle"]] });
}
