// The page /file: reconcile a CSV in the browser through the REST job API
// (POST /api/jobs, poll, JSON result), review the ambiguous rows, and
// download the table with the choices applied, enriched by the resolved
// export (POST /export/resolved) as CSV or RDF. The server renders the
// skeleton and the texts; server/web/assets/file.js does the work, so the
// page needs JavaScript (the REST API is the way without it).
import { PROPERTY_IDS, SERVICE_IDS, type ServiceId } from "../../reconcile/types.ts";
import { isScheme, SCHEMES, type Scheme } from "../../vocab/identifiers.ts";
import { RESULT_COLUMNS } from "../../app/batch.ts";
import { ADDED_COLUMNS } from "../../app/export-resolved.ts";
import { esc, page } from "../html/page.ts";
import { tr, type Bilingual, type Lang } from "../html/i18n.ts";
import { scriptJson } from "./embed.ts";
import { ASSETS } from "./static.ts";

/**
 * Columns the page adds to the user's table before the resolved export adds
 * its own (refx_status, refx_uri, refx_name, the identifiers): the id kept,
 * its score, how it was decided (auto, chosen, rejected, ambiguous, none,
 * error), and an ambiguous row's candidates.
 */
export const DECISION_COLUMNS = ["refx_id", "refx_score", "refx_match", "refx_candidates"] as const;

/** Rows of the review list shown at once: a 10,000-row file must not put 10,000 fieldsets in the page. */
export const REVIEW_PAGE_SIZE = 20;

const TARGETS: Record<ServiceId, Bilingual> = {
  uai: { fr: "UAI : établissements d'enseignement supérieur", en: "UAI: higher-education establishments" },
  rnsr: { fr: "RNSR : structures de recherche", en: "RNSR: research structures" },
  siret: { fr: "SIRET : établissements Sirene (INSEE)", en: "SIRET: Sirene establishments (INSEE)" },
  wikidata: { fr: "Wikidata", en: "Wikidata" },
  ror: { fr: "ROR : Research Organization Registry", en: "ROR: Research Organization Registry" },
  all: { fr: "Tous les référentiels (URI refx)", en: "All referentials (refx URI)" },
};

/** Identifier columns a row may carry as evidence: the matcher's identifier properties (the REST API's fields of the same names). */
const ID_FIELDS: readonly Scheme[] = PROPERTY_IDS.filter(isScheme);

const T = {
  title: { fr: "Réconcilier un fichier", en: "Reconcile a file" },
  intro: {
    fr: "Envoyez un fichier CSV d'établissements : chaque ligne est rapprochée d'un référentiel. Les lignes sûres sont liées automatiquement ; vous choisissez pour les lignes ambiguës, puis vous téléchargez le fichier enrichi (CSV) ou ses données liées (RDF).",
    en: "Send a CSV file of establishments: each row is matched against a referential. Sure rows are linked automatically; you choose for the ambiguous ones, then download the enriched file (CSV) or its linked data (RDF).",
  },
  noscript: {
    fr: "Cette page a besoin de JavaScript. Sans, envoyez le fichier à l'API REST : curl -F file=@fichier.csv -F column=nom http://…/api/reconcile (voir /api/docs).",
    en: "This page needs JavaScript. Without it, send the file to the REST API: curl -F file=@file.csv -F column=name http://…/api/reconcile (see /api/docs).",
  },
  step1: { fr: "1. Le fichier", en: "1. The file" },
  file: { fr: "Fichier CSV (première ligne : les noms des colonnes)", en: "CSV file (first line: the column names)" },
  fileHelp: {
    fr: "Séparateur « ; », « , », tabulation ou « | », UTF-8 ou Latin-1 : ils sont détectés.",
    en: "Separator \";\", \",\", tab or \"|\", UTF-8 or Latin-1: they are detected.",
  },
  step2: { fr: "2. Les colonnes", en: "2. The columns" },
  name: { fr: "Colonne des noms (obligatoire)", en: "Name column (required)" },
  city: { fr: "Colonne de la ville", en: "City column" },
  country: { fr: "Colonne du pays", en: "Country column" },
  idColumn: { fr: "Colonne d'un identifiant", en: "Identifier column" },
  idScheme: { fr: "Type de cet identifiant", en: "Type of this identifier" },
  noColumn: { fr: "— aucune —", en: "— none —" },
  step3: { fr: "3. Le référentiel", en: "3. The referential" },
  target: { fr: "Rapprocher de", en: "Match against" },
  start: { fr: "Lancer la réconciliation", en: "Start reconciling" },
  progress: { fr: "Progression", en: "Progress" },
  progressLabel: { fr: "Lignes traitées", en: "Rows processed" },
  cancel: { fr: "Annuler", en: "Cancel" },
  review: { fr: "Vérifier les lignes ambiguës", en: "Review the ambiguous rows" },
  reviewHelp: {
    fr: "Pour chaque ligne, choisissez le bon établissement, ou « Aucun ». Une ligne laissée sans choix reste ambiguë dans le fichier (ses candidats y sont listés).",
    en: "For each row, choose the right establishment, or \"None\". A row left without a choice stays ambiguous in the file (its candidates are listed there).",
  },
  pages: { fr: "Pages de la liste", en: "List pages" },
  previous: { fr: "Précédente", en: "Previous" },
  next: { fr: "Suivante", en: "Next" },
  download: { fr: "Télécharger", en: "Download" },
  downloadHelp: {
    fr: "Le CSV garde vos colonnes et ajoute l'identifiant retenu, la décision et tous les identifiants de l'établissement ; le RDF (Turtle) décrit chaque ligne avec ses liens owl:sameAs.",
    en: "The CSV keeps your columns and adds the chosen identifier, the decision and every identifier of the establishment; the RDF (Turtle) describes each row with its owl:sameAs links.",
  },
  csv: { fr: "CSV enrichi", en: "Enriched CSV" },
  rdf: { fr: "RDF (Turtle)", en: "RDF (Turtle)" },
  restart: { fr: "Nouveau fichier", en: "New file" },
} as const;

/** Texts file.js writes into the page (status lines, errors, row labels); `{x}` are filled in. */
const MESSAGES = {
  reading: { fr: "Lecture de l'en-tête…", en: "Reading the header…" },
  detected: { fr: "{columns} colonnes, séparateur {delimiter}, encodage {encoding}.", en: "{columns} columns, separator {delimiter}, encoding {encoding}." },
  tab: { fr: "tabulation", en: "tab" },
  emptyFile: { fr: "Le fichier est vide : il faut un CSV dont la première ligne donne les noms des colonnes.", en: "The file is empty: a CSV whose first line names the columns is expected." },
  noHeader: {
    fr: "La première ligne ne ressemble pas à un en-tête ({cell} est une donnée, pas un nom de colonne) : ajoutez une ligne avec les noms des colonnes.",
    en: "The first line does not look like a header ({cell} is a value, not a column name): add a line naming the columns.",
  },
  blankHeader: { fr: "La première ligne est vide ou n'a pas de noms de colonnes : ajoutez un en-tête.", en: "The first line is blank or names no column: add a header." },
  noRows: { fr: "Le fichier n'a qu'un en-tête, aucune ligne de données.", en: "The file has a header but no data row." },
  unclosedQuote: {
    fr: "Un guillemet ouvert au début d'une cellule n'est jamais fermé : le fichier ne se lit pas en CSV. Vérifiez les cellules entre guillemets.",
    en: "A quote opening a cell is never closed: the file does not read as CSV. Check the quoted cells.",
  },
  notText: { fr: "Ce fichier n'est pas un texte CSV (fichier binaire, tableur .xlsx ?) : enregistrez-le en CSV.", en: "This file is not CSV text (a binary, an .xlsx workbook?): save it as CSV." },
  chooseFile: { fr: "Choisissez d'abord un fichier CSV.", en: "Choose a CSV file first." },
  chooseName: { fr: "Choisissez la colonne qui contient les noms.", en: "Choose the column that holds the names." },
  emptyColumn: {
    fr: "La colonne {column} est vide dans les {n} premières lignes : ce n'est sans doute pas la colonne des noms.",
    en: "Column {column} is empty in the first {n} rows: it is probably not the name column.",
  },
  sameColumn: { fr: "La colonne {column} est choisie deux fois.", en: "Column {column} is chosen twice." },
  idNeedsScheme: { fr: "Indiquez le type de l'identifiant de la colonne {column}.", en: "Say which identifier column {column} holds." },
  sending: { fr: "Envoi du fichier…", en: "Sending the file…" },
  queued: { fr: "En attente : d'autres fichiers passent avant.", en: "Queued: other files go first." },
  counting: { fr: "Lecture du fichier…", en: "Reading the file…" },
  rowsDone: { fr: "{rows} / {total} lignes ({percent} %)", en: "{rows} / {total} rows ({percent}%)" },
  done: {
    fr: "Terminé : {rows} lignes, {matched} liées automatiquement, {ambiguous} ambiguës, {none} sans correspondance.",
    en: "Done: {rows} rows, {matched} matched automatically, {ambiguous} ambiguous, {none} without a match.",
  },
  fetching: { fr: "Récupération des résultats…", en: "Fetching the results…" },
  failed: { fr: "La réconciliation a échoué : {message}", en: "Reconciliation failed: {message}" },
  cancelled: { fr: "Réconciliation annulée.", en: "Reconciliation cancelled." },
  server: { fr: "Le serveur a refusé ({status}) : {message}", en: "The server refused ({status}): {message}" },
  network: { fr: "Le serveur ne répond pas : {message}", en: "The server does not answer: {message}" },
  noAmbiguous: { fr: "Aucune ligne ambiguë : rien à vérifier.", en: "No ambiguous row: nothing to review." },
  reviewCount: { fr: "{count} lignes ambiguës, {decided} décidées.", en: "{count} ambiguous rows, {decided} decided." },
  pageOf: { fr: "Page {page} sur {pages}", en: "Page {page} of {pages}" },
  row: { fr: "Ligne {n} :", en: "Row {n}:" },
  none: { fr: "Aucun de ces établissements", en: "None of these establishments" },
  score: { fr: "score {score}", en: "score {score}" },
  see: { fr: "voir la fiche", en: "see the record" },
  seeLabel: { fr: "voir la fiche de {name} (nouvel onglet)", en: "see the record of {name} (new tab)" },
  preparing: { fr: "Préparation du fichier…", en: "Preparing the file…" },
  downloaded: { fr: "Fichier {name} téléchargé ({rows} lignes, {found} liées).", en: "File {name} downloaded ({rows} rows, {found} linked)." },
} satisfies Record<string, Bilingual>;

/** `path`: the request's path and query, for the layout's language switch. */
export function filePage(lang: Lang, path?: string): string {
  const t = (k: keyof typeof T) => esc(tr(lang, T[k]));
  const option = (value: string, label: string, selected = false) => `<option value="${esc(value)}"${selected ? " selected" : ""}>${esc(label)}</option>`;
  const columnSelect = (id: string, label: keyof typeof T, required = false) => `<p class="field"><label for="${id}">${t(label)}</label>
<select id="${id}" name="${id}"${required ? " required" : ""} disabled>${required ? "" : option("", tr(lang, T.noColumn))}</select></p>`;
  const config = {
    lang,
    pageSize: REVIEW_PAGE_SIZE,
    messages: Object.fromEntries(Object.entries(MESSAGES).map(([k, v]) => [k, tr(lang, v)])),
    noColumn: tr(lang, T.noColumn),
    resultColumns: RESULT_COLUMNS,
    decisionColumns: DECISION_COLUMNS,
    // A user's column of one of these names would be written twice; the fresh value wins.
    reservedColumns: [...new Set([...DECISION_COLUMNS, ...ADDED_COLUMNS])],
  };
  const body = `<div class="file-page">
<h1>${t("title")}</h1>
<p>${t("intro")}</p>
<noscript><p class="file-error">${t("noscript")}</p></noscript>
<div id="file-alert" class="file-error" role="alert" aria-live="assertive"></div>
<form id="file-form" novalidate>
<fieldset>
<legend>${t("step1")}</legend>
<p class="field"><label for="file-input">${t("file")}</label>
<input type="file" id="file-input" name="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" aria-describedby="file-help file-info"></p>
<p id="file-help" class="muted">${t("fileHelp")}</p>
<p id="file-info" class="muted" aria-live="polite"></p>
</fieldset>
<fieldset>
<legend>${t("step2")}</legend>
${columnSelect("column", "name", true)}
${columnSelect("city", "city")}
${columnSelect("country", "country")}
<div class="field-pair">
${columnSelect("id-column", "idColumn")}
<p class="field"><label for="id-scheme">${t("idScheme")}</label>
<select id="id-scheme" name="id-scheme">${ID_FIELDS.map((s) => option(s, SCHEMES[s].label)).join("")}</select></p>
</div>
</fieldset>
<fieldset>
<legend>${t("step3")}</legend>
<p class="field"><label for="target">${t("target")}</label>
<select id="target" name="target">${SERVICE_IDS.map((s) => option(s, tr(lang, TARGETS[s]), s === "uai")).join("")}</select></p>
</fieldset>
<p><button type="submit" id="file-start">${t("start")}</button></p>
</form>
<section id="file-progress" aria-labelledby="file-progress-title" hidden>
<h2 id="file-progress-title">${t("progress")}</h2>
<p><label for="job-progress" id="job-progress-label">${t("progressLabel")}</label></p>
<progress id="job-progress" max="100" aria-labelledby="job-progress-label" aria-describedby="job-progress-text"></progress>
<p id="job-progress-text" class="progress-text"></p>
<p id="file-status" role="status" aria-live="polite"></p>
<p><button type="button" id="job-cancel">${t("cancel")}</button></p>
</section>
<section id="file-review" aria-labelledby="file-review-title" hidden>
<h2 id="file-review-title">${t("review")}</h2>
<p class="muted">${t("reviewHelp")}</p>
<p id="review-summary"></p>
<ul id="review-list" class="review-list"></ul>
<nav id="review-pages" class="review-pages" aria-label="${t("pages")}">
<button type="button" id="review-prev">${t("previous")}</button>
<span id="review-page" aria-live="polite"></span>
<button type="button" id="review-next">${t("next")}</button>
</nav>
</section>
<section id="file-download" aria-labelledby="file-download-title" hidden>
<h2 id="file-download-title">${t("download")}</h2>
<p class="muted">${t("downloadHelp")}</p>
<p class="actions"><button type="button" id="download-csv">${t("csv")}</button>
<button type="button" id="download-rdf">${t("rdf")}</button>
<button type="button" id="file-restart" class="secondary">${t("restart")}</button></p>
<p id="download-status" role="status" aria-live="polite"></p>
</section>
</div>
<script type="application/json" id="file-config">${scriptJson(config)}</script>`;
  return page({
    title: tr(lang, T.title),
    lang,
    path,
    body,
    stylesheets: [`${ASSETS}/web/file.css`],
    scripts: [`${ASSETS}/web/file-csv.js`, `${ASSETS}/web/file.js`],
  });
}
