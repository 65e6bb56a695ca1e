// Entity previews: the HTML card OpenRefine shows in an iframe when hovering a
// candidate, and the JSON structured preview of later 1.0 drafts. Names and
// ids come from open data anyone can edit (Wikidata), so every string goes
// through the escaper and only http(s) links are written.
import type { EntityRecord, Related } from "../../reconcile/types.ts";
import { SCHEME_NAMES, SCHEMES } from "../../vocab/identifiers.ts";
import { PREFIXES } from "../../vocab/namespaces.ts";
import { describe, typeRefs } from "../../app/candidates.ts";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const link = (href: string, text: string) =>
  /^https?:\/\//i.test(href) ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>` : escapeHtml(text);

const registryUrl = (scheme: keyof typeof SCHEMES, id: string) => SCHEMES[scheme].registryUrl.replace("{id}", encodeURIComponent(id));

/** Type ids are local names of schema.org or W3C ORG classes. */
const ORG_TYPES = new Set(["FormalOrganization", "Site"]);
export const typeUri = (id: string) => (ORG_TYPES.has(id) ? PREFIXES.org : PREFIXES.schema) + id;

const STYLE =
  "body{font:14px/1.4 system-ui,sans-serif;margin:8px;color:#222}h1{font-size:16px;margin:0 0 2px}" +
  ".d{color:#555;margin:0 0 6px}dl{display:grid;grid-template-columns:max-content 1fr;gap:1px 8px;margin:0}" +
  "dt{color:#666}dd{margin:0;overflow-wrap:anywhere}";

/** Content-Security-Policy of the card: inline style only, no script, no fetch. */
export const PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** One link a related establishment: its URIs in several sources (UAI, Wikidata, ROR) name one place. */
function relatedLinks(list: Related[], clusterOf: (uri: string) => string): string {
  const first = new Map<string, Related>();
  for (const rel of list) {
    const key = clusterOf(rel.uri);
    if (!first.has(key)) first.set(key, rel);
  }
  return [...first.values()].map((p) => link(p.uri, p.name ?? p.id ?? p.uri)).join(", ");
}

export function previewHtml(r: EntityRecord, viewUrl: string, clusterOf: (uri: string) => string): string {
  const rows: [string, string][] = [];
  for (const s of SCHEME_NAMES) {
    const ids = r.identifiers[s] ?? [];
    if (ids.length) rows.push([SCHEMES[s].label, ids.map((id) => link(registryUrl(s, id), id)).join(", ")]);
  }
  const place = [r.postcode, r.city, r.country].filter(Boolean).join(" ");
  if (place) rows.push(["Place", escapeHtml(place)]);
  rows.push(["Type", escapeHtml(typeRefs(r).map((t) => t.name).join(", "))]);
  if (r.kinds.length) rows.push(["Kind", escapeHtml(r.kinds.join(", "))]);
  if (r.foundingDate) rows.push(["Founded", escapeHtml(r.foundingDate)]);
  if (r.dissolutionDate) rows.push(["Dissolved", escapeHtml(r.dissolutionDate)]);
  if (r.parents.length) rows.push(["Parents", relatedLinks(r.parents, clusterOf)]);
  if (r.replacedBy.length) rows.push(["Successor", relatedLinks(r.replacedBy, clusterOf)]);
  if (r.websites.length) rows.push(["Website", r.websites.map((w) => link(w, w)).join(", ")]);
  const description = describe(r);
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(r.name)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${link(viewUrl, r.name)}</h1>`,
    description ? `<p class="d">${escapeHtml(description)}</p>` : "",
    `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join("")}</dl>`,
    "</body></html>",
  ].join("\n");
}

/** The structured preview of 1.0-draft: `{id, name, description, url, tags: [[label, url]]}`. */
export function structuredPreview(r: EntityRecord, viewUrl: string) {
  const description = describe(r);
  return {
    id: r.id,
    name: r.name,
    ...(description ? { description } : {}),
    url: viewUrl,
    tags: typeRefs(r).map((t) => [t.name, typeUri(t.id)]),
  };
}
