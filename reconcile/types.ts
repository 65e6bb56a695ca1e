// The boundary between the matching engine (reconcile/) and the HTTP layers
// (server/reconcile*, REST API, CLI): what an establishment looks like once
// pooled from every source, what a query asks, and what a candidate answers.
import type { Scheme } from "../vocab/identifiers.ts";

/** One reconciliation service per identifier space, plus one across all sources. */
export type ServiceId = "uai" | "rnsr" | "siret" | "wikidata" | "ror" | "all";
export const SERVICE_IDS: readonly ServiceId[] = ["uai", "rnsr", "siret", "wikidata", "ror", "all"];

export type NameKind = "pref" | "alt" | "acronym" | "unitCode";

export interface Name {
  value: string;
  lang?: string;
  kind: NameKind;
}

/** A name a closed predecessor bore, kept on its successor. */
export interface FormerName {
  value: string;
  lang?: string;
  /** The predecessor that bore it. */
  of: Related;
  /** How many establishments replaced that predecessor: more than one is a split, never auto-matched. */
  successors: number;
}

/** A related establishment, as a link with a label. */
export interface Related {
  uri: string;
  id?: string;
  name?: string;
}

/**
 * An establishment as one reconciliation service sees it: the entity of the
 * service's scheme, with the names, places and identifiers that every entity
 * linked to it by owl:sameAs contributes (ROR's English name, Wikidata's
 * German label, the RNSR tutelle label, ...).
 */
export interface EntityRecord {
  /** The id OpenRefine writes in the column: a UAI, RNSR number, SIRET, QID, ROR id; for "all" the refx URI. */
  id: string;
  uri: string;
  service: ServiceId;
  /** The display name (French first for French sources, else English, else any). */
  name: string;
  names: Name[];
  /** Type ids (see TYPES), most specific first. */
  types: string[];
  /** The source's own words for the type ("Université", "education"). */
  kinds: string[];
  city?: string;
  postcode?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
  lat?: number;
  long?: number;
  websites: string[];
  /** Every identifier of the establishment, by scheme, including its own. */
  identifiers: Partial<Record<Scheme, string[]>>;
  /** Every URI of the cluster (owl:sameAs), including its own. */
  sameAs: string[];
  parents: Related[];
  children: Related[];
  replaces: Related[];
  replacedBy: Related[];
  /**
   * Names of closed predecessors, across services (a ROR or Wikidata predecessor of the UAI record's
   * cluster): a query by a former name finds the successor (docs/matching.md, "Former names").
   */
  formerNames?: FormerName[];
  foundingDate?: string;
  dissolutionDate?: string;
  /** Closed, ceased, dissolved or inactive. */
  withdrawn: boolean;
  /** Graphs (sources) that describe the cluster. */
  sources: string[];
}

/** Property ids every service accepts in `properties` / `conditions`. */
export type PropertyId =
  | "city" | "postcode" | "country" | "website" | "acronym"
  | "uai" | "siret" | "siren" | "rnsr" | "wikidata" | "ror" | "grid" | "isni" | "idref";

export const PROPERTY_IDS: readonly PropertyId[] = [
  "city", "postcode", "country", "website", "acronym",
  "uai", "siret", "siren", "rnsr", "wikidata", "ror", "grid", "isni", "idref",
];

export interface PropertyConstraint {
  pid: PropertyId;
  /** One or several values; any matching counts. */
  values: string[];
}

export interface MatchQuery {
  query: string;
  /** A type id (see TYPES); candidates without it are dropped when typeStrict is "all"/"any", ranked lower otherwise. */
  type?: string;
  /** Several type ids (API 0.2 takes a list), with `type`: a candidate needs one of them, or every one when typeStrict is "all". */
  types?: string[];
  typeStrict?: "any" | "all" | "should";
  limit?: number;
  /** Evidence for the score: agreeing values raise it, disagreeing ones lower it. */
  properties?: PropertyConstraint[];
  /** Hard conditions (1.0-draft `required`, `matchQuantifier`): a candidate that fails one is not returned. */
  conditions?: PropertyCondition[];
}

/** A property a candidate must have (one of the values, or all of them) or must not have. */
export interface PropertyCondition extends PropertyConstraint {
  quantifier: "any" | "all" | "none";
}

export interface Feature {
  id: string;
  value: number | boolean;
}

export interface Candidate {
  record: EntityRecord;
  /** 0 to 100 */
  score: number;
  /** True only when the candidate is strong and clearly ahead of the next one. */
  match: boolean;
  features: Feature[];
  /** The closed predecessor whose name the query gave, when the candidate was found through it. */
  formerly?: Related;
}

export interface TypeInfo {
  id: string;
  name: string;
}

/** Type ids offered by the services (schema.org and W3C ORG classes, by local name). */
export const TYPES: readonly TypeInfo[] = [
  { id: "Organization", name: "Organisation" },
  { id: "CollegeOrUniversity", name: "University" },
  { id: "EducationalOrganization", name: "Higher education or educational establishment" },
  { id: "School", name: "School (primary, secondary)" },
  { id: "ResearchOrganization", name: "Research structure or institute" },
  { id: "FormalOrganization", name: "Legal entity" },
  { id: "Site", name: "Establishment site (SIRET)" },
];
