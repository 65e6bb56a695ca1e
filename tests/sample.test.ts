// The shipped sample (data/sample): every source, and the links between them.
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataDir, type LoadReport } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { sparqlPrefixes } from "../vocab/namespaces.ts";
import { BASE, SAMPLE_DATA_DIR } from "./helpers.ts";

describe("the shipped sample", () => {
  const store = new RefStore();
  let report: LoadReport;
  const ask = (body: string) => store.ask(`${sparqlPrefixes()}\nASK { ${body} }`);
  const select = (q: string) => store.select(`${sparqlPrefixes()}\n${q}`);
  const id = (scheme: string, v: string) => `<${BASE}/id/${scheme}/${v}>`;

  beforeAll(async () => {
    report = await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  });

  it("loads all seven sources without warnings", () => {
    expect(report.sources.map((s) => s.source)).toEqual(["uai", "education", "rnsr", "wikidata", "ror", "sirene-ul", "sirene-etab"]);
    expect(report.sources.flatMap((s) => s.warnings)).toEqual([]);
  });

  it("joins every identifier of Université Paris 1 in the links graph", () => {
    const linked = select(`SELECT ?o WHERE { GRAPH <${BASE}/graph/links> { ${id("uai", "0751717J")} owl:sameAs ?o } }`).map((r) => r.o).sort();
    expect(linked).toEqual([
      `${BASE}/id/siren/197517170`, `${BASE}/id/siret/19751717000019`,
      "http://www.wikidata.org/entity/Q999763", "https://ror.org/002t25c44",
    ].sort());
    // Each source says something about it in its own graph.
    for (const g of ["uai", "wikidata", "ror", "sirene-ul", "sirene-etab"]) {
      const paris1 = id("uai", "0751717J");
      expect(ask(`GRAPH <${BASE}/graph/${g}> { ?e ?p ?o } FILTER(?e = ${paris1} || EXISTS { GRAPH <${BASE}/graph/links> { ?e owl:sameAs ${paris1} } })`), g).toBe(true);
    }
  });

  it("keeps merged establishments as their own dated entities", () => {
    expect(ask(`${id("uai", "0383546Y")} dcterms:replaces ${id("uai", "0381838S")}`)).toBe(true);
    expect(ask(`${id("uai", "0381838S")} dcterms:isReplacedBy ${id("uai", "0383546Y")} ; schema:dissolutionDate ?d ; adms:status ?s`)).toBe(true);
  });

  it("resolves lab tutelles to UAI entities, or to a SIRET when RNSR gives no UAI", () => {
    expect(ask(`?lab schema:alternateName "LIPN" ; skos:notation "UMR 7030" ; schema:parentOrganization ${id("uai", "0931238R")}, ${id("uai", "0753639Y")}`)).toBe(true);
    expect(ask(`${id("uai", "0931238R")} skos:prefLabel ?n`)).toBe(true);
    // AP-HP takes part in a clinical unit (PART), with a SIRET and no UAI.
    expect(ask(`?lab org:linkedTo ${id("siret", "26750045200011")} . ${id("siret", "26750045200011")} schema:alternateName "AP-HP"`)).toBe(true);
    expect(ask(`?child org:subOrganizationOf ?parent . ?parent org:hasSubOrganization ?child`)).toBe(true);
  });

  it("never loads non-diffusible Sirene units", () => {
    expect(ask(`GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "${BASE}/graph/sirene") && CONTAINS(STR(?o), "[ND]"))`)).toBe(false);
    // 882113400 is a natural person, 798431201 an education unit that is not diffusible.
    for (const id of ["882113400", "798431201"]) expect(ask(`<${BASE}/id/siren/${id}> ?p ?o`)).toBe(false);
    const ul = report.sources.find((s) => s.source === "sirene-ul")!;
    expect(ul.skipped["not diffusible"]).toBe(1);
    expect(ul.rows - ul.entities).toBe(Object.values(ul.skipped).reduce((a, b) => a + b, 0));
  });

  it("holds foreign universities with native-language names", () => {
    expect(ask(`<https://ror.org/01hcx6992> skos:prefLabel "Humboldt-Universität zu Berlin"@de`)).toBe(true);
  });
});
