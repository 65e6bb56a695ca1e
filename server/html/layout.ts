// What the web pages share beyond the layout of server/html/page.ts:
// sending a page in the reader's language, number/date/country formatting,
// and the names of entity types in French and English.
import type { Request, Response } from "express";
import { page, type PageOptions } from "./page.ts";
import { pickLang, type Bilingual, type Lang } from "./i18n.ts";

export type { Lang };

/** A text picker for one language: `t({ fr, en })`. */
export type T = (text: Bilingual) => string;

export function translator(lang: Lang): T {
  return (text) => text[lang];
}

/** Renders `build(lang)` in the page layout and sends it; the answer varies with Accept-Language. */
export function sendPage(req: Request, res: Response, build: (lang: Lang) => Omit<PageOptions, "lang" | "path">, status = 200): void {
  const lang = pickLang(req);
  res.vary("Accept-Language");
  res.status(status).type("html").send(page({ ...build(lang), lang, path: req.originalUrl }));
}

/** The language the reader chose in the address (`?lang=`), which forms and links carry on; undefined when it came from the browser. */
export function explicitLang(req: Request): Lang | undefined {
  const l = typeof req.query.lang === "string" ? req.query.lang.toLowerCase() : "";
  return l === "fr" || l === "en" ? l : undefined;
}

export function formatInt(n: number | undefined, lang: Lang): string {
  return n === undefined || !Number.isFinite(n) ? "–" : new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB").format(n);
}

/** A date (or date-time) as the reader writes it; the ISO text when it is not one. */
export function formatDate(iso: string | undefined, lang: Lang, withTime = false): string {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const opts: Intl.DateTimeFormatOptions = withTime
    ? { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }
    : { dateStyle: "medium", timeZone: "UTC" };
  return new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", opts).format(d) + (withTime ? " UTC" : "");
}

/** "FR" -> "France" / "France", "DE" -> "Allemagne" / "Germany"; the code when unknown. */
export function countryName(code: string | undefined, lang: Lang): string {
  if (!code) return "";
  try {
    return new Intl.DisplayNames([lang], { type: "region" }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** "de" -> "allemand" / "German"; "" -> "sans langue" / "no language". */
export function languageName(tag: string, lang: Lang): string {
  if (!tag) return lang === "fr" ? "sans langue" : "no language";
  try {
    return new Intl.DisplayNames([lang], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Names of the type ids of reconcile/types.ts TYPES, as a reader of each language expects them. */
export const TYPE_LABELS: Record<string, Bilingual> = {
  Organization: { fr: "Organisation", en: "Organisation" },
  CollegeOrUniversity: { fr: "Université", en: "University" },
  EducationalOrganization: { fr: "Établissement d'enseignement", en: "Educational establishment" },
  School: { fr: "École, collège, lycée", en: "School" },
  ResearchOrganization: { fr: "Structure de recherche", en: "Research structure" },
  FormalOrganization: { fr: "Personne morale", en: "Legal entity" },
  Site: { fr: "Établissement (SIRET)", en: "Establishment (SIRET)" },
};

export function typeLabel(id: string, lang: Lang, fallback?: string): string {
  return TYPE_LABELS[id]?.[lang] ?? fallback ?? id;
}

/** Where a URI leads on this server: refx's own URIs by path (so any host works), others to /describe. */
export function entityPath(base: string, uri: string): string {
  if (uri.startsWith(base + "/")) return uri.slice(base.length);
  return `/describe?uri=${encodeURIComponent(uri)}`;
}
