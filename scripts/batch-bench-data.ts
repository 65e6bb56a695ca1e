// A batch file as IT teams send them, generated (never committed): names of
// the sample's establishments as people type them (abbreviated, without
// accents, in capitals, with a typo, as an acronym, in another language),
// with a city or an identifier column now and then, and names refx cannot
// know. Deterministic: the same seed writes the same file.
import { writeFileSync } from "node:fs";

const NAMES: [name: string, city: string, uai: string][] = [
  ["Université Paris 1 Panthéon-Sorbonne", "Paris", "0751717J"],
  ["Univ. Paris 1", "Paris", ""],
  ["Université Sorbonne Paris Nord", "Villetaneuse", "0931238R"],
  ["Univ. Paris 13", "Villetaneuse", ""],
  ["Université Grenoble Alpes", "Saint-Martin-d'Hères", "0383546Y"],
  ["UGA", "Grenoble", ""],
  ["Sorbonne Université", "Paris", "0755890V"],
  ["Université Toulouse III - Paul Sabatier", "Toulouse", "0311384L"],
  ["Universite Paul Sabatier", "Toulouse", ""],
  ["Conservatoire national des arts et métiers", "Paris", "0753471R"],
  ["CNAM", "Paris", ""],
  ["École normale supérieure", "Paris", "0753455Y"],
  ["ENS Paris", "Paris", ""],
  ["INSA Lyon", "Villeurbanne", ""],
  ["Institut national des sciences appliquées de Lyon", "Villeurbanne", "0690192J"],
  ["Institut catholique de Paris", "Paris", "0753903K"],
  ["École française de Rome", "Roma", ""],
  ["CNRS", "Paris", ""],
  ["Centre national de la recherche scientifique", "Paris", "0753639Y"],
  ["Laboratoire d'informatique de Paris-Nord", "Villetaneuse", ""],
  ["LIPN", "", ""],
  ["UMR 7030", "", ""],
  ["Humboldt Universität Berlin", "Berlin", ""],
  ["University of Oxford", "Oxford", ""],
  ["Universidad de Buenos Aires", "Buenos Aires", ""],
  ["Università di Bologna", "Bologna", ""],
  ["Lycée Louis-le-Grand", "Paris", "0750654D"],
  ["Institut polytechnique de Grenoble", "Grenoble", ""],
  ["Sorbonne", "Paris", ""],
  ["Université de Grenoble", "Grenoble", ""],
];

const UNKNOWN = ["Boulangerie du Panthéon", "Société Zorglub", "Mairie de Trifouilly", "Association des amis du vélo", "Cabinet Dupont", "Garage central"];

/** Mulberry32: a small seeded generator, so files are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stripAccents = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "");

function variant(name: string, r: () => number): string {
  const x = r();
  if (x < 0.4) return name;
  if (x < 0.55) return stripAccents(name).toUpperCase();
  if (x < 0.7) return name.toLowerCase();
  if (x < 0.8) return name.replace(/Université/g, "Univ.").replace(/Institut/g, "Inst.");
  if (x < 0.9) {
    // A typo: two neighbouring letters swapped in a word of 5+ letters.
    const words = name.split(" ");
    const i = words.findIndex((w) => w.length >= 5);
    if (i >= 0) {
      const w = words[i];
      words[i] = w[0] + w[2] + w[1] + w.slice(3);
    }
    return words.join(" ");
  }
  return `  ${name}  `;
}

const quote = (s: string, d: string) => (s.includes(d) || s.includes('"') || s.includes("\n") ? `"${s.replace(/"/g, '""')}"` : s);

/** Writes `rows` rows (plus a header) to `path`: `id;nom;ville;code_uai`, `;`-separated, UTF-8. */
export function writeBatchFile(path: string, rows: number, seed = 42): void {
  const r = prng(seed);
  const d = ";";
  const lines = ["id;nom;ville;code_uai"];
  for (let i = 1; i <= rows; i++) {
    let name: string;
    let city = "";
    let uai = "";
    if (r() < 0.1) name = UNKNOWN[Math.floor(r() * UNKNOWN.length)];
    else {
      const [n, c, u] = NAMES[Math.floor(r() * NAMES.length)];
      name = variant(n, r);
      if (r() < 0.5) city = c;
      if (u && r() < 0.15) uai = u;
    }
    lines.push([String(i), name, city, uai].map((s) => quote(s, d)).join(d));
  }
  writeFileSync(path, lines.join("\n") + "\n");
}
