// Affiliation strings as use cases share them: the limits on one string, and
// a result as the CSV cells `refx affiliations` writes (the HTTP answers are
// server/api/affiliations.ts). See docs/affiliations.md.
import type { AffiliationOrganisation, AffiliationResult } from "../reconcile/affiliation/match.ts";
import type { Scheme } from "../vocab/identifiers.ts";

/** Longest affiliation taken: real ones are under 500 characters; longer is a whole document sent by mistake. */
export const AFFILIATION_MAX_CHARS = 2000;
/** Organisations reported per string by default, and at most. */
export const AFFILIATION_LIMIT = 10;
export const AFFILIATION_LIMIT_MAX = 50;

export const round = (n: number) => Math.round(n * 100) / 100;

// --- CSV rows of `refx affiliations` ---------------------------------------------------------------

/** Identifier columns of the primary organisation, in this order. */
export const AFFILIATION_ID_SCHEMES: readonly Scheme[] = ["uai", "rnsr", "siret", "ror", "wikidata"];
/** Columns added to every row. */
export const AFFILIATION_COLUMNS: readonly string[] = [
  "refx_primary_id", "refx_primary_name", "refx_primary_score", "refx_primary_match", "refx_organisations",
  ...AFFILIATION_ID_SCHEMES.map((s) => `refx_${s}`),
];
/** Between several values of one cell (several organisations, several SIRETs). */
export const CELL_SEPARATOR = " ; ";

/** `id|name|score|match`, with the characters that would break it out of names. */
const organisationCell = (o: AffiliationOrganisation) =>
  [o.record.id, o.record.name.replace(/[|;]/g, " ").replace(/\s+/g, " ").trim(), String(round(o.score)), String(o.match)].join("|");

/** The result columns of one row; no result (an empty cell, a failure) is empty cells and `false`. */
export function affiliationCells(r: AffiliationResult | undefined): string[] {
  const p = r?.primary;
  return [
    p?.record.id ?? "",
    p?.record.name ?? "",
    p ? String(round(p.score)) : "",
    String(p?.match ?? false),
    (r?.organisations ?? []).map(organisationCell).join(CELL_SEPARATOR),
    ...AFFILIATION_ID_SCHEMES.map((s) => (p?.record.identifiers[s] ?? []).join(CELL_SEPARATOR)),
  ];
}
