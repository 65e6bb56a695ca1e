// Terms for describing the service itself: its SPARQL endpoint (SPARQL 1.1
// Service Description), its catalogue (DCAT 2), its statistics (VoID) and its
// exports (PROV, CSVW). Established vocabularies only, as in namespaces.ts.
import { PREFIXES } from "./namespaces.ts";

export const SERVICE_PREFIXES = {
  ...PREFIXES,
  sd: "http://www.w3.org/ns/sparql-service-description#",
  foaf: "http://xmlns.com/foaf/0.1/",
  formats: "http://www.w3.org/ns/formats/",
  csvw: "http://www.w3.org/ns/csvw#",
} as const;

const ns =
  <T extends string>(base: string, names: readonly T[]) =>
  (): Record<T, string> =>
    Object.fromEntries(names.map((n) => [n, base + n])) as Record<T, string>;

export const SD = ns(SERVICE_PREFIXES.sd, [
  "Service", "endpoint", "supportedLanguage", "SPARQL11Query", "resultFormat", "feature", "UnionDefaultGraph",
  "BasicFederatedQuery", "defaultDataset", "Dataset", "defaultGraph", "namedGraph", "NamedGraph", "name", "graph", "Graph",
  "defaultEntailmentRegime",
] as const)();
export const FORMATS = ns(SERVICE_PREFIXES.formats, [
  "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle", "N-Triples", "N-Quads",
  "JSON-LD", "RDF_XML",
] as const)();
export const FOAF = ns(SERVICE_PREFIXES.foaf, ["Agent", "Organization", "name", "homepage", "page"] as const)();
export const DCAT2 = ns(PREFIXES.dcat, [
  "Catalog", "Dataset", "Distribution", "DataService", "dataset", "service", "distribution", "endpointURL", "endpointDescription",
  "servesDataset", "accessURL", "downloadURL", "mediaType", "landingPage", "accessService", "byteSize", "keyword", "theme",
] as const)();
export const VOID2 = ns(SERVICE_PREFIXES.void, [
  "Dataset", "Linkset", "triples", "entities", "distinctSubjects", "distinctObjects", "properties", "classes", "classPartition", "class",
  "propertyPartition", "property", "subjectsTarget", "objectsTarget", "linkPredicate", "target", "uriSpace", "sparqlEndpoint", "dataDump",
  "inDataset", "subset", "exampleResource", "vocabulary", "feature", "rootResource",
] as const)();
export const PROV2 = ns(PREFIXES.prov, [
  "Entity", "Activity", "Agent", "used", "wasGeneratedBy", "wasDerivedFrom", "generatedAtTime", "startedAtTime", "endedAtTime",
  "wasAttributedTo", "wasAssociatedWith",
] as const)();
export const CSVW = ns(SERVICE_PREFIXES.csvw, ["Table", "Row", "row", "rownum", "url", "describes", "title"] as const)();
export const RDFS2 = ns(PREFIXES.rdfs, ["label", "comment", "seeAlso", "isDefinedBy"] as const)();
/** IANA media type IRIs, the form DCAT recommends for dcat:mediaType. */
export const mediaTypeIri = (type: string) => `http://www.iana.org/assignments/media-types/${type}`;
export const DCTERMS2 = ns(PREFIXES.dcterms, ["conformsTo", "isPartOf", "hasPart"] as const)();
