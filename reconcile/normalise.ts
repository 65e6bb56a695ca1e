// Normalisation that knows how establishments are written: accents, case and
// punctuation go; "Univ.", "Université", "University", "Universität" become
// one token; "Lyon III" is "Lyon 3"; "St" is "Saint"; stop words of the
// languages ESR names come in are dropped; unit codes ("UMR 7030") become
// one token. Pure functions: the index and the queries share them.

/**
 * The last few thousand texts folded and tokenised, kept: one affiliation string folds each of its
 * segments and mentions several times over (classified, read as a query, as a town, by the
 * decision), and a query's words come back in the next one. Cleared when full, so it stays small.
 */
const REMEMBERED = 4096;
const folded = new Map<string, string>();
const tokenised = new Map<string, string[]>();

function remember<T>(memo: Map<string, T>, key: string, value: T): T {
  if (memo.size >= REMEMBERED) memo.clear();
  memo.set(key, value);
  return value;
}

/** Lower case, no diacritics, ligatures spelled out, punctuation as spaces. */
export function fold(s: string): string {
  return folded.get(s) ?? remember(folded, s, foldNow(s));
}

function foldNow(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    // One pass for the letters NFD does not decompose and for "&" (fold runs on every name at each load).
    .replace(/[ßœæøłı&]/g, (c) => SPELLED_OUT[c])
    // "King's College" and "Kings College" are one name; French elisions ("d'Orsay") keep their space.
    .replace(/(\p{L}{2})['’]s\b/gu, "$1s")
    // Control characters are neither letters nor digits: they become spaces with the punctuation.
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const SPELLED_OUT: Record<string, string> = { ß: "ss", œ: "oe", æ: "ae", ø: "o", ł: "l", ı: "i", "&": " and " };

/** Words of one meaning across the languages establishment names come in. */
const SYNONYMS = new Map<string, string>();
const group = (canonical: string, words: string[]) => {
  for (const w of words) SYNONYMS.set(w, canonical);
};
group("univ", [
  "univ", "universite", "universites", "university", "universities", "universitat", "universitaet", "universita",
  "universidad", "universidade", "universiteit", "universitet", "uniwersytet", "univerzita", "universitatea",
  "universiti", "universitas", "yliopisto", "egyetem", "universitaire", "universitaires", "universitario", "universitaria",
  "u", "uni",
]);
group("inst", ["inst", "institut", "institute", "instituto", "istituto", "instytut", "institutet", "instituut", "institution"]);
group("ecole", ["ecole", "ecoles", "school", "schools", "escuela", "scuola", "schule", "escola", "hochschule"]);
group("lab", ["lab", "labo", "laboratoire", "laboratory", "laboratories", "laboratorio", "laboratorium", "labor"]);
group("centre", ["centre", "center", "centro", "zentrum", "centrum", "ctr"]);
group("college", ["college", "colegio", "collegio", "kolleg"]);
group("national", ["national", "nationale", "nacional", "nazionale", "nationaal", "nat", "natl"]);
group("tech", ["tech", "technology", "technologie", "technologies", "technologique", "technological", "technologico", "tecnologia", "technische", "technical", "technique", "techniques", "technik", "polytechnic", "polytechnique"]);
group("sciences", ["sciences", "science", "scientifique", "scientific", "ciencias", "scienze", "wissenschaften"]);
group("research", ["research", "recherche", "recherches", "forschung", "investigacion", "ricerca"]);
group("hopital", ["hopital", "hospital", "hopitaux", "hospitals", "ospedale", "krankenhaus", "chu"]);
group("medicine", ["medicine", "medecine", "medical", "medicale", "medicina", "medizin", "medizinische"]);
group("saint", ["saint", "st", "sankt", "san", "santo", "santa", "sao"]);
group("sainte", ["sainte", "ste"]);
group("superieure", ["superieure", "superieur", "superior", "higher"]);
group("normale", ["normale", "normal"]);
group("academie", ["academie", "academy", "akademie", "academia", "accademia"]);
group("dept", ["dept", "department", "departement", "departamento", "dipartimento"]);
group("federale", ["federale", "federal", "eidgenossische"]);
group("catholique", ["catholique", "catholic", "catolica", "cattolica", "katholische"]);
group("libre", ["libre", "free", "freie", "libera"]);
group("nord", ["nord", "north", "norte"]);
// "sur" is French "on" and Spanish "south": a word of its own, neither dropped nor "sud", so that
// "Universidad del Sur de Florida" does not read as "University of Florida".
group("sud", ["sud", "south"]);
group("est", ["est", "east", "este", "ost"]);
group("ouest", ["ouest", "west", "oeste"]);
group("centrale", ["centrale", "central"]);
group("paris", ["paris"]);

const ROMAN = new Map<string, string>(Object.entries({
  i: "1", ii: "2", iii: "3", iv: "4", v: "5", vi: "6", vii: "7", viii: "8", ix: "9", x: "10",
  xi: "11", xii: "12", xiii: "13",
}));

/** Abbreviations that stand for two words: "TU München" is the Technische Universität. */
const EXPANSIONS = new Map<string, string[]>([["tu", ["tech", "univ"]]]);

/** Words that carry no identity in an establishment name (fr, en, de, es, it, pt, nl). */
const STOP = new Set([
  "de", "du", "des", "d", "la", "le", "les", "l", "et", "a", "au", "aux", "en", "pour", "dans",
  "of", "the", "and", "for", "in", "at", "on",
  "zu", "der", "die", "das", "fur", "fuer", "und", "von", "im", "am",
  "del", "el", "los", "las", "y", "e", "di", "della", "dello", "delle", "degli", "do", "da", "dos", "das", "het", "van", "voor",
]);

/** Unit code kinds as RNSR and affiliations write them, to one spelling. */
const UNIT_KINDS = new Map<string, string>(Object.entries({
  umr: "umr", umrs: "umr", umr_s: "umr", umrt: "umr", upr: "upr", ur: "ur", ea: "ea", ums: "uar", uar: "uar",
  usr: "usr", fr: "fr", frc: "fr", ifr: "ifr", gdr: "gdr", umi: "umi", irl: "irl", inserm: "u", u: "u", us: "us", ue: "ue",
  erl: "erl", cic: "cic", umrf: "umr", upra: "upr", ups: "ups", sfr: "sfr", ua: "ua", ura: "ura", je: "je",
}));

/**
 * Tokens of a name or a query. Unit codes come out as "umr7030", so that
 * "UMR 7030", "UMR7030" and "umr-7030" agree and "EA 7030" does not.
 */
export function tokens(s: string): string[] {
  // A copy: callers may keep or change what they are given.
  return (tokenised.get(s) ?? remember(tokenised, s, tokensNow(s))).slice();
}

function tokensNow(s: string): string[] {
  const words = fold(s).split(" ").filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const kind = UNIT_KINDS.get(w);
    // "UMR_S 1138", "UMR-S 1138": the letter after the kind belongs to it.
    if (kind && /^[saft]$/.test(words[i + 1] ?? "") && /^\d{2,5}$/.test(words[i + 2] ?? "")) {
      out.push(`${kind}${Number(words[i + 2])}`);
      i += 2;
      continue;
    }
    const next = words[i + 1];
    if (kind && next && /^\d{2,5}$/.test(next) && !(kind === "u" && w === "u" && Number(next) < 1000)) {
      out.push(`${kind}${Number(next)}`);
      i++;
      continue;
    }
    const glued = /^(umr|upr|ur|ea|ums|uar|usr|fr|ifr|umi|irl|u|erl|sfr)(\d{3,5})$/.exec(w);
    if (glued) {
      out.push(`${UNIT_KINDS.get(glued[1])}${Number(glued[2])}`);
      continue;
    }
    if (STOP.has(w)) continue;
    const roman = ROMAN.get(w);
    if (roman && i > 0) {
      out.push(roman);
      continue;
    }
    const expansion = EXPANSIONS.get(w);
    if (expansion) out.push(...expansion);
    else out.push(SYNONYMS.get(w) ?? w);
  }
  return out;
}

/** An acronym as typed, compared without dots, spaces or case: "U.G.A." is "uga". */
export function acronymKey(s: string): string {
  return fold(s).replace(/\s+/g, "");
}

/** "75005 Paris CEDEX 05" -> "paris": CEDEX, arrondissements and postcodes are not the town. */
export function cityKey(s: string): string {
  return fold(s)
    .replace(/\b\d{4,5}\b/g, " ")
    .replace(/\bcedex\b(\s+\d+)?/g, " ")
    .replace(/\b\d{1,2}(e|er|eme)?\b/g, " ")
    .replace(/\b(arrondissement|saint|st)\b/g, (m) => (m === "st" ? "saint" : m === "arrondissement" ? " " : m))
    .replace(/\s+/g, " ")
    .trim();
}

/** "https://www.univ-paris1.fr/fr/" -> "univ-paris1.fr" */
export function domainKey(s: string): string | undefined {
  let v = s.trim().toLowerCase();
  if (!v) return undefined;
  if (!/^[a-z]+:\/\//.test(v)) v = "http://" + v;
  try {
    return new URL(v).hostname.replace(/^www\d?\./, "") || undefined;
  } catch {
    return undefined;
  }
}
