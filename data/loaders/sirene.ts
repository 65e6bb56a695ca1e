// INSEE Sirene stock files (StockUniteLegale, StockEtablissement): CSV with
// INSEE's documented column names, plain or zipped, streamed row by row. Only
// the units that matter here are kept: education and research by legal
// category or activity, and every SIREN/SIRET another source cites.
// Sirene holds personal data, so the rule is "known safe, else left out": a
// unit is loaded only when it is diffusible and shows no sign of a natural
// person, and an establishment only when its unit was so loaded (without a
// units file, no establishment at all).
import { statSync } from "node:fs";
import type { Readable } from "node:stream";
import { entityUri, normaliseId } from "../../vocab/identifiers.ts";
import { ADMS, ADMS_STATUS_WITHDRAWN, INSEE_CODES, ORG, RDF, SCHEMA } from "../../vocab/namespaces.ts";
import { scanCsv, type CsvRow, type LineFilter, type ScanResult } from "../csv.ts";
import type { TripleSink } from "../triples.ts";
import { openZipEntry } from "../zip.ts";
import { address, crossIdentifier, names, outcome, ownIdentifier, skip } from "./common.ts";
import type { LoadContext, LoadOutcome } from "./types.ts";

/** Legal categories (catégories juridiques, level III) of public education and research bodies. */
export const ESR_LEGAL_CATEGORIES = new Set([
  "7331", // Établissement public local d'enseignement (lycées, collèges)
  "7383", // Établissement public national à caractère scientifique, culturel et professionnel (universities)
  "7384", // Autre établissement public national d'enseignement
]);

/** NAF rev. 2 activities of education and research. */
export const ESR_ACTIVITIES = new Set([
  "85.10Z", "85.20Z", "85.31Z", "85.32Z", "85.41Z", "85.42Z", // pre-primary to higher education
  "72.11Z", "72.19Z", "72.20Z", // research and development
]);

/** Legal category of individual entrepreneurs: natural persons, never loaded. */
const NATURAL_PERSON = "1000";

/** Columns INSEE fills only for natural persons: any value in one of them excludes the unit. */
const PERSON_COLUMNS = [
  "nomUniteLegale", "nomUsageUniteLegale", "prenom1UniteLegale", "prenom2UniteLegale", "prenom3UniteLegale",
  "prenom4UniteLegale", "prenomUsuelUniteLegale", "pseudonymeUniteLegale", "sexeUniteLegale",
] as const;

/**
 * Why a unit must never be loaded, or undefined when it may be: not diffusible,
 * or any sign of a natural person (legal category 1000 or missing, a surname,
 * a first name, a sex). A unit whose category is unknown could be a person, so
 * it is treated as one.
 */
export function unitExclusion(get: (column: string) => string): string | undefined {
  if (get("statutDiffusionUniteLegale") !== "O") return "not diffusible";
  const category = get("categorieJuridiqueUniteLegale");
  if (category === NATURAL_PERSON || category === "") return "natural person or unknown legal category";
  if (PERSON_COLUMNS.some((c) => get(c) !== "")) return "natural person (name, first name or sex given)";
  return undefined;
}

export const NO_UNITS_FILE_WARNING =
  "no StockUniteLegale file in the data directory: no establishment is loaded, since none can be known to belong to a diffusible unit that is not a natural person";

const UL_REQUIRED = [
  "siren", "statutDiffusionUniteLegale", "denominationUniteLegale", "categorieJuridiqueUniteLegale",
  "activitePrincipaleUniteLegale", "etatAdministratifUniteLegale", "nicSiegeUniteLegale",
] as const;

const ETAB_REQUIRED = [
  "siren", "nic", "siret", "statutDiffusionEtablissement", "etablissementSiege", "codePostalEtablissement",
  "libelleCommuneEtablissement", "etatAdministratifEtablissement", "activitePrincipaleEtablissement",
] as const;

/**
 * Streams the rows of a stock file (plain or zipped) that pass `prefilter`,
 * a test on the raw line's bytes that rejects most of the tens of millions of
 * rows before they are decoded or split into cells (data/csv.ts, scanCsv).
 */
async function scanStock(
  ctx: LoadContext, required: readonly string[], entryPrefix: string, prefilter: (header: readonly string[]) => LineFilter, onRow: (row: CsvRow) => void,
): Promise<ScanResult> {
  let stream: Readable | undefined;
  let total = statSync(ctx.file).size;
  let close = () => {};
  if (/\.zip$/i.test(ctx.file)) {
    const entry = await openZipEntry(ctx.file, (n) => n.startsWith(entryPrefix) && /\.csv$/i.test(n));
    ({ stream, close } = entry);
    total = entry.size;
  }
  try {
    return await scanCsv(ctx.file, { delimiter: ",", required, prefilter, onBytes: (b) => ctx.onProgress?.(b, total) }, onRow, stream);
  } finally {
    close();
  }
}

// The prefilters read bytes, not text: at ~1 % of rows kept, a string made
// for each row read would be most of the cost of a stock file.

/**
 * The SIREN a raw stock line starts with (the first column of both files,
 * quoted or not) as a number, or -1 when its first 9 characters are not
 * digits. SIRENs are compared as numbers: below 2^31, a Set of them is
 * faster to ask than a Set of strings, and nothing need be decoded.
 */
export function leadingSiren(b: Uint8Array, s: number, e: number): number {
  if (b[s] === 34) s++;
  if (e - s < 9) return -1;
  let n = 0;
  for (let i = s; i < s + 9; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** SIRENs (9 digits) as leadingSiren reads them. */
const sirenNumbers = (sirens: Iterable<string>): Set<number> => {
  const out = new Set<number>();
  for (const s of sirens) out.add(Number(s));
  return out;
};

const ESR_CODES = [...ESR_LEGAL_CATEGORIES, ...ESR_ACTIVITIES].map((c) => Buffer.from(c, "latin1"));
/** The bytes an education/research code can start with, to pass over other cells at once. */
const ESR_FIRST_BYTE = new Uint8Array(256);
for (const c of ESR_CODES) ESR_FIRST_BYTE[c[0]] = 1;

/** Is `b[from..to)` an education/research legal category or activity code? */
function isEsrCode(b: Uint8Array, from: number, to: number): boolean {
  if (from >= to || ESR_FIRST_BYTE[b[from]] === 0) return false;
  for (const code of ESR_CODES) {
    if (code.length !== to - from) continue;
    let k = 1;
    while (k < code.length && b[from + k] === code[k]) k++;
    if (k === code.length) return true;
  }
  return false;
}

/**
 * A test of a units line: does one of `columns` (by name in `header`) hold an
 * education/research code? Cells are counted from the line's end, where
 * INSEE puts the category and the activity (the names, which may hold
 * commas, come before): a few dozen bytes read instead of the whole line. A
 * quote among them makes the count unsure, so such a line is accepted and
 * left to the parsed row's rules.
 */
export function esrCodeTest(header: readonly string[], columns: readonly string[]): LineFilter {
  const fromEnd = new Uint8Array(header.length + 1);
  let deepest = 0;
  for (const c of columns) {
    const k = header.length - 1 - header.indexOf(c);
    if (k >= header.length) continue;
    fromEnd[k] = 1;
    deepest = Math.max(deepest, k);
  }
  return (b, s, e) => {
    let cellEnd = e;
    let k = 0;
    for (let i = e - 1; i >= s; i--) {
      const c = b[i];
      if (c === 34) return true;
      if (c !== 44) continue;
      if (fromEnd[k] === 1 && isEsrCode(b, i + 1, cellEnd)) return true;
      if (++k > deepest) return false;
      cellEnd = i;
    }
    return fromEnd[k] === 1 && isEsrCode(b, s, cellEnd);
  };
}

export async function loadSireneUnitesLegales(ctx: LoadContext, sink: TripleSink): Promise<LoadOutcome> {
  const out = outcome();
  ctx.refs.sireneUnitsRead = true;
  // Rows with no education/research code and no cited SIREN are left unparsed;
  // every rule below is still applied to the rows that pass.
  const cited = sirenNumbers(ctx.refs.sirens);
  const prefilter = (header: readonly string[]): LineFilter => {
    const esr = esrCodeTest(header, ["categorieJuridiqueUniteLegale", "activitePrincipaleUniteLegale"]);
    return (b, s, e) => cited.has(leadingSiren(b, s, e)) || esr(b, s, e);
  };
  const scan = await scanStock(ctx, UL_REQUIRED, "StockUniteLegale", prefilter, (row) => {
    const siren = normaliseId("siren", row.get("siren"));
    if (!siren) return skip(out, "no valid SIREN");
    const excluded = unitExclusion(row.get);
    if (excluded) return skip(out, excluded);
    const category = row.get("categorieJuridiqueUniteLegale");
    const activity = row.get("activitePrincipaleUniteLegale");
    if (!ESR_LEGAL_CATEGORIES.has(category) && !ESR_ACTIVITIES.has(activity) && !ctx.refs.sirens.has(siren)) {
      return skip(out, "outside education and research");
    }
    const name = row.get("denominationUniteLegale");
    ctx.refs.keptSirens.set(siren, name);
    out.entities++;
    const e = entityUri(ctx.base, "siren", siren);
    sink.iri(e, RDF.type, SCHEMA.Organization);
    sink.iri(e, RDF.type, ORG.FormalOrganization);
    ownIdentifier(sink, e, "siren", siren, "INSEE");
    names(sink, e, name, "fr", [1, 2, 3].map((i) => row.get(`denominationUsuelle${i}UniteLegale`)));
    sink.lit(e, SCHEMA.alternateName, row.get("sigleUniteLegale"));
    sink.iri(e, ORG.classification, category ? INSEE_CODES.legalCategory(category) : undefined);
    sink.iri(e, ORG.classification, activity ? INSEE_CODES.naf(activity) : undefined);
    sink.date(e, SCHEMA.foundingDate, row.get("dateCreationUniteLegale"));
    if (row.get("etatAdministratifUniteLegale") === "C") {
      sink.date(e, SCHEMA.dissolutionDate, row.get("dateDebut"));
      sink.iri(e, ADMS.status, ADMS_STATUS_WITHDRAWN);
    }
    const nic = row.get("nicSiegeUniteLegale");
    if (/^\d{5}$/.test(nic)) sink.iri(e, ORG.hasPrimarySite, entityUri(ctx.base, "siret", siren + nic));
  });
  return counted(out, scan, "outside education and research (no code of theirs, not cited)");
}

/** Rows the prefilter refused are counted with the reason they were refused for. */
function counted(out: LoadOutcome, scan: ScanResult, reason: string): LoadOutcome {
  out.rows = scan.rows;
  if (scan.rejected) out.skipped[reason] = (out.skipped[reason] ?? 0) + scan.rejected;
  return out;
}

export async function loadSireneEtablissements(ctx: LoadContext, sink: TripleSink): Promise<LoadOutcome> {
  const out = outcome();
  if (!ctx.refs.sireneUnitsRead) {
    out.warnings.push(`${ctx.file}: ${NO_UNITS_FILE_WARNING}`);
    out.skipped["no units file"] = 1;
    return out;
  }
  // Only establishments of the units loaded above can be kept: their SIREN starts the line.
  const kept = sirenNumbers(ctx.refs.keptSirens.keys());
  const prefilter = (): LineFilter => (b, s, e) => kept.has(leadingSiren(b, s, e));
  const scan = await scanStock(ctx, ETAB_REQUIRED, "StockEtablissement", prefilter, (row) => {
    const siret = normaliseId("siret", row.get("siret"));
    if (!siret) return skip(out, "no valid SIRET");
    const siren = siret.slice(0, 9);
    if (row.get("statutDiffusionEtablissement") !== "O") return skip(out, "not diffusible");
    // Only the units loaded above are known diffusible and not natural persons
    // (every SIRET another source cites has its SIREN cited too, so its unit is among them).
    const unitName = ctx.refs.keptSirens.get(siren);
    if (unitName === undefined) return skip(out, UNIT_NOT_LOADED);
    out.entities++;
    const e = entityUri(ctx.base, "siret", siret);
    sink.iri(e, RDF.type, SCHEMA.Organization);
    sink.iri(e, RDF.type, ORG.Site);
    ownIdentifier(sink, e, "siret", siret, "INSEE");
    crossIdentifier(sink, ctx.base, e, "siren", siren);
    sink.iri(e, ORG.siteOf, entityUri(ctx.base, "siren", siren));
    sink.iri(entityUri(ctx.base, "siren", siren), ORG.hasSite, e);
    // An establishment is named by its sign or usual name, else by its legal unit.
    const own = [row.get("denominationUsuelleEtablissement"), row.get("enseigne1Etablissement")].filter(Boolean);
    names(sink, e, own[0] || unitName, "fr", [...own.slice(1), own.length ? unitName : undefined]);
    const activity = row.get("activitePrincipaleEtablissement");
    sink.iri(e, ORG.classification, activity ? INSEE_CODES.naf(activity) : undefined);
    sink.date(e, SCHEMA.foundingDate, row.get("dateCreationEtablissement"));
    if (row.get("etatAdministratifEtablissement") === "F") {
      sink.date(e, SCHEMA.dissolutionDate, row.get("dateDebut"));
      sink.iri(e, ADMS.status, ADMS_STATUS_WITHDRAWN);
    }
    const street = ["numeroVoieEtablissement", "indiceRepetitionEtablissement", "typeVoieEtablissement", "libelleVoieEtablissement"]
      .map((c) => row.get(c))
      .filter(Boolean)
      .join(" ");
    address(sink, e, {
      street: [row.get("complementAdresseEtablissement"), street].filter(Boolean).join(", "),
      postcode: row.get("codePostalEtablissement"),
      city: row.get("libelleCommuneEtablissement") || row.get("libelleCommuneEtrangerEtablissement"),
      country: row.get("codePaysEtrangerEtablissement") ? undefined : "FR",
    });
  });
  return counted(out, scan, UNIT_NOT_LOADED);
}

const UNIT_NOT_LOADED = "unit not loaded (outside education and research, not diffusible or a natural person)";
