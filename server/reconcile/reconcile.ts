// Runs a parsed query against the matcher. The matcher takes one type and
// ranks by soft constraints; what the API adds on top is done here: several
// types (0.2), hard conditions (1.0-draft `required`, `none`) and id lookups.
import type { Matcher } from "../../reconcile/matcher.ts";
import type { Candidate, ServiceId } from "../../reconcile/types.ts";
import { candidate02, candidate10 } from "../../app/candidates.ts";
import { outcome } from "./outcomes.ts";
import { countMatches } from "./properties.ts";
import { MAX_LIMIT, type HardCondition, type ParsedQuery } from "./queries.ts";
import { lookup } from "../../app/lookup.ts";

function passes(c: Candidate, hard: HardCondition[]): boolean {
  return hard.every((h) => {
    const n = countMatches(c.record, h.pid, h.values);
    return h.quantifier === "none" ? n === 0 : h.quantifier === "all" ? n === h.values.length : n > 0;
  });
}

export function runQuery(matcher: Matcher, service: ServiceId, q: ParsedQuery, base: string): Candidate[] {
  if (q.error) return [];
  if (q.ids.length) {
    const found = [...new Map(q.ids.map((id) => lookup(matcher, service, id, base)).filter((r) => r !== undefined).map((r) => [r.id, r])).values()];
    return found.slice(0, q.limit).map((record) => ({ record, score: 100, match: found.length === 1, features: [{ id: "id_match", value: true }] }));
  }
  const filtering = q.hard.length > 0 || q.types.length > 1;
  // Filters drop candidates after matching: ask for more so that `limit` survive.
  const limit = filtering ? Math.min(MAX_LIMIT, Math.max(q.limit * 4, 25)) : q.limit;
  const best = new Map<string, Candidate>();
  for (const type of q.types.length ? q.types : [undefined]) {
    for (const c of matcher.reconcile(service, { ...q.match, type, limit })) {
      const seen = best.get(c.record.id);
      if (!seen || c.score > seen.score) best.set(c.record.id, c);
    }
  }
  let list = [...best.values()].sort((a, b) => b.score - a.score);
  if (q.types.length > 1 && q.match.typeStrict === "all") list = list.filter((c) => q.types.every((t) => c.record.types.includes(t)));
  if (q.hard.length) list = list.filter((c) => passes(c, q.hard));
  // Merged runs each judged `match` alone: only the best of the merge may keep it.
  if (q.types.length > 1) list = list.map((c, i) => (i === 0 ? c : { ...c, match: false }));
  return list.slice(0, q.limit);
}

export function results02(matcher: Matcher, service: ServiceId, batch: [string, ParsedQuery][], base: string) {
  return Object.fromEntries(batch.map(([key, q]) => [key, { result: runQuery(matcher, service, q, base).map(candidate02), ...outcome(q.warnings, q.error) }]));
}

export function results10(matcher: Matcher, service: ServiceId, batch: ParsedQuery[], base: string) {
  return { results: batch.map((q) => ({ candidates: runQuery(matcher, service, q, base).map(candidate10), ...outcome(q.warnings, q.error) })) };
}
