// Plausible establishment names that exist nowhere: invented towns in real
// naming patterns, for negative queries (no right answer, so any auto-match
// is wrong).
import type { Rng } from "./prng.ts";

const CLASSICS = ["Trifouillis-les-Oies", "Saint-Glinglin", "Perpète-les-Oies", "Pétaouchnok", "Tataouine-les-Bains", "Triffouilly-sur-Moselle"];
const ONSETS = ["Br", "Cl", "Gr", "Pl", "Tr", "V", "M", "L", "F", "Qu", "Ch", "R", "B", "D", "G", "N", "S", "T"];
const VOWELS = ["a", "e", "i", "o", "ou", "au", "ei", "ai", "u", "é"];
const CODAS = ["", "n", "r", "l", "s", "m", "rt", "nd", "x", "c"];
const SUFFIXES = ["ville", "court", "mont", "bourg", "ac", "ières", "ange", "heim", "ford", "stad", "borough", "ingen"];
const RIVERS = ["Oise", "Brenne", "Glane", "Vézouze", "Aubette", "Lizonne", "Sarthe", "Durance"];
const FIELDS_FR = [
  "mathématiques appliquées", "sciences de la mer", "biologie intégrative", "informatique quantique", "physique des matériaux",
  "sciences sociales", "études médiévales", "génie des procédés", "agronomie tropicale", "neurosciences cognitives",
  "chimie verte", "économie territoriale", "sciences de l'éducation", "écologie littorale", "intelligence artificielle",
];
const FIELDS_EN = ["Applied Mathematics", "Marine Sciences", "Quantum Computing", "Materials Physics", "Social Sciences", "Neuroscience", "Green Chemistry", "Data Science"];
const PEOPLE = ["Eugène Trifouille", "Marthe Glinglin", "Anatole Bidochon", "Hortense Pétaouchnok", "Gaston Lagaffe-Mérou", "Séraphine Tournesol"];
const REGIONS_EN = ["North Atlantis", "East Atlantis", "Lower Utopia", "Upper Ruritania", "South Freedonia", "Central Syldavia", "West Borduria"];

function town(rng: Rng): string {
  const syllable = () => rng.pick(ONSETS) + rng.pick(VOWELS) + rng.pick(CODAS);
  const stem = syllable() + syllable().toLowerCase();
  switch (rng.int(6)) {
    case 0:
      return rng.pick(CLASSICS);
    case 1:
      return `${stem}-sur-${rng.pick(RIVERS)}`;
    case 2:
      return `Saint-${stem}`;
    case 3:
      return `${stem}-les-${rng.pick(["Oies", "Bains", "Vignes", "Pins", "Mines"])}`;
    default:
      return stem + rng.pick(SUFFIXES);
  }
}

const de = (place: string) => (/^[AEIOUYÉÈH]/i.test(place) ? `d'${place}` : `de ${place}`);

type Template = (rng: Rng, t: string) => string;

const TEMPLATES: Record<"establishment" | "research" | "foreign" | "school", Template[]> = {
  establishment: [
    (_, t) => `Université ${de(t)}`,
    (rng, t) => `Université ${t} ${rng.pick(["II", "III", "4", "Nord", "Sud", "Val de Loire"])}`,
    (_, t) => `Institut polytechnique ${de(t)}`,
    (rng, t) => `École nationale supérieure ${rng.pick(["d'ingénieurs", "de chimie", "d'architecture", "des mines"])} ${de(t)}`,
    (_, t) => `École supérieure de commerce ${de(t)}`,
    (_, t) => `Institut d'études politiques ${de(t)}`,
    (_, t) => `Conservatoire national de musique ${de(t)}`,
    (_, t) => `Centre hospitalier universitaire ${de(t)}`,
  ],
  research: [
    (rng, t) => `Laboratoire de ${rng.pick(FIELDS_FR)} ${de(t)}`,
    (rng, t) => `Institut de recherche en ${rng.pick(FIELDS_FR)} ${de(t)}`,
    (rng, t) => `Centre ${de(t)} pour la recherche en ${rng.pick(FIELDS_FR)}`,
    (rng, t) => `Unité mixte de recherche ${rng.pick(FIELDS_FR)} ${t}`,
    (rng, t) => `Observatoire des sciences de l'univers ${de(t)}`,
    (rng, t) => `Fédération de recherche ${rng.pick(FIELDS_FR)} ${de(t)}`,
  ],
  foreign: [
    (rng) => `University of ${rng.pick(REGIONS_EN)}`,
    (_, t) => `${t} Institute of Technology`,
    (rng, t) => `${t} University of ${rng.pick(FIELDS_EN)}`,
    (_, t) => `Technische Hochschule ${t}`,
    (_, t) => `Universidad Nacional de ${t}`,
    (rng, t) => `${rng.pick(REGIONS_EN)} State University at ${t}`,
    (rng, t) => `${t} Center for ${rng.pick(FIELDS_EN)} Research`,
  ],
  school: [
    (rng, t) => `Lycée ${rng.pick(PEOPLE)} ${de(t)}`,
    (rng, t) => `Collège ${rng.pick(PEOPLE)}`,
    (_, t) => `Lycée professionnel des métiers ${de(t)}`,
  ],
};

export type InventedStyle = keyof typeof TEMPLATES;

/**
 * `count` distinct invented names; `accept` rejects those that exist after
 * all (a generated town that happens to be a real name of the service).
 */
export function inventNames(rng: Rng, count: number, styles: InventedStyle[], accept: (name: string, town: string) => boolean): string[] {
  const out = new Set<string>();
  // The classic examples first, so every run holds them.
  const fixed = ["Université de Trifouillis-les-Oies", "Institut polytechnique de Saint-Glinglin", "University of North Atlantis"];
  for (const f of fixed) if (out.size < count && accept(f, f)) out.add(f);
  for (let attempt = 0; out.size < count && attempt < count * 50; attempt++) {
    const style = rng.pick(styles);
    const t = town(rng);
    const name = rng.pick(TEMPLATES[style])(rng, t);
    if (!out.has(name) && accept(name, t)) out.add(name);
  }
  return [...out];
}
