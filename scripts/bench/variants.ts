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

/** "Université" -> "Univ." / "Universite" / "University of" (the singular word only, in the name's case). */
export function abbreviateUniversity(name: string, rng: Rng): string | undefined {
  const word = /universit[ée](?!\p{L})/giu;
  if (!word.test(name)) return undefined;
  const upper = name === name.toUpperCase();
  const cased = (s: string) => (upper ? s.toUpperCase() : s);
  const style = rng.int(3);
  let out: string;
  if (style === 0) out = name.replace(word, cased("Univ."));
  else if (style === 1) out = name.replace(word, (m) => (m === m.toUpperCase() ? "UNIVERSITE" : m[0] === "U" ? "Universite" : "universite"));
  else {
    // "Université de Lille" -> "University of Lille"; "Sorbonne Université" -> "Sorbonne University".
    out = name
      .replace(/universit[ée]\s+(de la|de l['’]|du|des|de|d['’])\s*/giu, cased("University of "))
      .replace(/universit[ée](\s+)(?=\S)/giu, (_, space: string) => cased("University of") + space)
      .replace(word, cased("University"));
  }
  return out !== name ? out : undefined;
}

const ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"];

/** "Toulouse III" <-> "Toulouse 3", after a capitalised word, for 1 to 13 (not in dates, codes or "UMR 7030"). */
export function swapRomanDigits(name: string): string | undefined {
  let changed = false;
  const out = name.replace(/(\p{Lu}[\p{L}'’.-]*\s+)([IVX]{1,4}|[1-9]\d?)(?![\p{L}\d.\/:])/gu, (m, before: string, n: string, offset: number) => {
    if (offset > 0 && /[\p{L}\d]/u.test(name[offset - 1])) return m;
    if (/^\d+$/.test(n)) {
      const v = Number(n);
      if (v > 13 || /^(umr|upr|ur|ea|fr|fed|us|u|umi|irl|usr|uar|ums|team|equipe|équipe)\s+$/i.test(before)) return m;
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

/** Two or three of the above at once, as a hurried hand types: at least two must apply. */
export function combine(name: string, rng: Rng): { text: string; steps: string[] } | undefined {
  const steps: [string, (s: string) => string | undefined][] = [
    ["mangled", (s) => mangle(s, rng)],
    ["univ_abbrev", (s) => abbreviateUniversity(s, rng)],
    ["no_stopwords", dropStopWords],
    ["typo", (s) => typo(s, rng)?.text],
    ["roman_digits", swapRomanDigits],
  ];
  const chosen = rng.shuffle(steps).slice(0, 2 + rng.int(2));
  let text = name;
  const applied: string[] = [];
  for (const [label, f] of chosen) {
    const next = f(text);
    if (next && next !== text) {
      text = next;
      applied.push(label);
    }
  }
  return applied.length >= 2 ? { text, steps: applied } : undefined;
}

/** The town in a name replaced by another: "Université de Limoges" -> "Université de Quimper". */
export function swapTown(name: string, town: string, other: string): string | undefined {
  if (town.length < 3 || other.toLowerCase() === town.toLowerCase()) return undefined;
  const at = name.toLowerCase().indexOf(town.toLowerCase());
  if (at < 0) return undefined;
  const before = name[at - 1];
  const after = name[at + town.length];
  if ((before && /[\p{L}\d]/u.test(before)) || (after && /[\p{L}\d]/u.test(after))) return undefined;
  return name.slice(0, at) + other + name.slice(at + town.length);
}
