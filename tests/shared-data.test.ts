// Integration on the real extracts in ../shared/data (skipped when absent).
// The files are parsed once per test run (tests/shared-cache.ts): the load
// report checked here is that parse's, the queries run on its store (or on
// the store restored from its save), and the last test restores it again.
import { beforeAll, describe, expect, it } from "vitest";
import { loadDataDir, type LoadReport } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { sparqlPrefixes } from "../vocab/namespaces.ts";
import { BASE, HAS_SHARED_DATA, SHARED_DATA } from "./helpers.ts";
import { SHARED_HOOK_TIMEOUT, sharedCacheFolder, sharedParse, sharedStore, type SharedParse } from "./shared-cache.ts";

describe.skipIf(!HAS_SHARED_DATA)("the real extracts in ../shared/data", () => {
  let store: RefStore;
  let parsed: SharedParse;
  let report: LoadReport;
  const ask = (body: string) => store.ask(`${sparqlPrefixes()}\nASK { ${body} }`);
  const select = (q: string) => store.select(`${sparqlPrefixes()}\n${q}`);
  const uai = (id: string) => `<${BASE}/id/uai/${id}>`;

  beforeAll(async () => {
    parsed = await sharedParse();
    report = parsed.report;
    ({ store } = await sharedStore());
  }, SHARED_HOOK_TIMEOUT);

  it("loads every source file there", () => {
    // The report of this run's parse of the files, not of a restore.
    expect(report.fromCache).toBe(false);
    const by = Object.fromEntries(report.sources.map((s) => [s.source, s]));
    expect(Object.keys(by).sort()).toEqual(["education", "rnsr", "ror", "uai"]);
    expect(by.uai.rows).toBe(250);
    expect(by.uai.entities).toBeGreaterThanOrEqual(245);
    expect(by.rnsr.entities).toBe(4506);
    expect(by.ror.entities).toBe(35990);
    expect(by.education.entities).toBe(613);
    expect(report.links.links).toBeGreaterThan(10_000);
  });

  it("reaches UAI 0751717J from its SIRET, its Wikidata item and its ROR id", () => {
    // From the identifier as a user types it, to the UAI entity, in one query each.
    expect(ask(`?e wdt:P3215 "19751717000019" . ?e owl:sameAs? ${uai("0751717J")}`)).toBe(true);
    expect(ask(`?e wdt:P6782 "002t25c44" ; owl:sameAs ${uai("0751717J")}`)).toBe(true);
    expect(ask(`<${BASE}/id/siret/19751717000019> owl:sameAs ${uai("0751717J")}`)).toBe(true);
    expect(ask(`wd:Q999763 owl:sameAs ${uai("0751717J")}`)).toBe(true);
    expect(ask(`<https://ror.org/002t25c44> owl:sameAs ${uai("0751717J")}`)).toBe(true);
    // ROR's own record says the same item is this one: the link is the sources', not refx's guess.
    expect(ask(`GRAPH <${BASE}/graph/ror> { <https://ror.org/002t25c44> owl:sameAs wd:Q999763 }`)).toBe(true);
    const ids = select(`SELECT DISTINCT ?o WHERE { GRAPH <${BASE}/graph/links> { ${uai("0751717J")} owl:sameAs ?o } }`).map((r) => r.o);
    expect(ids).toEqual(expect.arrayContaining([
      "https://ror.org/002t25c44", "http://www.wikidata.org/entity/Q999763",
      `${BASE}/id/siret/19751717000019`, `${BASE}/id/siren/197517170`,
    ]));
  });

  it("resolves an RNSR lab's tutelles to UAI entities", () => {
    const rows = select(`SELECT ?t ?name WHERE {
      <${BASE}/id/rnsr/200112433P> schema:parentOrganization ?t .
      GRAPH <${BASE}/graph/uai> { ?t skos:prefLabel ?name FILTER(lang(?name) = "fr") } }`);
    expect(rows).toContainEqual({ t: `${BASE}/id/uai/0931238R`, name: "Université Sorbonne Paris Nord" });
    // Across the file, nearly half the tutelle links land on an establishment the ESR file
    // describes; the rest are research bodies (CNRS, Inserm, ...) that file does not list.
    const [{ all, described }] = select(`SELECT (COUNT(?t) AS ?all) (SUM(IF(EXISTS { GRAPH <${BASE}/graph/uai> { ?t a schema:Organization } }, 1, 0)) AS ?described)
      WHERE { GRAPH <${BASE}/graph/rnsr> { ?lab schema:parentOrganization ?t FILTER(STRSTARTS(STR(?t), "${BASE}/id/uai/")) } }`);
    expect(Number(all)).toBeGreaterThan(5000);
    expect(Number(described) / Number(all)).toBeGreaterThan(0.45);
  });

  it("keeps unit codes, acronyms and successions of labs", () => {
    expect(ask(`<${BASE}/id/rnsr/200112433P> skos:notation "UMR 7030" ; schema:alternateName "LIPN"`)).toBe(true);
    expect(ask(`?lab org:resultedFrom ?ev . ?ev a org:ChangeEvent ; org:originalOrganization ?old ; dcterms:date ?year`)).toBe(true);
  });

  it("keeps foreign establishments with their names in their own language", () => {
    const names = select(`SELECT ?n WHERE { ?e wdt:P6782 "01hcx6992" ; skos:prefLabel ?n }`).map((r) => r.n);
    expect(names).toContain("Humboldt-Universität zu Berlin");
    expect(ask(`<https://ror.org/01hcx6992> schema:address/schema:addressCountry "DE"`)).toBe(true);
  });

  it("describes each graph's provenance and licence", () => {
    for (const s of report.sources) {
      expect(ask(`GRAPH <${s.graph}> { <${s.graph}> a dcat:Dataset ; dcterms:license ?l ; dcat:distribution/dcat:byteSize ?b ; dcterms:extent/rdf:value ${s.rows} }`)).toBe(true);
    }
    expect(ask(`GRAPH <${BASE}/graph/ror> { <${BASE}/graph/ror> dcterms:license <https://creativecommons.org/publicdomain/zero/1.0/> }`)).toBe(true);
  });

  it("restores the saved store on the next start, with the same triples", async () => {
    const again = new RefStore();
    const restored = await loadDataDir(again, { dataDir: SHARED_DATA, base: BASE, cacheDir: sharedCacheFolder() });
    expect(restored.fromCache).toBe(true);
    expect(restored.cacheDir).toBe(report.cacheDir);
    // As many triples as the store the files were parsed into.
    expect(again.size).toBe(parsed.size);
    expect(store.size).toBe(parsed.size);
  }, 120_000);
});
