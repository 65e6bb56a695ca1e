// Reads the source files themselves (csv-parse, JSON.parse), not the store
// nor the matcher: the truth of the labelled set is each file's own
// identifier for its own row, whatever refx makes of it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { entityUri, normaliseId } from "../../vocab/identifiers.ts";

export type SourceName = "uai" | "rnsr" | "ror" | "education";

export interface SourceEntity {
  source: SourceName;
  /** The file's own identifier: UAI, RNSR number, ROR id. */
  id: string;
  /** refx's URI for that identifier. */
  uri: string;
  /** The name the file gives first: uo_lib, libelle, ROR display name, Nom_etablissement. */
  name: string;
  /** Language of `name` when the file says (ROR). */
  lang?: string;
  officialName?: string;
  shortName?: string;
  englishName?: string;
  /** ROR labels in another language than the display name. */
  otherLabels: string[];
  /** ROR aliases. */
  aliases: string[];
  acronyms: string[];
  /** RNSR unit codes ("UMR 7030"). */
  unitCodes: string[];
  city?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
  countryName?: string;
  /** Identifiers the row cites for the same establishment. */
  wikidata?: string;
  siret?: string;
  /** ROR record types, UAI establishment type, Annuaire type. */
  types: string[];
  /** Closed (UAI date_fermeture, Annuaire FERME) or not active (ROR). */
  withdrawn: boolean;
  /** Ids of the establishments that replaced this one (ROR `successor` relationships). */
  successors?: string[];
}

export interface Sources {
  uai: SourceEntity[];
  rnsr: SourceEntity[];
  ror: SourceEntity[];
  education: SourceEntity[];
  files: Record<SourceName, string | undefined>;
}

function findFile(dir: string, pattern: RegExp): string | undefined {
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).sort().find((f) => pattern.test(f));
  return name ? join(dir, name) : undefined;
}

function csv(file: string): Record<string, string>[] {
  return parse(readFileSync(file), { delimiter: ";", bom: true, columns: (h: string[]) => h.map((c) => c.trim()), skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
}

const clean = (s: string | undefined): string | undefined => {
  const v = s?.replace(/\s+/g, " ").trim();
  return v ? v : undefined;
};

/** "NANTES CEDEX 3" -> "Nantes": a user's spreadsheet holds the town, not the postal routing. */
export function townOf(s: string | undefined): string | undefined {
  const v = clean(s?.replace(/\bcedex\b(\s*\d+)?/gi, " ").replace(/\b\d{1,2}(e|er|eme)?\b/gi, " "));
  if (!v) return undefined;
  if (v !== v.toUpperCase()) return v;
  return v.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_, sep: string, c: string) => sep + c.toUpperCase());
}

export function readSources(dataDir: string, base: string): Sources {
  const files = {
    uai: findFile(join(dataDir, "uai"), /^fr-esr-principaux-etablissements-enseignement-superieur.*\.csv$/),
    rnsr: findFile(join(dataDir, "rnsr"), /^fr-esr-structures-recherche-publiques-actives.*\.csv$/),
    ror: findFile(join(dataDir, "ror"), /\.json$/),
    education: findFile(join(dataDir, "education"), /^fr-en-annuaire-education.*\.csv$/),
  };
  return {
    uai: files.uai ? readUai(files.uai, base) : [],
    rnsr: files.rnsr ? readRnsr(files.rnsr, base) : [],
    ror: files.ror ? readRor(files.ror) : [],
    education: files.education ? readEducation(files.education, base) : [],
    files,
  };
}

function readUai(file: string, base: string): SourceEntity[] {
  const out: SourceEntity[] = [];
  for (const row of csv(file)) {
    const id = normaliseId("uai", row.uai);
    const name = clean(row.uo_lib);
    if (!id || !name) continue;
    const foreign = clean(row.pays_etranger_acheminement);
    out.push({
      source: "uai", id, uri: entityUri(base, "uai", id), name, lang: "fr",
      officialName: clean(row.uo_lib_officiel), shortName: clean(row.nom_court), englishName: clean(row.uo_lib_en),
      otherLabels: [], aliases: [],
      acronyms: [clean(row.sigle)].filter((s): s is string => !!s),
      unitCodes: [],
      city: townOf(row.com_nom),
      country: !foreign || /^france$/i.test(foreign) ? "FR" : undefined,
      countryName: !foreign || /^france$/i.test(foreign) ? "France" : foreign,
      wikidata: normaliseId("wikidata", row.identifiant_wikidata),
      siret: normaliseId("siret", row.siret),
      types: [clean(row.type_d_etablissement)].filter((s): s is string => !!s),
      withdrawn: !!clean(row.date_fermeture),
    });
  }
  return out;
}

function readRnsr(file: string, base: string): SourceEntity[] {
  const out: SourceEntity[] = [];
  for (const row of csv(file)) {
    const id = normaliseId("rnsr", row.numero_national_de_structure);
    const name = clean(row.libelle);
    if (!id || !name) continue;
    out.push({
      source: "rnsr", id, uri: entityUri(base, "rnsr", id), name, lang: "fr",
      otherLabels: [], aliases: [],
      acronyms: [clean(row.sigle)].filter((s): s is string => !!s),
      unitCodes: [...new Set((row.label_numero ?? "").split(";").map((c) => clean(c)).filter((c): c is string => !!c))],
      city: townOf(row.commune), country: "FR", countryName: "France",
      types: [clean(row.type_de_structure)].filter((s): s is string => !!s),
      withdrawn: false,
    });
  }
  return out;
}

interface RorName {
  value: string;
  types?: string[];
  lang?: string | null;
}
interface RorRecord {
  id?: string;
  names?: RorName[];
  status?: string;
  types?: string[];
  external_ids?: { type: string; preferred?: string | null; all?: string[] }[];
  locations?: { geonames_details?: { name?: string; country_code?: string; country_name?: string } }[];
  relationships?: { type?: string; id?: string }[];
}

function readRor(file: string): SourceEntity[] {
  const out: SourceEntity[] = [];
  const records = JSON.parse(readFileSync(file, "utf8")) as RorRecord[];
  for (const r of records) {
    const id = normaliseId("ror", r.id);
    const display = r.names?.find((n) => n.types?.includes("ror_display"));
    if (!id || !display?.value) continue;
    const wd = r.external_ids?.find((x) => x.type === "wikidata");
    // The loader links the first valid id, the preferred one first.
    const wikidata = wd ? [wd.preferred, ...(wd.all ?? [])].map((v) => normaliseId("wikidata", v)).find((v) => !!v) : undefined;
    const place = r.locations?.[0]?.geonames_details;
    const names = r.names ?? [];
    out.push({
      source: "ror", id, uri: `https://ror.org/${id}`, name: display.value, lang: display.lang ?? undefined,
      otherLabels: names.filter((n) => n !== display && n.types?.includes("label") && !n.types.includes("acronym") && n.value !== display.value).map((n) => n.value),
      aliases: names.filter((n) => n.types?.includes("alias") && n.value !== display.value).map((n) => n.value),
      acronyms: names.filter((n) => n.types?.includes("acronym")).map((n) => n.value),
      unitCodes: [],
      city: clean(place?.name), country: place?.country_code?.toUpperCase(), countryName: clean(place?.country_name),
      wikidata, types: r.types ?? [], withdrawn: !!r.status && r.status !== "active",
      successors: (r.relationships ?? []).filter((x) => x.type === "successor").map((x) => normaliseId("ror", x.id)).filter((x): x is string => !!x),
    });
  }
  return out;
}

function readEducation(file: string, base: string): SourceEntity[] {
  const out: SourceEntity[] = [];
  for (const row of csv(file)) {
    const id = normaliseId("uai", row.Identifiant_de_l_etablissement);
    const name = clean(row.Nom_etablissement);
    if (!id || !name) continue;
    out.push({
      source: "education", id, uri: entityUri(base, "uai", id), name, lang: "fr",
      otherLabels: [], aliases: [], acronyms: [], unitCodes: [],
      city: clean(row.Nom_commune), country: "FR", countryName: "France",
      types: [clean(row.Type_etablissement)].filter((s): s is string => !!s),
      withdrawn: /ferm/i.test(row.etat ?? ""),
    });
  }
  return out;
}
