// Plain comparison keys for the labelled set's own checks (ambiguity,
// existence of negatives). Deliberately simpler than reconcile/normalise.ts:
// the truth must not depend on the matcher's code.

/** Lower case, no accents, letters and digits separated by single spaces. */
export function foldText(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The same without spaces: "U.G.A." and "UGA", "UMR 7030" and "UMR7030" agree. */
export function compactKey(s: string): string {
  return foldText(s).replace(/ /g, "");
}

/** "Paris 5e Arrondissement", "PARIS CEDEX 05" -> "paris". */
export function cityKeyOf(s: string | undefined): string {
  if (!s) return "";
  return foldText(s)
    .replace(/\bcedex\b( \d+)?/g, " ")
    .replace(/\b\d+( ?(e|er|eme))?\b/g, " ")
    .replace(/\barrondissement\b/g, " ")
    .replace(/\s+/g, "")
    .trim();
}

const STOP_WORDS = new Set([
  "de", "du", "des", "d", "la", "le", "les", "l", "et", "a", "au", "aux", "en", "pour", "sur",
  "of", "the", "and", "for", "at", "in", "on",
  "zu", "der", "die", "das", "fur", "und", "von", "im",
  "del", "el", "los", "las", "y", "e", "di", "della", "degli", "delle", "do", "da", "dos", "het", "van", "voor",
]);

/** A few words that name the same thing across the languages of the data, so that a translation is recognised as the same name. */
const SAME_WORD: Record<string, string> = {};
for (const [canonical, words] of Object.entries({
  university: ["univ", "universite", "universitat", "universitaet", "universita", "universidad", "universidade", "universiteit", "universitet", "uniwersytet"],
  institute: ["institut", "instituto", "istituto", "instytut", "institutet", "instituut"],
  centre: ["center", "centro", "zentrum", "centrum"],
  research: ["recherche", "recherches", "forschung", "investigacion", "ricerca"],
  school: ["ecole", "escuela", "scuola", "schule", "escola"],
  laboratory: ["laboratoire", "laboratorio", "labor", "lab", "labo"],
  national: ["nationale", "nacional", "nazionale", "nationaal"],
  hospital: ["hopital", "ospedale", "krankenhaus"],
  sciences: ["science", "ciencias", "scienze", "wissenschaften"],
  technology: ["technologie", "tecnologia", "technik", "technological", "technologique"],
  medicine: ["medecine", "medicina", "medizin"],
})) {
  for (const w of words) SAME_WORD[w] = canonical;
}

/**
 * The words of a name without stop words, translated by SAME_WORD, sorted:
 * word order, "de"/"of" and "Université"/"University" do not tell two names apart.
 */
export function bagKey(s: string): string {
  return [...new Set(foldText(s).split(" ").filter((w) => w && !STOP_WORDS.has(w)).map((w) => SAME_WORD[w] ?? w))].sort().join(" ");
}
