// The HTML page of an entity: what a person following its URI wants to see
// first (name, identifiers, equivalents, address, parents and children), then
// every statement with its source, and each source's provenance and licence.
import type { Quad } from "n3";
import { ADMS, ADMS_STATUS_WITHDRAWN, DCTERMS, GEO, ORG, PREFIXES, RDF, RDFS, SCHEMA, SKOS } from "../../vocab/namespaces.ts";
import { parseEntityUri, SCHEMES, type Scheme } from "../../vocab/identifiers.ts";
import type { Description } from "./describe.ts";
import { esc, link, page } from "./html.ts";

export interface Alternate {
  href: string;
  type: string;
  label: string;
}

/** Where a URI leads on this server: refx's own URIs by path (so any host works), others to /describe. */
export function localHref(base: string, uri: string): string {
  if (uri.startsWith(base + "/")) return uri.slice(base.length);
  return `/describe?uri=${encodeURIComponent(uri)}`;
}

function short(uri: string): string {
  for (const [p, ns] of Object.entries(PREFIXES)) if (uri.startsWith(ns) && uri.length > ns.length) return `${p}:${uri.slice(ns.length)}`;
  return uri;
}

const ID_PROPERTIES: [string, Scheme][] = (Object.values(SCHEMES) as { scheme: Scheme; wikidataProperty: string }[])
  .filter((s) => s.wikidataProperty)
  .map((s) => [PREFIXES.wdt + s.wikidataProperty, s.scheme]);

const PARENTS = [SCHEMA.parentOrganization, ORG.subOrganizationOf, ORG.siteOf];
const CHILDREN_OUT = [ORG.hasSubOrganization, ORG.hasSite, ORG.hasPrimarySite, SCHEMA.subOrganization];
const CHILDREN_IN = [SCHEMA.parentOrganization, ORG.subOrganizationOf, ORG.siteOf];

export function entityHtml(d: Description, base: string, alternates: Alternate[]): string {
  const about = d.own.filter((q) => q.subject.value === d.uri);
  const values = (p: string, subject = d.uri) => d.own.filter((q) => q.subject.value === subject && q.predicate.value === p);
  const uniq = (qs: Quad[]) => [...new Map(qs.map((q) => [q.object.id, q])).values()];
  const label = d.labels.get(d.uri) ?? parseEntityUri(base, d.uri)?.id ?? d.uri;
  const entityLink = (uri: string) => {
    const l = d.labels.get(uri);
    const parsed = parseEntityUri(base, uri);
    const tag = parsed ? `<span class="tag">${esc(SCHEMES[parsed.scheme].label)} ${esc(parsed.id)}</span>` : "";
    return `${tag}${link(localHref(base, uri), l ?? uri)}`;
  };
  const lit = (q: Quad) => (q.object.termType === "Literal" && (q.object as { language?: string }).language ? `${esc(q.object.value)} <span class="muted">@${esc((q.object as { language: string }).language)}</span>` : esc(q.object.value));
  const rowsOf = (items: [string, string][]) => items.filter(([, v]) => v).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join("\n");
  const parts: string[] = [];

  const types = uniq(values(RDF.type)).map((q) => `<span class="tag">${esc(short(q.object.value))}</span>`).join("");
  const withdrawn = values(ADMS.status).some((q) => q.object.value === ADMS_STATUS_WITHDRAWN);
  parts.push(`<h1>${esc(label)}</h1>\n<p class="uri">${esc(d.uri)}</p>\n<p>${types}${withdrawn ? ' <span class="tag">closed / withdrawn</span>' : ""}</p>`);

  // Names
  parts.push(`<h2>Names</h2>\n<table>${rowsOf([
    ["Preferred", uniq(values(SKOS.prefLabel)).map(lit).join("<br>")],
    ["Other names", uniq(values(SKOS.altLabel)).map(lit).join("<br>")],
    ["Acronyms", uniq(values(SCHEMA.alternateName)).map(lit).join(", ")],
    ["Unit codes", uniq(values(SKOS.notation)).map(lit).join(", ")],
    ["Kind", uniq(values(SCHEMA.additionalType)).map(lit).join(", ")],
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
    return `<tr><th>${esc(info.label)}</th><td><code>${esc(id)}</code> · ${link(registry, "registry")}${uri ? ` · ${link(localHref(base, uri), "refx")}` : ""}</td></tr>`;
  });
  parts.push(`<h2>Identifiers</h2>\n<table>${idRows.join("\n") || '<tr><td class="muted">none</td></tr>'}</table>`);

  // Equivalents
  parts.push(`<h2>Same as</h2>\n${d.sameAs.length ? `<ul>${d.sameAs.map((u) => `<li>${entityLink(u)}${d.labels.has(u) ? ` <span class="uri">${link(u, u)}</span>` : ""}</li>`).join("\n")}</ul>` : '<p class="muted">No equivalent in the other sources.</p>'}`);

  // Address and place
  const addresses = uniq(values(SCHEMA.address)).map((q) => q.object.value);
  const addressHtml = addresses.map((a) => {
    const v = (p: string) => uniq(values(p, a)).map((q) => esc(q.object.value)).join(", ");
    return [v(SCHEMA.streetAddress), [v(SCHEMA.postalCode), v(SCHEMA.addressLocality)].filter(Boolean).join(" "), v(SCHEMA.addressRegion), v(SCHEMA.addressCountry)].filter(Boolean).join("<br>");
  });
  const lat = values(GEO.lat)[0]?.object.value;
  const long = values(GEO.long)[0]?.object.value;
  parts.push(`<h2>Address</h2>\n<table>${rowsOf([
    ["Address", addressHtml.join("<hr>")],
    ["Coordinates", lat && long ? `${esc(lat)}, ${esc(long)} · ${link(`https://www.openstreetmap.org/?mlat=${encodeURIComponent(lat)}&mlon=${encodeURIComponent(long)}#map=15/${encodeURIComponent(lat)}/${encodeURIComponent(long)}`, "map")}` : ""],
    ["Academy / place", uniq(values(SCHEMA.containedInPlace)).map((q) => entityLink(q.object.value)).join("<br>")],
    ["Web site", uniq(values(SCHEMA.url)).map((q) => link(q.object.value)).join("<br>")],
    ["See also", uniq(values(RDFS.seeAlso)).map((q) => link(q.object.value)).join("<br>")],
    ["Founded", uniq(values(SCHEMA.foundingDate)).map(lit).join(", ")],
    ["Dissolved", uniq(values(SCHEMA.dissolutionDate)).map(lit).join(", ")],
  ]) || '<tr><td class="muted">none</td></tr>'}</table>`);

  // Organisations around it
  const list = (uris: string[]) => {
    const u = [...new Set(uris)];
    const shown = u.slice(0, 300).map((x) => `<li>${entityLink(x)}</li>`).join("\n");
    return u.length ? `<ul>${shown}</ul>${u.length > 300 ? `<p class="muted">and ${u.length - 300} more (query them at /sparql)</p>` : ""}` : '<p class="muted">none</p>';
  };
  const parents = about.filter((q) => PARENTS.includes(q.predicate.value)).map((q) => q.object.value);
  const children = [
    ...about.filter((q) => CHILDREN_OUT.includes(q.predicate.value)).map((q) => q.object.value),
    ...d.incoming.filter((q) => CHILDREN_IN.includes(q.predicate.value)).map((q) => q.subject.value),
  ];
  const related = [...about.filter((q) => q.predicate.value === ORG.linkedTo).map((q) => q.object.value), ...d.incoming.filter((q) => q.predicate.value === ORG.linkedTo).map((q) => q.subject.value)];
  parts.push(`<h2>Parent organisations</h2>\n${list(parents)}`);
  parts.push(`<h2>Child organisations</h2>\n${list(children)}`);
  if (related.length) parts.push(`<h2>Linked organisations</h2>\n${list(related)}`);
  const contained = d.incoming.filter((q) => q.predicate.value === SCHEMA.containedInPlace).map((q) => q.subject.value);
  if (contained.length) parts.push(`<h2>Establishments in this place</h2>\n${list(contained)}`);
  const before = [...values(DCTERMS.replaces).map((q) => q.object.value), ...d.incoming.filter((q) => q.predicate.value === DCTERMS.isReplacedBy).map((q) => q.subject.value)];
  const after = [...values(DCTERMS.isReplacedBy).map((q) => q.object.value), ...d.incoming.filter((q) => q.predicate.value === DCTERMS.replaces).map((q) => q.subject.value)];
  if (before.length || after.length) parts.push(`<h2>History</h2>\n<table>${rowsOf([["Predecessors", list(before)], ["Successors", list(after)]])}</table>`);

  // Every statement with its graph: nothing the store holds is hidden.
  const graphTitle = new Map(d.graphs.map((g) => [g.graph, g.title ?? g.graph]));
  const cell = (q: Quad) => (q.object.termType === "NamedNode" ? entityLinkOrPlain(q.object.value) : lit(q));
  const entityLinkOrPlain = (u: string) => (d.labels.has(u) || u.startsWith(base + "/") ? entityLink(u) : link(u));
  const statements = [...d.own, ...d.incoming].map((q) => {
    const subj = q.subject.value === d.uri ? "" : q.subject.value.startsWith(d.uri + "#") ? `<code>${esc(q.subject.value.slice(d.uri.length))}</code>` : entityLink(q.subject.value);
    return `<tr><td>${subj}</td><td><code>${esc(short(q.predicate.value))}</code></td><td>${q.object.value === d.uri ? "<em>this</em>" : cell(q)}</td><td class="muted">${esc(graphTitle.get(q.graph.value) ?? q.graph.value.replace(/^.*\/graph\//, ""))}</td></tr>`;
  });
  parts.push(`<h2>All statements</h2>\n<details><summary>${statements.length} statements, with their source</summary>\n<table><tr><th>subject</th><th>property</th><th>value</th><th>source</th></tr>\n${statements.join("\n")}</table></details>`);

  // Provenance and licence of each source
  const sources = d.graphs.map((g) => `<tr><th>${esc(g.title ?? g.graph)}</th><td>${[
    g.publisher ? `Publisher: ${esc(g.publisher)}` : "",
    g.licence ? `Licence: ${link(g.licence, g.licenceLabel ?? g.licence)}` : "",
    g.landingPage ? `Source: ${link(g.landingPage)}` : "",
    g.modified ? `File dated ${esc(g.modified.slice(0, 10))}` : "",
    g.loaded ? `loaded ${esc(g.loaded.slice(0, 19).replace("T", " "))} UTC` : "",
    `Graph ${link(localHref(base, g.graph), g.graph)}`,
  ].filter(Boolean).join("<br>")}</td></tr>`);
  parts.push(`<h2>Sources, provenance and licences</h2>\n<table>${sources.join("\n")}</table>`);

  parts.push(`<h2>Machine-readable</h2>\n<p>${alternates.map((a) => link(a.href, a.label)).join(" · ")}</p>\n<p class="muted">The same URI answers each format by content negotiation (<code>Accept</code>).</p>`);
  return page({ title: label, alternates: alternates.map((a) => [a.href, a.type]), body: parts.join("\n") });
}

