// Generates the national referentials at a fraction of their real size, in
// the layouts refx loads (the headers are those of the shipped sample,
// data/sample, itself in the published layouts). Every name and identifier is
// synthetic — never a row of ../shared/data — and identifiers carry valid
// check characters. Seeded: one seed and scale give the same files.
//
// Sizes at scale 1.0 (issue 12): Sirene 28 M legal units and ~40 M
// establishments, ROR 120,000 records, Annuaire de l'éducation 70,000 rows,
// RNSR 6,000 structures, Wikidata 300,000 items, the ESR list 400 rows.
// Sirene shares follow the national stock roughly: 55 % natural persons
// (category 1000 with surname, first name and sex), 7 % non-diffusible, 1.5 %
// in education and research, 25 % ceased units, 20 % closed establishments.
//
// Cross-references join an establishment across the sources as the real
// files do, a handful of entities each: establishment number g is UAI g (the
// ESR list's and the Annuaire's row g), Wikidata item g, ROR record g and the
// g-th education/research unit cited (its SIREN and head-office SIRET). A
// source never cites another group's identifier for it, so the owl:sameAs
// clusters stay the size of one establishment whatever the scale (drawing
// each reference at random joined them into one cluster that grew with the
// scale: 275 entities at 0.02). An RNSR lab names group g as its tutelle (by
// that group's UAI and SIRET): many labs, one tutelle, no merge.
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { luhnDigit, mod23Letter, rorCheckDigits } from "../../vocab/check-digits.ts";
import { SAMPLE_DATA_DIR } from "../../app/config.ts";
import { Rng } from "./prng.ts";

export const FULL_SIZE = {
  units: 28_000_000,
  ror: 120_000,
  education: 70_000,
  rnsr: 6_000,
  wikidata: 300_000,
  uai: 400,
} as const;

export interface GeneratedFile {
  source: string;
  path: string;
  rows: number;
  bytes: number;
  seconds: number;
}

export interface GenerateOptions {
  dir: string;
  scale: number;
  seed?: number;
}

/**
 * Writes text through one reused 8 MB buffer: appending to a growing string
 * instead spends most of the time in the garbage collector.
 */
class BlockWriter {
  private fd: number;
  private buf = Buffer.allocUnsafe(8 << 20);
  private used = 0;
  bytes = 0;
  /** "latin1" writes ASCII-only text (the Sirene rows) faster than "utf8" does. */
  constructor(path: string, private readonly encoding: "utf8" | "latin1" = "utf8") {
    this.fd = openSync(path, "w");
  }
  write(s: string): void {
    if (this.used + s.length * 3 > this.buf.length) this.flush();
    if (s.length * 3 > this.buf.length) {
      this.bytes += writeSync(this.fd, s);
      return;
    }
    this.used += this.buf.write(s, this.used, this.encoding);
  }
  private flush(): void {
    if (this.used) writeSync(this.fd, this.buf, 0, this.used);
    this.bytes += this.used;
    this.used = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

// ---------------------------------------------------------------- identifiers

const sirenOf = (i: number) => {
  const body = String(10_000_000 + i * 3);
  return body + luhnDigit(body);
};
/** The NIC (4 digits + a digit making the whole SIRET pass Luhn) of a unit's k-th establishment. */
const nicOf = (siren: string, k: number) => {
  const body = String(k + 1).padStart(4, "0");
  return body + luhnDigit(siren + body);
};
const uaiOf = (i: number) => {
  const d = String(1_000_000 + i * 7).padStart(7, "0").slice(-7);
  return d + mod23Letter(d);
};
const rnsrOf = (i: number) => {
  const d = String(200_000_000 + i * 11);
  return d + mod23Letter(d);
};
const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
const rorOf = (i: number) => {
  let n = i * 7919 + 1_000_003;
  let s = "";
  for (let k = 0; k < 6; k++) {
    s = CROCKFORD[n % 32] + s;
    n = Math.floor(n / 32);
  }
  return "0" + s + rorCheckDigits("0" + s);
};
const qidOf = (i: number) => `Q${900_000_000 + i}`;

// ---------------------------------------------------------------- words

const SYL = ["ba", "bel", "car", "do", "fen", "gar", "lan", "mar", "no", "pel", "ri", "sau", "ter", "val", "vi", "mon", "ro", "che", "lu", "dor"];
const FIRST = ["CLAIRE", "JEAN", "LUC", "MARIE", "PAUL", "SOPHIE", "HUGO", "LEA", "NINA", "TOM", "ANNE", "YVES"];
const CITIES: [string, string, string][] = [
  ["PARIS", "75013", "75113"], ["LYON", "69007", "69387"], ["MARSEILLE", "13005", "13205"], ["TOULOUSE", "31400", "31555"],
  ["NANTES", "44000", "44109"], ["LILLE", "59000", "59350"], ["RENNES", "35000", "35238"], ["BORDEAUX", "33000", "33063"],
  ["STRASBOURG", "67000", "67482"], ["GRENOBLE", "38000", "38185"], ["DIJON", "21000", "21231"], ["ROUEN", "76000", "76540"],
];
const ESR_KINDS = ["UNIVERSITE", "ECOLE", "INSTITUT", "LYCEE", "COLLEGE", "CENTRE DE RECHERCHE", "LABORATOIRE", "ACADEMIE"];
const OTHER_NAF = ["47.11F", "56.10A", "68.20B", "70.22Z", "43.21A", "62.01Z", "86.21Z", "10.71C", "94.99Z", "85.59A"];
const ESR_NAF = ["85.42Z", "85.31Z", "85.32Z", "85.20Z", "72.19Z", "72.11Z", "85.41Z", "85.10Z"];
const OTHER_CJ = ["5710", "5499", "9220", "5720", "6540", "5599", "7210"];
const ESR_CJ = ["7331", "7383", "7384", "9220", "5710"];

function word(rng: Rng, syllables = 2 + rng.int(2)): string {
  let w = "";
  for (let i = 0; i < syllables; i++) w += SYL[rng.int(SYL.length)];
  return w.toUpperCase();
}
const title = (w: string) => w.charAt(0) + w.slice(1).toLowerCase();

/** An education/research unit other sources cite: the SIREN side of establishment group g (its index in the list). */
interface CitedUnit { siren: string; siret: string; name: string; city: number }

// ---------------------------------------------------------------- Sirene

const UL_HEADER = "siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,pseudonymeUniteLegale,identifiantAssociationUniteLegale,trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,caractereEmployeurUniteLegale,activitePrincipaleNAF25UniteLegale";
const ETAB_HEADER = "siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,trancheEffectifsEtablissement,anneeEffectifsEtablissement,activitePrincipaleRegistreMetiersEtablissement,dateDernierTraitementEtablissement,etablissementSiege,nombrePeriodesEtablissement,complementAdresseEtablissement,numeroVoieEtablissement,indiceRepetitionEtablissement,dernierNumeroVoieEtablissement,indiceRepetitionDernierNumeroVoieEtablissement,typeVoieEtablissement,libelleVoieEtablissement,codePostalEtablissement,libelleCommuneEtablissement,libelleCommuneEtrangerEtablissement,distributionSpecialeEtablissement,codeCommuneEtablissement,codeCedexEtablissement,libelleCedexEtablissement,codePaysEtrangerEtablissement,libellePaysEtrangerEtablissement,identifiantAdresseEtablissement,coordonneeLambertAbscisseEtablissement,coordonneeLambertOrdonneeEtablissement,complementAdresse2Etablissement,numeroVoie2Etablissement,indiceRepetition2Etablissement,typeVoie2Etablissement,libelleVoie2Etablissement,codePostal2Etablissement,libelleCommune2Etablissement,libelleCommuneEtranger2Etablissement,distributionSpeciale2Etablissement,codeCommune2Etablissement,codeCedex2Etablissement,libelleCedex2Etablissement,codePaysEtranger2Etablissement,libellePaysEtranger2Etablissement,dateDebut,etatAdministratifEtablissement,enseigne1Etablissement,enseigne2Etablissement,enseigne3Etablissement,denominationUsuelleEtablissement,activitePrincipaleEtablissement,nomenclatureActivitePrincipaleEtablissement,caractereEmployeurEtablissement,activitePrincipaleNAF25Etablissement";

function sampleHeader(rel: string): string {
  return readFileSync(join(SAMPLE_DATA_DIR, rel), "utf8").replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0];
}

/** Both Sirene stocks in one pass over the units, so each unit's establishments follow it (INSEE sorts by SIREN). */
function generateSirene(dir: string, units: number, rng: Rng, cited: CitedUnit[], out: GeneratedFile[]): void {
  if (sampleHeader("sirene/StockUniteLegale_utf8.csv") !== UL_HEADER || sampleHeader("sirene/StockEtablissement_utf8.csv") !== ETAB_HEADER) {
    throw new Error("the Sirene headers of data/sample changed: update scripts/bench/scale-data.ts");
  }
  mkdirSync(join(dir, "sirene"), { recursive: true });
  const t0 = performance.now();
  const ul = new BlockWriter(join(dir, "sirene", "StockUniteLegale_utf8.csv"), "latin1");
  const et = new BlockWriter(join(dir, "sirene", "StockEtablissement_utf8.csv"), "latin1");
  ul.write(UL_HEADER + "\n");
  et.write(ETAB_HEADER + "\n");
  let etabs = 0;
  for (let i = 0; i < units; i++) {
    const siren = sirenOf(i);
    const r = rng.next();
    const person = r < 0.55;
    const hidden = rng.next() < 0.07;
    const esr = !person && rng.next() < 0.033; // 1.5 % of all units
    const ceased = rng.next() < 0.25;
    const year = 1950 + rng.int(75);
    const city = rng.int(CITIES.length);
    let establishments = 1;
    while (rng.next() < 0.3) establishments++;
    const nicSiege = nicOf(siren, 0);
    const naf = esr ? ESR_NAF[rng.int(ESR_NAF.length)] : OTHER_NAF[rng.int(OTHER_NAF.length)];
    const cj = person ? "1000" : esr ? ESR_CJ[rng.int(ESR_CJ.length)] : OTHER_CJ[rng.int(OTHER_CJ.length)];
    const state = ceased ? "C" : "A";
    let name = "";
    if (hidden) {
      // INSEE masks a non-diffusible unit's fields with [ND].
      ul.write(`${siren},P,,${year}-01-01,,${person ? "[ND]" : ""},${person ? "[ND]" : ""},,,,,,,NN,,2025-01-01T00:00:00,1,PME,2022,${year}-01-01,${state},${person ? "[ND]" : ""},,${person ? "" : "[ND]"},,,,${cj},${naf},NAFRev2,${nicSiege},N,,N,\n`);
    } else if (person) {
      const first = FIRST[rng.int(FIRST.length)];
      ul.write(`${siren},O,,${year}-03-01,,${rng.next() < 0.5 ? "F" : "M"},${first},,,,${first},,,NN,,2025-01-01T00:00:00,1,PME,2022,${year}-03-01,${state},${word(rng)},,,,,,1000,${naf},NAFRev2,${nicSiege},N,,N,\n`);
    } else {
      name = esr ? `${ESR_KINDS[rng.int(ESR_KINDS.length)]} ${word(rng)} ${CITIES[city][0]}` : `${word(rng)} ${word(rng, 2)}`;
      ul.write(`${siren},O,,${year}-01-01,${esr && rng.next() < 0.3 ? word(rng, 1) : ""},,,,,,,,,12,2022,2025-01-01T00:00:00,2,PME,2022,${year}-01-01,${state},,,${name},,,,${cj},${naf},NAFRev2,${nicSiege},N,,O,\n`);
      if (esr && !ceased && cited.length < 200_000 && rng.next() < 0.5) cited.push({ siren, siret: siren + nicSiege, name, city });
    }
    for (let k = 0; k < establishments; k++) {
      const nic = k === 0 ? nicSiege : nicOf(siren, k);
      const closed = ceased || rng.next() < 0.15;
      const c = CITIES[k === 0 ? city : rng.int(CITIES.length)];
      const sign = !person && !hidden && k > 0 && rng.next() < 0.3 ? `SITE ${word(rng, 2)}` : "";
      const diff = hidden || rng.next() < 0.01 ? "P" : "O";
      et.write(`${siren},${nic},${siren}${nic},${diff},${year}-01-01,NN,,,2025-01-01T00:00:00,${k === 0},1,,${1 + rng.int(120)},,,,RUE,${diff === "P" ? "[ND]" : "DES " + word(rng, 2)},${c[1]},${c[0]},,,${c[2]},,,,,,,,,,,,,,,,,,,,,,${year}-01-01,${closed ? "F" : "A"},${sign},,,,${naf},NAFRev2,N,\n`);
    }
    etabs += establishments;
  }
  ul.close();
  et.close();
  const seconds = (performance.now() - t0) / 1000;
  out.push({ source: "sirene-ul", path: join(dir, "sirene", "StockUniteLegale_utf8.csv"), rows: units, bytes: ul.bytes, seconds });
  out.push({ source: "sirene-etab", path: join(dir, "sirene", "StockEtablissement_utf8.csv"), rows: etabs, bytes: et.bytes, seconds: 0 });
}

// ---------------------------------------------------------------- semicolon CSVs (ESR list, Annuaire, RNSR)

function csvCell(v: string): string {
  return /[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A CSV with the sample's header, each row given as column → value (other columns empty). */
function writeSemicolonCsv(path: string, header: string, rows: number, row: (i: number) => Record<string, string>): number {
  const columns = header.split(";");
  const w = new BlockWriter(path);
  w.write(header + "\n");
  for (let i = 0; i < rows; i++) {
    const values = row(i);
    w.write(columns.map((c) => csvCell(values[c] ?? "")).join(";") + "\n");
  }
  w.close();
  return w.bytes;
}

/** A `;`-separated source at `rel` under `dir`, with the header of the sample file of that name, timed. */
function semicolonSource(out: GeneratedFile[], dir: string, source: string, rel: string, rows: number, row: (i: number) => Record<string, string>): void {
  const path = join(dir, rel);
  timed(out, source, path, rows, () => writeSemicolonCsv(path, sampleHeader(rel), rows, row));
}

function timed(out: GeneratedFile[], source: string, path: string, rows: number, write: () => number): void {
  const t0 = performance.now();
  const bytes = write();
  out.push({ source, path, rows, bytes, seconds: (performance.now() - t0) / 1000 });
}

// ---------------------------------------------------------------- JSON (ROR, Wikidata)

function rorRecord(i: number, rng: Rng, wikidata: number): string {
  const name = `${["University", "Institute", "Laboratory", "School", "Centre"][rng.int(5)]} of ${title(word(rng))}`;
  const c = CITIES[rng.int(CITIES.length)];
  const french = rng.next() < 0.1;
  const ext = [`{"all":["grid.${10000 + i}.${rng.int(90) + 10}"],"preferred":"grid.${10000 + i}.${rng.int(90) + 10}","type":"grid"}`];
  if (i < wikidata && rng.next() < 0.5) ext.push(`{"all":["${qidOf(i)}"],"preferred":null,"type":"wikidata"}`);
  const rel = i > 0 && rng.next() < 0.2 ? `{"label":"parent","type":"parent","id":"https://ror.org/${rorOf(rng.int(i))}"}` : "";
  return `{"admin":{"created":{"date":"2019-01-01","schema_version":"1.0"},"last_modified":{"date":"2025-06-01","schema_version":"2.1"}},"domains":[],"established":${1900 + rng.int(125)},"external_ids":[${ext.join(",")}],"id":"https://ror.org/${rorOf(i)}","links":[{"type":"website","value":"https://www.${word(rng).toLowerCase()}.example"}],"locations":[{"geonames_details":{"continent_code":"EU","continent_name":"Europe","country_code":"${french ? "FR" : "DE"}","country_name":"${french ? "France" : "Germany"}","lat":${(43 + rng.next() * 7).toFixed(5)},"lng":${(rng.next() * 7).toFixed(5)},"name":"${french ? title(c[0]) : title(word(rng))}"},"geonames_id":${2_000_000 + i}}],"names":[{"lang":"en","types":["label","ror_display"],"value":"${name}"},{"lang":null,"types":["acronym"],"value":"${word(rng, 1)}"}],"relationships":[${rel}],"status":"${rng.next() < 0.95 ? "active" : "inactive"}","types":["${rng.next() < 0.6 ? "education" : "facility"}"]}`;
}

const snak = (id: string, p: string, value: string, type: string, datatype: string) =>
  `{"mainsnak":{"snaktype":"value","property":"${p}","datavalue":{"value":${value},"type":"${type}"},"datatype":"${datatype}"},"type":"statement","id":"${id}$${p}","rank":"normal"}`;
const itemValue = (q: string) => `{"entity-type":"item","numeric-id":${q.slice(1)},"id":"${q}"}`;
const stringClaim = (id: string, p: string, v: string) => `"${p}":[${snak(id, p, `"${v}"`, "string", "external-id")}]`;

function wikidataEntity(i: number, rng: Rng, cited: CitedUnit[], rors: number, uais: number): string {
  const id = qidOf(i);
  const name = `${["université", "école", "institut", "laboratoire"][rng.int(4)]} ${title(word(rng))}`;
  const claims = [
    `"P31":[${snak(id, "P31", itemValue(["Q3918", "Q38723", "Q31855", "Q3152824"][rng.int(4)]), "wikibase-entityid", "wikibase-item")}]`,
    `"P17":[${snak(id, "P17", itemValue("Q142"), "wikibase-entityid", "wikibase-item")}]`,
    `"P571":[${snak(id, "P571", `{"time":"+${1900 + rng.int(125)}-01-01T00:00:00Z","timezone":0,"before":0,"after":0,"precision":9,"calendarmodel":"http://www.wikidata.org/entity/Q1985727"}`, "time", "time")}]`,
  ];
  if (i < rors && rng.next() < 0.5) claims.push(stringClaim(id, "P6782", rorOf(i)));
  if (i < uais && rng.next() < 0.3) claims.push(stringClaim(id, "P3202", uaiOf(i)));
  if (i < cited.length && rng.next() < 0.2) claims.push(stringClaim(id, "P1616", cited[i].siren));
  return `"${id}":{"type":"item","id":"${id}","labels":{"fr":{"language":"fr","value":"${name}"},"en":{"language":"en","value":"${title(word(rng))} University"}},"descriptions":{"fr":{"language":"fr","value":"établissement d'enseignement supérieur"}},"aliases":{"fr":[{"language":"fr","value":"${word(rng, 1)}"}]},"claims":{${claims.join(",")}}}`;
}

// ---------------------------------------------------------------- all sources

const count = (full: number, scale: number) => Math.max(1, Math.round(full * scale));

/** Writes every source under `dir` (laid out like ../shared/data) and says what each file holds. */
export function generateScaleData(opts: GenerateOptions): GeneratedFile[] {
  const { dir, scale } = opts;
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1], got ${scale}`);
  const rng = new Rng(opts.seed ?? 12);
  const out: GeneratedFile[] = [];
  const cited: CitedUnit[] = [];
  generateSirene(dir, count(FULL_SIZE.units, scale), rng, cited, out);
  const rors = count(FULL_SIZE.ror, scale);
  const wikidata = count(FULL_SIZE.wikidata, scale);
  const educationRows = count(FULL_SIZE.education, scale);
  /** The unit of establishment group g, when there is one. */
  const unitOf = (g: number): CitedUnit | undefined => cited[g];

  for (const sub of ["uai", "education", "rnsr", "ror", "wikidata"]) mkdirSync(join(dir, sub), { recursive: true });
  const uaiRows = count(FULL_SIZE.uai, scale);
  semicolonSource(out, dir, "uai", "uai/fr-esr-principaux-etablissements-enseignement-superieur.csv", uaiRows, (i) => {
    const u = unitOf(i);
    const c = CITIES[u?.city ?? rng.int(CITIES.length)];
    return {
      uai: uaiOf(i), uo_lib: u ? title(u.name) : `Université ${title(word(rng))}`, sigle: word(rng, 1), type_d_etablissement: "Université",
      siret: u?.siret ?? "", siren: u?.siren ?? "", identifiant_wikidata: i < wikidata ? qidOf(i) : "", identifiant_ror: i < rors ? rorOf(i) : "",
      com_nom: title(c[0]), code_postal_uai: c[1], url: `https://www.${word(rng).toLowerCase()}.example`,
    };
  });

  semicolonSource(out, dir, "education", "education/fr-en-annuaire-education.csv", educationRows, (i) => {
    const u = rng.next() < 0.3 ? unitOf(i) : undefined;
    const c = CITIES[u?.city ?? rng.int(CITIES.length)];
    const kind = ["Ecole", "Collège", "Lycée"][rng.int(3)];
    return {
      Identifiant_de_l_etablissement: uaiOf(i), Nom_etablissement: `${kind} ${title(word(rng))}`, Type_etablissement: kind, Statut_public_prive: "Public",
      Adresse_1: `${1 + rng.int(90)} rue ${title(word(rng))}`, Code_postal: c[1], Code_commune: c[2], Nom_commune: title(c[0]), Code_academie: String(1 + rng.int(30)).padStart(2, "0"),
      Libelle_academie: title(c[0]), SIREN_SIRET: u?.siret ?? "", latitude: (43 + rng.next() * 7).toFixed(6), longitude: (rng.next() * 7).toFixed(6), etat: rng.next() < 0.9 ? "OUVERT" : "FERME",
    };
  });

  semicolonSource(out, dir, "rnsr", "rnsr/fr-esr-structures-recherche-publiques-actives.csv", count(FULL_SIZE.rnsr, scale), (i) => {
    const tutelle = rng.int(uaiRows);
    const u = unitOf(tutelle);
    const c = CITIES[u?.city ?? rng.int(CITIES.length)];
    return {
      numero_national_de_structure: rnsrOf(i), libelle: `Laboratoire ${title(word(rng))} ${title(word(rng))}`, sigle: word(rng, 2), annee_de_creation: String(1970 + rng.int(55)),
      type_de_structure: "Unité mixte", code_postal: c[1], commune: c[0], label_numero: `UMR ${1000 + i}`,
      tutelles: u ? title(u.name) : "", siret_des_tutelles: u?.siret ?? "", uai_des_tutelles: u ? uaiOf(tutelle) : "",
      numero_de_structure_parent: i > 10 && rng.next() < 0.1 ? rnsrOf(rng.int(i)) : "",
    };
  });

  const rorPath = join(dir, "ror", "ror-records-v2.json");
  timed(out, "ror", rorPath, rors, () => {
    const w = new BlockWriter(rorPath);
    w.write("[\n");
    for (let i = 0; i < rors; i++) w.write((i ? ",\n" : "") + rorRecord(i, rng, wikidata));
    w.write("\n]\n");
    w.close();
    return w.bytes;
  });

  const wdPath = join(dir, "wikidata", "wikidata-establishments.json");
  timed(out, "wikidata", wdPath, wikidata, () => {
    const w = new BlockWriter(wdPath);
    w.write('{"entities":{\n');
    for (let i = 0; i < wikidata; i++) w.write((i ? ",\n" : "") + wikidataEntity(i, rng, cited, rors, educationRows));
    w.write('\n},"success":1}\n');
    w.close();
    return w.bytes;
  });
  return out;
}
