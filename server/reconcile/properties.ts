// The properties a reconciliation query may constrain (reconcile/types.ts
// PROPERTY_IDS): their names for suggest and how a client's values become
// strings. How a record is compared with them is the matching core's
// (reconcile/property-match.ts), for scoring and hard conditions alike.
import { fold } from "../../reconcile/normalise.ts";
import { PROPERTY_IDS, type PropertyId } from "../../reconcile/types.ts";
import { isScheme, parseEntityUri, SCHEMES } from "../../vocab/identifiers.ts";
import { quote } from "../http/errors.ts";
import type { Notes } from "./outcomes.ts";
import { cellText, isObject } from "../../app/text.ts";

export interface PropertyInfo {
  id: PropertyId;
  name: string;
  description: string;
}

const OWN: Partial<Record<PropertyId, Omit<PropertyInfo, "id">>> = {
  city: { name: "City", description: "Town of the establishment; CEDEX, arrondissements and postcodes are ignored" },
  postcode: { name: "Postcode", description: "French postcode (75005)" },
  country: { name: "Country", description: "ISO 3166-1 alpha-2 code (FR) or a country name in any common language" },
  website: { name: "Website", description: "URL or domain name; compared by domain" },
  acronym: { name: "Acronym", description: "Acronym or sigle (USPN, CNRS, LIPN)" },
};

export const MATCH_PROPERTIES: PropertyInfo[] = PROPERTY_IDS.map((id) => ({
  id,
  ...(OWN[id] ?? { name: `${SCHEMES[id as keyof typeof SCHEMES].label} identifier`, description: `${SCHEMES[id as keyof typeof SCHEMES].label} of the establishment or of any entity linked to it` }),
}));

const PROPERTY_SET = new Set<string>(PROPERTY_IDS);

/** Every way a client may name a property, folded: its id ("City", "UAI") and its name ("UAI identifier"). */
const PROPERTY_BY_NAME = new Map<string, PropertyId>();
for (const p of MATCH_PROPERTIES) {
  for (const n of [p.id, p.name, isScheme(p.id) ? SCHEMES[p.id].label : p.id]) PROPERTY_BY_NAME.set(fold(n), p.id);
}

/** The property a client means: its id, in any case, or its name; undefined when refx has none such. */
export function resolvePropertyId(pid: unknown): PropertyId | undefined {
  if (typeof pid !== "string") return undefined;
  if (PROPERTY_SET.has(pid)) return pid as PropertyId;
  return PROPERTY_BY_NAME.get(fold(pid));
}

const MAX_VALUES = 20;
const MAX_VALUE_LENGTH = 500;

/**
 * A property value as clients send it (string, number, boolean, `{id, name}`
 * of a previously reconciled cell, or an array of these) as strings. For an
 * identifier the entity's id is what counts, and a refx URI gives its id; for
 * a city or a country the name is. What cannot be read is left out, with a warning.
 */
export function propertyValues(pid: PropertyId, v: unknown, where: string, base: string, notes: Notes): string[] {
  let list = Array.isArray(v) ? v : [v];
  if (list.length > MAX_VALUES) {
    notes.warn("too_many_values", `${where}: ${list.length} values; the first ${MAX_VALUES} are used`);
    list = list.slice(0, MAX_VALUES);
  }
  const out: string[] = [];
  for (const item of list) {
    let s: string | undefined;
    if (typeof item === "string") s = item;
    else if (typeof item === "number" || typeof item === "boolean") s = String(item);
    else if (isObject(item) && typeof item.id === "string") {
      const name = typeof item.name === "string" ? item.name : undefined;
      s = isScheme(pid) ? fromUri(pid, item.id, base) : (name ?? item.id);
    } else if (item === null || item === undefined) continue;
    else {
      notes.warn("bad_value", `${where}: a value is a string, a number or an {"id", "name"} object, not ${quote(item)}; ignored`);
      continue;
    }
    const clean = cellText(s, where, MAX_VALUE_LENGTH, notes);
    if (clean) out.push(clean);
  }
  return out;
}

function fromUri(scheme: string, id: string, base: string): string {
  const parsed = parseEntityUri(base, id.trim());
  return parsed && parsed.scheme === scheme ? parsed.id : id;
}
