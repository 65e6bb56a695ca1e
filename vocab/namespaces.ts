// The RDF vocabularies refx reuses. Nothing here is invented: every class and
// property comes from an established vocabulary (see docs/model.md).

export const PREFIXES = {
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  owl: "http://www.w3.org/2002/07/owl#",
  skos: "http://www.w3.org/2004/02/skos/core#",
  dcterms: "http://purl.org/dc/terms/",
  dcat: "http://www.w3.org/ns/dcat#",
  prov: "http://www.w3.org/ns/prov#",
  void: "http://rdfs.org/ns/void#",
  schema: "http://schema.org/",
  org: "http://www.w3.org/ns/org#",
  adms: "http://www.w3.org/ns/adms#",
  geo: "http://www.w3.org/2003/01/geo/wgs84_pos#",
  wd: "http://www.wikidata.org/entity/",
  wdt: "http://www.wikidata.org/prop/direct/",
} as const;

export type Prefix = keyof typeof PREFIXES;

/** SPARQL PREFIX declarations for every namespace above, for queries written in code. */
export function sparqlPrefixes(): string {
  return Object.entries(PREFIXES)
    .map(([p, iri]) => `PREFIX ${p}: <${iri}>`)
    .join("\n");
}

const ns =
  <T extends string>(base: string, names: readonly T[]) =>
  (): Record<T, string> =>
    Object.fromEntries(names.map((n) => [n, base + n])) as Record<T, string>;

export const RDF = ns(PREFIXES.rdf, ["type", "value"] as const)();
export const RDFS = ns(PREFIXES.rdfs, ["label", "seeAlso"] as const)();
export const XSD = ns(PREFIXES.xsd, ["gYear", "date", "dateTime", "integer", "decimal", "anyURI"] as const)();
export const OWL = ns(PREFIXES.owl, ["sameAs"] as const)();
export const SKOS = ns(PREFIXES.skos, ["prefLabel", "altLabel", "hiddenLabel", "notation"] as const)();
export const DCTERMS = ns(PREFIXES.dcterms, [
  "identifier", "title", "description", "publisher", "license", "source", "modified", "issued",
  "created", "type", "replaces", "isReplacedBy", "date", "extent", "SizeOrDuration", "format", "valid", "subject",
] as const)();
export const DCAT = ns(PREFIXES.dcat, [
  "Dataset", "Distribution", "distribution", "downloadURL", "accessURL", "byteSize", "mediaType", "landingPage",
] as const)();
export const PROV = ns(PREFIXES.prov, ["Entity", "wasDerivedFrom", "generatedAtTime", "wasGeneratedBy"] as const)();
export const VOID = ns(PREFIXES.void, ["Dataset", "triples", "entities"] as const)();
export const SCHEMA = ns(PREFIXES.schema, [
  "Organization", "EducationalOrganization", "CollegeOrUniversity", "School", "ResearchOrganization",
  "PostalAddress", "name", "alternateName", "url", "address", "streetAddress", "postalCode",
  "addressLocality", "addressRegion", "addressCountry", "foundingDate", "dissolutionDate",
  "parentOrganization", "subOrganization", "telephone", "email", "additionalType", "sameAs",
  "location", "containedInPlace", "identifier",
] as const)();
export const ORG = ns(PREFIXES.org, [
  "Organization", "FormalOrganization", "OrganizationalUnit", "Site", "ChangeEvent",
  "subOrganizationOf", "hasSubOrganization", "hasSite", "siteOf", "hasPrimarySite", "linkedTo", "classification",
  "originalOrganization", "resultedFrom", "changedBy", "resultingOrganization", "identifier",
] as const)();
export const ADMS = ns(PREFIXES.adms, ["Identifier", "identifier", "schemaAgency", "status"] as const)();
/** ADMS status values: refx marks closed, ceased or withdrawn establishments with Withdrawn. */
export const ADMS_STATUS_WITHDRAWN = "http://purl.org/adms/status/Withdrawn";
/** INSEE's own linked-data code lists, for Sirene legal categories and NAF activity codes. */
export const INSEE_CODES = {
  legalCategory: (code: string) => `http://id.insee.fr/codes/cj/n3/${code}`,
  naf: (code: string) => `http://id.insee.fr/codes/nafr2/sousClasse/${code}`,
};
export const GEO = ns(PREFIXES.geo, ["lat", "long"] as const)();
export const WDT = ns(PREFIXES.wdt, [
  "P31", "P17", "P131", "P571", "P576", "P856", "P1365", "P1366", "P3202", "P3016", "P1616",
  "P3215", "P6782", "P2427", "P213", "P269", "P1813",
] as const)();
