// The `match` flag of the organisations an affiliation string names: a
// calibrated probability from what the matcher already computed (score,
// margin to the next reading of the same words, country and town agreement,
// the kind of mention, the record's type and prominence, what else the
// string names and how this one ranks among them). Among the organisations
// the score rule finds sure and the model likely enough, one is flagged per
// affiliation: the likeliest (chooseFlags). The threshold is chosen on ROR's
// protocol, precision first (scripts/fit-decision.ts).
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

/** The score from which the rule finds an organisation sure (with AFFILIATION_GAP, reconcile/affiliation/match.ts). */
export const AFFILIATION_AUTO_SCORE = 86;

/** The features of one organisation found in a string, each in [0, 1]. */
export function affiliationFeatures(o: AffiliationOrganisation, result: AffiliationResult): FeatureVector {
  const score = Math.min(100, o.score);
  // How this organisation stands among the others the string names: the sets assert one a string.
  let best = 0;
  let strong = 0;
  let after = false;
  let before = false;
  // "University of Dublin, Trinity College": the Trinity College of Hartford is alone in its country among what the string names.
  let countried = 0;
  let compatriots = 0;
  for (const other of result.organisations) {
    best = Math.max(best, Math.min(100, other.score));
    if (other === o) continue;
    if (other.record.country && other.record.id !== o.record.id) {
      countried++;
      if (other.record.country === o.record.country) compatriots++;
    }
    if (other.score < AFFILIATION_AUTO_SCORE) continue;
    strong++;
    if (other.mention.start > o.mention.start) after = true;
    if (other.mention.start < o.mention.start) before = true;
  }
  const margin = num(flag(o, "margin"));
  const country = flag(o, "country_match");
  const city = flag(o, "city_match");
  const mentionTokens = tokens(o.mention.text).length;
  const textTokens = tokens(result.text).length || 1;
  const r = o.record;
  const education = r.kinds.includes("education") || r.types.includes("CollegeOrUniversity");
  const kind = (k: string) => (r.kinds.includes(k) ? 1 : 0);
  return {
    score: score / 100,
    score_above_86: Math.max(0, score - AFFILIATION_AUTO_SCORE) / (100 - AFFILIATION_AUTO_SCORE),
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
    best_score: score >= best - 0.5 ? 1 : 0,
    behind_best: Math.min(20, Math.max(0, best - score)) / 20,
    last_named: !after ? 1 : 0,
    first_named: !before ? 1 : 0,
    strong_others: Math.min(4, strong) / 4,
    facility: kind("facility") || r.types.includes("ResearchOrganization") ? 1 : 0,
    healthcare: kind("healthcare"),
    company: kind("company"),
    government: kind("government"),
    nonprofit: kind("nonprofit"),
    has_parent: r.parents.length ? 1 : 0,
    alone_in_country: countried && !compatriots && r.country ? 1 : 0,
    several_parts: Math.min(3, partAt(result.text, result.text.length)) / 3,
  };
}

export const AFFILIATION_FEATURES = Object.keys(
  affiliationFeatures(
    { record: { kinds: [], types: [], names: [], children: [], parents: [] } as unknown as AffiliationOrganisation["record"], score: 0, match: false, mention: { text: "", start: 0, end: 0 }, features: [], parentOf: [], childOf: [] },
    { text: "", segments: [], countries: [], organisations: [] },
  ),
);

/** One organisation as chooseFlags sees it. */
export interface FlagCandidate {
  probability: number;
  /** The score rule finds it sure (score and gap). */
  sure: boolean;
  /** Always flagged when sure: a French lab named exactly beside its tutelle (decideAffiliation). */
  exempt: boolean;
  /** Which `;`-separated part of the string its mention is in. */
  part: number;
  /** Indexes (in the same list) of the organisations it belongs to or that belong to it. */
  relatives: number[];
}

/**
 * Which organisations of one string are flagged: the likeliest of those the rule finds sure and the
 * model likely enough, and, in each other `;`-separated part of the string (authors' several
 * affiliations, "Univ A; Univ B"), that part's likeliest, unless it belongs to one already flagged.
 * Why one: "Institut X, CNRS, Université Y" is one affiliation, and the sets assert one organisation
 * of it; flagging each organisation the string names on its own merits flagged two, one of them wrong
 * (docs/decisions.md, "One flag an affiliation").
 */
export function chooseFlags(candidates: FlagCandidate[], threshold: number): boolean[] {
  // An exempt lab and the tutelles it is named beside stay flagged together (see isExempt).
  const flags = candidates.map((c, i) => c.sure && (c.exempt || candidates.some((o) => o.sure && o.exempt && o.relatives.includes(i))));
  const byPart = new Map<number, number>();
  candidates.forEach((c, i) => {
    if (!c.sure || c.exempt || c.probability < threshold) return;
    const held = byPart.get(c.part);
    if (held === undefined || c.probability > candidates[held].probability) byPart.set(c.part, i);
  });
  // The string's likeliest first, then the other parts' likeliest, each unless related to one flagged.
  const picks = [...byPart.values()].sort((a, b) => candidates[b].probability - candidates[a].probability);
  picks.forEach((i, k) => {
    if (k > 0 && candidates[i].relatives.some((j) => flags[j])) return;
    flags[i] = true;
  });
  return flags;
}

/** The `;`-separated part of the text an offset falls in. */
export function partAt(text: string, offset: number): number {
  let part = 0;
  for (let i = text.indexOf(";"); i >= 0 && i < offset; i = text.indexOf(";", i + 1)) part++;
  return part;
}

/** The candidates of one result, with the probabilities given: the rule's flags as `sure`. */
export function flagCandidates(result: AffiliationResult, probabilities: number[]): FlagCandidate[] {
  const orgs = result.organisations;
  const at = new Map(orgs.map((o, i) => [o.record.id, i]));
  return orgs.map((o, i) => ({
    probability: probabilities[i],
    sure: o.match,
    exempt: isExempt(o),
    part: partAt(result.text, o.mention.start),
    relatives: [...o.childOf, ...o.parentOf].map((id) => at.get(id)).filter((j): j is number => j !== undefined),
  }));
}

/**
 * A French research unit (RNSR) named by its exact name beside its tutelle, the registries confirming the
 * relation (a lab and its university): the string names both, and both stay flagged (chooseFlags), whatever
 * the model says of the tutelle. ROR's gold sets assert
 * one organisation a string, so the model learnt to drop the second; that is the sets' convention.
 */
const isExempt = (o: AffiliationOrganisation) => o.childOf.length > 0 && !!o.record.identifiers.rnsr?.length && flag(o, "exact_name") === true;

/** Sets each organisation's `match` (and a `match_probability` feature) by the model; "rule" leaves the score rule's flags. */
export function decideAffiliation(result: AffiliationResult, decision: AffiliationDecision = "model", model: LogisticModel = AFFILIATION_MODEL): void {
  if (decision === "rule" || !model.weights.length) return;
  const probabilities = result.organisations.map((o) => probability(model, affiliationFeatures(o, result)));
  const flags = chooseFlags(flagCandidates(result, probabilities), model.threshold);
  result.organisations.forEach((o, i) => {
    o.features.push({ id: "match_probability", value: Math.round(probabilities[i] * 1000) / 1000 });
    // A veto on the rule (86 and 8 ahead): what the rule does not find sure stays unsure, however the rest of the string reads.
    o.match = flags[i];
  });
}
