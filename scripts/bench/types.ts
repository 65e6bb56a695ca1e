// What the benchmark passes between its modules.
import type { PropertyConstraint, ServiceId } from "../../reconcile/types.ts";

/** How a query was made from a source row; the report breaks every figure down by it. */
export type QueryKind =
  | "exact" | "official_name" | "short_name" | "mangled" | "univ_abbrev" | "roman_digits" | "no_stopwords" | "typo" | "shuffled"
  | "acronym" | "acronym_city" | "english_name" | "other_language" | "alias" | "name_city" | "name_country"
  | "rnsr_sigle_code" | "rnsr_code" | "combined"
  | "negative_invented" | "negative_absent" | "negative_town_swap"
  | "curated" | "curated_negative"
  | "former_name";

export const NEGATIVE_KINDS: readonly QueryKind[] = ["negative_invented", "negative_absent", "negative_town_swap", "curated_negative"];

export interface Expected {
  /** The service's id: UAI, RNSR number, SIRET, QID, ROR id; for "all" the entity URI. */
  id: string;
  /** The entity URI; a returned record whose sameAs holds it is right. */
  uri: string;
  /** The source's name for it, for the error list. */
  name: string;
}

export interface LabelledQuery {
  service: ServiceId;
  kind: QueryKind;
  /** Where the row came from: uai, rnsr, ror, education, invented, curated. */
  source: string;
  query: string;
  properties?: PropertyConstraint[];
  /** Undefined for a negative query: nothing in the data is right. */
  expected?: Expected;
  note?: string;
}

/** What a system answered to one query: its top candidates (at most 5). */
export interface Answer {
  candidates: { id: string; name: string; score: number; match: boolean; correct: boolean }[];
  error?: string;
}
