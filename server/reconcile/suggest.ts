// Suggest services (auto-completion in OpenRefine's dialogs): entities by
// name prefix through the matcher, types and properties from their fixed
// lists. `cursor` skips suggestions already shown; an empty prefix lists the
// types and properties (1.0-draft allows it) but no entities.
import type { Matcher } from "../../reconcile/matcher.ts";
import { fold } from "../../reconcile/normalise.ts";
import { TYPES, type ServiceId, type TypeInfo } from "../../reconcile/types.ts";
import { describe, typeRefs } from "../../app/candidates.ts";
import { MATCH_PROPERTIES } from "./properties.ts";

export const SUGGEST_LIMIT = 10;
export const SUGGEST_MAX = 50;

export interface Page {
  prefix: string;
  cursor: number;
  limit: number;
}

export function suggestEntities(matcher: Matcher, service: ServiceId, p: Page) {
  if (!p.prefix) return { result: [] };
  const records = matcher.suggest(service, p.prefix, p.cursor + p.limit).slice(p.cursor, p.cursor + p.limit);
  return {
    result: records.map((r) => {
      const description = describe(r);
      return { id: r.id, name: r.name, ...(description ? { description } : {}), notable: typeRefs(r) };
    }),
  };
}

/** Whether some word of the id or name starts with the prefix ("univ" finds CollegeOrUniversity's "University"). */
function startsAWord(prefix: string, ...texts: string[]): boolean {
  const p = fold(prefix);
  if (!p) return true;
  return texts.some((t) => {
    const words = fold(t.replace(/([a-z])([A-Z])/g, "$1 $2"));
    return words.startsWith(p) || words.includes(` ${p}`);
  });
}

// schema.org's own hierarchy, so clients can show that a university is an educational organisation.
const BROADER: Record<string, string[]> = {
  CollegeOrUniversity: ["EducationalOrganization"],
  School: ["EducationalOrganization"],
  EducationalOrganization: ["Organization"],
  ResearchOrganization: ["Organization"],
  FormalOrganization: ["Organization"],
};
const TYPE_BY_ID = new Map(TYPES.map((t) => [t.id, t]));

function withBroader(t: TypeInfo): { id: string; name: string; broader?: { id: string; name: string }[] } {
  const broader = (BROADER[t.id] ?? []).map((id) => TYPE_BY_ID.get(id)!).map(({ id, name }) => ({ id, name }));
  return { id: t.id, name: t.name, ...(broader.length ? { broader } : {}) };
}

export function suggestTypes(p: Page) {
  return { result: TYPES.filter((t) => startsAWord(p.prefix, t.id, t.name)).slice(p.cursor, p.cursor + p.limit).map(withBroader) };
}

export function suggestProperties(p: Page) {
  return {
    result: MATCH_PROPERTIES.filter((x) => startsAWord(p.prefix, x.id, x.name))
      .slice(p.cursor, p.cursor + p.limit)
      .map(({ id, name, description }) => ({ id, name, description })),
  };
}
