// `GET /api/search?q=`: typeahead for web forms (a thesis-jury form that must
// name a foreign university, an HR form that must name a lab): name prefixes
// and fuzzy names through the matcher's suggest, with what a form needs to
// show and store.
import type { Matcher } from "../../reconcile/matcher.ts";
import { countryCode } from "../../reconcile/countries.ts";
import type { EntityRecord, ServiceId } from "../../reconcile/types.ts";
import { describe, typeRefs } from "../../app/candidates.ts";
import { ApiError } from "./errors.ts";
import { ID_SCHEMES } from "../../app/batch.ts";

export const SEARCH_LIMIT = 10;
export const SEARCH_MAX = 50;

export function searchHit(r: EntityRecord) {
  const description = describe(r);
  return {
    id: r.id,
    name: r.name,
    ...(description ? { description } : {}),
    ...(r.city ? { city: r.city } : {}),
    ...(r.country ? { country: r.country } : {}),
    status: r.withdrawn ? "closed" : "active",
    types: typeRefs(r),
    identifiers: Object.fromEntries(ID_SCHEMES.filter((s) => r.identifiers[s]?.length).map((s) => [s, r.identifiers[s]!])),
  };
}

export interface SearchParams {
  q: string;
  target: ServiceId;
  limit: number;
  country?: string;
}

/** `country` accepts a code or a name in any common language (DE, Allemagne, Germany). */
export function parseCountry(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const code = countryCode(v);
  if (!code) throw new ApiError(400, "bad_request", `country ${JSON.stringify(v.slice(0, 40))} is not a country: give an ISO 3166-1 code (DE) or a name`);
  return code;
}

export function search(matcher: Matcher, p: SearchParams) {
  if (!p.q) return { q: p.q, target: p.target, results: [] };
  // A country filter looks further down the list, so that filtering leaves enough.
  const records = matcher.suggest(p.target, p.q, p.country ? Math.min(p.limit * 10, 500) : p.limit);
  const kept = p.country ? records.filter((r) => r.country === p.country) : records;
  return { q: p.q, target: p.target, ...(p.country ? { country: p.country } : {}), results: kept.slice(0, p.limit).map(searchHit) };
}
