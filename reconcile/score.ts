// How well a record answers a query: name similarity first, then the
// evidence of the properties the user gave (city, postcode, country, website,
// acronym, identifiers). Every contribution is returned as a feature, so the
// score explains itself.
import { normaliseId, type Scheme } from "../vocab/identifiers.ts";
import { countryCode } from "./countries.ts";
import type { IndexedName } from "./name-index.ts";
import { acronymKey, cityKey, domainKey } from "./normalise.ts";
import type { EntityRecord, Feature, PropertyConstraint } from "./types.ts";

export interface QueryToken {
  token: string;
  weight: number;
  /** Vocabulary tokens one typo away, used when the token itself is unknown. */
  near: string[];
}

export interface Scored {
  index: number;
  score: number;
  features: Feature[];
  /** An identifier given by the user (in the cell or a property) names this record. */
  identified: boolean;
}

const FUZZY_CREDIT = 0.8;
const PREFIX_CREDIT = 0.7;

/** Credit a query token earns against a name's tokens: exact, one typo, or an abbreviation ("inform." for "informatique"). */
function credit(q: QueryToken, nameTokens: string[]): number {
  if (nameTokens.includes(q.token)) return 1;
  if (q.near.length && nameTokens.some((t) => q.near.includes(t))) return FUZZY_CREDIT;
  if (q.token.length >= 4 && !/\d/.test(q.token) && nameTokens.some((t) => t.length > q.token.length && t.startsWith(q.token))) return PREFIX_CREDIT;
  return 0;
}

/**
 * Name similarity in [0, 1]: the best weighted Dice between the query and one
 * name, raised by how much of the query the record's names cover together
 * ("LIPN UMR 7030" is the acronym plus the unit code).
 */
export function nameSimilarity(query: QueryToken[], queryKey: string, acronym: string, names: IndexedName[]): { similarity: number; exact: boolean; acronym: boolean } {
  const qWeight = query.reduce((s, q) => s + q.weight, 0);
  if (!qWeight) {
    // Only stop words ("EN" for École navale): an acronym is all there is to go on.
    const hit = acronym.length >= 2 && names.some((n) => n.acronym === acronym);
    return { similarity: hit ? 0.9 : 0, exact: false, acronym: hit };
  }
  let best = 0;
  let exact = false;
  let acronymHit = false;
  const covered = new Array<number>(query.length).fill(0);
  const queryTokens = new Set(query.map((q) => q.token));
  // Names wholly present in the query: "LIPN UMR 7030" is the acronym and the unit code.
  const composed = new Set<string>();
  let composedNames = 0;
  for (const n of names) {
    if (n.tokens.length && n.tokens.every((t) => queryTokens.has(t))) {
      composedNames++;
      n.tokens.forEach((t) => composed.add(t));
    }
    if (n.key === queryKey) exact = true;
    if (n.acronym && n.acronym === acronym && acronym.length >= 2) acronymHit = true;
    let matched = 0;
    query.forEach((q, i) => {
      const c = credit(q, n.tokens);
      matched += c * q.weight;
      if (c > covered[i]) covered[i] = c;
    });
    const dice = (2 * matched) / (qWeight + n.weight);
    if (dice > best) best = dice;
  }
  const coverage = query.reduce((s, q, i) => s + covered[i] * q.weight, 0) / qWeight;
  let similarity = Math.max(best, 0.55 * best + 0.4 * coverage);
  if (composedNames >= 2 && composed.size === queryTokens.size) similarity = Math.max(similarity, 0.95);
  if (exact) similarity = 1;
  else if (acronymHit) similarity = Math.max(similarity, 0.9);
  return { similarity: Math.min(1, similarity), exact, acronym: acronymHit };
}

const ID_PROPERTIES: readonly Scheme[] = ["uai", "siret", "siren", "rnsr", "wikidata", "ror", "grid", "isni", "idref"];

/** Adjusts a name score with property evidence; returns the score change and the features. */
export function propertyEvidence(r: EntityRecord, properties: PropertyConstraint[]): { delta: number; features: Feature[]; identified: boolean; contradicted: boolean } {
  let delta = 0;
  let identified = false;
  let contradicted = false;
  const features: Feature[] = [];
  for (const p of properties) {
    const values = p.values.map((v) => v.trim()).filter(Boolean);
    if (!values.length) continue;
    if ((ID_PROPERTIES as readonly string[]).includes(p.pid)) {
      const scheme = p.pid as Scheme;
      const wanted = values.map((v) => normaliseId(scheme, v)).filter((v): v is string => !!v);
      const held = r.identifiers[scheme] ?? [];
      // A SIREN also identifies each of its SIRETs.
      const sirenOfSiret = scheme === "siren" ? (r.identifiers.siret ?? []).map((s) => s.slice(0, 9)) : [];
      if (wanted.some((w) => held.includes(w) || sirenOfSiret.includes(w))) {
        identified = true;
        features.push({ id: `${scheme}_match`, value: true });
      } else if (wanted.length && held.length) {
        contradicted = true;
        delta -= 40;
        features.push({ id: `${scheme}_match`, value: false });
      }
      continue;
    }
    switch (p.pid) {
      case "city": {
        if (!r.city) break;
        const rc = cityKey(r.city);
        const ok = values.some((v) => {
          const c = cityKey(v);
          return !!c && (c === rc || rc.startsWith(c + " ") || c.startsWith(rc + " "));
        });
        delta += ok ? 8 : -8;
        features.push({ id: "city_match", value: ok });
        break;
      }
      case "postcode": {
        if (!r.postcode) break;
        const ok = values.some((v) => v.replace(/\s/g, "") === r.postcode);
        const department = values.some((v) => v.replace(/\s/g, "").slice(0, 2) === r.postcode!.slice(0, 2));
        delta += ok ? 8 : department ? 3 : -5;
        features.push({ id: "postcode_match", value: ok ? 1 : department ? 0.5 : 0 });
        break;
      }
      case "country": {
        if (!r.country) break;
        const ok = values.some((v) => countryCode(v) === r.country);
        delta += ok ? 5 : -30;
        features.push({ id: "country_match", value: ok });
        break;
      }
      case "website": {
        if (!r.websites.length) break;
        const held = r.websites.map(domainKey).filter((d): d is string => !!d);
        const ok = values.some((v) => {
          const d = domainKey(v);
          return !!d && held.some((h) => h === d || h.endsWith("." + d) || d.endsWith("." + h));
        });
        delta += ok ? 20 : 0;
        features.push({ id: "website_match", value: ok });
        break;
      }
      case "acronym": {
        const held = r.names.filter((n) => n.kind === "acronym").map((n) => acronymKey(n.value));
        if (!held.length) break;
        const ok = values.some((v) => held.includes(acronymKey(v)));
        delta += ok ? 10 : -5;
        features.push({ id: "acronym_match", value: ok });
        break;
      }
    }
  }
  return { delta, features, identified, contradicted };
}
