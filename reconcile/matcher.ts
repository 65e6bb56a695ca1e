// What the HTTP layers call. Implemented by ReconciliationIndex (reconcile/index.ts).
import type { AffiliationResult } from "./affiliation/match.ts";
import type { Candidate, EntityRecord, MatchQuery, ServiceId, TypeInfo } from "./types.ts";

export interface Matcher {
  /** Ranked candidates for one query, best first, at most `limit` (default 5). */
  reconcile(service: ServiceId, q: MatchQuery): Candidate[];
  /** The record a service knows by this id (UAI, RNSR, SIRET, QID, ROR id; a refx/Wikidata/ROR URI for "all"). */
  get(service: ServiceId, id: string): EntityRecord | undefined;
  /** Prefix and fuzzy search on names, for autocomplete, best first. */
  suggest(service: ServiceId, prefix: string, limit?: number): EntityRecord[];
  /** Every organisation of this service that an affiliation string names, best first. */
  affiliation(service: ServiceId, text: string, limit?: number): AffiliationResult;
  /** Types present among this service's records, most frequent first. */
  types(service: ServiceId): TypeInfo[];
  /** Number of records a service holds. */
  size(service: ServiceId): number;
}
