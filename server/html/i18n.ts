// Pages are in French, with English for whoever asks: `?lang=en` wins, then
// the browser's Accept-Language; French is the default because most users
// of the French registries read it first.
import type { Request } from "express";

export type Lang = "fr" | "en";

export function pickLang(req: Request): Lang {
  const q = typeof req.query.lang === "string" ? req.query.lang.toLowerCase() : "";
  if (q === "en" || q === "fr") return q;
  return req.acceptsLanguages("fr", "en") === "en" ? "en" : "fr";
}

/** One text in both languages. */
export interface Bilingual {
  fr: string;
  en: string;
}

export function tr(lang: Lang, text: Bilingual): string {
  return text[lang];
}
