// How people actually type an establishment's name: each function derives one
// kind of variant from a name, or returns undefined when the kind does not
// apply (no "Université" to abbreviate, fewer than three words to shuffle).
import type { Rng } from "./prng.ts";

const stripAccents = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");

/** Case, accents and punctuation mangled, as in a hand-typed spreadsheet. */
export function mangle(name: string, rng: Rng): string | undefined {
  const steps: ((s: string) => string)[] = [
    (s) => s.toLowerCase(),
    (s) => s.toUpperCase(),
    stripAccents,
    (s) => s.replace(/[-–—]/g, " "),
    (s) => s.replace(/['’]/g, " "),
    (s) => s.replace(/[.,;:()«»"]/g, ""),
    (s) => s.replace(/ /g, "  "),
  ];
  for (let attempt = 0; attempt < 5; attempt++) {
    let v = name;
    const chosen = rng.shuffle(steps).slice(0, 2 + rng.int(2));
    for (const f of chosen) v = f(v);
    v = v.trim();
    if (v !== name && v) return v;
  }
  return undefined;
}

/** "Université" -> "Univ." / "Universite" / "University of". */
export function abbreviateUniversity(name: string, rng: Rng): string | undefined {
  if (!/universit[ée]/i.test(name)) return undefined;
  const style = rng.int(3);
  if (style === 0) return name.replace(/universit[ée]/gi, "Univ.");
  if (style === 1) return name.replace(/universit[ée]/gi, (m) => (m[0] === "U" ? "Universite" : "universite"));
  // "Université de Lille" -> "University of Lille"; "Sorbonne Université" -> "Sorbonne University".
  return name
    .replace(/universit[ée]\s+(de la|de l['’]|du|des|de|d['’])\s*/gi, "University of ")
    .replace(/universit[ée](\s+)(?=\S)/gi, "University of$1")
    .replace(/universit[ée]/gi, "University");
}

const ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"];

/** "Toulouse III" <-> "Toulouse 3", only after a word and for 1 to 13. */
export function swapRomanDigits(name: string): string | undefined {
  let changed = false;
  const out = name.replace(/(\p{L}[\p{L}'’.]*\s+)(\b[IVX]{1,4}\b|\b\d{1,2}\b)(?![\p{L}\d])/gu, (m, before: string, n: string) => {
    if (/^\d+$/.test(n)) {
      const v = Number(n);
      if (v < 1 || v > 13 || /\b(umr|upr|ur|ea|fr|us|u|umi|irl|usr|uar|ums)\s+$/i.test(before)) return m;
      changed = true;
      return before + ROMAN[v];
    }
    const i = ROMAN.indexOf(n);
    if (i <= 0) return m;
    changed = true;
    return before + String(i);
  });
  return changed ? out : undefined;
}

const STOP = /^(de|du|des|la|le|les|et|en|pour|aux|au|sur|of|the|and|for|at|in)$/i;

/** Stop words dropped: "Institut national des sciences appliquées de Lyon" -> "Institut national sciences appliquées Lyon". */
export function dropStopWords(name: string): string | undefined {
  const words = name
    .replace(/\b[ldLD]['’]/g, "")
    .split(/\s+/)
    .filter((w) => w && !STOP.test(w));
  const v = words.join(" ");
  return v && v !== name && words.length >= 1 ? v : undefined;
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** One typo (substitution, deletion or transposition) in a word of five letters or more, never its first letter. */
export function typo(name: string, rng: Rng): { text: string; edit: string } | undefined {
  const words = [...name.matchAll(/\p{L}{5,}/gu)];
  if (!words.length) return undefined;
  const w = rng.pick(words);
  const word = w[0];
  const start = w.index!;
  const edits = ["substitution", "deletion", "transposition"] as const;
  for (let attempt = 0; attempt < 6; attempt++) {
    const edit = rng.pick(edits);
    const p = 1 + rng.int(word.length - 1); // never the first letter
    let next: string;
    if (edit === "substitution") {
      const lower = word[p].toLowerCase();
      let c = rng.pick([...LETTERS]);
      if (c === lower) c = LETTERS[(LETTERS.indexOf(c) + 1) % 26];
      next = word.slice(0, p) + (word[p] === word[p].toUpperCase() ? c.toUpperCase() : c) + word.slice(p + 1);
    } else if (edit === "deletion") {
      next = word.slice(0, p) + word.slice(p + 1);
    } else {
      if (p + 1 >= word.length || word[p] === word[p + 1]) continue;
      next = word.slice(0, p) + word[p + 1] + word[p] + word.slice(p + 2);
    }
    if (next !== word) return { text: name.slice(0, start) + next + name.slice(start + word.length), edit };
  }
  return undefined;
}

/** Words shuffled, for names of three words or more. */
export function shuffleWords(name: string, rng: Rng): string | undefined {
  const words = name.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length < 3) return undefined;
  for (let attempt = 0; attempt < 6; attempt++) {
    const v = rng.shuffle(words).join(" ");
    if (v !== words.join(" ")) return v;
  }
  return undefined;
}
