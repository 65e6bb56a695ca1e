// Country names in the languages users write them, to ISO 3166-1 alpha-2.
// Node's ICU (Intl.DisplayNames) knows every region's name in every language,
// so no table is kept here beyond the usual informal names.
import { fold } from "./normalise.ts";

const LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl", "pl", "sv", "ru", "zh", "ja", "ar"];

const INFORMAL: Record<string, string> = {
  usa: "US", "u s a": "US", us: "US", "united states of america": "US", america: "US", "etats unis d amerique": "US",
  uk: "GB", "u k": "GB", england: "GB", scotland: "GB", wales: "GB", "great britain": "GB", britain: "GB", "northern ireland": "GB",
  holland: "NL", "the netherlands": "NL", deutschland: "DE", "republic of korea": "KR", "south korea": "KR", korea: "KR",
  "p r china": "CN", "pr china": "CN", prc: "CN", "people s republic of china": "CN", "peoples republic of china": "CN", russia: "RU", "czech republic": "CZ",
  "ivory coast": "CI", "cote d ivoire": "CI", "viet nam": "VN", iran: "IR", turkiye: "TR", taiwan: "TW", "hong kong": "HK",
};

/** Codes ICU names that are not current countries: unions, pseudo-regions, and
 * withdrawn codes (DD East Germany would otherwise take "Germany" before DE). */
const NOT_COUNTRIES = new Set(["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "DD", "YD", "YU", "CS", "SU", "ZR", "TP", "BU", "NT", "FX", "AN", "QU", "VD", "NH", "RH", "DY", "HV"]);

let byName: Map<string, string> | undefined;

function table(): Map<string, string> {
  if (byName) return byName;
  byName = new Map(Object.entries(INFORMAL));
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (const lang of LANGUAGES) {
    const names = new Intl.DisplayNames([lang], { type: "region", fallback: "none" });
    for (const a of letters) {
      for (const b of letters) {
        const code = a + b;
        let name: string | undefined;
        try {
          name = names.of(code);
        } catch {
          continue;
        }
        if (!name || NOT_COUNTRIES.has(code)) continue;
        const key = fold(name);
        if (key && !byName.has(key)) byName.set(key, code);
      }
    }
  }
  return byName;
}

/** "Allemagne", "Germany", "DE", "deu"? -> "DE"; undefined when not a country. */
export function countryCode(value: string): string | undefined {
  const v = value.trim();
  if (/^[A-Za-z]{2}$/.test(v)) {
    const code = v.toUpperCase();
    return code === "UK" ? "GB" : code;
  }
  return table().get(fold(v));
}
