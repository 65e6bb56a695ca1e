// The `match` flag of a reconciliation answer's first candidate: a calibrated
// probability from what the scoring already computed (score, margin to the
// next candidate, name similarity, property agreement, how many candidates
// come close, the service, the record's type and prominence), flagged at a
// threshold chosen for precision first. An identifier the user gave stays
// decisive and is not the model's to overrule. Weights:
// reconciliation-model.json, refitted by `npm run fit` on the development part
// of the bench's labelled set only. See docs/matching.md.
import { readFileSync } from "node:fs";
import { SERVICE_IDS, type Candidate, type ServiceId } from "../types.ts";
import { probability, type FeatureVector, type LogisticModel } from "./logistic.ts";

export const RECONCILIATION_MODEL_FILE = new URL("./reconciliation-model.json", import.meta.url);
export const RECONCILIATION_MODEL = JSON.parse(readFileSync(RECONCILIATION_MODEL_FILE, "utf8")) as LogisticModel;

/** "rule": the score and gap thresholds alone (the matcher before the calibrated decision; the bench's baseline). */
export type ReconciliationDecision = "model" | "rule";

const value = (c: Candidate, id: string) => c.features.find((f) => f.id === id)?.value;
const num = (v: number | boolean | undefined) => (typeof v === "number" ? v : v ? 1 : 0);

/** What the model reads of a ranked answer (best first), each feature in [0, 1]. */
export function reconciliationFeatures(service: ServiceId, queryTokens: number, ranked: Candidate[]): FeatureVector {
  const [first, second] = ranked;
  const gap = second ? first.score - second.score : 100;
  const agreement = (id: string) => {
    const v = value(first, id);
    return { yes: v === true || (typeof v === "number" && v >= 1) ? 1 : 0, no: v === false || v === 0 ? 1 : 0 };
  };
  const city = agreement("city_match");
  const country = agreement("country_match");
  const postcode = agreement("postcode_match");
  const website = agreement("website_match");
  const acronym = agreement("acronym_match");
  const r = first.record;
  const x: FeatureVector = {
    score: first.score / 100,
    score_above_90: Math.max(0, first.score - 90) / 10,
    margin: Math.min(40, gap) / 40,
    margin_below_5: gap < 5 ? 1 : 0,
    name_similarity: num(value(first, "name_similarity")),
    second_name_similarity: second ? num(value(second, "name_similarity")) : 0,
    exact_name: num(value(first, "exact_name")),
    acronym: num(value(first, "acronym")),
    one_word_query: queryTokens <= 1 ? 1 : 0,
    long_query: Math.min(1, queryTokens / 12),
    close_candidates: Math.min(1, ranked.slice(1).filter((c) => c.score >= first.score - 5).length / 4),
    city_agrees: city.yes, city_disagrees: city.no,
    country_agrees: country.yes, country_disagrees: country.no,
    postcode_agrees: postcode.yes, postcode_disagrees: postcode.no,
    website_agrees: website.yes,
    acronym_agrees: acronym.yes, acronym_disagrees: acronym.no,
    type_mismatch: value(first, "type_match") === false ? 1 : 0,
    withdrawn: r.withdrawn ? 1 : 0,
    university: r.types.includes("CollegeOrUniversity") ? 1 : 0,
    research: r.types.includes("ResearchOrganization") ? 1 : 0,
    prominence: Math.min(1, Math.log1p(r.names.length + r.children.length) / Math.log1p(60)),
  };
  for (const s of SERVICE_IDS) x[`service_${s}`] = s === service ? 1 : 0;
  return x;
}

export const RECONCILIATION_FEATURES = [
  "score", "score_above_90", "margin", "margin_below_5", "name_similarity", "second_name_similarity", "exact_name", "acronym",
  "one_word_query", "long_query", "close_candidates", "city_agrees", "city_disagrees", "country_agrees", "country_disagrees",
  "postcode_agrees", "postcode_disagrees", "website_agrees", "acronym_agrees", "acronym_disagrees", "type_mismatch", "withdrawn",
  "university", "research", "prominence", ...SERVICE_IDS.map((s) => `service_${s}`),
];

/**
 * Two candidates within this many points are a tie the model may not break: two
 * records of the same name (RNSR units, a live record and its closed namesake)
 * were nearly all its wrong auto-matches in the bench.
 */
export const MIN_MARGIN = 5;

/**
 * The margin the model needs: MIN_MARGIN, but a one-word name ("Sorbonne", which four
 * universities carry) needs the score rule's own gap. The labelled set has few such
 * queries, so the model cannot have learnt how ambiguous one word is.
 */
export function marginNeeded(queryWords: number, ruleGap: number): number {
  return queryWords > 1 ? MIN_MARGIN : ruleGap;
}

/** A property the user gave disagrees with the candidate (a town, a country, an identifier, the type asked): never an auto-match by the model. */
export function contradicted(c: Candidate): boolean {
  return c.features.some((f) => f.value === false && /_match$/.test(f.id));
}

/** The probability that the first candidate is right, or undefined when the model has no weights yet. */
export function matchProbability(service: ServiceId, queryTokens: number, ranked: Candidate[], model: LogisticModel = RECONCILIATION_MODEL): number | undefined {
  if (!ranked.length || !model.weights.length) return undefined;
  return probability(model, reconciliationFeatures(service, queryTokens, ranked));
}
