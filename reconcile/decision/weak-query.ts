// Cells that carry no name (a placeholder such as "n/a" or "néant", digits
// that are no identifier, one letter) and the records a query with
// properties but no name can be ranked by. Such a cell is read as an empty
// name: it must not borrow the score of an acronym it happens to spell
// ("n/a" is not "Nexus Analytica (NA)"), and a query ranked by its properties
// alone scores only what those properties prove (docs/matching.md).
import type { NameIndex } from "../name-index.ts";
import { fold } from "../normalise.ts";
import { matchCount, readProperty } from "../property-match.ts";
import type { PropertyConstraint } from "../types.ts";

/** Placeholders of empty cells, folded (lower case, no accents, punctuation as spaces). */
const PLACEHOLDERS = new Set([
  "n a", "na", "n d", "nd", "n c", "nc", "nr", "n r", "s o", "so", "sans objet", "non renseigne", "non renseignee", "non communique",
  "neant", "aucun", "aucune", "inconnu", "inconnue", "vide", "nul", "nulle",
  "unknown", "none", "null", "nil", "nan", "empty", "not available", "not applicable", "tbd", "todo", "undefined", "missing", "other", "autre",
  "x", "xx", "xxx", "value",
]);

/**
 * True when the cell names nothing: only punctuation, a known placeholder, digits
 * (the caller has already found no identifier in them), or one letter.
 */
export function namesNothing(cell: string): boolean {
  const t = cell.trim();
  if (!t) return true;
  if (!/[\p{L}\p{N}]/u.test(t)) return true;
  const folded = fold(t).trim();
  if (PLACEHOLDERS.has(folded)) return true;
  if (/^[\d\s.,\-/]+$/.test(t)) return true;
  return folded.replace(/\s/g, "").length <= 1;
}

/** Properties that can select records without a name (identifiers select through the index already). */
const SELECTING = new Set(["city", "postcode", "country", "website", "acronym"]);
/** Records scored for a query without a name: enough to rank, bounded so one such cell costs little. */
export const PROPERTY_POOL = 200;

/** Records agreeing with at least one of the properties, in index order, at most `limit`. */
export function recordsWithProperties(idx: NameIndex, properties: PropertyConstraint[], limit = PROPERTY_POOL): number[] {
  const tests: ((i: number) => boolean)[] = [];
  for (const p of properties) {
    if (!SELECTING.has(p.pid)) continue;
    const q = readProperty(p);
    if (!q.given) continue;
    if (p.pid === "acronym") {
      // Acronyms are keys of the index: looked up, not compared record by record.
      const held = new Set(q.keys.filter((k) => k.length >= 2).flatMap((k) => idx.withAcronym(k)));
      tests.push((i) => held.has(i));
    } else tests.push((i) => matchCount(idx.records[i], q) > 0);
  }
  if (!tests.length) return [];
  // Records agreeing with every property first, then with some: the score ranks them anyway, the pool must hold the best.
  const all: number[] = [];
  const some: number[] = [];
  for (let i = 0; i < idx.records.length && all.length < limit; i++) {
    const hits = tests.filter((t) => t(i)).length;
    if (hits === tests.length) all.push(i);
    else if (hits && some.length < limit) some.push(i);
  }
  return [...all, ...some].slice(0, limit);
}
