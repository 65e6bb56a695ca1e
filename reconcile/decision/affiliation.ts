// The `match` flag of the organisations an affiliation string names: a
// calibrated probability from what the matcher already computed (score,
// margin to the next reading of the same words, country and town agreement,
// the kind of mention, the record's type and prominence, what else the
// string names). It vetoes the score rule's flags below a threshold chosen on
// ROR's protocol (accuracy first: the string's flagged set equal to its
// asserted set).
// Weights: affiliation-model.json, refitted by `npm run fit` (scripts/fit-decision.ts)
// on the development part of the gold files only. See docs/affiliations.md.
import { readFileSync } from "node:fs";
import { tokens } from "../normalise.ts";
import type { AffiliationOrganisation, AffiliationResult } from "../affiliation/match.ts";
import { probability, type FeatureVector, type LogisticModel } from "./logistic.ts";
export const AFFILIATION_MODEL_FILE = new URL("./affiliation-model.json", import.meta.url);
export const AFFILIATION_MODEL = JSON.parse(readFileSync(AFFILIATION_MODEL_FILE, "utf8")) as LogisticModel;

/** "rule": the score and gap thresholds alone (the matcher before the calibrated decision; the bench's baseline). */
export type AffiliationDecision = "model" | "rule";

const flag = (o: AffiliationOrganisation, id: string) => o.features.find((f) => f.id === id)?.value;
const num = (v: number | boolean | undefined) => (typeof v === "number" ? v : v ? 1 : 0);

/** The features of one organisation found in a string, each in [0, 1]. */
export function affiliationFeatures(o: AffiliationOrganisation, result: AffiliationResult): FeatureVector {
  const score = Math.min(100, o.score);
  const margin = num(flag(o, "margin"));
  const country = flag(o, "country_match");
  const city = flag(o, "city_match");
  const mentionTokens = tokens(o.mention.text).length;
  const textTokens = tokens(result.text).length || 1;
  const r = o.record;
  const education = r.kinds.includes("education") || r.types.includes("CollegeOrUniversity");
  return {
    score: score / 100,
    score_above_86: Math.max(0, score - 86) / 14,
    margin: Math.min(40, margin) / 40,
    margin_below_8: margin < 8 ? 1 : 0,
    name_similarity: num(flag(o, "name_similarity")),
    name_contained: num(flag(o, "name_contained")),
    exact_name: num(flag(o, "exact_name")),
    acronym: num(flag(o, "acronym")),
    one_word_mention: mentionTokens <= 1 ? 1 : 0,
    mention_share: Math.min(1, mentionTokens / textTokens),
    long_string: Math.min(1, Math.log1p(textTokens) / Math.log(60)),
    department: flag(o, "department") || flag(o, "context") ? 1 : 0,
    acronym_beside: num(flag(o, "acronym_beside")),
    country_agrees: country === true ? 1 : 0,
    country_disagrees: country === false ? 1 : 0,
    no_country_named: result.countries.length ? 0 : 1,
    city_agrees: city === true ? 1 : 0,
    city_disagrees: city === false ? 1 : 0,
    system_of_establishments: num(flag(o, "system_of_establishments")),
    narrowed_by_town: num(flag(o, "narrowed_by_town")),
    withdrawn: r.withdrawn ? 1 : 0,
    primary: o === result.primary ? 1 : 0,
    first: o === result.organisations[0] ? 1 : 0,
    others: Math.min(1, (result.organisations.length - 1) / 5),
    parent_named: o.childOf.length ? 1 : 0,
    unit_named: o.parentOf.length ? 1 : 0,
    education: education ? 1 : 0,
    prominence: Math.min(1, Math.log1p(r.names.length + r.children.length) / Math.log1p(60)),
  };
}

export const AFFILIATION_FEATURES = Object.keys(
  affiliationFeatures(
    { record: { kinds: [], types: [], names: [], children: [] } as unknown as AffiliationOrganisation["record"], score: 0, match: false, mention: { text: "", start: 0, end: 0 }, features: [], parentOf: [], childOf: [] },
    { text: "", segments: [], countries: [], organisations: [] },
  ),
);

/** Sets each organisation's `match` (and a `match_probability` feature) by the model; "rule" leaves the score rule's flags. */
export function decideAffiliation(result: AffiliationResult, decision: AffiliationDecision = "model", model: LogisticModel = AFFILIATION_MODEL): void {
  if (decision === "rule" || !model.weights.length) return;
  for (const o of result.organisations) {
    // A French research unit (RNSR) named by its exact name beside its tutelle, the registries confirming the
    // relation (a lab and its university): the string names both, and both stay flagged. ROR's gold sets assert
    // one organisation a string, so the model learnt to drop the second; that is the sets' convention.
    if (o.match && o.childOf.length && o.record.identifiers.rnsr?.length && flag(o, "exact_name") === true) continue;
    const p = probability(model, affiliationFeatures(o, result));
    o.features.push({ id: "match_probability", value: Math.round(p * 1000) / 1000 });
    // A veto on the rule (86 and 8 ahead): what the rule does not find sure stays unsure, however the rest of the string reads.
    o.match = o.match && p >= model.threshold;
  }
}
