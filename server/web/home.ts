// The home page: what the service holds (each source with its counts, dates
// and licence, from the catalogue's facts and the load report) and the search
// box. While the data loads it says so, with the progress, instead of failing.
import type { Request, Response } from "express";
import type { GraphStore } from "../../data/store.ts";
import { datasetFacts, type DatasetFacts } from "../linked-data/catalog.ts";
import { esc, link, withLang } from "../html/page.ts";
import { heldServed, status, type Served, type ServiceState } from "../state.ts";
import { GET_REAL_DATA, SAMPLE_NOTICE } from "../../app/sample-notice.ts";
import type { Bilingual } from "../html/i18n.ts";
import { explicitLang, formatDate, formatInt, sendPage, translator, type Lang, type T } from "../html/layout.ts";
import { SEARCH_JS, searchForm } from "./search-page.ts";

/** One source as the home page shows it. */
export interface SourceSummary {
  facts: DatasetFacts;
  triples?: number;
  /** Rows read from the source files, and rows left out by reason (load report). */
  rows?: number;
  skipped?: Record<string, number>;
}

export interface StoreSummary {
  sources: SourceSummary[];
  /** Triples in every named graph. */
  triples: number;
}

// The facts and sizes scan the store (about half a second on ../shared/data): once per loaded store.
const summaries = new WeakMap<GraphStore, StoreSummary>();

export async function storeSummary(served: Served, base: string): Promise<StoreSummary> {
  const cached = summaries.get(served.store);
  if (cached) return cached;
  const sizes = await served.store.graphSizes();
  const sources = (await datasetFacts(served.store, base)).map((facts) => {
    const r = served.report?.sources.find((s) => s.graph === facts.graph);
    return { facts, triples: sizes.get(facts.graph), rows: r?.rows, skipped: r?.skipped };
  });
  const summary = { sources, triples: [...sizes.values()].reduce((a, b) => a + b, 0) };
  summaries.set(served.store, summary);
  return summary;
}

/** Short names readers know the sources by. */
const SHORT: Record<string, Bilingual> = {
  uai: { fr: "UAI (enseignement supérieur)", en: "UAI (higher education)" },
  education: { fr: "Annuaire de l'éducation", en: "Education directory" },
  rnsr: { fr: "RNSR (structures de recherche)", en: "RNSR (research structures)" },
  wikidata: { fr: "Wikidata", en: "Wikidata" },
  ror: { fr: "ROR", en: "ROR" },
  "sirene-ul": { fr: "Sirene : unités légales (SIREN)", en: "Sirene: legal units (SIREN)" },
  "sirene-etab": { fr: "Sirene : établissements (SIRET)", en: "Sirene: establishments (SIRET)" },
  links: { fr: "Liens entre référentiels", en: "Links between referentials" },
};

function sourceCard(s: SourceSummary, lang: Lang, t: T, links?: { links: number; clusters?: number }, sample?: boolean): string {
  const f = s.facts;
  const skipped = Object.entries(s.skipped ?? {}).reduce((n, [, v]) => n + v, 0);
  const facts: [string, string][] = [
    f.source === "links"
      ? [t({ fr: "Liens owl:sameAs", en: "owl:sameAs links" }), links ? `<span class="big">${esc(formatInt(links.links, lang))}</span>${links.clusters !== undefined ? ` (${esc(t({ fr: `${formatInt(links.clusters, lang)} groupes`, en: `${formatInt(links.clusters, lang)} clusters` }))})` : ""}` : "–"]
      : [t({ fr: "Entités", en: "Entities" }), `<span class="big">${esc(formatInt(f.entities, lang))}</span>`],
    [t({ fr: "Triplets", en: "Triples" }), esc(formatInt(s.triples, lang))],
  ];
  if (s.rows !== undefined) facts.push([t({ fr: "Lignes lues", en: "Rows read" }), esc(formatInt(s.rows, lang)) + (skipped ? ` <span class="muted">(${esc(t({ fr: `${formatInt(skipped, lang)} écartées`, en: `${formatInt(skipped, lang)} left out` }))})</span>` : "")]);
  // The date is the publisher's (refx download records it); the sample has none of its own.
  if (f.source !== "links") {
    facts.push(sample
      ? [t({ fr: "Données", en: "Data" }), esc(t({ fr: "échantillon de démonstration", en: "demonstration sample" }))]
      : [t({ fr: "Publié le", en: "Published" }), esc(formatDate(f.modified, lang))]);
  }
  facts.push([t({ fr: "Chargé le", en: "Loaded" }), esc(formatDate(f.issued, lang, true))]);
  facts.push([t({ fr: "Éditeur", en: "Publisher" }), esc(f.publisher)]);
  facts.push([t({ fr: "Licence", en: "Licence" }), link(f.licence, f.licenceLabel)]);
  return `<li data-source="${esc(f.source)}">
<h3>${link(`/graph/${f.source}`, SHORT[f.source]?.[lang] ?? f.title)}</h3>
${f.title !== SHORT[f.source]?.[lang] ? `<p class="muted">${esc(f.title)}</p>` : ""}
<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>
</li>`;
}

function loadingNotice(state: ServiceState, t: T, lang: Lang, keepLang: Lang | undefined): string {
  if (status(state) === "failed") {
    return `<div class="notice error" role="alert"><h2>${esc(t({ fr: "Le chargement des données a échoué", en: "Loading the data failed" }))}</h2>
<p>${esc(state.loading.error ?? "")}</p><p>${esc(t({ fr: "La recherche et les pages des entités ne sont pas disponibles. L'administrateur doit corriger le fichier en cause puis recharger (kill -HUP).", en: "Search and entity pages are unavailable. The administrator must fix the file named above, then reload (kill -HUP)." }))}</p></div>`;
  }
  const p = state.loading.progress;
  const pct = p && p.total ? Math.min(100, Math.round((p.bytes / p.total) * 100)) : undefined;
  const where = p ? t({ fr: `Source en cours : ${p.source}${pct !== undefined ? `, ${pct} %` : ""}.`, en: `Current source: ${p.source}${pct !== undefined ? `, ${pct}%` : ""}.` }) : "";
  return `<div class="notice" role="status"><h2>${esc(t({ fr: "Chargement des données en cours", en: "The data is loading" }))}</h2>
<p>${esc(t({ fr: "Le service démarre : les référentiels sont en cours de chargement. La recherche, les pages des entités et la liste des sources seront disponibles dans quelques secondes (jusqu'à une minute sur les fichiers complets).", en: "The service is starting: the referentials are being loaded. Search, entity pages and the list of sources will be available in a few seconds (up to a minute on the full files)." }))}</p>
${where ? `<p>${esc(where)}</p>` : ""}<p><a href="${esc(withLang("/", keepLang))}">${esc(t({ fr: "Recharger la page", en: "Reload the page" }))}</a> · ${link("/health", "/health")} ${esc(lang === "fr" ? "(état du chargement)" : "(load status)")}</p></div>`;
}

function homeBody(state: ServiceState, served: Served | undefined, summary: StoreSummary | undefined, lang: Lang, keepLang: Lang | undefined): string {
  const t = translator(lang);
  const ready = !!served;
  const parts: string[] = [];
  parts.push(`<h1>${esc(t({ fr: "Référentiels de l'enseignement supérieur et de la recherche", en: "French higher-education and research referentials" }))}</h1>
<p class="lead">${esc(t({
    fr: "refx rapproche vos listes d'établissements et de laboratoires des référentiels officiels (UAI, RNSR, SIREN/SIRET) et ouverts (Wikidata, ROR), reliés entre eux en données liées.",
    en: "refx matches your lists of establishments and laboratories against the official (UAI, RNSR, SIREN/SIRET) and open (Wikidata, ROR) referentials, linked together as linked data.",
  }))}</p>`);
  if (!ready) parts.push(loadingNotice(state, t, lang, keepLang));
  if (state.config.sample) {
    parts.push(`<div class="notice" role="status" id="sample-notice"><h2>${esc(t({ fr: "Données de démonstration", en: "Demonstration data" }))}</h2><p>${esc(t({ fr: SAMPLE_NOTICE.fr.split(GET_REAL_DATA)[0], en: SAMPLE_NOTICE.en.split(GET_REAL_DATA)[0] }))}<code>${esc(GET_REAL_DATA)}</code></p></div>`);
  }

  parts.push(`<section aria-labelledby="search-title">
<h2 id="search-title">${esc(t({ fr: "Rechercher dans tous les référentiels", en: "Search every referential" }))}</h2>
${searchForm({ lang, base: state.config.base, keepLang })}
</section>`);

  if (ready && summary) {
    const sources = summary.sources.filter((s) => s.facts.source !== "links");
    const linksGraph = summary.sources.find((s) => s.facts.source === "links");
    const total = summary.triples;
    // Without a load report (a store built by hand), the links graph's size is its number of links.
    const links = served?.report?.links
      ? { links: served.report.links.links, clusters: served.report.links.clusters }
      : linksGraph?.triples !== undefined ? { links: linksGraph.triples } : undefined;
    parts.push(`<section aria-labelledby="sources-title">
<h2 id="sources-title">${esc(t({ fr: "Ce que contient le service", en: "What the service holds" }))}</h2>
<p>${esc(t({
      fr: `${formatInt(sources.length, lang)} sources, ${formatInt(total, lang)} triplets RDF${served?.loadedAt ? `, chargés le ${formatDate(served.loadedAt.toISOString(), lang, true)}` : ""}. Chaque source est un graphe nommé ; les identifiants communs les relient.`,
      en: `${formatInt(sources.length, lang)} sources, ${formatInt(total, lang)} RDF triples${served?.loadedAt ? `, loaded ${formatDate(served.loadedAt.toISOString(), lang, true)}` : ""}. Each source is a named graph; shared identifiers link them.`,
    }))} ${link("/catalog", t({ fr: "Catalogue DCAT", en: "DCAT catalogue" }))} · ${link("/void", t({ fr: "statistiques VoID", en: "VoID statistics" }))}.</p>
<ul class="cards" id="sources">
${[...sources, ...(linksGraph ? [linksGraph] : [])].map((s) => sourceCard(s, lang, t, links, state.config.sample)).join("\n")}
</ul>
</section>`);
  }

  parts.push(`<section aria-labelledby="uses-title">
<h2 id="uses-title">${esc(t({ fr: "Autres usages", en: "Other uses" }))}</h2>
<ul class="links">
<li>${link("/file", t({ fr: "Réconcilier un fichier", en: "Reconcile a file" }))} – ${esc(t({ fr: "déposez un CSV, récupérez-le avec les identifiants de chaque ligne.", en: "drop a CSV, get it back with each row's identifiers." }))}</li>
<li>${link("/openrefine", "OpenRefine")} – ${esc(t({ fr: "les adresses des services de réconciliation à coller dans OpenRefine.", en: "the reconciliation service URLs to paste into OpenRefine." }))}</li>
<li>${link("/sparql", "SPARQL")} – ${esc(t({ fr: "interroger tous les graphes, avec des exemples.", en: "query every graph, with examples." }))}</li>
<li>${link("/api/docs", t({ fr: "API REST", en: "REST API" }))} – ${esc(t({ fr: "recherche, identifiants, fichiers par lots, pour les scripts.", en: "search, identifiers, batch files, for scripts." }))}</li>
</ul>
</section>`);
  return parts.join("\n");
}

/** GET / */
export function homePage(state: ServiceState) {
  return async (req: Request, res: Response) => {
    const keepLang = explicitLang(req);
    const served = heldServed(res);
    if (!served) res.set("Retry-After", "10");
    const summary = served ? await storeSummary(served, state.config.base) : undefined;
    // Always 200: the page answers, and says what is not there yet.
    sendPage(req, res, (lang) => ({
      title: lang === "fr" ? "Accueil" : "Home",
      current: "home",
      description: lang === "fr" ? "Référentiels de l'enseignement supérieur et de la recherche : UAI, RNSR, SIREN/SIRET, Wikidata, ROR." : "French higher-education and research referentials: UAI, RNSR, SIREN/SIRET, Wikidata, ROR.",
      body: homeBody(state, served, summary, lang, keepLang),
      scripts: [SEARCH_JS],
    }));
  };
}
