// /openrefine: the reconciliation service URLs a user pastes into OpenRefine,
// with a copy button, and the few steps from a column of names to a column of
// identifiers. URLs use the origin the browser reached (as the manifests do),
// so they work behind any host name.
import type { Request, Response } from "express";
import { esc, link } from "../html/page.ts";
import { origin, SERVICES } from "../reconcile/services.ts";
import type { ServiceId } from "../../reconcile/types.ts";
import type { ServiceState } from "../state.ts";
import type { Bilingual } from "../html/i18n.ts";
import { sendPage, translator, type Lang } from "../html/layout.ts";

const ORDER: ServiceId[] = ["all", "uai", "rnsr", "siret", "wikidata", "ror"];

const WHAT: Record<ServiceId, Bilingual> = {
  all: { fr: "Tous les référentiels : le meilleur choix si la colonne mélange universités, laboratoires et établissements étrangers. Les identifiants écrits sont des URI d'entités.", en: "Every referential: the best choice when the column mixes universities, laboratories and foreign institutions. The ids written are entity URIs." },
  uai: { fr: "Établissements d'enseignement supérieur et de l'éducation ; écrit les codes UAI (0751717J).", en: "Higher-education and education establishments; writes UAI codes (0751717J)." },
  rnsr: { fr: "Structures de recherche publiques ; écrit les numéros RNSR (199811842K).", en: "Public research structures; writes RNSR numbers (199811842K)." },
  siret: { fr: "Établissements Sirene de l'enseignement et de la recherche ; écrit les SIRET (19751717000019).", en: "Sirene establishments of education and research; writes SIRET numbers (19751717000019)." },
  wikidata: { fr: "Éléments Wikidata ; écrit les QID (Q999763).", en: "Wikidata items; writes QIDs (Q999763)." },
  ror: { fr: "Organisations de recherche du monde entier ; écrit les identifiants ROR (002t25c44).", en: "Research organisations worldwide; writes ROR ids (002t25c44)." },
};

const NAMES: Record<ServiceId, Bilingual> = {
  all: { fr: "Tous les référentiels", en: "All referentials" },
  uai: { fr: "UAI", en: "UAI" },
  rnsr: { fr: "RNSR", en: "RNSR" },
  siret: { fr: "SIRET", en: "SIRET" },
  wikidata: { fr: "Wikidata", en: "Wikidata" },
  ror: { fr: "ROR", en: "ROR" },
};

function body(origin: string, lang: Lang): string {
  const t = translator(lang);
  const copy = t({ fr: "Copier", en: "Copy" });
  const rows = ORDER.map((id) => {
    const url = origin + SERVICES[id].path;
    const field = `service-${id}`;
    return `<h3 id="${field}-title">${esc(t(NAMES[id]))}</h3>
<p class="muted">${esc(t(WHAT[id]))}</p>
<div class="copy-row"><label class="sr-only" for="${field}">${esc(t({ fr: `Adresse du service ${NAMES[id].fr}`, en: `URL of the ${NAMES[id].en} service` }))}</label>
<input type="text" id="${field}" class="service-url" value="${esc(url)}" readonly>
<button type="button" class="secondary" data-copy="${field}" aria-describedby="${field}-title" hidden>${esc(copy)}</button></div>`;
  }).join("\n");
  const kbd = (s: string) => `<kbd>${esc(s)}</kbd>`;
  const steps = lang === "fr"
    ? [
        `Dans OpenRefine, ouvrez le menu de la colonne des noms, puis ${kbd("Réconcilier")} → ${kbd("Commencer la réconciliation…")} (<span lang="en">Reconcile → Start reconciling…</span>).`,
        `Cliquez ${kbd("Ajouter un service standard…")} (<span lang="en">Add standard service…</span>), collez l'une des adresses ci-dessus, puis ${kbd("Ajouter le service")}.`,
        `Choisissez un type (Université, Structure de recherche…) ou « Réconcilier sans type ».`,
        `Pour départager les homonymes, associez d'autres colonnes aux propriétés : ${["city", "postcode", "country", "acronym", "website", "uai", "siren", "siret", "rnsr", "wikidata", "ror"].map((p) => `<code>${p}</code>`).join(", ")}.`,
        `Lancez ${kbd("Commencer la réconciliation")}. Les correspondances sûres sont validées d'office ; pour les autres, survolez un candidat pour son aperçu et cochez le bon.`,
        `Extension de données : menu de la colonne réconciliée → ${kbd("Modifier la colonne")} → ${kbd("Ajouter des colonnes à partir des valeurs réconciliées…")} (<span lang="en">Edit column → Add columns from reconciled values…</span>) : UAI, SIREN, SIRET, RNSR, Wikidata, ROR, ville, pays, site web, tutelles, successeurs…`,
      ]
    : [
        `In OpenRefine, open the menu of the column of names, then ${kbd("Reconcile")} → ${kbd("Start reconciling…")}.`,
        `Click ${kbd("Add standard service…")}, paste one of the URLs above, then ${kbd("Add service")}.`,
        `Pick a type (University, Research structure…) or “Reconcile against no particular type”.`,
        `To tell namesakes apart, map other columns to the properties: ${["city", "postcode", "country", "acronym", "website", "uai", "siren", "siret", "rnsr", "wikidata", "ror"].map((p) => `<code>${p}</code>`).join(", ")}.`,
        `Click ${kbd("Start reconciling")}. Sure matches are accepted automatically; for the others, hover a candidate to preview it and tick the right one.`,
        `Data extension: menu of the reconciled column → ${kbd("Edit column")} → ${kbd("Add columns from reconciled values…")}: UAI, SIREN, SIRET, RNSR, Wikidata, ROR, city, country, website, parent organisations, successors…`,
      ];
  return `<h1>${esc(t({ fr: "Réconcilier dans OpenRefine", en: "Reconcile in OpenRefine" }))}</h1>
<p class="lead">${esc(t({
    fr: "refx est un service de réconciliation standard (API de réconciliation du W3C, versions 0.2 et 1.0-draft) : OpenRefine l'utilise pour rapprocher une colonne de noms d'établissements des référentiels et y ajouter leurs identifiants.",
    en: "refx is a standard reconciliation service (W3C Reconciliation API, versions 0.2 and 1.0-draft): OpenRefine uses it to match a column of establishment names against the referentials and add their identifiers.",
  }))}</p>
<section aria-labelledby="urls-title">
<h2 id="urls-title">${esc(t({ fr: "Adresses des services", en: "Service URLs" }))}</h2>
<p>${esc(t({ fr: "Copiez l'adresse du service voulu ; chacune écrit dans la colonne les identifiants de son référentiel. Un client de la version 1.0-draft ajoute /v1 à l'adresse.", en: "Copy the URL of the service you want; each writes its referential's identifiers in the column. A client of version 1.0-draft adds /v1 to the URL." }))}</p>
${rows}
<p id="copy-status" class="hint" role="status" aria-live="polite" data-copied="${esc(t({ fr: "Adresse copiée : {url}", en: "URL copied: {url}" }))}" data-failed="${esc(t({ fr: "Copie impossible : sélectionnez l'adresse et copiez-la (Ctrl+C).", en: "Could not copy: select the URL and copy it (Ctrl+C)." }))}"></p>
</section>
<section aria-labelledby="howto-title">
<h2 id="howto-title">${esc(t({ fr: "Mode d'emploi", en: "How to" }))}</h2>
<ol class="steps">${steps.map((s) => `<li>${s}</li>`).join("\n")}</ol>
<p>${esc(t({ fr: "Détails de l'API (propriétés, aperçus, suggestions, extension) :", en: "API details (properties, previews, suggestions, extension):" }))} ${link(SERVICES.all.path, t({ fr: "manifeste du service", en: "service manifest" }))}.</p>
</section>`;
}

/** GET /openrefine */
export function openRefinePage(state: ServiceState) {
  return (req: Request, res: Response) => {
    const o = origin(req, state.config.base);
    sendPage(req, res, (lang) => ({
      title: "OpenRefine",
      current: "openrefine",
      body: body(o, lang),
      scripts: ["/assets/web/copy.js"],
    }));
  };
}
