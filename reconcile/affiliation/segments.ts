// An affiliation string cut into the pieces it is written in: organisation
// mentions, departments, addresses, cities, countries. Pure functions over
// the text; the spans are offsets into the original string, so a caller can
// highlight what was recognised.
//
//   "Dept. of Physics, Humboldt-Universität zu Berlin, 10099 Berlin, Germany"
//    department        organisation                  address      country
import { countryCode } from "../countries.ts";
import { cityKey, fold, tokens } from "../normalise.ts";

/** "acronym": a short word in parentheses after a name, "Institute for Molecular Infection Biology (IMIB)": the previous name's acronym, not an organisation of its own. */
/** "context": organisations named as what the affiliation belongs to, not as the affiliation ("corporate member of Freie Universität Berlin"). */
export type SegmentKind = "organisation" | "department" | "context" | "address" | "city" | "country" | "acronym";

const CONTEXT_OPENERS = /^(?:a\s+)?(?:corporate\s+)?(?:member|members|part|partner|affiliated|associated|joint venture|jointly|in partnership|on behalf|formerly|previously|also|now|currently|funded|supported|hosted)\b/i;

export interface Segment {
  text: string;
  /** Offsets in the original string, end exclusive. */
  start: number;
  end: number;
  kind: SegmentKind;
}

/**
 * The number of a French numbered university is part of its name, not a
 * footnote: "Université Paris 1 Panthéon-Sorbonne", "Univ. Lyon 3 Jean Moulin",
 * "Université Paris 13 , Villetaneuse" (a university word earlier in the part,
 * then the town, then the number).
 */
const NUMBERED_UNIVERSITY = String.raw`(?<!\b(?:[Uu]niv|UNIV)[^,;()[\]|\n\t]*\s(?:Paris(?:[- ]Sud)?|Lyon|Toulouse|Bordeaux|Montpellier|Lille|Grenoble|Rennes|Strasbourg|Nancy|Marseille|Clermont(?:-Ferrand)?))`;

/**
 * Separators between the parts of an affiliation. Crossref strings also glue
 * several affiliations with their footnote numbers ("University of Tokyo 4
 * Department of ..."): a lone 1-2 digit number between words is a separator,
 * unless it numbers a French university (NUMBERED_UNIVERSITY).
 */
const SEPARATOR = new RegExp(String.raw`[,;()[\]|\n\t]+|\s[-–—]\s|${NUMBERED_UNIVERSITY}(?:\s\d{1,2}\s+(?=\p{Lu})|\s\d{1,2}\s*\.?\s+(?=,)|\s\d{1,2}\s*(?=,\s*,))`, "gu");

/** Words that open a sub-unit of an organisation: its department, faculty, chair. */
const DEPARTMENT_OPENERS = new Set([
  "dept", "depts", "department", "departments", "departement", "departements", "departamento", "dipartimento", "abteilung",
  "division", "divisions", "section", "sektion", "faculty", "faculte", "facultad", "fakultat", "facolta", "ufr",
  "program", "programme", "programs", "chair", "lehrstuhl", "group", "groupe", "team", "equipe", "unit",
  "service", "pole", "axe", "discipline", "area", "branch", "sezione", "servicio", "klinik", "clinic", "ward",
]);

/** Openers that make a sub-unit only when followed by "of"/"de": "School of Medicine", but "School for Advanced Studies ..." may be an organisation. */
const DEPARTMENT_WITH_OF = new Set(["school", "college", "graduate school"]);

/** Words of a postal address. */
const ADDRESS_WORDS = /\b(street|str|strasse|st|road|rd|avenue|ave|av|boulevard|blvd|bd|rue|place|pl|allee|chemin|route|lane|ln|drive|dr|way|square|sq|building|bldg|floor|room|suite|box|po|bp|cs|cedex|campus|district|ward|province|prefecture|county|no|nr|km|via|viale|calle|plaza|platz|weg|gasse|ring|allee)\b/;

/** A street number then a street word, on folded text: "12 rue ...", "4 bis avenue ...". */
const STREET = /^\d{1,4}\s*(?:bis|ter|[a-z])?\s+(?:rue|avenue|av|boulevard|bd|blvd|place|pl|allee|chemin|route|quai|cours|impasse|street|road|rd|lane|drive|square|via|viale|calle|plaza)\b/;

/**
 * Words that make a segment an organisation whatever else it holds ("Université Paris 13"),
 * among them every unit code tokens() makes ("USR 3337" is usr3337; up to four digits, so that
 * "FR-75005" stays a postcode).
 */
const ORGANISATION_WORDS = /\b(univ|inst|ecole|lab|centre|college|academie|hopital|research|national|cnrs|inserm|inrae|inria|cea|ird|umr\d+|upr\d+|ur\d+|uar\d+|ea\d+|u\d+|(?:usr|fr|ifr|gdr|umi|irl|erl|cic|ups|sfr|us|ue|ua|ura|je)\d{1,4}|foundation|fondation|society|council|agency|museum|observatory|observatoire|clinic|trust|corporation|company|gmbh|inc|ltd|sa|sas)\b/;

/** Two-letter codes of US states and Canadian provinces: at the end of an address, "CA" is California, not Canada. */
const US_STATES = new Set(("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split(" "));
const CA_PROVINCES = new Set(("AB BC MB NB NL NS NT NU ON PE QC SK YT").split(" "));

/** Whether a folded, city-keyed text is a town some record is in: the index knows its places. */
export type IsCity = (key: string) => boolean;

/** Publishers' metadata sometimes keeps HTML entities ("&quot;National Research ...&quot;"). */
export function decodeEntities(text: string): string {
  return text.replace(/&(quot|amp|apos|lt|gt|#39|#x27);/g, (m, e: string) => ({ quot: '"', amp: "&", apos: "'", lt: "<", gt: ">", "#39": "'", "#x27": "'" })[e] ?? m);
}

export function splitAffiliation(text: string, isCity: IsCity = () => false): Segment[] {
  const parts: { text: string; start: number; end: number; parenthesised: boolean }[] = [];
  let last = 0;
  let opened = false;
  const push = (from: number, to: number) => {
    const raw = text.slice(from, to);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim().replace(/^[-–—.:&]+\s*|\s*[-–—.:&]+$/g, "");
    if (!trimmed || !fold(trimmed)) return;
    const start = from + lead + raw.trim().indexOf(trimmed);
    parts.push({ text: trimmed, start, end: start + trimmed.length, parenthesised: opened });
  };
  for (const m of text.matchAll(SEPARATOR)) {
    push(last, m.index!);
    opened = /[([]/.test(m[0]);
    last = m.index! + m[0].length;
  }
  push(last, text.length);
  return parts.map((p, i) => ({
    text: p.text,
    start: p.start,
    end: p.end,
    kind: p.parenthesised && i > 0 && /^[\p{L}\d&.-]{2,12}$/u.test(p.text) && /\p{Lu}.*\p{Lu}/u.test(p.text) ? "acronym" : classify(p.text, i === parts.length - 1, isCity),
  }));
}

export function classify(text: string, isLast: boolean, isCity: IsCity = () => false): SegmentKind {
  const folded = fold(text);
  const words = folded.split(" ");
  const tok = tokens(text).join(" ");
  if (asCountry(text, isLast)) return "country";
  if (CONTEXT_OPENERS.test(text.trim())) return "context";
  // Counted without postcode and CEDEX: "91191 Gif-sur-Yvette Cedex" is a town of three words.
  const town = cityKey(text);
  if (town && town.split(" ").length <= 4 && isCity(town)) return "city";
  // An ordinal before the opener: "2nd Department of Surgery".
  const opening = /^\d+(?:st|nd|rd|th)$/.test(words[0]) ? words.slice(1) : words;
  const opener2 = opening.slice(0, 2).join(" ");
  if (DEPARTMENT_OPENERS.has(opening[0]) && !/^(unite|unit) (mixte|de recherche|propre|d appui)/.test(opening.join(" "))) return "department";
  if ((DEPARTMENT_WITH_OF.has(opening[0]) && /^(of|de|d|for)$/.test(opening[1] ?? "")) || (DEPARTMENT_WITH_OF.has(opener2) && /^(of|de|d|for)$/.test(opening[2] ?? ""))) {
    return "department";
  }
  // A street number and a street word open an address, whatever the street is named after ("15 rue de l'École de Médecine").
  if (STREET.test(folded)) return "address";
  if (ORGANISATION_WORDS.test(tok) || ORGANISATION_WORDS.test(folded)) return "organisation";
  // A number of four digits or more (postcode, street number), a leading street number, or street words without an organisation word.
  // A number glued to letters opens an acronym, not an address ("3LAM", "4CS").
  if (/\b\d{4,6}\b/.test(folded) || /^\d+(?:\s|$)/.test(folded) || ADDRESS_WORDS.test(folded)) return "address";
  if (/^[A-Z]{2}(\s+\d{4,6})?$/.test(text.trim()) && (US_STATES.has(text.trim().slice(0, 2)) || CA_PROVINCES.has(text.trim().slice(0, 2)))) return "address";
  return "organisation";
}

/** The country a segment names, if it is only a country (with maybe a postcode: "70000 Viet Nam"). */
export function asCountry(text: string, isLast: boolean): string | undefined {
  const bare = text.replace(/\b\d[\d-]*\b/g, " ").replace(/\s+/g, " ").trim();
  if (!bare) return undefined;
  if (/^[A-Za-z]{2}$/.test(bare)) {
    const code = bare.toUpperCase();
    if (code === "UK" || code === "US") return code === "UK" ? "GB" : "US";
    // Two capitals elsewhere are a state or a province; at the end, a state or province still says the country.
    if (US_STATES.has(code)) return isLast ? "US" : undefined;
    if (CA_PROVINCES.has(code)) return isLast ? "CA" : undefined;
    // Any other code only as the whole last segment: "FR", not the unit code "EA 4229" nor the post box "BP 53".
    return isLast && bare === code && text.trim() === bare ? countryCode(code) : undefined;
  }
  return countryCode(bare);
}

/** Every country the string names, in any of its segments. */
export function countriesIn(segments: Segment[]): string[] {
  const found = new Set<string>();
  segments.forEach((s, i) => {
    const c = asCountry(s.text, i === segments.length - 1);
    if (c) found.add(c);
  });
  return [...found];
}

/** Where a sub-unit is glued after its organisation: "University of Pittsburgh School of Medicine". */
const GLUED_SUBUNIT = /\s+(?:(?:School|Faculty|College|Department|Dept\.?|Division|Graduate School|Faculté|Fakultät)\s+(?:of|de|d[’']|for|der|für)?\s*\p{Lu}|(?:Medical (?:Center|Centre|School)|Health (?:System|Sciences? Center)|(?:University )?Hospitals?|School of Medicine)\b)/gu;

/**
 * The organisation parts of a segment that ends with one of its sub-units:
 * "University of Pittsburgh" in "University of Pittsburgh School of Medicine",
 * and "University of Pennsylvania" in "University of Pennsylvania Perelman School of Medicine"
 * (a sub-unit's own name of one or two capitalised words comes off too).
 */
export function headsBeforeSubunit(s: Segment): Segment[] {
  const heads: Segment[] = [];
  for (const m of s.text.matchAll(GLUED_SUBUNIT)) {
    let head = s.text.slice(0, m.index!);
    for (let dropped = 0; dropped <= 2 && head; dropped++) {
      // A head ends on a word of the name, not on a stop word: "University of" is no head of "University of Pittsburgh School of Medicine".
      if (ORGANISATION_WORDS.test(tokens(head).join(" ")) && tokens(head.split(/\s+/).pop()!).length) heads.push({ text: head, start: s.start, end: s.start + head.length, kind: "organisation" });
      const shorter = /^(.*\S)\s+\p{Lu}[\p{L}.'’-]*$/u.exec(head);
      if (!shorter) break;
      head = shorter[1];
    }
  }
  return heads;
}

/**
 * "Bijvoet Center for Biomolecular Research and Utrecht Institute for
 * Pharmaceutical Sciences" names two organisations; "Department of Electrical
 * and Computer Engineering" and "Institute of Science and Technology" name one.
 * A conjunction splits a segment only when both sides have an organisation word.
 */
export function splitConjunctions(s: Segment): Segment[] {
  const re = /\s+(?:and|et|und|&|y|e|at|@)\s+|\s*\/\s*/giu;
  for (const m of s.text.matchAll(re)) {
    const left = s.text.slice(0, m.index!);
    const right = s.text.slice(m.index! + m[0].length);
    if (!/^\p{Lu}/u.test(right)) continue;
    if (!ORGANISATION_WORDS.test(tokens(left).join(" ")) || !ORGANISATION_WORDS.test(tokens(right).join(" "))) continue;
    const rightStart = s.start + m.index! + m[0].length;
    // "corporate member of A and B": both are context.
    const kindOf = (t: string) => (s.kind === "context" ? "context" : classify(t, false));
    const leftPart: Segment = { text: left, start: s.start, end: s.start + left.length, kind: kindOf(left) };
    return [leftPart, ...splitConjunctions({ text: right, start: rightStart, end: s.end, kind: kindOf(right) })];
  }
  return [s];
}
