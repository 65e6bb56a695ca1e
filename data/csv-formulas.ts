// CSV cells that a spreadsheet would run as a formula are neutralised in every
// CSV refx writes (the OWASP rule for CSV injection): a cell beginning with
// =, +, -, @, a tab or a carriage return gets a leading apostrophe, which
// Excel and LibreOffice show as text and do not display. A real RNSR name
// begins "- UMR 9014 - …": written as is, it became a formula in refx_name.
// Plain numbers (-12, +3.5) cannot be formulas and are left alone. Who needs
// the exact bytes (a pipeline, not a spreadsheet) asks for raw output:
// `formulas=raw` on the APIs, `--raw-formulas` on the command line.

/** How formula-like cells are written: neutralised (the default) or raw. */
export type FormulaMode = "neutralise" | "raw";

const TRIGGER = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?$/;

/** The cell as a spreadsheet will read it as text. */
export function neutraliseFormula(cell: string): string {
  return TRIGGER.test(cell) && !NUMBER.test(cell) ? `'${cell}` : cell;
}

/** Every cell of the records, neutralised unless `mode` is raw. */
export function formulaSafe(records: string[][], mode: FormulaMode = "neutralise"): string[][] {
  if (mode === "raw") return records;
  return records.map((r) => (r.some((c) => TRIGGER.test(c)) ? r.map(neutraliseFormula) : r));
}

/** The `formulas` field of a request: neutralise (default) or raw; anything else is a mistake to report. */
export function parseFormulaMode(value: unknown): FormulaMode | undefined {
  if (value === undefined || value === "" || value === "neutralise" || value === "neutralize") return "neutralise";
  if (value === "raw") return "raw";
  return undefined;
}
