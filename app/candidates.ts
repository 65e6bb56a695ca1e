// How an EntityRecord and a matcher Candidate are written in API responses:
// a short description that tells namesakes apart, types with their names,
// and features with names (1.0-draft requires them).
import { TYPES, type Candidate, type EntityRecord, type Feature } from "../reconcile/types.ts";
import { isScheme, SCHEMES } from "../vocab/identifiers.ts";

const TYPE_NAMES = new Map(TYPES.map((t) => [t.id, t.name]));

export interface TypeRef {
  id: string;
  name: string;
}

export function typeRefs(r: EntityRecord): TypeRef[] {
  return r.types.map((id) => ({ id, name: TYPE_NAMES.get(id) ?? id }));
}

/**
 * "Université pluridisciplinaire avec santé · Paris 6e · FR", "closed" added
 * when the establishment is. The kind is the French sources' wording when
 * there is one; ROR's lower-case categories ("funder", "education") say less
 * than the type's name.
 */
export function describe(r: EntityRecord): string | undefined {
  const kind = r.kinds.find((k) => /^\p{Lu}/u.test(k)) ?? TYPE_NAMES.get(r.types[0] ?? "");
  const parts = [kind, r.city, r.country, r.withdrawn ? "closed" : undefined].filter(Boolean);
  return parts.length ? parts.join(" · ") : undefined;
}

/** Names of the features the matcher reports; an unknown one is named after its id. */
const FEATURE_NAMES: Record<string, string> = {
  name_similarity: "Name similarity",
  exact_name: "Exact name",
  acronym: "Query is an acronym of the name",
  identifier_in_query: "Identifier typed in the query",
  id_match: "Entity id given",
  type_match: "Type match",
  withdrawn: "Closed establishment",
  former_name: "Found by a former name (a closed predecessor's)",
  former_name_successors: "Establishments that replaced that predecessor",
};

function featureName(id: string): string {
  if (FEATURE_NAMES[id]) return FEATURE_NAMES[id];
  const m = /^(.+)_match$/.exec(id);
  if (m) return `${isScheme(m[1]) ? SCHEMES[m[1]].label : m[1][0].toUpperCase() + m[1].slice(1)} match`;
  const words = id.replace(/[_:.-]+/g, " ").trim();
  return words ? words[0].toUpperCase() + words.slice(1) : id;
}

const round = (n: number) => Math.round(n * 100) / 100;

function base(c: Candidate) {
  // Found through a closed predecessor's name: the predecessor is named (issue 14).
  const description = [describe(c.record), c.formerly?.name ? `formerly ${c.formerly.name}` : undefined].filter(Boolean).join(" · ") || undefined;
  return {
    id: c.record.id,
    name: c.record.name,
    ...(description ? { description } : {}),
    type: typeRefs(c.record),
    score: round(c.score),
    match: c.match,
  };
}

const featureValue = (f: Feature) => (typeof f.value === "number" ? round(f.value) : f.value);

export function candidate02(c: Candidate) {
  return { ...base(c), features: c.features.map((f) => ({ id: f.id, value: featureValue(f) })) };
}

export function candidate10(c: Candidate) {
  return { ...base(c), features: c.features.map((f) => ({ id: f.id, name: featureName(f.id), value: featureValue(f) })) };
}
