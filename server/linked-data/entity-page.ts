// The HTML page of an entity: what a person following its URI wants to see
// first (name in each language, identifiers, equivalents, address and map,
// tutelles, parents and children, history), then every statement with its
// source, and each source's provenance and licence. French by default,
// English on request (server/html/i18n.ts).
import type { Quad } from "n3";
import { ADMS, ADMS_STATUS_WITHDRAWN, DCTERMS, GEO, ORG, PREFIXES, RDF, RDFS, SCHEMA, SKOS } from "../../vocab/namespaces.ts";
import { parseEntityUri, SCHEMES, type Scheme } from "../../vocab/identifiers.ts";
import type { Bilingual } from "../html/i18n.ts";
import { countryName, entityPath, formatDate, languageName, translator, type Lang, type T } from "../html/layout.ts";
import { mapTiles, osmLink, type TileConfig } from "../html/map-tiles.ts";
import type { Description } from "../../app/describe.ts";
import { esc, link, page } from "../html/page.ts";

export interface Alternate {
  href: string;
  type: string;
  label: string;
}

export interface EntityPageOptions {
  lang?: Lang;
  /** The request's path and query, for the language switch. */
  path?: string;
  /** Base map; read from the environment when absent (server/html/map-tiles.ts). */
  tiles?: TileConfig | null;
}

/** Where a URI leads on this server: refx's own URIs by path (so any host works), others to /describe. */
export const localHref = entityPath;

function short(uri: string): string {
  for (const [p, ns] of Object.entries(PREFIXES)) if (uri.startsWith(ns) && uri.length > ns.length) return `${p}:${uri.slice(ns.length)}`;
  return uri;
}

const ID_PROPERTIES: [string, Scheme][] = (Object.values(SCHEMES) as { scheme: Scheme; wikidataProperty: string }[])
  .filter((s) => s.wikidataProperty)
  .map((s) => [PREFIXES.wdt + s.wikidataProperty, s.scheme]);

/** How each relation reads next to the organisation it leads to. */
const REL = {
  tutelle: { fr: "tutelle", en: "supervising body" },
  parent: { fr: "structure parente", en: "parent structure" },
  legalUnit: { fr: "unité légale", en: "legal unit" },
  underTutelle: { fr: "sous sa tutelle", en: "under its supervision" },
  sub: { fr: "sous-structure", en: "sub-unit" },
  site: { fr: "établissement (site)", en: "site" },
  partner: { fr: "partenaire", en: "partner" },
} satisfies Record<string, Bilingual>;

const PARENTS_OUT: [string, Bilingual][] = [[SCHEMA.parentOrganization, REL.tutelle], [ORG.subOrganizationOf, REL.parent], [ORG.siteOf, REL.legalUnit]];
const CHILDREN_OUT: [string, Bilingual][] = [[ORG.hasSubOrganization, REL.sub], [SCHEMA.subOrganization, REL.sub], [ORG.hasSite, REL.site], [ORG.hasPrimarySite, REL.site]];
const CHILDREN_IN: [string, Bilingual][] = [[SCHEMA.parentOrganization, REL.underTutelle], [ORG.subOrganizationOf, REL.sub], [ORG.siteOf, REL.site]];

const H = {
  closed: { fr: "fermé / retiré", en: "closed / withdrawn" },
  names: { fr: "Noms", en: "Names" },
  preferred: { fr: "nom principal", en: "preferred name" },
  acronyms: { fr: "Sigles", en: "Acronyms" },
  unitCodes: { fr: "Codes d'unité", en: "Unit codes" },
  kind: { fr: "Nature", en: "Kind" },
  description: { fr: "Description", en: "Description" },
  identifiers: { fr: "Identifiants", en: "Identifiers" },
  registry: { fr: "registre", en: "registry" },
  none: { fr: "aucun", en: "none" },
  noOrg: { fr: "aucune", en: "none" },
  sameAs: { fr: "Équivalents dans les autres référentiels", en: "Same as" },
  noSameAs: { fr: "Aucun équivalent dans les autres sources.", en: "No equivalent in the other sources." },
  address: { fr: "Adresse et localisation", en: "Address" },
  addressRow: { fr: "Adresse", en: "Address" },
  coordinates: { fr: "Coordonnées", en: "Coordinates" },
  academy: { fr: "Académie / lieu", en: "Academy / place" },
  website: { fr: "Site web", en: "Web site" },
  seeAlso: { fr: "Voir aussi", en: "See also" },
  onOsm: { fr: "voir sur openstreetmap.org", en: "see on openstreetmap.org" },
  parents: { fr: "Tutelles et organisations parentes", en: "Parent organisations" },
  children: { fr: "Organisations rattachées", en: "Child organisations" },
  linked: { fr: "Organisations liées", en: "Linked organisations" },
  contained: { fr: "Établissements de ce lieu", en: "Establishments in this place" },
  history: { fr: "Dates et historique", en: "Dates and history" },
  founded: { fr: "Création", en: "Founded" },
  dissolved: { fr: "Fermeture", en: "Dissolved" },
  predecessors: { fr: "Prédécesseurs (anciens noms et codes)", en: "Predecessors (former names and codes)" },
  successors: { fr: "Successeurs", en: "Successors" },
  statements: { fr: "Toutes les déclarations", en: "All statements" },
  statementsSummary: { fr: "{n} déclarations, avec leur source", en: "{n} statements, with their source" },
  subject: { fr: "sujet", en: "subject" },
  property: { fr: "propriété", en: "property" },
  value: { fr: "valeur", en: "value" },
  source: { fr: "source", en: "source" },
  thisEntity: { fr: "cette entité", en: "this" },
  sources: { fr: "Sources, provenance et licences", en: "Sources, provenance and licences" },
  publisher: { fr: "Éditeur", en: "Publisher" },
  licence: { fr: "Licence", en: "Licence" },
  sourcePage: { fr: "Source", en: "Source" },
  fileDated: { fr: "Fichier daté du", en: "File dated" },
  loaded: { fr: "chargé le", en: "loaded" },
  graph: { fr: "Graphe", en: "Graph" },
  machine: { fr: "Formats lisibles par machine", en: "Machine-readable" },
  negotiation: { fr: "La même URI sert chaque format par négociation de contenu (en-tête Accept).", en: "The same URI answers each format by content negotiation (Accept)." },
  more: { fr: "et {n} autres (interrogez-les sur /sparql)", en: "and {n} more (query them at /sparql)" },
  map: { fr: "Carte de la position de {name}", en: "Map of the position of {name}" },
  mapNoTiles: {
    fr: "Fond de carte indisponible : les tuiles OpenStreetMap ne peuvent pas être chargées ici. Position : {coords}.",
    en: "Base map unavailable: OpenStreetMap tiles cannot be loaded here. Position: {coords}.",
  },
} satisfies Record<string, Bilingual>;

const fill = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(v[k] ?? ""));

function literalLang(q: Quad): string {
  return q.object.termType === "Literal" ? ((q.object as { language?: string }).language ?? "").toLowerCase() : "";
}

/** Names grouped by language: the reader's language first, then French, English, the others, and untagged last. */
function namesByLanguage(prefs: Quad[], others: Quad[], lang: Lang, t: T): string {
  const groups = new Map<string, { pref: string[]; other: string[] }>();
  const add = (q: Quad, kind: "pref" | "other") => {
    const l = literalLang(q);
    const g = groups.get(l) ?? { pref: [], other: [] };
    if (!g.pref.includes(q.object.value) && !g.other.includes(q.object.value)) g[kind].push(q.object.value);
    groups.set(l, g);
  };
  for (const q of prefs) add(q, "pref");
  for (const q of others) add(q, "other");
  const rank = (l: string) => (l === lang ? 0 : l === "fr" ? 1 : l === "en" ? 2 : l === "" ? 4 : 3);
  const tags = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return tags.map((l) => {
    const g = groups.get(l)!;
    const attr = l && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(l) ? ` lang="${esc(l)}"` : "";
    const name = languageName(l, lang);
    const items = [
      ...g.pref.map((v) => `<li><strong${attr}>${esc(v)}</strong> <span class="rel">${esc(t(H.preferred))}</span></li>`),
      ...g.other.map((v) => `<li${attr}>${esc(v)}</li>`),
    ];
    return `<tr><th scope="row">${esc(name.charAt(0).toUpperCase() + name.slice(1))}${l ? ` <span class="muted">(${esc(l)})</span>` : ""}</th><td><ul class="plain">${items.join("")}</ul></td></tr>`;
  }).join("\n");
}

function mapFigure(name: string, lat: string, long: string, tiles: TileConfig | undefined, t: T, colon: string): string {
  const coords = `${lat}, ${long}`;
  const osm = osmLink(lat, long);
  // Without JS, or when the tiles fail, the coordinates and the link are the map.
  return `<figure class="entity-map" data-lat="${esc(lat)}" data-long="${esc(long)}" data-label="${esc(fill(t(H.map), { name }))}"
 data-tiles="${esc(tiles?.url ?? "")}" data-attribution="${esc(tiles?.attribution ?? "")}" data-osm="${esc(osm)}" data-osm-text="${esc(t(H.onOsm))}"
 data-no-tiles="${esc(fill(t(H.mapNoTiles), { coords }))}">
<figcaption class="map-coords">${esc(t(H.coordinates))} (WGS 84)${colon}<span class="coords">${esc(coords)}</span> · ${link(osm, t(H.onOsm))}</figcaption>
</figure>`;
}

export function entityHtml(d: Description, base: string, alternates: Alternate[], opts: EntityPageOptions = {}): string {
  const lang: Lang = opts.lang ?? "fr";
  const t = translator(lang);
  const tiles = opts.tiles === null ? undefined : (opts.tiles ?? mapTiles());
  const about = d.own.filter((q) => q.subject.value === d.uri);
  const values = (p: string, subject = d.uri) => d.own.filter((q) => q.subject.value === subject && q.predicate.value === p);
  const uniq = (qs: Quad[]) => [...new Map(qs.map((q) => [q.object.id, q])).values()];
  const label = d.labels.get(d.uri) ?? parseEntityUri(base, d.uri)?.id ?? d.uri;
  const entityLink = (uri: string) => {
    const l = d.labels.get(uri);
    const parsed = parseEntityUri(base, uri);
    const tag = parsed ? `<span class="tag">${esc(SCHEMES[parsed.scheme].label)} ${esc(parsed.id)}</span>` : "";
    // An entity no source names (a former UAI code) is shown by its identifier alone.
    if (parsed && !l) return link(localHref(base, uri), `${SCHEMES[parsed.scheme].label} ${parsed.id}`);
    return `${tag}${link(localHref(base, uri), l ?? uri)}`;
  };
  const lit = (q: Quad) => {
    const l = literalLang(q);
    return l ? `${esc(q.object.value)} <span class="muted">@${esc(l)}</span>` : esc(q.object.value);
  };
  const rowsOf = (items: [string, string][]) => items.filter(([, v]) => v).map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join("\n");
  const none = `<p class="muted">${esc(t(H.noOrg))}</p>`;
  const colon = lang === "fr" ? " : " : ": ";
  const parts: string[] = [];

  const types = uniq(values(RDF.type)).map((q) => `<span class="tag">${esc(short(q.object.value))}</span>`).join("");
  const withdrawn = values(ADMS.status).some((q) => q.object.value === ADMS_STATUS_WITHDRAWN);
  // The display label is the French name first (labelsOf); say its language when the page speaks another.
  const labelLang = [...values(SKOS.prefLabel), ...values(SCHEMA.name)].find((q) => q.object.value === label);
  const h1Lang = labelLang && literalLang(labelLang) && literalLang(labelLang) !== lang ? ` lang="${esc(literalLang(labelLang))}"` : "";
  parts.push(`<h1${h1Lang}>${esc(label)}</h1>\n<p class="uri">${esc(d.uri)}</p>\n<p>${types}${withdrawn ? ` <span class="tag closed">${esc(t(H.closed))}</span>` : ""}</p>`);

  // Names, grouped by language; acronyms and codes have none.
  const nameRows = namesByLanguage([...values(SKOS.prefLabel), ...values(SCHEMA.name)], values(SKOS.altLabel), lang, t);
  parts.push(`<h2>${esc(t(H.names))}</h2>\n<table class="kv">${nameRows}\n${rowsOf([
    [t(H.acronyms), uniq(values(SCHEMA.alternateName)).map(lit).join(", ")],
    [t(H.unitCodes), uniq(values(SKOS.notation)).map(lit).join(", ")],
    [t(H.kind), uniq(values(SCHEMA.additionalType)).map((q) => esc(q.object.value)).join(", ")],
    [t(H.description), uniq(values(DCTERMS.description)).filter((q) => [lang, ""].includes(literalLang(q))).map((q) => esc(q.object.value)).join("<br>")],
  ])}</table>`);

  // Identifiers: the entity's own (from its URI), then every identifier literal, each with its registry.
  const ids = new Map<string, [Scheme, string]>();
  const self = parseEntityUri(base, d.uri);
  if (self) ids.set(`${self.scheme}:${self.id}`, [self.scheme, self.id]);
  for (const [p, scheme] of ID_PROPERTIES) for (const q of values(p)) ids.set(`${scheme}:${q.object.value}`, [scheme, q.object.value]);
  for (const uri of d.sameAs) {
    const s = parseEntityUri(base, uri);
    if (s) ids.set(`${s.scheme}:${s.id}`, [s.scheme, s.id]);
  }
  const idRows = [...ids.values()].map(([scheme, id]) => {
    const info = SCHEMES[scheme];
    const registry = info.registryUrl.replace("{id}", encodeURIComponent(id));
    const uri = info.ownEntities || scheme === "wikidata" || scheme === "ror" ? (scheme === "wikidata" ? PREFIXES.wd + id : scheme === "ror" ? `https://ror.org/${id}` : `${base}/id/${scheme}/${id}`) : undefined;
    return `<tr><th scope="row">${esc(info.label)}</th><td><code>${esc(id)}</code> · ${link(registry, t(H.registry))}${uri ? ` · ${link(localHref(base, uri), "refx")}` : ""}</td></tr>`;
  });
  parts.push(`<h2>${esc(t(H.identifiers))}</h2>\n<table class="kv">${idRows.join("\n") || `<tr><td class="muted">${esc(t(H.none))}</td></tr>`}</table>`);

  // Equivalents
  parts.push(`<h2>${esc(t(H.sameAs))}</h2>\n${d.sameAs.length ? `<ul>${d.sameAs.map((u) => `<li>${entityLink(u)}${d.labels.has(u) ? ` <span class="uri">${link(u, u)}</span>` : ""}</li>`).join("\n")}</ul>` : `<p class="muted">${esc(t(H.noSameAs))}</p>`}`);

  // Address and place; the first source that gives coordinates gives both of them (shown under the map).
  const addresses = uniq(values(SCHEMA.address)).map((q) => q.object.value);
  const addressHtml = addresses.map((a) => {
    const v = (p: string) => uniq(values(p, a)).map((q) => esc(q.object.value)).join(", ");
    return [v(SCHEMA.streetAddress), [v(SCHEMA.postalCode), v(SCHEMA.addressLocality)].filter(Boolean).join(" "), v(SCHEMA.addressRegion), uniq(values(SCHEMA.addressCountry, a)).map((q) => esc(countryName(q.object.value, lang))).join(", ")].filter(Boolean).join("<br>");
  });
  const latQ = values(GEO.lat)[0];
  const lat = latQ?.object.value;
  const long = (values(GEO.long).find((q) => q.graph.equals(latQ?.graph)) ?? values(GEO.long)[0])?.object.value;
  const hasPoint = Boolean(lat && long && Number.isFinite(Number(lat)) && Number.isFinite(Number(long)));
  parts.push(`<h2>${esc(t(H.address))}</h2>\n<table class="kv">${rowsOf([
    [t(H.addressRow), addressHtml.join("<hr>")],
    [t(H.academy), uniq(values(SCHEMA.containedInPlace)).map((q) => entityLink(q.object.value)).join("<br>")],
    [t(H.website), uniq(values(SCHEMA.url)).map((q) => link(q.object.value)).join("<br>")],
    [t(H.seeAlso), uniq(values(RDFS.seeAlso)).map((q) => link(q.object.value)).join("<br>")],
  ]) || `<tr><td class="muted">${esc(t(H.none))}</td></tr>`}</table>${hasPoint ? `\n${mapFigure(label, lat!, long!, tiles, t, colon)}` : ""}`);

  // Organisations around it, each with how it relates to this one.
  const related = new Map<string, Set<string>>();
  const relate = (bucket: Map<string, Set<string>>, uri: string, rel: Bilingual) => bucket.set(uri, (bucket.get(uri) ?? new Set()).add(t(rel)));
  const list = (bucket: Map<string, Set<string>>) => {
    const u = [...bucket];
    const shown = u.slice(0, 300).map(([x, rels]) => `<li>${entityLink(x)}${rels.size ? ` <span class="rel">${esc([...rels].join(", "))}</span>` : ""}</li>`).join("\n");
    return u.length ? `<ul>${shown}</ul>${u.length > 300 ? `<p class="muted">${esc(fill(t(H.more), { n: u.length - 300 }))}</p>` : ""}` : none;
  };
  const parents = new Map<string, Set<string>>();
  for (const [p, rel] of PARENTS_OUT) for (const q of about) if (q.predicate.value === p) relate(parents, q.object.value, rel);
  const children = new Map<string, Set<string>>();
  for (const [p, rel] of CHILDREN_OUT) for (const q of about) if (q.predicate.value === p) relate(children, q.object.value, rel);
  for (const [p, rel] of CHILDREN_IN) for (const q of d.incoming) if (q.predicate.value === p) relate(children, q.subject.value, rel);
  for (const q of about) if (q.predicate.value === ORG.linkedTo) relate(related, q.object.value, REL.partner);
  for (const q of d.incoming) if (q.predicate.value === ORG.linkedTo) relate(related, q.subject.value, REL.partner);
  parts.push(`<h2>${esc(t(H.parents))}</h2>\n${list(parents)}`);
  parts.push(`<h2>${esc(t(H.children))}</h2>\n${list(children)}`);
  if (related.size) parts.push(`<h2>${esc(t(H.linked))}</h2>\n${list(related)}`);
  const contained = new Map<string, Set<string>>();
  for (const q of d.incoming) if (q.predicate.value === SCHEMA.containedInPlace) contained.set(q.subject.value, new Set());
  if (contained.size) parts.push(`<h2>${esc(t(H.contained))}</h2>\n${list(contained)}`);

  // Dates and history: founding and closing dates, then predecessors (former
  // codes and names) with the kind and year of the change when a source dates it.
  const changes = new Map<string, string>();
  for (const ev of values(ORG.resultedFrom)) {
    const e = ev.object.value;
    const original = values(ORG.originalOrganization, e)[0]?.object.value;
    if (!original) continue;
    const kind = values(DCTERMS.type, e).map((q) => q.object.value.trim()).filter(Boolean)[0];
    const date = values(DCTERMS.date, e)[0]?.object.value;
    changes.set(original, [kind, date].filter(Boolean).join(", "));
  }
  const before = new Map<string, Set<string>>();
  for (const q of values(DCTERMS.replaces)) before.set(q.object.value, new Set(changes.get(q.object.value) ? [changes.get(q.object.value)!] : []));
  for (const q of d.incoming) if (q.predicate.value === DCTERMS.isReplacedBy && !before.has(q.subject.value)) before.set(q.subject.value, new Set());
  const after = new Map<string, Set<string>>();
  for (const q of values(DCTERMS.isReplacedBy)) after.set(q.object.value, new Set());
  for (const q of d.incoming) if (q.predicate.value === DCTERMS.replaces) after.set(q.subject.value, new Set());
  const dates = (p: string) => uniq(values(p)).map((q) => `<time datetime="${esc(q.object.value)}">${esc(/^\d{4}-\d{2}-\d{2}/.test(q.object.value) ? formatDate(q.object.value, lang) : q.object.value)}</time>`).join(", ");
  const historyRows = rowsOf([
    [t(H.founded), dates(SCHEMA.foundingDate)],
    [t(H.dissolved), dates(SCHEMA.dissolutionDate)],
    [t(H.predecessors), before.size ? list(before) : ""],
    [t(H.successors), after.size ? list(after) : ""],
  ]);
  if (historyRows) parts.push(`<h2>${esc(t(H.history))}</h2>\n<table class="kv">${historyRows}</table>`);

  // Every statement with its graph: nothing the store holds is hidden.
  const graphTitle = new Map(d.graphs.map((g) => [g.graph, g.title ?? g.graph]));
  const entityLinkOrPlain = (u: string) => (d.labels.has(u) || u.startsWith(base + "/") ? entityLink(u) : link(u));
  const cell = (q: Quad) => (q.object.termType === "NamedNode" ? entityLinkOrPlain(q.object.value) : lit(q));
  const statements = [...d.own, ...d.incoming].map((q) => {
    const subj = q.subject.value === d.uri ? "" : q.subject.value.startsWith(d.uri + "#") ? `<code>${esc(q.subject.value.slice(d.uri.length))}</code>` : entityLink(q.subject.value);
    return `<tr><td>${subj}</td><td><code>${esc(short(q.predicate.value))}</code></td><td>${q.object.value === d.uri ? `<em>${esc(t(H.thisEntity))}</em>` : cell(q)}</td><td class="muted">${esc(graphTitle.get(q.graph.value) ?? q.graph.value.replace(/^.*\/graph\//, ""))}</td></tr>`;
  });
  parts.push(`<h2>${esc(t(H.statements))}</h2>\n<details><summary>${esc(fill(t(H.statementsSummary), { n: statements.length }))}</summary>
<div class="scroll" role="region" aria-label="${esc(t(H.statements))}" tabindex="0"><table><tr><th scope="col">${esc(t(H.subject))}</th><th scope="col">${esc(t(H.property))}</th><th scope="col">${esc(t(H.value))}</th><th scope="col">${esc(t(H.source))}</th></tr>
${statements.join("\n")}</table></div></details>`);

  // Provenance and licence of each source
  const sources = d.graphs.map((g) => `<tr><th scope="row">${esc(g.title ?? g.graph)}</th><td>${[
    g.publisher ? `${esc(t(H.publisher))}${colon}${esc(g.publisher)}` : "",
    g.licence ? `${esc(t(H.licence))}${colon}${link(g.licence, g.licenceLabel ?? g.licence)}` : "",
    g.landingPage ? `${esc(t(H.sourcePage))}${colon}${link(g.landingPage)}` : "",
    g.modified ? `${esc(t(H.fileDated))} ${esc(formatDate(g.modified, lang))}` : "",
    g.loaded ? `${esc(t(H.loaded))} ${esc(formatDate(g.loaded, lang, true))}` : "",
    `${esc(t(H.graph))} ${link(localHref(base, g.graph), g.graph)}`,
  ].filter(Boolean).join("<br>")}</td></tr>`);
  parts.push(`<h2>${esc(t(H.sources))}</h2>\n<table class="kv">${sources.join("\n")}</table>`);

  parts.push(`<h2>${esc(t(H.machine))}</h2>\n<p class="formats">${alternates.map((a) => link(a.href, a.label)).join(" · ")}</p>\n<p class="muted">${esc(t(H.negotiation))}</p>`);
  return page({
    title: label,
    lang,
    path: opts.path,
    alternates: alternates.map((a) => [a.href, a.type]),
    body: parts.join("\n"),
    ...(hasPoint ? { stylesheets: ["/assets/vendor/leaflet/leaflet.css"], scripts: ["/assets/vendor/leaflet/leaflet.js", "/assets/web/map.js"] } : {}),
  });
}
