// HTML for people: one shared layout (header, navigation, language switch,
// footer) and the escaping every page relies on. The styles live in
// /assets/web/site.css so that every page, whoever renders it, looks the same
// and no page needs another host (docs/web.md).

export function esc(v: unknown): string {
  return String(v ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A link; `href` is escaped too, and only http(s) or site-relative targets become links. */
export function link(href: string, text?: string): string {
  if (!/^(https?:\/\/|\/)/i.test(href)) return esc(text ?? href);
  return `<a href="${esc(href)}">${esc(text ?? href)}</a>`;
}

export type PageLang = "fr" | "en";

/** Sections of the navigation; `current` marks one with aria-current. */
export type NavKey = "home" | "search" | "file" | "sparql" | "openrefine" | "catalog";

export interface PageOptions {
  title: string;
  /** `<link rel="alternate">` entries: [href, media type]. */
  alternates?: [string, string][];
  /** The content of `<main>`: start it with the page's `<h1>`, and do not wrap it in another `<main>`. */
  body: string;
  /** `lang` of the page; French by default (server/html/i18n.ts picks it per request). */
  lang?: PageLang;
  /** Site-relative stylesheet and script URLs (served from /assets, never from another host). */
  stylesheets?: string[];
  scripts?: string[];
  /**
   * The request's path and query (`req.originalUrl`): the language switch links
   * to it with `lang=` changed, so a reader keeps their place (a `/describe?uri=`
   * page, a search). Without it the switch is a bare `?lang=` (same path, other
   * parameters dropped).
   */
  path?: string;
  /** The navigation entry of this page; guessed from `path` when absent. */
  current?: NavKey;
  /** `<meta name="description">`. */
  description?: string;
}

export const SITE_CSS = "/assets/web/site.css";

const NAV: { key: NavKey; href: string; fr: string; en: string }[] = [
  { key: "home", href: "/", fr: "Accueil", en: "Home" },
  { key: "search", href: "/search", fr: "Rechercher", en: "Search" },
  { key: "file", href: "/file", fr: "Réconcilier un fichier", en: "Reconcile a file" },
  { key: "sparql", href: "/sparql", fr: "SPARQL", en: "SPARQL" },
  { key: "openrefine", href: "/openrefine", fr: "OpenRefine", en: "OpenRefine" },
  { key: "catalog", href: "/catalog", fr: "Catalogue", en: "Catalogue" },
];

const TEXT = {
  skip: { fr: "Aller au contenu", en: "Skip to content" },
  nav: { fr: "Navigation principale", en: "Main navigation" },
  langs: { fr: "Langue", en: "Language" },
  tagline: { fr: "référentiels de l'enseignement supérieur et de la recherche", en: "French higher-education and research referentials" },
  footer: {
    fr: "refx : les référentiels français de l'enseignement supérieur et de la recherche en données liées.",
    en: "refx: French higher-education and research referentials as linked data.",
  },
} as const;

/** `path` with its `lang` parameter set (or removed when `lang` is undefined); always site-relative. */
export function withLang(path: string, lang: PageLang | undefined): string {
  // A protocol-relative or absolute path would make the switch an open redirect to another host.
  const safe = path.startsWith("/") && !path.startsWith("//") ? path : "/";
  const u = new URL(safe, "http://refx.invalid");
  if (lang) u.searchParams.set("lang", lang);
  else u.searchParams.delete("lang");
  return u.pathname + u.search;
}

function guessCurrent(path: string | undefined): NavKey | undefined {
  if (!path) return undefined;
  const p = path.split("?")[0];
  if (p === "/") return "home";
  return NAV.find((n) => n.key !== "home" && (p === n.href || p.startsWith(n.href + "/")))?.key;
}

/** A language chosen in the address (`?lang=`) is kept by the navigation; one from Accept-Language needs nothing. */
function explicitLang(path: string | undefined): PageLang | undefined {
  const m = /[?&]lang=(fr|en)(&|$)/i.exec(path ?? "");
  return m ? (m[1].toLowerCase() as PageLang) : undefined;
}

function header(o: PageOptions, lang: PageLang): string {
  const current = o.current ?? guessCurrent(o.path);
  const kept = explicitLang(o.path);
  const items = NAV.map((n) => {
    const href = kept ? withLang(n.href, kept) : n.href;
    return `<li><a href="${esc(href)}"${n.key === current ? ' aria-current="page"' : ""}>${esc(n[lang])}</a></li>`;
  }).join("");
  // "EN" is what sighted readers scan for; the full name is read out with it.
  const switchTo = (l: PageLang, label: string, name: string) =>
    l === lang
      ? `<li><span class="lang-current" lang="${l}" aria-current="true">${label}<span class="sr-only"> (${esc(name)})</span></span></li>`
      : `<li><a href="${esc(o.path ? withLang(o.path, l) : `?lang=${l}`)}" hreflang="${l}" lang="${l}">${label}<span class="sr-only"> (${esc(name)})</span></a></li>`;
  return `<a class="skip" href="#main">${esc(TEXT.skip[lang])}</a>
<header class="site">
<a class="brand" href="${esc(kept ? withLang("/", kept) : "/")}"><strong>refx</strong> <span>${esc(TEXT.tagline[lang])}</span></a>
<nav aria-label="${esc(TEXT.nav[lang])}"><ul class="nav">${items}</ul>
<ul class="langs" aria-label="${esc(TEXT.langs[lang])}">${switchTo("fr", "FR", "Français")}${switchTo("en", "EN", "English")}</ul></nav>
</header>`;
}

export function page(o: PageOptions): string {
  const lang: PageLang = o.lang ?? "fr";
  const alts = (o.alternates ?? []).map(([href, type]) => `<link rel="alternate" type="${esc(type)}" href="${esc(href)}">`).join("\n");
  const css = [SITE_CSS, ...(o.stylesheets ?? [])].map((href) => `<link rel="stylesheet" href="${esc(href)}">`).join("\n");
  const js = (o.scripts ?? []).map((src) => `<script src="${esc(src)}" defer></script>`).join("\n");
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)} · refx</title>
${o.description ? `<meta name="description" content="${esc(o.description)}">\n` : ""}${alts}
${css}
${js}
</head>
<body>
${header(o, lang)}
<main id="main" tabindex="-1">
${o.body}
</main>
<footer class="site">${esc(TEXT.footer[lang])} <a href="/api/docs">API</a> · <a href="/void">VoID</a> · <a href="/health">/health</a></footer>
</body>
</html>
`;
}

/** Error pages speak English by default: the linked-data and API messages they show are English. */
export function errorPage(status: number, title: string, message: string, lang: PageLang = "en"): string {
  return page({ title, lang, body: `<h1>${esc(status)} · ${esc(title)}</h1>\n<p>${esc(message)}</p>` });
}
