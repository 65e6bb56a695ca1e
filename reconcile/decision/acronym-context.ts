// An acronym written with what tells its bearers apart (issue 14, item 4):
// "LIRIS Lyon" is the Lyon laboratory, not the Rennes one that shares the
// acronym. The words beside the acronym are read as evidence about the record:
// its town, a parent's name (a tutelle "Université Claude Bernard Lyon 1"), a
// unit code. A record they all describe is named as surely as by its acronym
// alone; one they do not describe keeps its weak score, so the two are far
// apart. Without such words, two records sharing the acronym stay tied and
// nothing is auto-matched. See docs/matching.md.
import type { IndexedName } from "../name-index.ts";
import { tokens } from "../normalise.ts";
import type { QueryToken } from "../score.ts";
import type { EntityRecord, Feature } from "../types.ts";

/** As sure as a bare acronym (score.ts gives an acronym hit 0.9): the context only tells namesakes apart. */
export const ACRONYM_IN_CONTEXT = 0.9;

/** Words of a kind, not of a place: a parent's "Institut" or "Université" tells no namesake apart. */
const GENERIC = new Set(["univ", "inst", "ecole", "lab", "centre", "college", "national", "tech", "sciences", "research", "hopital", "medicine", "superieure", "normale", "academie", "dept", "federale", "catholique", "cnrs", "inserm", "inria", "inrae", "umr", "ums", "upr", "fre", "ea"]);

/** What a town written beside the acronym adds: as much as a `city` property that agrees (score.ts). */
export const TOWN_IN_TEXT = 8;

interface Context {
  /** The town's words and the postcode. */
  town: Set<string>;
  /** Parents' names and unit codes. */
  other: Set<string>;
}
const contexts = new WeakMap<EntityRecord, Context>();

/** The words that describe where a record is and what it belongs to: town, postcode, parents' names, unit codes. */
function contextOf(r: EntityRecord, names: IndexedName[]): Context {
  let c = contexts.get(r);
  if (!c) {
    c = { town: new Set(tokens(r.city ?? "")), other: new Set() };
    if (r.postcode) c.town.add(r.postcode);
    for (const p of r.parents) for (const t of tokens(p.name ?? "")) c.other.add(t);
    for (const n of names) if (n.kind === "unitCode") n.tokens.forEach((t) => c!.other.add(t));
    contexts.set(r, c);
  }
  return c;
}

/**
 * For one query, the test of each candidate: when the query holds one of the record's acronyms and
 * every other word of it describes the record (town, parent, unit code), the name similarity of an
 * acronym hit and the feature `acronym_context`; a town among those words counts as a `city` property
 * that agrees (`delta`, `city_match`), unless the query gave a city property already (`cityGiven`).
 * Undefined when the query is one word (nothing beside an acronym); the test answers undefined for a
 * record the words do not describe.
 */
export function acronymContext(query: QueryToken[], cityGiven: boolean): ((r: EntityRecord, names: IndexedName[]) => InContext | undefined) | undefined {
  if (query.length < 2) return undefined;
  // The query's words once, not once per candidate.
  const words = new Set(query.map((q) => q.token));
  return (r, names) => {
    const acronym = names.find((n) => n.kind === "acronym" && n.tokens.length === 1 && words.has(n.tokens[0]));
    if (!acronym) return undefined;
    const { town, other } = contextOf(r, names);
    const rest = [...words].filter((w) => w !== acronym.tokens[0]);
    if (!rest.every((w) => !GENERIC.has(w) && (town.has(w) || other.has(w)))) return undefined;
    const features: Feature[] = [{ id: "acronym_context", value: true }];
    const townWritten = !cityGiven && rest.some((w) => town.has(w));
    if (townWritten) features.push({ id: "city_match", value: true });
    return { similarity: ACRONYM_IN_CONTEXT, delta: townWritten ? TOWN_IN_TEXT : 0, features };
  };
}

export interface InContext {
  similarity: number;
  delta: number;
  features: Feature[];
}
