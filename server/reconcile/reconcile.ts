// Runs a parsed query against the matcher: types, properties and hard
// conditions (1.0-draft `required`, `none`) all go into the match query
// (reconcile/property-match.ts compares records with them); only id lookups
// (1.0-draft `matchType: "id"`) are answered here.
import type { Matcher } from "../../reconcile/matcher.ts";
import type { Candidate, ServiceId } from "../../reconcile/types.ts";
import { candidate02, candidate10 } from "../../app/candidates.ts";
import { outcome } from "./outcomes.ts";
import type { ParsedQuery } from "./queries.ts";
import { lookup } from "../../app/lookup.ts";

export function runQuery(matcher: Matcher, service: ServiceId, q: ParsedQuery, base: string): Candidate[] {
  if (q.error) return [];
  if (q.ids.length) {
    const found = [...new Map(q.ids.map((id) => lookup(matcher, service, id, base)).filter((r) => r !== undefined).map((r) => [r.id, r])).values()];
    return found.slice(0, q.limit).map((record) => ({ record, score: 100, match: found.length === 1, features: [{ id: "id_match", value: true }] }));
  }
  return matcher.reconcile(service, { ...q.match, types: q.types, conditions: q.hard, limit: q.limit });
}

export function results02(matcher: Matcher, service: ServiceId, batch: [string, ParsedQuery][], base: string) {
  return Object.fromEntries(batch.map(([key, q]) => [key, { result: runQuery(matcher, service, q, base).map(candidate02), ...outcome(q.warnings, q.error) }]));
}

export function results10(matcher: Matcher, service: ServiceId, batch: ParsedQuery[], base: string) {
  return { results: batch.map((q) => ({ candidates: runQuery(matcher, service, q, base).map(candidate10), ...outcome(q.warnings, q.error) })) };
}
