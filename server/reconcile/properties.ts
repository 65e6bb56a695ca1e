// The properties a reconciliation query may constrain (reconcile/types.ts
// PROPERTY_IDS): their names for suggest, how a client's values become
// strings, and how a record is compared with them for hard conditions
// (1.0-draft `required` and `matchQuantifier: none`).
import { countryCode } from "../../reconcile/countries.ts";
import { acronymKey, cityKey, domainKey, fold } from "../../reconcile/normalise.ts";
import { PROPERTY_IDS, type EntityRecord, type PropertyId } from "../../reconcile/types.ts";
import { isScheme, normaliseId, parseEntityUri, SCHEMES } from "../../vocab/identifiers.ts";
import { badRequest, quote } from "./errors.ts";
import { cleanText, isObject } from "./text.ts";

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

export function checkPropertyId(pid: unknown, where: string): PropertyId {
  if (typeof pid !== "string" || !PROPERTY_SET.has(pid)) {
    throw badRequest(`${where}: unknown property ${quote(pid)}; properties are ${PROPERTY_IDS.join(", ")}`);
  }
  return pid as PropertyId;
}

const MAX_VALUES = 20;

/**
 * A property value as clients send it (string, number, boolean, `{id, name}`
 * of a previously reconciled cell, or an array of these) as strings. For an
 * identifier the entity's id is what counts, and a refx URI gives its id; for
 * a city or a country the name is.
 */
export function propertyValues(pid: PropertyId, v: unknown, where: string, base: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length > MAX_VALUES) throw badRequest(`${where}: at most ${MAX_VALUES} values a property`);
  const out: string[] = [];
  for (const item of list) {
    let s: string | undefined;
    if (typeof item === "string") s = item;
    else if (typeof item === "number" || typeof item === "boolean") s = String(item);
    else if (isObject(item) && typeof item.id === "string") {
      const name = typeof item.name === "string" ? item.name : undefined;
      s = isScheme(pid) ? fromUri(pid, item.id, base) : (name ?? item.id);
    } else if (item === null) continue;
    else throw badRequest(`${where}: a value is a string, a number or an {"id", "name"} object, not ${quote(item)}`);
    const clean = cleanText(s, where, 500);
    if (clean) out.push(clean);
  }
  return out;
}

function fromUri(scheme: string, id: string, base: string): string {
  const parsed = parseEntityUri(base, id.trim());
  return parsed && parsed.scheme === scheme ? parsed.id : id;
}

/** Comparison key of one value of a property, the same for query and record. */
function key(pid: PropertyId, value: string): string | undefined {
  if (isScheme(pid)) return normaliseId(pid, value) ?? value.trim().toLowerCase();
  switch (pid) {
    case "city":
      return cityKey(value);
    case "country":
      return countryCode(value) ?? fold(value);
    case "website":
      return domainKey(value);
    case "acronym":
      return acronymKey(value);
    case "postcode":
      return value.replace(/\s/g, "");
  }
}

function recordValues(r: EntityRecord, pid: PropertyId): string[] {
  if (isScheme(pid)) return r.identifiers[pid] ?? [];
  switch (pid) {
    case "city":
      return r.city ? [r.city] : [];
    case "postcode":
      return r.postcode ? [r.postcode] : [];
    case "country":
      return r.country ? [r.country] : [];
    case "website":
      return r.websites;
    case "acronym":
      return r.names.filter((n) => n.kind === "acronym").map((n) => n.value);
  }
}

/** How many of `values` the record has for this property. */
export function countMatches(r: EntityRecord, pid: PropertyId, values: string[]): number {
  const have = new Set(recordValues(r, pid).map((v) => key(pid, v)).filter(Boolean));
  return values.filter((v) => have.has(key(pid, v))).length;
}
