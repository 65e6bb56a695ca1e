// Wikidata loader: the entity API's JSON and SPARQL JSON results, simplified with wikibase-sdk.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { sparqlPrefixes } from "../vocab/namespaces.ts";
import { BASE, tempDir } from "./helpers.ts";

const item = (id: number) => ({ "entity-type": "item", "numeric-id": id, id: `Q${id}` });
const claim = (p: string, datatype: string, value: unknown, type: string) => ({
  mainsnak: { snaktype: "value", property: p, datavalue: { value, type }, datatype },
  type: "statement", rank: "normal",
});
const ext = (p: string, v: string) => claim(p, "external-id", v, "string");
const wditem = (p: string, id: number) => claim(p, "wikibase-item", item(id), "wikibase-entityid");
const time = (p: string, t: string, precision: number) =>
  claim(p, "time", { time: t, timezone: 0, before: 0, after: 0, precision, calendarmodel: "http://www.wikidata.org/entity/Q1985727" }, "time");

const ENTITY_JSON = {
  entities: {
    Q9990001: {
      type: "item", id: "Q9990001",
      labels: { fr: { language: "fr", value: "Université de Testville" }, en: { language: "en", value: "University of Testville" }, de: { language: "de", value: "Universität Testville" } },
      aliases: { fr: [{ language: "fr", value: "UTV" }, { language: "fr", value: "Testville 1" }] },
      descriptions: { en: { language: "en", value: "public university in France" } },
      claims: {
        P31: [wditem("P31", 3918)],
        P17: [wditem("P17", 142)],
        P571: [time("P571", "+1971-01-01T00:00:00Z", 9)],
        P856: [claim("P856", "url", "https://www.univ-testville.fr", "string")],
        P3202: [ext("P3202", "0999999A")],
        P1616: [ext("P1616", "999000001")],
        P6782: [ext("P6782", "05testa01")],
        P213: [ext("P213", "0000 0001 2345 6789")],
        P1365: [wditem("P1365", 9990002)],
      },
      sitelinks: {},
    },
    Q9990002: {
      type: "item", id: "Q9990002",
      labels: { fr: { language: "fr", value: "Ancienne université de Testville" } },
      aliases: {}, descriptions: {},
      claims: { P31: [wditem("P31", 3918)], P576: [time("P576", "+1970-12-31T00:00:00Z", 11)], P1366: [wditem("P1366", 9990001)] },
      sitelinks: {},
    },
  },
};

const SPARQL_JSON = {
  head: { vars: ["item", "itemLabel", "alias", "ror", "countryCode", "cityLabel", "inception"] },
  results: {
    bindings: [
      { item: { type: "uri", value: "http://www.wikidata.org/entity/Q9990003" }, itemLabel: { type: "literal", "xml:lang": "de", value: "Humboldt-Testuniversität" }, alias: { type: "literal", "xml:lang": "en", value: "Humboldt Test University" }, ror: { type: "literal", value: "05testb02" }, countryCode: { type: "literal", value: "DE" }, cityLabel: { type: "literal", "xml:lang": "en", value: "Berlin" }, inception: { type: "literal", datatype: "http://www.w3.org/2001/XMLSchema#dateTime", value: "1809-01-01T00:00:00Z" } },
      { item: { type: "uri", value: "http://www.wikidata.org/entity/Q9990003" }, itemLabel: { type: "literal", "xml:lang": "de", value: "Humboldt-Testuniversität" }, alias: { type: "literal", "xml:lang": "de", value: "HU" }, ror: { type: "literal", value: "05testb02" } },
    ],
  },
};

describe("Wikidata loader", () => {
  const tmp = tempDir();
  const store = new RefStore();
  const ask = (body: string) => store.ask(`${sparqlPrefixes()}\nASK { ${body} }`);

  beforeAll(async () => {
    mkdirSync(join(tmp.path, "wikidata"), { recursive: true });
    writeFileSync(join(tmp.path, "wikidata", "entities.json"), JSON.stringify(ENTITY_JSON));
    writeFileSync(join(tmp.path, "wikidata", "sparql.json"), JSON.stringify(SPARQL_JSON));
    await loadDataDir(store, { dataDir: tmp.path, base: BASE, cacheDir: false });
  });
  afterAll(() => tmp.remove());

  it("reads labels in several languages, aliases and acronyms from the entity API's JSON", () => {
    expect(ask(`wd:Q9990001 skos:prefLabel "Université de Testville"@fr, "University of Testville"@en, "Universität Testville"@de`)).toBe(true);
    expect(ask(`wd:Q9990001 skos:altLabel "Testville 1"@fr ; schema:alternateName "UTV"`)).toBe(true);
    expect(ask(`wd:Q9990001 a schema:CollegeOrUniversity ; wdt:P31 wd:Q3918 ; schema:foundingDate "1971"^^xsd:gYear`)).toBe(true);
    expect(ask(`wd:Q9990001 schema:address/schema:addressCountry "FR" ; schema:url <https://www.univ-testville.fr/>`)).toBe(true);
  });

  it("links the item to the entities of its identifiers", () => {
    expect(ask(`wd:Q9990001 owl:sameAs <${BASE}/id/uai/0999999A>, <${BASE}/id/siren/999000001>, <https://ror.org/05testa01>`)).toBe(true);
    expect(ask(`wd:Q9990001 wdt:P213 "0000000123456789"`)).toBe(true);
  });

  it("keeps the replaced establishment, dated", () => {
    expect(ask(`wd:Q9990001 dcterms:replaces wd:Q9990002 . wd:Q9990002 dcterms:isReplacedBy wd:Q9990001 ;
      schema:dissolutionDate "1970-12-31"^^xsd:date ; adms:status <http://purl.org/adms/status/Withdrawn>`)).toBe(true);
  });

  it("folds SPARQL result rows back into one item", () => {
    expect(ask(`wd:Q9990003 skos:prefLabel "Humboldt-Testuniversität"@de ; skos:altLabel "Humboldt Test University"@en ;
      schema:alternateName "HU" ; owl:sameAs <https://ror.org/05testb02> ;
      schema:address [ schema:addressCountry "DE" ; schema:addressLocality "Berlin" ] ; schema:foundingDate "1809-01-01"^^xsd:date`)).toBe(true);
  });
});
