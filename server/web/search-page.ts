// The search box (home page and /search) and the server-rendered results
// page `/search?q=`: what a reader without JavaScript gets, and a link that
// can be shared. With JavaScript, assets/search.js turns the box into an ARIA
// combobox fed by /api/search; both show a hit the same way.
import type { Request, Response } from "express";
import { searchHit, search } from "../api/search.ts";
import { esc } from "../html/page.ts";
import { SCHEMES, type Scheme } from "../../vocab/identifiers.ts";
import { heldServed, type ServiceState } from "../state.ts";
import type { Bilingual } from "../html/i18n.ts";
import { countryName, entityPath, explicitLang, formatInt, sendPage, translator, TYPE_LABELS, typeLabel, type Lang, type T } from "../html/layout.ts";
import { CONTROL_CHARACTERS } from "../../app/text.ts";

export type Hit = ReturnType<typeof searchHit>;

/** Longest query the matcher is asked (the same cap as /api/search). */
export const MAX_QUERY = 200;
/** Hits on the results page; the typeahead shows fewer. */
export const PAGE_LIMIT = 20;
export const TYPEAHEAD_LIMIT = 8;
export const SEARCH_JS = "/assets/web/search.js";

const TEXT = {
  label: { fr: "Nom d'un établissement, d'un laboratoire, ou un identifiant", en: "Name of an establishment or a laboratory, or an identifier" },
  hint: {
    fr: "Tous les référentiels : UAI, RNSR, SIREN/SIRET, Wikidata, ROR. Des suggestions s'affichent pendant la frappe : flèches haut et bas pour choisir, Entrée pour ouvrir, Échap pour fermer.",
    en: "Every referential: UAI, RNSR, SIREN/SIRET, Wikidata, ROR. Suggestions appear as you type: up and down arrows to choose, Enter to open, Escape to close.",
  },
  submit: { fr: "Rechercher", en: "Search" },
  placeholder: { fr: "ex. Panthéon-Sorbonne, LIPN, 0751717J", en: "e.g. Panthéon-Sorbonne, LIPN, 0751717J" },
  closed: { fr: "fermé", en: "closed" },
  loading: { fr: "Les données sont en cours de chargement : la recherche sera disponible dans quelques secondes.", en: "The data is still loading: search will be available in a few seconds." },
} satisfies Record<string, Bilingual>;

/** Texts search.js shows; sent with the form so the script holds no language of its own. */
function scriptTexts(t: T): Record<string, string> {
  return {
    searching: t({ fr: "Recherche…", en: "Searching…" }),
    none: t({ fr: "Aucun résultat pour « {q} ».", en: "No result for “{q}”." }),
    count: t({ fr: "{n} suggestion(s). Flèches haut et bas pour parcourir, Entrée pour ouvrir.", en: "{n} suggestion(s). Up and down arrows to browse, Enter to open." }),
    more: t({ fr: "Tous les résultats pour « {q} »", en: "All results for “{q}”" }),
    loading: t(TEXT.loading),
    error: t({ fr: "La recherche a échoué ({status}).", en: "Search failed ({status})." }),
    closed: t(TEXT.closed),
    network: t({ fr: "réseau", en: "network" }),
  };
}

export interface SearchFormOptions {
  lang: Lang;
  base: string;
  q?: string;
  /** Set when the reader chose the language in the address: the results page keeps it. */
  keepLang?: Lang;
}

export function searchForm(o: SearchFormOptions): string {
  const t = translator(o.lang);
  const types = Object.fromEntries(Object.keys(TYPE_LABELS).map((id) => [id, typeLabel(id, o.lang)]));
  const schemes = Object.fromEntries(Object.values(SCHEMES).map((s) => [s.scheme, s.label]));
  // The combobox attributes are added by search.js: without it the input is a plain search field.
  return `<form class="search" role="search" action="/search" method="get" data-typeahead data-base="${esc(o.base)}" data-lang="${o.lang}" data-limit="${TYPEAHEAD_LIMIT}"
 data-texts="${esc(JSON.stringify(scriptTexts(t)))}" data-types="${esc(JSON.stringify(types))}" data-schemes="${esc(JSON.stringify(schemes))}">
<label for="q">${esc(t(TEXT.label))}</label>
<p class="hint" id="q-hint">${esc(t(TEXT.hint))}</p>
<div class="row"><div class="field"><input type="search" id="q" name="q" value="${esc(o.q ?? "")}" maxlength="${MAX_QUERY}" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="${esc(t(TEXT.placeholder))}" aria-describedby="q-hint"></div>
<button type="submit">${esc(t(TEXT.submit))}</button></div>
${o.keepLang ? `<input type="hidden" name="lang" value="${o.keepLang}">` : ""}
<p id="q-status" class="sr-only" role="status" aria-live="polite"></p>
</form>`;
}

/** "UAI 0751717J · SIREN 197517170 · ...": every identifier, the registry's label first. */
export function identifiersText(ids: Hit["identifiers"]): { label: string; value: string }[] {
  return (Object.entries(ids) as [Scheme, string[]][]).flatMap(([s, values]) => values.map((value) => ({ label: SCHEMES[s]?.label ?? s, value })));
}

export function hitHtml(h: Hit, base: string, lang: Lang): string {
  const t = translator(lang);
  const type = h.types[0] ? typeLabel(h.types[0].id, lang, h.types[0].name) : "";
  const meta = [type, h.city, countryName(h.country, lang)].filter(Boolean).map(esc).join(" · ");
  // For the "all" target the hit's id is the entity's URI.
  const ids = identifiersText(h.identifiers).map((i) => `<span>${esc(i.label)} <code>${esc(i.value)}</code></span>`).join("");
  return `<li><a class="hit-name" href="${esc(entityPath(base, h.id))}">${esc(h.name)}</a>${h.status === "closed" ? ` <span class="tag closed">${esc(t(TEXT.closed))}</span>` : ""}
${meta ? `<div class="hit-meta">${meta}</div>` : ""}${ids ? `<div class="hit-ids">${ids}</div>` : ""}</li>`;
}

type Checked = { ok: true; q: string } | { ok: false; q: string; message: Bilingual };

/** The query as the matcher will take it, or why it is refused (never thrown: the page says it). */
export function checkQuery(raw: unknown): Checked {
  if (raw === undefined) return { ok: true, q: "" };
  if (typeof raw !== "string") return { ok: false, q: "", message: { fr: "Donnez une seule recherche (un seul paramètre q).", en: "Give one search (a single q parameter)." } };
  const q = raw.replace(/\s+/g, " ").trim();
  if (CONTROL_CHARACTERS.test(raw)) return { ok: false, q: "", message: { fr: "La recherche contient des caractères de contrôle.", en: "The search contains control characters." } };
  if (q.length > MAX_QUERY) {
    return {
      ok: false,
      q: q.slice(0, MAX_QUERY),
      message: { fr: `La recherche dépasse ${MAX_QUERY} caractères : raccourcissez-la (elle a été tronquée ci-dessous).`, en: `The search is longer than ${MAX_QUERY} characters: shorten it (it was cut below).` },
    };
  }
  return { ok: true, q };
}

/** GET /search?q= */
export function searchPage(state: ServiceState) {
  return (req: Request, res: Response) => {
    const checked = checkQuery(req.query.q);
    const keepLang = explicitLang(req);
    const title: Bilingual = { fr: "Rechercher", en: "Search" };
    const respond = (status: number, q: string, content: (t: T, lang: Lang) => { heading?: string; before?: string; after?: string }) =>
      sendPage(req, res, (lang) => {
        const t = translator(lang);
        const c = content(t, lang);
        const heading = c.heading ?? t(title);
        return {
          title: heading,
          current: "search",
          scripts: [SEARCH_JS],
          body: `<h1>${esc(heading)}</h1>\n${c.before ?? ""}\n${searchForm({ lang, base: state.config.base, q, keepLang })}\n${c.after ?? ""}`,
        };
      }, status);

    if (!checked.ok) {
      respond(400, checked.q, (t) => ({ before: `<div class="notice error" role="alert"><p>${esc(t(checked.message))}</p></div>` }));
      return;
    }
    const q = checked.q;
    if (!q) {
      respond(200, q, () => ({}));
      return;
    }
    const matcher = heldServed(res)?.matcher;
    if (!matcher) {
      res.set("Retry-After", "10");
      respond(503, q, (t) => ({ before: `<div class="notice" role="status"><p>${esc(t(TEXT.loading))}</p></div>` }));
      return;
    }
    const hits: Hit[] = search(matcher, { q, target: "all", limit: PAGE_LIMIT }).results;
    respond(200, q, (t, lang) => {
      const n = formatInt(hits.length, lang);
      const count = hits.length
        ? t({ fr: `${n} résultat(s)${hits.length === PAGE_LIMIT ? ` (les ${PAGE_LIMIT} meilleurs)` : ""}.`, en: `${n} result(s)${hits.length === PAGE_LIMIT ? ` (the best ${PAGE_LIMIT})` : ""}.` })
        : t({ fr: "Aucun résultat. Essayez le début du nom, un sigle (USPN) ou un identifiant (0751717J).", en: "No result. Try the start of the name, an acronym (USPN) or an identifier (0751717J)." });
      return {
        heading: t({ fr: `Résultats pour « ${q} »`, en: `Results for “${q}”` }),
        after: `<p role="status">${esc(count)}</p>${hits.length ? `\n<ol class="results">${hits.map((h) => hitHtml(h, state.config.base, lang)).join("\n")}</ol>` : ""}`,
      };
    });
  };
}
