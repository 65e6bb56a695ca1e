// Sirene stock files: INSEE's columns, plain or zipped; non-diffusible units
// and natural persons never loaded; only education, research and cited units kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yazl from "yazl";
import { loadDataDir } from "../data/load.ts";
import { esrCodeTest, leadingSiren } from "../data/loaders/sirene.ts";
import { RefStore } from "../data/store.ts";
import { sparqlPrefixes } from "../vocab/namespaces.ts";
import { BASE, tempDir } from "./helpers.ts";

const UL_HEADER =
  "siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,pseudonymeUniteLegale,identifiantAssociationUniteLegale,trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntrepriseUniteLegale,anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,caractereEmployeurUniteLegale";
const ETAB_HEADER =
  "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,complementAdresse2Etablissement,numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,codeCommune2Etablissement,codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement";

function row(header: string, values: Record<string, string>): string {
  return header.split(",").map((c) => {
    const v = values[c] ?? "";
    return /[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(",");
}
const ul = (v: Record<string, string>) => row(UL_HEADER, { statutDiffusionUniteLegale: "O", etatAdministratifUniteLegale: "A", nomenclatureActivitePrincipaleUniteLegale: "NAFRev2", ...v });
const et = (v: Record<string, string>) => row(ETAB_HEADER, { statutDiffusionEtablissement: "O", etatAdministratifEtablissement: "A", siret: v.siren + v.nic, ...v });

const UNITS = [
  UL_HEADER,
  ul({ siren: "999000001", denominationUniteLegale: "UNIVERSITE DE TESTVILLE", sigleUniteLegale: "UTV", categorieJuridiqueUniteLegale: "7383", activitePrincipaleUniteLegale: "85.42Z", nicSiegeUniteLegale: "00011", dateCreationUniteLegale: "1971-01-01" }),
  ul({ siren: "999000002", denominationUniteLegale: "BOULANGERIE DU COIN", categorieJuridiqueUniteLegale: "5499", activitePrincipaleUniteLegale: "10.71C", nicSiegeUniteLegale: "00012" }),
  ul({ siren: "999000003", denominationUniteLegale: "ASSOCIATION CITEE PAR UNE AUTRE SOURCE", categorieJuridiqueUniteLegale: "9220", activitePrincipaleUniteLegale: "94.99Z", nicSiegeUniteLegale: "00013" }),
  ul({ siren: "999000004", statutDiffusionUniteLegale: "P", denominationUniteLegale: "[ND]", categorieJuridiqueUniteLegale: "5710", activitePrincipaleUniteLegale: "85.42Z", nicSiegeUniteLegale: "00014" }),
  ul({ siren: "999000005", nomUniteLegale: "DUPONT", prenom1UniteLegale: "JEAN", sexeUniteLegale: "M", categorieJuridiqueUniteLegale: "1000", activitePrincipaleUniteLegale: "85.59B", nicSiegeUniteLegale: "00015" }),
  // One unit per natural-person sign, each otherwise an education unit that would be kept.
  ul({ siren: "999000007", nomUniteLegale: "MARTIN", prenom1UniteLegale: "CLAIRE", categorieJuridiqueUniteLegale: "", activitePrincipaleUniteLegale: "85.42Z", nicSiegeUniteLegale: "00017" }),
  ul({ siren: "999000008", denominationUniteLegale: "COURS PRIVES LEROY", sexeUniteLegale: "F", categorieJuridiqueUniteLegale: "5499", activitePrincipaleUniteLegale: "85.59A", nicSiegeUniteLegale: "00018" }),
  ul({ siren: "999000009", denominationUniteLegale: "ATELIER PETIT", prenom2UniteLegale: "LUC", categorieJuridiqueUniteLegale: "9220", activitePrincipaleUniteLegale: "85.42Z", nicSiegeUniteLegale: "00019" }),
  ul({ siren: "999000010", denominationUniteLegale: "ENTREPRISE INDIVIDUELLE SANS NOM", categorieJuridiqueUniteLegale: "1000", activitePrincipaleUniteLegale: "85.42Z", nicSiegeUniteLegale: "00020" }),
  ul({ siren: "999000011", denominationUniteLegale: "ECOLE SANS CATEGORIE", categorieJuridiqueUniteLegale: "", activitePrincipaleUniteLegale: "85.42Z", nicSiegeUniteLegale: "00021" }),
  ul({ siren: "999000012", denominationUniteLegale: "ECOLE DU NOM D'USAGE", nomUsageUniteLegale: "BERNARD", categorieJuridiqueUniteLegale: "9220", activitePrincipaleUniteLegale: "85.42Z", nicSiegeUniteLegale: "00022" }),
  ul({ siren: "999000006", denominationUniteLegale: "ECOLE FERMEE", categorieJuridiqueUniteLegale: "9220", activitePrincipaleUniteLegale: "85.42Z", etatAdministratifUniteLegale: "C", dateDebut: "2019-07-01", nicSiegeUniteLegale: "00016" }),
].join("\n") + "\n";

const ESTABLISHMENTS = [
  ETAB_HEADER,
  et({ siren: "999000001", nic: "00011", etablissementSiege: "true", numeroVoieEtablissement: "12", typeVoieEtablissement: "PL", libelleVoieEtablissement: "DU PANTHEON", codePostalEtablissement: "75005", libelleCommuneEtablissement: "PARIS", activitePrincipaleEtablissement: "85.42Z" }),
  et({ siren: "999000001", nic: "00029", etablissementSiege: "false", enseigne1Etablissement: "CAMPUS NORD", codePostalEtablissement: "93430", libelleCommuneEtablissement: "VILLETANEUSE", activitePrincipaleEtablissement: "85.42Z" }),
  et({ siren: "999000001", nic: "00037", statutDiffusionEtablissement: "P", codePostalEtablissement: "75013", libelleCommuneEtablissement: "PARIS", activitePrincipaleEtablissement: "85.42Z" }),
  et({ siren: "999000002", nic: "00012", etablissementSiege: "true", codePostalEtablissement: "69001", libelleCommuneEtablissement: "LYON", activitePrincipaleEtablissement: "10.71C" }),
  et({ siren: "999000004", nic: "00014", etablissementSiege: "true", codePostalEtablissement: "13001", libelleCommuneEtablissement: "MARSEILLE", activitePrincipaleEtablissement: "85.42Z" }),
  et({ siren: "999000005", nic: "00015", etablissementSiege: "true", codePostalEtablissement: "33000", libelleCommuneEtablissement: "BORDEAUX", activitePrincipaleEtablissement: "85.59B" }),
  et({ siren: "999000003", nic: "00013", etablissementSiege: "true", codePostalEtablissement: "31000", libelleCommuneEtablissement: "TOULOUSE", activitePrincipaleEtablissement: "94.99Z" }),
  ...["07", "08", "09", "10", "11", "12"].map((n) =>
    et({ siren: `9990000${n}`, nic: `000${Number(n) + 10}`, etablissementSiege: "true", numeroVoieEtablissement: "3", libelleVoieEtablissement: "RUE DES PERSONNES", codePostalEtablissement: "44000", libelleCommuneEtablissement: "NANTES", activitePrincipaleEtablissement: "85.42Z" })),
  // A unit absent from the units file: not known to be diffusible, so never loaded, even when cited.
  et({ siren: "999000013", nic: "00023", etablissementSiege: "true", codePostalEtablissement: "59000", libelleCommuneEtablissement: "LILLE", activitePrincipaleEtablissement: "85.42Z" }),
].join("\n") + "\n";

// An ESR row citing the association's SIREN (and a non-diffusible one): Sirene keeps what other sources cite.
const ESR = "uai;uo_lib;siret;siren;identifiant_wikidata;identifiant_ror;type_d_etablissement\n" +
  "0999999A;Institut cité;99900000300013;999000003;;;École\n" +
  "0999998B;Établissement discret;99900000400014;999000004;;;École\n" +
  "0999997C;Cours d'une personne;99900000700017;999000007;;;École\n" +
  "0999996D;Établissement inconnu de Sirene;99900001300023;999000013;;;École\n";

function zip(file: string, entry: string, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const z = new yazl.ZipFile();
    z.addBuffer(Buffer.from(text), entry);
    z.end();
    z.outputStream.pipe(createWriteStream(file)).on("close", resolve).on("error", reject);
  });
}

describe.each([
  ["plain CSV", false],
  ["zipped as INSEE publishes it", true],
])("Sirene stock files, %s", (_label, zipped) => {
  const tmp = tempDir();
  const store = new RefStore();
  const ask = (body: string) => store.ask(`${sparqlPrefixes()}\nASK { ${body} }`);
  const siren = (id: string) => `<${BASE}/id/siren/${id}>`;
  const siret = (id: string) => `<${BASE}/id/siret/${id}>`;

  beforeAll(async () => {
    mkdirSync(join(tmp.path, "sirene"), { recursive: true });
    mkdirSync(join(tmp.path, "uai"), { recursive: true });
    writeFileSync(join(tmp.path, "uai", "fr-esr-principaux-etablissements-enseignement-superieur.csv"), ESR);
    if (zipped) {
      await zip(join(tmp.path, "sirene", "StockUniteLegale_utf8.zip"), "StockUniteLegale_utf8.csv", UNITS);
      await zip(join(tmp.path, "sirene", "StockEtablissement_utf8.zip"), "StockEtablissement_utf8.csv", ESTABLISHMENTS);
    } else {
      writeFileSync(join(tmp.path, "sirene", "StockUniteLegale_utf8.csv"), UNITS);
      writeFileSync(join(tmp.path, "sirene", "StockEtablissement_utf8.csv"), ESTABLISHMENTS);
    }
    await loadDataDir(store, { dataDir: tmp.path, base: BASE, cacheDir: false });
  });
  afterAll(() => tmp.remove());

  it("keeps a university with its name, acronym, legal category and head office", () => {
    expect(ask(`${siren("999000001")} skos:prefLabel "UNIVERSITE DE TESTVILLE"@fr ; schema:alternateName "UTV" ;
      org:classification <http://id.insee.fr/codes/cj/n3/7383> ; org:hasPrimarySite ${siret("99900000100011")}`)).toBe(true);
    expect(ask(`${siret("99900000100011")} org:siteOf ${siren("999000001")} ; schema:address/schema:postalCode "75005"`)).toBe(true);
    expect(ask(`${siret("99900000100029")} skos:prefLabel "CAMPUS NORD"@fr`)).toBe(true);
  });

  it("keeps a unit outside education when another source cites it", () => {
    expect(ask(`${siren("999000003")} a schema:Organization`)).toBe(true);
    expect(ask(`${siret("99900000300013")} a org:Site`)).toBe(true);
  });

  it("drops units outside education and research that nobody cites", () => {
    expect(ask(`${siren("999000002")} ?p ?o`)).toBe(false);
    expect(ask(`${siret("99900000200012")} ?p ?o`)).toBe(false);
  });

  it("never loads a non-diffusible unit, its establishments, or an individual entrepreneur", () => {
    for (const id of ["999000004", "999000005"]) {
      expect(ask(`GRAPH ?g { ${siren(id)} ?p ?o } FILTER(STRSTARTS(STR(?g), "${BASE}/graph/sirene"))`)).toBe(false);
    }
    expect(ask(`GRAPH ?g { ${siret("99900000400014")} ?p ?o } FILTER(STRSTARTS(STR(?g), "${BASE}/graph/sirene"))`)).toBe(false);
    expect(ask(`${siret("99900000100037")} ?p ?o`)).toBe(false);
    expect(ask(`?s ?p ?o FILTER(CONTAINS(STR(?o), "DUPONT") || CONTAINS(STR(?o), "[ND]"))`)).toBe(false);
  });

  // Issue 15: each sign of a natural person excludes the unit and its establishments, even when cited.
  it.each([
    ["999000007", "surname and first name with an empty legal category", "MARTIN"],
    ["999000008", "sex given", "LEROY"],
    ["999000009", "a second first name", "PETIT"],
    ["999000010", "legal category 1000", "SANS NOM"],
    ["999000011", "an empty legal category alone", "SANS CATEGORIE"],
    ["999000012", "a usage surname", "BERNARD"],
  ])("never loads unit %s (%s) nor its establishment", (id, _why, word) => {
    expect(ask(`GRAPH ?g { ${siren(id)} ?p ?o } FILTER(STRSTARTS(STR(?g), "${BASE}/graph/sirene"))`)).toBe(false);
    expect(ask(`GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "${BASE}/graph/sirene") && STRSTARTS(STR(?s), "${BASE}/id/siret/${id}"))`)).toBe(false);
    expect(ask(`GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "${BASE}/graph/sirene") && (CONTAINS(STR(?o), "${word}") || CONTAINS(STR(?o), "PERSONNES")))`)).toBe(false);
  });

  it("never loads an establishment whose unit is absent from the units file, even when cited", () => {
    expect(ask(`GRAPH ?g { ${siret("99900001300023")} ?p ?o } FILTER(STRSTARTS(STR(?g), "${BASE}/graph/sirene"))`)).toBe(false);
  });

  it("marks a ceased unit as withdrawn with its date", () => {
    expect(ask(`${siren("999000006")} adms:status <http://purl.org/adms/status/Withdrawn> ; schema:dissolutionDate "2019-07-01"^^xsd:date`)).toBe(true);
  });
});

describe("Sirene establishments without a units file", () => {
  const tmp = tempDir();
  const store = new RefStore();
  let report: Awaited<ReturnType<typeof loadDataDir>>;

  beforeAll(async () => {
    mkdirSync(join(tmp.path, "sirene"), { recursive: true });
    writeFileSync(join(tmp.path, "sirene", "StockEtablissement_utf8.csv"), ESTABLISHMENTS);
    report = await loadDataDir(store, { dataDir: tmp.path, base: BASE, cacheDir: false });
  });
  afterAll(() => tmp.remove());

  it("loads no establishment at all, not even a university's, and says why in the report", () => {
    expect(store.ask(`ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?s), "${BASE}/id/siret/")) }`)).toBe(false);
    const etab = report.sources.find((s) => s.source === "sirene-etab")!;
    expect(etab.entities).toBe(0);
    expect(etab.warnings.join("\n")).toMatch(/no StockUniteLegale file .* no establishment is loaded/);
  });
});

describe("Sirene prefilters on raw bytes", () => {
  const bytes = (s: string) => Buffer.from(s, "utf8");
  const header = UL_HEADER.split(",");
  const esr = esrCodeTest(header, ["categorieJuridiqueUniteLegale", "activitePrincipaleUniteLegale"]);
  const accepts = (line: string) => {
    const b = bytes(`ignored\n${line}\nignored`);
    return esr(b, 8, 8 + Buffer.byteLength(line));
  };

  it("reads the SIREN a line starts with, quoted or not, as a number", () => {
    expect(leadingSiren(bytes("012345678,O,x"), 0, 13)).toBe(12345678);
    expect(leadingSiren(bytes('"180089013","O"'), 0, 15)).toBe(180089013);
    expect(leadingSiren(bytes("18008901,O"), 0, 10)).toBe(-1);
    expect(leadingSiren(bytes("siren,statut"), 0, 12)).toBe(-1);
  });

  it("accepts a line whose category or activity cell is an education/research code, and no other", () => {
    expect(accepts(ul({ siren: "999000001", categorieJuridiqueUniteLegale: "7383", activitePrincipaleUniteLegale: "10.71C" }))).toBe(true);
    expect(accepts(ul({ siren: "999000001", categorieJuridiqueUniteLegale: "5499", activitePrincipaleUniteLegale: "72.19Z" }))).toBe(true);
    expect(accepts(ul({ siren: "999000001", categorieJuridiqueUniteLegale: "5499", activitePrincipaleUniteLegale: "85.59A" }))).toBe(false);
    // A code elsewhere than those two columns (here a name) is not enough.
    expect(accepts(ul({ siren: "999000001", denominationUniteLegale: "7383", categorieJuridiqueUniteLegale: "5499", activitePrincipaleUniteLegale: "10.71C" }))).toBe(false);
    // Part of a cell is not the cell.
    expect(accepts(ul({ siren: "999000001", categorieJuridiqueUniteLegale: "73831", activitePrincipaleUniteLegale: "85.42ZZ" }))).toBe(false);
  });

  it("accepts a line when a quote among the last cells makes them uncountable, and reads past quoted names", () => {
    expect(accepts(ul({ siren: "999000001", categorieJuridiqueUniteLegale: "5499", activitePrincipaleUniteLegale: "10.71C", nicSiegeUniteLegale: 'a,"b' }))).toBe(true);
    expect(accepts(ul({ siren: "999000001", denominationUniteLegale: 'ECOLE "X", Y', categorieJuridiqueUniteLegale: "7331" }))).toBe(true);
    expect(accepts(ul({ siren: "999000001", denominationUniteLegale: 'ECOLE "X", Y', categorieJuridiqueUniteLegale: "5499" }))).toBe(false);
  });

  it("reads a code in the last cell of a line", () => {
    const last = esrCodeTest(["a", "b", "c"], ["c"]);
    expect(last(bytes("1,2,85.42Z"), 0, 10)).toBe(true);
    expect(last(bytes("85.42Z,2,3"), 0, 10)).toBe(false);
    expect(esrCodeTest(["a"], ["a"])(bytes("7384"), 0, 4)).toBe(true);
  });
});
