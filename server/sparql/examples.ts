// Example queries for researchers, shown on the endpoint's page and in
// docs/sparql.md, and run by the tests on the sample and ../shared/data.
// Relative IRIs (</id/uai/...>, </graph/rnsr>) resolve against the service's
// base, so the same text works on any deployment.

export interface ExampleQuery {
  id: string;
  title: string;
  text: string;
}

const P = `PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
`;

export const EXAMPLES: ExampleQuery[] = [
  {
    id: "academy-labs",
    title: "Establishments of one academy (Paris, A01) with their research labs",
    text: `${P}
SELECT ?uai ?establishment ?rnsr ?lab WHERE {
  GRAPH </graph/uai> {
    ?e schema:containedInPlace </id/academie/A01> ;
       wdt:P3202 ?uai ;
       skos:prefLabel ?establishment .
    FILTER(lang(?establishment) = "fr")
  }
  OPTIONAL {
    GRAPH </graph/rnsr> { ?l schema:parentOrganization ?e ; wdt:P3016 ?rnsr ; skos:prefLabel ?lab }
  }
}
ORDER BY ?establishment ?lab`,
  },
  {
    id: "labs-by-tutelle",
    title: "Research labs by tutelle (supervising establishment), most labs first",
    text: `${P}
SELECT ?tutelle (SAMPLE(?label) AS ?name) (COUNT(DISTINCT ?lab) AS ?labs) WHERE {
  GRAPH </graph/rnsr> { ?lab schema:parentOrganization ?tutelle }
  OPTIONAL { ?tutelle skos:prefLabel ?label FILTER(lang(?label) = "fr") }
}
GROUP BY ?tutelle
ORDER BY DESC(?labs)
LIMIT 50`,
  },
  {
    id: "crosswalk",
    title: "Identifiers crosswalk: every identifier of each establishment of the UAI file",
    text: `${P}
SELECT ?uai ?name
       (GROUP_CONCAT(DISTINCT ?siren; separator=" ") AS ?sirens)
       (GROUP_CONCAT(DISTINCT ?siret; separator=" ") AS ?sirets)
       (GROUP_CONCAT(DISTINCT ?wikidata; separator=" ") AS ?wikidataIds)
       (GROUP_CONCAT(DISTINCT ?ror; separator=" ") AS ?rors)
WHERE {
  GRAPH </graph/uai> { ?e wdt:P3202 ?uai ; skos:prefLabel ?name FILTER(lang(?name) = "fr") }
  OPTIONAL {
    GRAPH </graph/links> { ?e owl:sameAs ?x }
    BIND(IF(STRSTARTS(STR(?x), "http://www.wikidata.org/entity/"), STRAFTER(STR(?x), "entity/"), ?unbound) AS ?wikidata)
    BIND(IF(STRSTARTS(STR(?x), "https://ror.org/"), STRAFTER(STR(?x), "ror.org/"), ?unbound) AS ?ror)
    BIND(IF(CONTAINS(STR(?x), "/id/siren/"), STRAFTER(STR(?x), "/id/siren/"), ?unbound) AS ?siren)
    BIND(IF(CONTAINS(STR(?x), "/id/siret/"), STRAFTER(STR(?x), "/id/siret/"), ?unbound) AS ?siret)
  }
}
GROUP BY ?uai ?name
ORDER BY ?uai`,
  },
  {
    id: "ror-to-uai",
    title: "From a ROR id to the UAI code (Université Paris 1 Panthéon-Sorbonne)",
    text: `${P}
SELECT ?uai ?name WHERE {
  GRAPH </graph/links> { <https://ror.org/002t25c44> owl:sameAs ?e }
  ?e wdt:P3202 ?uai .
  OPTIONAL { ?e skos:prefLabel ?name FILTER(lang(?name) = "fr") }
}`,
  },
  {
    id: "predecessors",
    title: "Merged universities and their predecessors (French universities and schools)",
    text: `${P}
SELECT DISTINCT ?university ?name ?predecessor ?predecessorName ?founded WHERE {
  VALUES ?type { schema:CollegeOrUniversity schema:EducationalOrganization }
  ?university a ?type ;
              dcterms:replaces ?predecessor ;
              schema:address/schema:addressCountry "FR" .
  OPTIONAL { ?university skos:prefLabel ?name FILTER(langMatches(lang(?name), "fr") || lang(?name) = "") }
  OPTIONAL { ?predecessor skos:prefLabel ?predecessorName FILTER(langMatches(lang(?predecessorName), "fr") || lang(?predecessorName) = "") }
  OPTIONAL { ?university schema:foundingDate ?founded }
}
ORDER BY ?name ?predecessor`,
  },
  {
    id: "wikidata-federation",
    title: "Federation: founding dates from Wikidata for the establishments of the UAI file (needs the network)",
    text: `${P}
SELECT ?uai ?item ?inception WHERE {
  GRAPH </graph/links> { ?e owl:sameAs ?item FILTER(STRSTARTS(STR(?item), "http://www.wikidata.org/entity/")) }
  GRAPH </graph/uai> { ?e wdt:P3202 ?uai }
  SERVICE <https://query.wikidata.org/sparql> { ?item wdt:P571 ?inception }
}
LIMIT 20`,
  },
];
