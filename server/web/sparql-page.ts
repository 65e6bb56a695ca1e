// The page a browser gets at GET /sparql: a YASGUI editor (highlighting,
// result tables) wired to this server's endpoint only, the store's prefixes
// preloaded and the example queries one choice away. Without JavaScript the
// same page is a plain form that GETs /sparql, so nothing depends on the
// script to run a query.
import { PREFIXES } from "../../vocab/namespaces.ts";
import { esc, page } from "../html/page.ts";
import { EXAMPLES } from "../sparql/examples.ts";
import type { SparqlOptions } from "../sparql/config.ts";
import { scriptJson } from "./embed.ts";
import { tr, type Lang } from "../html/i18n.ts";
import { ASSETS } from "./static.ts";

export interface SparqlPageInput {
  options: SparqlOptions;
  graphs: string[];
  lang: Lang;
  /** The request's path and query, for the layout's language switch. */
  path?: string;
}

/** The editor's first query: every prefix the store uses, then a query that answers on any deployment. */
export function initialQuery(): string {
  const prefixes = Object.entries(PREFIXES).map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join("\n");
  return `${prefixes}

SELECT ?establishment ?name ?uai WHERE {
  GRAPH </graph/uai> {
    ?establishment wdt:P3202 ?uai ;
                   skos:prefLabel ?name .
    FILTER(lang(?name) = "fr")
  }
}
ORDER BY ?name
LIMIT 20`;
}

const T = {
  title: { fr: "Éditeur SPARQL", en: "SPARQL editor" },
  intro: {
    fr: "Requêtes SPARQL 1.1 sur les référentiels (UAI, RNSR, Sirene, Wikidata, ROR), en lecture seule. Le graphe par défaut est l'union de tous les graphes nommés ; les IRI relatives se résolvent sur ce serveur",
    en: "SPARQL 1.1 queries over the referentials (UAI, RNSR, Sirene, Wikidata, ROR), read-only. The default graph is the union of every named graph; relative IRIs resolve against this server",
  },
  limits: { fr: "Limites", en: "Limits" },
  perQuery: { fr: "s par requête", en: "s per query" },
  results: { fr: "résultats", en: "results" },
  serviceMay: { fr: "peut appeler", en: "may call" },
  none: { fr: "aucun", en: "none" },
  examples: { fr: "Exemples de requêtes", en: "Example queries" },
  pick: { fr: "— choisir un exemple —", en: "— pick an example —" },
  load: { fr: "Charger dans l'éditeur", en: "Load into the editor" },
  editorLabel: { fr: "Éditeur de requête SPARQL", en: "SPARQL query editor" },
  keys: {
    fr: "Ctrl+Entrée exécute la requête ; Tab sort de l'éditeur (l'indentation se fait à l'Entrée).",
    en: "Ctrl+Enter runs the query; Tab leaves the editor (lines are indented on Enter).",
  },
  noscript: { fr: "Sans JavaScript : le formulaire simple.", en: "Without JavaScript: the plain form." },
  query: { fr: "Requête", en: "Query" },
  resultsAs: { fr: "Résultats en", en: "Results as" },
  run: { fr: "Exécuter", en: "Run" },
  runExample: { fr: "Exécuter cet exemple", en: "Run this example" },
  graphs: { fr: "Graphes nommés", en: "Named graphs" },
  description: { fr: "Description du service", en: "Service description" },
  catalogue: { fr: "Catalogue", en: "Catalogue" },
  // Said by the status line the script fills (aria-live).
  running: { fr: "Requête en cours…", en: "Running the query…" },
  rows: { fr: "{n} ligne(s) de résultat en {ms} ms", en: "{n} result row(s) in {ms} ms" },
  answered: { fr: "Réponse reçue en {ms} ms", en: "Answer received in {ms} ms" },
  failed: { fr: "La requête a échoué : {message}", en: "The query failed: {message}" },
  loaded: { fr: "Exemple chargé dans l'onglet « Exemple » : {title}", en: "Example loaded in the \"Example\" tab: {title}" },
  exampleTab: { fr: "Exemple", en: "Example" },
  queryTab: { fr: "Requête", en: "Query" },
  newTab: { fr: "Nouvel onglet", en: "New tab" },
  pageSize: { fr: "Lignes de résultat par page", en: "Result rows per page" },
} as const;

const FORMATS: [string, string][] = [
  ["json", "SPARQL JSON"], ["xml", "SPARQL XML"], ["csv", "CSV"], ["tsv", "TSV"],
  ["ttl", "Turtle (CONSTRUCT, DESCRIBE)"], ["jsonld", "JSON-LD"], ["nt", "N-Triples"], ["rdfxml", "RDF/XML"],
];

export function sparqlPage({ options: o, graphs, lang, path }: SparqlPageInput): string {
  const t = (k: keyof typeof T) => tr(lang, T[k]);
  const colon = lang === "fr" ? "\u00a0:" : ":";
  // Example titles are written once, in English (docs/sparql.md shows the same ones): marked so for screen readers.
  const enAttr = lang === "en" ? "" : ' lang="en"';
  const services = o.allowServices.map((s) => `<code>${esc(s)}</code>`).join(", ") || esc(t("none"));
  const initial = initialQuery();
  const config = {
    endpoint: "/sparql",
    prefixes: PREFIXES,
    initial,
    examples: EXAMPLES.map((e) => ({ id: e.id, title: e.title, text: e.text })),
    messages: Object.fromEntries((["running", "rows", "answered", "failed", "loaded", "editorLabel", "exampleTab", "queryTab", "pageSize"] as const).map((k) => [k, t(k)])),
  };
  const noscriptExamples = EXAMPLES.map(
    (e) => `<li><details><summary${enAttr}>${esc(e.title)}</summary><pre>${esc(e.text)}</pre>
<a href="/sparql?${esc(new URLSearchParams({ query: e.text, format: "json" }).toString())}">${esc(t("runExample"))}</a></details></li>`,
  ).join("\n");
  const body = `<div class="sparql-page">
<h1>${esc(t("title"))}</h1>
<p>${esc(t("intro"))} (<code>&lt;/id/uai/0751717J&gt;</code>, <code>&lt;/graph/rnsr&gt;</code>).
${esc(t("limits"))}${colon} ${esc(o.timeoutMs / 1000)} ${esc(t("perQuery"))}, ${esc(o.maxResults)} ${esc(t("results"))}. <code>SERVICE</code> ${esc(t("serviceMay"))}${colon} ${services}.</p>
<div id="sparql-tools" class="sparql-tools" hidden>
<p><label for="sparql-example">${esc(t("examples"))}</label>
<select id="sparql-example">
<option value="">${esc(t("pick"))}</option>
${EXAMPLES.map((e) => `<option value="${esc(e.id)}"${enAttr}>${esc(e.title)}</option>`).join("\n")}
</select>
<button type="button" id="sparql-load">${esc(t("load"))}</button>
<button type="button" id="sparql-new-tab" class="secondary">${esc(t("newTab"))}</button></p>
<p class="muted" id="sparql-keys">${esc(t("keys"))}</p>
</div>
<div id="yasgui" role="region" aria-label="${esc(t("editorLabel"))}" aria-describedby="sparql-keys"></div>
<p id="sparql-status" class="sparql-status" role="status" aria-live="polite"></p>
<noscript>
<p>${esc(t("noscript"))}</p>
<form method="get" action="/sparql">
<p><label for="q">${esc(t("query"))}</label></p>
<textarea id="q" name="query" rows="16">${esc(initial)}</textarea>
<p><label>${esc(t("resultsAs"))} <select name="format">
${FORMATS.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join("")}
</select></label> <button type="submit">${esc(t("run"))}</button></p>
</form>
<h2>${esc(t("examples"))}</h2>
<ul>${noscriptExamples}</ul>
</noscript>
<h2>${esc(t("graphs"))}</h2>
<ul>${graphs.map((g) => `<li><code>${esc(g)}</code></li>`).join("\n")}</ul>
<p>${esc(t("description"))}${colon} <a href="/sparql?format=ttl">Turtle</a> · <a href="/sparql?format=jsonld">JSON-LD</a>. ${esc(t("catalogue"))}${colon} <a href="/catalog">/catalog</a>.</p>
</div>
<script type="application/json" id="sparql-config">${scriptJson(config)}</script>`;
  return page({
    title: t("title"),
    lang,
    path,
    body,
    alternates: [["/sparql?format=ttl", "text/turtle"]],
    stylesheets: [`${ASSETS}/vendor/yasgui/yasgui.min.css`, `${ASSETS}/web/sparql.css`],
    scripts: [`${ASSETS}/vendor/yasgui/yasgui.min.js`, `${ASSETS}/web/sparql.js`],
  });
}
