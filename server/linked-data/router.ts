// Linked data: every refx URI dereferences, with content negotiation on the
// URI itself (200, Vary: Accept, Link rel=alternate; docs/linked-data.md).
//   /id/{uai,rnsr,siren,siret,academie}/{id}  an entity
//   /describe?uri=<any URI>                   what refx holds about a Wikidata item, a ROR record...
//   /graph/{source}                           a dataset (its DCAT and VoID slice)
//   /catalog                                  the DCAT catalogue
//   /void, /.well-known/void                  VoID statistics
import express, { type Request, type Response, type Router } from "express";
import type { Quad } from "n3";
import { graphUri, SOURCES } from "../../data/sources.ts";
import { MINTED_SCHEMES, normaliseId, SCHEMES, type Scheme } from "../../vocab/identifiers.ts";
import { SERVICE_PREFIXES } from "../../vocab/service.ts";
import { heldServed, type Served, type ServiceState } from "../state.ts";
import { contentType, formatParam, negotiateRdf, NotAcceptable, RDF_EXTENSIONS, RDF_TYPES, type RdfFormat } from "../http/negotiation.ts";
import { catalogDoc, datasetFacts, graphStats, voidDoc, type DatasetFacts } from "./catalog.ts";
import { describe, descriptionQuads, safeIri } from "../../app/describe.ts";
import { entityHtml, type Alternate } from "./entity-page.ts";
import { errorPage, esc, link, page } from "../html/page.ts";
import { writeRdf } from "../../app/rdf.ts";
import { pickLang } from "../html/i18n.ts";

const PAGE_FORMATS: RdfFormat[] = ["turtle", "jsonld", "ntriples", "rdfxml"];
const LABELS: Record<RdfFormat, string> = { turtle: "Turtle", jsonld: "JSON-LD", ntriples: "N-Triples", rdfxml: "RDF/XML", nquads: "N-Quads" };
type PageFormat = "html" | RdfFormat;

/** HTML for browsers (and for `*` / no Accept), RDF for clients that ask for it. */
export function pageFormat(req: Request): PageFormat {
  const f = formatParam(req);
  if (f === "html") return "html";
  if (f) return negotiateRdf(req, PAGE_FORMATS, "this page");
  const accept = req.get("accept");
  if (!accept) return "html";
  const offers = ["text/html", "application/xhtml+xml", ...PAGE_FORMATS.map((x) => RDF_TYPES[x]), "application/json", "application/x-turtle"];
  const chosen = req.accepts(offers);
  if (!chosen) throw new NotAcceptable(`none of the media types in Accept (${accept}) is available; available: text/html, ${PAGE_FORMATS.map((x) => RDF_TYPES[x]).join(", ")}`);
  if (chosen === "text/html" || chosen === "application/xhtml+xml") return "html";
  if (chosen === "application/json") return "jsonld";
  if (chosen === "application/x-turtle") return "turtle";
  return (Object.entries(RDF_TYPES).find(([, t]) => t === chosen)![0] as RdfFormat);
}

function alternates(path: string): Alternate[] {
  const sep = path.includes("?") ? "&" : "?";
  return [
    { href: `${path}${sep}format=html`, type: "text/html", label: "HTML" },
    ...PAGE_FORMATS.map((f) => ({ href: `${path}${sep}format=${RDF_EXTENSIONS[f]}`, type: RDF_TYPES[f], label: LABELS[f] })),
  ];
}

function setLinkHeaders(res: Response, path: string, canonical?: string): void {
  const links = alternates(path).map((a) => `<${a.href}>; rel="alternate"; type="${a.type}"`);
  if (canonical) links.push(`<${canonical}>; rel="canonical"`);
  res.set("Link", links.join(", "));
  res.vary("Accept");
}

function wantsHtml(req: Request): boolean {
  try {
    return pageFormat(req) === "html";
  } catch {
    return false;
  }
}

function error(req: Request, res: Response, status: number, code: string, title: string, message: string): void {
  res.vary("Accept");
  if (wantsHtml(req)) res.status(status).type("html").send(errorPage(status, title, message));
  else res.status(status).json({ error: code, message });
}

/** Sends an RDF document or its HTML page, as negotiated. */
function send(req: Request, res: Response, path: string, quads: () => Quad[], html: () => string, canonical?: string): void {
  let f: PageFormat;
  try {
    f = pageFormat(req);
  } catch (err) {
    if (err instanceof NotAcceptable) return error(req, res, 406, "not_acceptable", "Not acceptable", err.message);
    throw err;
  }
  setLinkHeaders(res, path, canonical);
  if (f === "html") {
    res.vary("Accept-Language");
    res.type("html").send(html());
    return;
  }
  res.set("Content-Type", contentType(RDF_TYPES[f]));
  res.send(writeRdf(quads(), f));
}

/** The data this request took at its start, or, while none is loaded, a 503 answered and undefined. */
function servedOr503(req: Request, res: Response): Served | undefined {
  const served = heldServed(res);
  if (served) return served;
  res.set("Retry-After", "10");
  error(req, res, 503, "loading", "Loading", "the data is still loading; try again in a few seconds");
  return undefined;
}

const ACADEMY = /^A\d{2}$/;
/** The paths of entity URIs: the minted identifiers, and the academies. */
const ENTITY_SCHEMES: readonly string[] = [...MINTED_SCHEMES, "academie"];

/** Generic HTML of a small RDF document: one table a subject. */
function quadsHtml(base: string, title: string, intro: string, quads: Quad[]): string {
  const short = (u: string) => {
    for (const [p, ns] of Object.entries(SERVICE_PREFIXES)) if (u.startsWith(ns) && u.length > ns.length) return `${p}:${u.slice(ns.length)}`;
    return u;
  };
  const bySubject = new Map<string, Quad[]>();
  for (const q of quads) bySubject.set(q.subject.value, [...(bySubject.get(q.subject.value) ?? []), q]);
  const value = (q: Quad) =>
    q.object.termType === "NamedNode" ? link(q.object.value.startsWith(base + "/") ? q.object.value.slice(base.length) : q.object.value, short(q.object.value)) : esc(q.object.value);
  const sections = [...bySubject].map(([s, qs]) => `<h2 id="${esc(s.includes("#") ? s.slice(s.indexOf("#") + 1) : "")}">${link(s.startsWith(base + "/") ? s.slice(base.length) : s, s)}</h2>
<table>${qs.map((q) => `<tr><th>${esc(short(q.predicate.value))}</th><td>${value(q)}</td></tr>`).join("\n")}</table>`);
  return page({ title, body: `<h1>${esc(title)}</h1>\n<p>${intro}</p>\n${sections.join("\n")}` });
}

export function linkedDataRouter(state: ServiceState): Router {
  const router = express.Router();

  router.get("/id/:scheme/:id", async (req: Request, res: Response) => {
    const scheme = String(req.params.scheme);
    const raw = String(req.params.id);
    if (!ENTITY_SCHEMES.includes(scheme)) {
      return error(req, res, 404, "not_found", "Not found", `refx mints no /id/${scheme}/ URIs; its entity URIs are /id/{${ENTITY_SCHEMES.join(",")}}/{id}`);
    }
    const id = scheme === "academie" ? (ACADEMY.test(raw.toUpperCase()) ? raw.toUpperCase() : undefined) : normaliseId(scheme as Scheme, raw);
    if (!id) {
      const expected = scheme === "academie" ? "A followed by two digits (A01)" : `${SCHEMES[scheme as Scheme].label} ${SCHEMES[scheme as Scheme].pattern}`;
      return error(req, res, 400, "malformed_id", "Malformed identifier", `${JSON.stringify(raw)} is not a well-formed ${scheme === "academie" ? "academy code" : SCHEMES[scheme as Scheme].label}: expected ${expected}`);
    }
    const path = `/id/${scheme}/${id}`;
    if (id !== raw) {
      res.redirect(301, path + (req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : ""));
      return;
    }
    const served = servedOr503(req, res);
    if (!served) return;
    const uri = state.config.base + path;
    const d = await describe(served.store, state.config.base, uri);
    if (!d) return error(req, res, 404, "not_found", "Unknown identifier", `no source loaded here knows ${scheme === "academie" ? "academy" : SCHEMES[scheme as Scheme].label} ${id}`);
    send(req, res, path, () => descriptionQuads(d), () => entityHtml(d, state.config.base, alternates(path), { lang: pickLang(req), path: req.originalUrl }), uri);
  });

  router.get("/describe", async (req: Request, res: Response) => {
    const uri = typeof req.query.uri === "string" ? req.query.uri.trim() : "";
    if (!uri || !safeIri(uri)) return error(req, res, 400, "bad_request", "Bad request", "give the URI to describe as ?uri=<absolute URI>");
    if (uri.startsWith(state.config.base + "/id/")) {
      res.redirect(303, uri.slice(state.config.base.length));
      return;
    }
    const served = servedOr503(req, res);
    if (!served) return;
    const d = await describe(served.store, state.config.base, uri);
    if (!d) return error(req, res, 404, "not_found", "Unknown URI", `no source loaded here says anything about ${uri}`);
    const path = `/describe?uri=${encodeURIComponent(uri)}`;
    send(req, res, path, () => descriptionQuads(d), () => entityHtml(d, state.config.base, alternates(path), { lang: pickLang(req), path: req.originalUrl }), uri);
  });

  router.get("/catalog", async (req: Request, res: Response) => {
    const served = servedOr503(req, res);
    if (!served) return;
    const facts = await datasetFacts(served.store, state.config.base);
    const doc = catalogDoc(state.config.base, facts);
    send(req, res, "/catalog", () => doc.quads, () => catalogHtml(facts), `${state.config.base}/catalog`);
  });

  router.get(["/void", "/.well-known/void"], async (req: Request, res: Response) => {
    const served = servedOr503(req, res);
    if (!served) return;
    const facts = await datasetFacts(served.store, state.config.base);
    const stats = await graphStats(served, state.config.base);
    const doc = voidDoc(state.config.base, facts, stats);
    send(req, res, "/void", () => doc.quads, () => quadsHtml(state.config.base, "VoID: statistics and links of each dataset", "Triples, entities, classes of each named graph, and its linksets into the other datasets.", doc.quads), `${state.config.base}/void`);
  });

  router.get("/graph/:source", async (req: Request, res: Response) => {
    const source = String(req.params.source);
    if (source !== "links" && !SOURCES.some((s) => s.id === source)) {
      return error(req, res, 404, "not_found", "Unknown dataset", `no dataset named ${source}; datasets: ${[...SOURCES.map((s) => s.id), "links"].join(", ")}`);
    }
    const served = servedOr503(req, res);
    if (!served) return;
    const g = graphUri(state.config.base, source as "links");
    const facts = (await datasetFacts(served.store, state.config.base)).filter((f) => f.graph === g);
    if (!facts.length) return error(req, res, 404, "not_found", "Dataset not loaded", `the ${source} dataset is not loaded on this server`);
    const stats = await graphStats(served, state.config.base);
    const quads = [...catalogDoc(state.config.base, facts).quads, ...voidDoc(state.config.base, facts, stats).quads].filter((q) => q.subject.value === g || q.subject.value.startsWith(`${g}#`));
    send(req, res, `/graph/${source}`, () => quads, () => quadsHtml(state.config.base, facts[0].title, `Dataset <code>${esc(g)}</code>: its DCAT description and VoID statistics. Download: ${["ttl", "nt", "nq", "jsonld"].map((f) => link(`/export/${source}?format=${f}`, f)).join(" · ")}.`, quads), g);
  });

  return router;
}

function catalogHtml(facts: DatasetFacts[]): string {
  const rows = facts.map((f) => `<tr>
<td>${link(`/graph/${f.source}`, f.title)}<br><span class="uri">${esc(f.graph)}</span></td>
<td>${esc(f.publisher)}</td>
<td>${link(f.licence, f.licenceLabel)}</td>
<td>${esc(f.issued?.slice(0, 10) ?? "")}</td>
<td>${esc(f.modified?.slice(0, 10) ?? "")}</td>
<td>${f.entities ?? ""}</td>
<td>${["ttl", "nt", "nq", "jsonld"].map((x) => link(`/export/${f.source}?format=${x}`, x)).join(" ")}${f.landingPage ? `<br>${link(f.landingPage, "publisher's page")}` : ""}</td>
</tr>`);
  return page({
    title: "Catalogue",
    alternates: [["/catalog?format=ttl", "text/turtle"], ["/catalog?format=jsonld", "application/ld+json"]],
    body: `<h1>Catalogue of the loaded datasets</h1>
<p>DCAT catalogue (machine-readable: ${link("/catalog?format=ttl", "Turtle")}, ${link("/catalog?format=jsonld", "JSON-LD")}). Each dataset is a named graph, queryable at ${link("/sparql", "/sparql")}; statistics in ${link("/void", "VoID")}.</p>
<table><tr><th>dataset</th><th>publisher</th><th>licence</th><th>loaded</th><th>source file dated</th><th>entities</th><th>download</th></tr>
${rows.join("\n")}</table>`,
  });
}

