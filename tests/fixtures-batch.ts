// Batch files as IT teams send them, written by the tests into a temporary
// directory (never committed): a messy Latin-1 export with `;`, an Excel CSV
// with a BOM, CRLF and quoted line breaks, an empty file, a file without the
// column asked for. Names are typed after data/sample/README.md's table.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** Windows-1252 bytes of a string (Latin-1, plus the few characters 0x80-0x9F hold: œ, ’, —, €). */
export function windows1252(s: string): Buffer {
  const extra: Record<string, number> = { "€": 0x80, "’": 0x92, "—": 0x97, "œ": 0x9c, "Œ": 0x8c, "…": 0x85 };
  return Buffer.from([...s].map((c) => extra[c] ?? (c.charCodeAt(0) <= 0xff ? c.charCodeAt(0) : 0x3f)));
}

export const MESSY_HEADER = ["Nom de l'établissement", "Ville", "Code UAI", "Commentaire"];

/** Rows of the messy file with what each must come out as (target "all"). */
export const MESSY_ROWS: { cells: string[]; status: "matched" | "ambiguous" | "none"; id?: string; uai?: string; ror?: string }[] = [
  { cells: ["Université Paris 1 Panthéon-Sorbonne", "Paris", "", "siège"], status: "matched", id: "/id/uai/0751717J", uai: "0751717J", ror: "002t25c44" },
  { cells: ["Univ. Paris 13", "Villetaneuse", "", "ex-Paris XIII; renommée"], status: "matched", id: "/id/uai/0931238R", uai: "0931238R", ror: "0199hds37" },
  { cells: ["LIPN", "", "", "laboratoire (UMR 7030)"], status: "matched", id: "/id/rnsr/199811842K", ror: "03n6dz703" },
  { cells: ["Humboldt Universität Berlin", "Berlin", "", "partenaire étranger"], status: "matched", id: "http://www.wikidata.org/entity/Q990000005", ror: "01hcx6992" },
  { cells: ["  SORBONNE  ", "", "", "lequel ?"], status: "ambiguous" },
  { cells: ["Boulangerie Zorglub & fils", "Paris", "", "cœur de métier : pain"], status: "none" },
  { cells: ["", "", "0751717J", "code seul"], status: "matched", id: "/id/uai/0751717J", uai: "0751717J" },
  { cells: ["ECOLE NORMALE SUPERIEURE", "Paris", "", "en capitales, sans accents"], status: "matched", id: "/id/uai/0753455Y", uai: "0753455Y" },
  { cells: ["Lycée Louis-le-Grand", "Paris", "", "l’apostrophe de Word"], status: "matched", id: "/id/uai/0750654D", uai: "0750654D" },
];

const quote = (s: string, d: string) => (s.includes(d) || s.includes('"') || /[\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The messy export: Windows-1252, `;`, CRLF, a `;` inside a quoted comment, a blank line, a last line without CRLF. */
export function writeMessy(dir: string): string {
  const lines = [MESSY_HEADER, ...MESSY_ROWS.map((r) => r.cells)].map((cells) => cells.map((c) => quote(c, ";")).join(";"));
  lines.splice(4, 0, "");
  const path = join(dir, "messy-latin1.csv");
  writeFileSync(path, windows1252(lines.join("\r\n")));
  return path;
}

/** Excel's "CSV UTF-8": BOM, `,`, CRLF, a quoted name over two lines, doubled quotes, trailing empty cells, a row of empty cells. */
export const EXCEL_TEXT =
  "\ufeffetablissement,ville,note,\r\n" +
  '"Université Grenoble Alpes\r\n(UGA)",Saint-Martin-d\'Hères,"deux lignes",\r\n' +
  '"Conservatoire national des arts et métiers, ""Cnam""",Paris,,\r\n' +
  ",,,\r\n" +
  "Institut national des sciences appliquées de Lyon,Villeurbanne,\"note\r\nsur deux lignes\",\r\n" +
  "Société sans rapport,Lyon,,\r\n";

export function writeExcel(dir: string): string {
  const path = join(dir, "excel.csv");
  writeFileSync(path, EXCEL_TEXT, "utf8");
  return path;
}

export function writeEmpty(dir: string): string {
  const path = join(dir, "empty.csv");
  writeFileSync(path, "");
  return path;
}

export function writeWithoutColumn(dir: string): string {
  const path = join(dir, "no-column.csv");
  writeFileSync(path, "etablissement;ville\nUniv Paris 1;Paris\n", "utf8");
  return path;
}
