// The DCAT catalogue of the loaded datasets (/catalog) and their VoID
// statistics (/void): one dataset per named graph, described from the
// graph's own description (data/provenance.ts) and from counts the query
// worker computes once per loaded store.
import type { GraphStore } from "../../data/store.ts";
import { graphUri, SOURCES, type SourceId } from "../../data/sources.ts";
import { DCAT, DCTERMS, PREFIXES, PROV, RDF, RDFS, SCHEMA, XSD } from "../../vocab/namespaces.ts";
import { DCAT2, DCTERMS2, FOAF, mediaTypeIri, VOID2 } from "../../vocab/service.ts";
import type { Served } from "../state.ts";
import { RDF_EXTENSIONS, RDF_TYPES, type RdfFormat } from "../http/negotiation.ts";
import type { JsonResults } from "../sparql/results.ts";
import { graphInfos } from "../../app/describe.ts";
import { Doc } from "../../app/rdf.ts";
import { graphList } from "../../app/export-stream.ts";

// Still offered here to the SPARQL router, which lists the graphs too.
export { graphList };

const LO2 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
export const EXPORT_FORMATS: RdfFormat[] = ["turtle", "ntriples", "nquads", "jsonld"];

/** The source id of a refx graph (`links` for the links graph). */
export function sourceOfGraph(base: string, graph: string): SourceId | "links" | undefined {
  if (graph === graphUri(base, "links")) return "links";
  return SOURCES.find((s) => graphUri(base, s.id) === graph)?.id;
}

/** Where the entities of each scheme live: a graph's URI space and the dataset that a link into it targets. */
export function uriSpaces(base: string): { scheme: string; space: string; owner: string }[] {
  return [
    { scheme: "uai", space: `${base}/id/uai/`, owner: graphUri(base, "uai") },
    { scheme: "rnsr", space: `${base}/id/rnsr/`, owner: graphUri(base, "rnsr") },
    { scheme: "siren", space: `${base}/id/siren/`, owner: graphUri(base, "sirene-ul") },
    { scheme: "siret", space: `${base}/id/siret/`, owner: graphUri(base, "sirene-etab") },
    { scheme: "wikidata", space: PREFIXES.wd, owner: `${base}/void#wikidata` },
    { scheme: "ror", space: "https://ror.org/", owner: `${base}/void#ror` },
  ];
}

const GRAPH_SPACE: Partial<Record<SourceId, string>> = { uai: "uai", education: "uai", rnsr: "rnsr", "sirene-ul": "siren", "sirene-etab": "siret", wikidata: "wikidata", ror: "ror" };

export interface GraphStats {
  graph: string;
  triples: number;
  distinctSubjects: number;
  properties: number;
  classes: { cls: string; entities: number }[];
  linksets: { predicate: string; from: string; to: string; triples: number }[];
}

const statsCache = new WeakMap<GraphStore, Promise<GraphStats[]>>();

/** Counts per graph (triples, subjects, properties, classes, links into other URI spaces), computed by the query worker once per store. */
export function graphStats(served: Served, base: string): Promise<GraphStats[]> {
  const store = served.store;
  let p = statsCache.get(store);
  if (!p) {
    p = computeStats(served, base);
    statsCache.set(store, p);
    p.catch(() => statsCache.delete(store));
  }
  return p;
}

/** The stats when already computed, without waiting. */
export async function graphStatsIfReady(store: GraphStore): Promise<GraphStats[] | undefined> {
  const p = statsCache.get(store);
  if (!p) return undefined;
  const settled = await Promise.race([p, new Promise<undefined>((r) => setImmediate(() => r(undefined)))]);
  return settled ?? undefined;
}

async function computeStats(served: Served, base: string): Promise<GraphStats[]> {
  const engine = served.sparql.get();
  const run = async (text: string) => {
    const a = await engine.run({ text, form: "SELECT", capped: false, maxResults: 1e9, baseIri: base + "/", resultsFormat: "json", federated: false, allowServices: [] });
    return (JSON.parse(a.body) as JsonResults).results!.bindings.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, String(v.value)])));
  };
  const spaces = uriSpaces(base);
  const scheme = (v: string) => spaces.reduceRight((acc, s) => `IF(STRSTARTS(STR(${v}), ${JSON.stringify(s.space)}), ${JSON.stringify(s.scheme)}, ${acc})`, '""');
  const [sizes, classes, links] = [
    await run("SELECT ?g (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
    await run("SELECT ?g ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } } GROUP BY ?g ?class ORDER BY ?g DESC(?n)"),
    await run(`SELECT ?g ?p ?ss ?os (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o FILTER(isIRI(?o)) } BIND(${scheme("?s")} AS ?ss) BIND(${scheme("?o")} AS ?os) FILTER(?ss != "" && ?os != "" && ?ss != ?os) } GROUP BY ?g ?p ?ss ?os ORDER BY ?g DESC(?n)`),
  ];
  return sizes.map((s) => ({
    graph: s.g,
    triples: Number(s.triples),
    distinctSubjects: Number(s.subjects),
    properties: Number(s.properties),
    classes: classes.filter((c) => c.g === s.g).map((c) => ({ cls: c.class, entities: Number(c.n) })),
    linksets: links.filter((l) => l.g === s.g).map((l) => ({ predicate: l.p, from: l.ss, to: l.os, triples: Number(l.n) })),
  }));
}

/** One dataset a graph, from its own description; the links graph, made by refx, is described here. */
export interface DatasetFacts {
  graph: string;
  source: SourceId | "links";
  title: string;
  publisher: string;
  licence: string;
  licenceLabel: string;
  landingPage?: string;
  issued?: string;
  modified?: string;
  entities?: number;
  /** Source files: [distribution IRI, quads describing it]. */
  files: { iri: string; title?: string; downloadUrl?: string; byteSize?: string; modified?: string }[];
}

export async function datasetFacts(store: GraphStore, base: string): Promise<DatasetFacts[]> {
  // refx's own graphs only: the sources' and the links graph.
  const graphs = (await graphList(store)).filter((g) => sourceOfGraph(base, g));
  const infos = new Map((await graphInfos(store, graphs)).map((i) => [i.graph, i]));
  const newest = [...infos.values()].map((i) => i.loaded).filter(Boolean).sort().at(-1);
  return Promise.all(graphs.map(async (graph): Promise<DatasetFacts> => {
    const source = sourceOfGraph(base, graph)!;
    if (source === "links") {
      return {
        graph, source, title: "Liens entre référentiels (owl:sameAs, clôture)", publisher: "refx",
        licence: LO2, licenceLabel: "Licence Ouverte 2.0", issued: newest, modified: newest, files: [],
      };
    }
    const i = infos.get(graph)!;
    const files = (await store.select(
      `SELECT ?d ?p ?o WHERE { GRAPH <${graph}> { <${graph}> <${DCAT.distribution}> ?d . ?d ?p ?o } }`,
    )).reduce((acc, r) => {
      const iri = r.d;
      const f = acc.get(iri) ?? { iri };
      const v = r.o;
      const p = r.p;
      if (p === DCTERMS.title) f.title = v;
      if (p === DCAT.downloadURL) f.downloadUrl = v;
      if (p === DCAT.byteSize) f.byteSize = v;
      if (p === DCTERMS.modified) f.modified = v;
      acc.set(iri, f);
      return acc;
    }, new Map<string, DatasetFacts["files"][number]>());
    const entities = (await store.select(`SELECT ?n WHERE { GRAPH <${graph}> { <${graph}> <http://rdfs.org/ns/void#entities> ?n } }`))[0]?.n;
    const info = SOURCES.find((s) => s.id === source)!;
    return {
      graph, source, title: i.title ?? info.title, publisher: i.publisher ?? info.publisher, licence: i.licence ?? info.licence,
      licenceLabel: i.licenceLabel ?? info.licenceLabel, landingPage: i.landingPage, issued: i.loaded, modified: i.modified,
      entities: entities ? Number(entities) : undefined, files: [...files.values()],
    };
  }));
}

/** The DCAT catalogue: catalogue, datasets, distributions (source files and refx exports), the SPARQL data service. */
export function catalogDoc(base: string, facts: DatasetFacts[]): Doc {
  const cat = `${base}/catalog`;
  const sparql = `${base}/sparql`;
  const doc = new Doc()
    .iri(cat, RDF.type, DCAT2.Catalog)
    .lit(cat, DCTERMS.title, "refx : référentiels de l'enseignement supérieur et de la recherche", "fr")
    .lit(cat, DCTERMS.title, "refx: French higher-education and research referentials", "en")
    .lit(cat, DCTERMS.description, "UAI, Annuaire de l'éducation, RNSR, Sirene, Wikidata and ROR, loaded as linked RDF, one named graph per source, joined by owl:sameAs.", "en")
    .iri(cat, FOAF.homepage, `${base}/`)
    .iri(cat, DCTERMS.publisher, `${cat}#publisher`)
    .iri(`${cat}#publisher`, RDF.type, FOAF.Agent)
    .lit(`${cat}#publisher`, FOAF.name, "refx")
    .iri(cat, DCAT2.service, sparql)
    .iri(cat, RDFS.seeAlso, `${base}/void`)
    .iri(sparql, RDF.type, DCAT2.DataService)
    .lit(sparql, DCTERMS.title, "SPARQL 1.1 endpoint", "en")
    .iri(sparql, DCAT2.endpointURL, sparql)
    .iri(sparql, DCAT2.endpointDescription, sparql)
    .iri(sparql, DCTERMS2.conformsTo, "https://www.w3.org/TR/sparql11-protocol/");
  const modified = facts.map((f) => f.issued).filter(Boolean).sort().at(-1);
  if (modified) doc.lit(cat, DCTERMS.modified, modified, XSD.dateTime);
  for (const f of facts) {
    const g = f.graph;
    const publisher = `${g}#publisher`;
    doc.iri(cat, DCAT2.dataset, g).iri(sparql, DCAT2.servesDataset, g)
      .iri(g, RDF.type, DCAT2.Dataset).iri(g, RDF.type, VOID2.Dataset)
      .lit(g, DCTERMS.title, f.title, "fr")
      .iri(g, DCTERMS.publisher, publisher).iri(publisher, RDF.type, FOAF.Agent).lit(publisher, FOAF.name, f.publisher)
      .iri(g, DCTERMS.license, f.licence).lit(f.licence, RDFS.label, f.licenceLabel)
      .iri(g, DCAT2.landingPage, f.landingPage)
      .lit(g, DCTERMS.issued, f.issued, XSD.dateTime)
      .lit(g, DCTERMS.modified, f.modified, XSD.dateTime)
      .iri(g, VOID2.sparqlEndpoint, sparql)
      .lit(g, VOID2.entities, f.entities);
    if (f.source === "links") doc.lit(g, DCTERMS.description, "Symmetric, transitive closure of the owl:sameAs statements of every source graph: one hop from any identifier to every other.", "en");
    for (const file of f.files) {
      doc.iri(g, DCAT2.distribution, file.iri).iri(file.iri, RDF.type, DCAT2.Distribution)
        .lit(file.iri, DCTERMS.title, file.title)
        .iri(file.iri, DCAT2.downloadURL, file.downloadUrl)
        .iri(file.iri, DCAT2.accessURL, f.landingPage ?? file.downloadUrl)
        .lit(file.iri, DCAT2.byteSize, file.byteSize, XSD.integer)
        .lit(file.iri, DCTERMS.modified, file.modified, XSD.dateTime)
        .iri(file.iri, DCTERMS.license, f.licence)
        .lit(file.iri, DCTERMS.description, "the publisher's file that refx loaded", "en");
    }
    for (const fmt of EXPORT_FORMATS) {
      const url = `${base}/export/${f.source}?format=${RDF_EXTENSIONS[fmt]}`;
      const d = `${g}#export-${RDF_EXTENSIONS[fmt]}`;
      doc.iri(g, DCAT2.distribution, d).iri(d, RDF.type, DCAT2.Distribution)
        .lit(d, DCTERMS.title, `${f.title} (${RDF_EXTENSIONS[fmt]}, refx export)`)
        .iri(d, DCAT2.downloadURL, url).iri(d, DCAT2.accessURL, url)
        .iri(d, DCAT2.mediaType, mediaTypeIri(RDF_TYPES[fmt]))
        .iri(d, DCTERMS.license, f.licence)
        .iri(d, DCAT2.accessService, sparql)
        .iri(d, PROV.wasDerivedFrom, f.landingPage);
      doc.iri(g, VOID2.dataDump, url);
    }
  }
  return doc;
}

/** VoID: each graph's statistics, class partitions, and linksets into the other datasets. */
export function voidDoc(base: string, facts: DatasetFacts[], stats: GraphStats[]): Doc {
  const self = `${base}/void`;
  const all = `${base}/void#refx`;
  const spaces = uriSpaces(base);
  const owner = (scheme: string) => spaces.find((s) => s.scheme === scheme)!.owner;
  const doc = new Doc()
    .iri(self, RDF.type, "http://rdfs.org/ns/void#DatasetDescription")
    .lit(self, DCTERMS.title, "VoID description of refx", "en")
    .iri(self, FOAF.page, `${base}/catalog`)
    .iri(all, RDF.type, VOID2.Dataset)
    .lit(all, DCTERMS.title, "refx: all referentials", "en")
    .iri(all, VOID2.sparqlEndpoint, `${base}/sparql`)
    .iri(all, VOID2.dataDump, `${base}/export/all?format=nq`)
    .lit(all, VOID2.triples, stats.reduce((n, s) => n + s.triples, 0));
  for (const v of ["schema", "org", "skos", "dcterms", "owl", "adms", "geo", "wdt", "dcat", "prov", "void"] as const) doc.iri(all, VOID2.vocabulary, PREFIXES[v]);
  const external = [
    { iri: `${base}/void#wikidata`, title: "Wikidata", home: "https://www.wikidata.org/", space: PREFIXES.wd, sparql: "https://query.wikidata.org/sparql", licence: "https://creativecommons.org/publicdomain/zero/1.0/" },
    { iri: `${base}/void#ror`, title: "Research Organization Registry (ROR)", home: "https://ror.org/", space: "https://ror.org/", sparql: undefined, licence: "https://creativecommons.org/publicdomain/zero/1.0/" },
  ];
  for (const e of external) {
    doc.iri(e.iri, RDF.type, VOID2.Dataset).lit(e.iri, DCTERMS.title, e.title).iri(e.iri, FOAF.homepage, e.home)
      .lit(e.iri, VOID2.uriSpace, e.space).iri(e.iri, VOID2.sparqlEndpoint, e.sparql).iri(e.iri, DCTERMS.license, e.licence);
  }
  for (const f of facts) {
    const g = f.graph;
    const s = stats.find((x) => x.graph === g);
    doc.iri(all, VOID2.subset, g).iri(g, RDF.type, VOID2.Dataset).lit(g, DCTERMS.title, f.title, "fr")
      .iri(g, DCTERMS.license, f.licence).iri(g, VOID2.sparqlEndpoint, `${base}/sparql`)
      .iri(g, VOID2.dataDump, `${base}/export/${f.source}?format=nt`);
    const space = f.source === "links" ? undefined : GRAPH_SPACE[f.source];
    if (space) doc.lit(g, VOID2.uriSpace, spaces.find((x) => x.scheme === space)!.space);
    if (!s) continue;
    const orgs = s.classes.find((c) => c.cls === SCHEMA.Organization)?.entities;
    doc.lit(g, VOID2.triples, s.triples).lit(g, VOID2.distinctSubjects, s.distinctSubjects).lit(g, VOID2.properties, s.properties)
      .lit(g, VOID2.classes, s.classes.length).lit(g, VOID2.entities, orgs ?? f.entities);
    s.classes.forEach((c, i) => {
      const part = `${g}#class-${i + 1}`;
      doc.iri(g, VOID2.classPartition, part).iri(part, VOID2.class, c.cls).lit(part, VOID2.entities, c.entities);
    });
    s.linksets.forEach((l, i) => {
      const ls = `${g}#linkset-${i + 1}`;
      const from = space === l.from ? g : owner(l.from);
      doc.iri(g, VOID2.subset, ls).iri(ls, RDF.type, VOID2.Linkset).iri(ls, VOID2.linkPredicate, l.predicate)
        .iri(ls, VOID2.subjectsTarget, from).iri(ls, VOID2.objectsTarget, owner(l.to)).lit(ls, VOID2.triples, l.triples)
        .lit(ls, DCTERMS.description, `${l.from} → ${l.to}`);
    });
  }
  return doc;
}
