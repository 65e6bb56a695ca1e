// Checks on the text clients send: control characters have no place in a name
// or an identifier and are refused (tabs and line breaks, which spreadsheet
// cells do hold, become spaces); lengths are capped so one query cannot make
// the matcher work for nothing.
import { invalidInput, quote } from "./errors.ts";

const badRequest = (message: string) => invalidInput(message);

/** Control characters other than tab, line feed and carriage return, which spreadsheet cells do hold (and read as spaces). */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROL_RUNS = new RegExp(`${CONTROL_CHARACTERS.source}+`, "g");

/** Every control character, tabs and line breaks included, as one space a run: for text that is matched or shown, never refused. */
export const controlsAsSpaces = (text: string): string => text.replace(/[\u0000-\u001F\u007F]+/g, " ");

/** A trimmed, single-spaced string, or a 400 saying where the bad text was. */
export function cleanText(value: string, where: string, max = 1000): string {
  if (CONTROL_CHARACTERS.test(value)) throw badRequest(`${where} contains control characters`);
  if (value.length > max) throw badRequest(`${where} is longer than ${max} characters`);
  return value.replace(/\s+/g, " ").trim();
}

/** A positive whole number from JSON or a query string, capped; `fallback` when absent. */
export function positiveInt(value: unknown, where: string, fallback: number, cap: number, overCap: "cap" | "refuse" = "cap"): number {
  if (value === undefined || value === null || value === "") return fallback;
  const n = typeof value === "string" && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : value;
  // 1.5, 1e308 and 1e9 are numbers but not a count the docs allow: refused rather than rounded or capped in silence.
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1 || (overCap === "refuse" && n > cap)) {
    throw badRequest(`${where} must be a positive integer, a whole number from 1 to ${cap}, not ${quote(value)}`);
  }
  return Math.min(n, cap);
}

/** A whole number ≥ 0 (cursor, setting), capped. */
export function naturalInt(value: unknown, where: string, fallback: number, cap: number): number {
  if (value === undefined || value === null || value === "") return fallback;
  const n = typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw badRequest(`${where} must be a whole number ≥ 0, not ${quote(value)}`);
  return Math.min(n, cap);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A spreadsheet cell as a query: what cleanText refuses is mended, with a
 * warning, since one odd cell must not cost its batch (control characters
 * become spaces; a cell over `max` is matched on its first `max` characters).
 */
export function cellText(value: string, where: string, max: number, notes: { warn(code: string, message: string): void }): string {
  let text = value;
  if (CONTROL_RUNS.test(text)) {
    notes.warn("control_characters", `${where} contains control characters: read as spaces`);
    text = text.replace(CONTROL_RUNS, " ");
  }
  text = text.replace(/\s+/g, " ").trim();
  if (text.length > max) {
    notes.warn("truncated", `${where} is longer than ${max} characters: matched on its first ${max}`);
    // Never cut a surrogate pair in two.
    text = Array.from(text.slice(0, max + 1)).join("").slice(0, max).replace(/[\uD800-\uDBFF]$/, "").trim();
  }
  return text;
}
