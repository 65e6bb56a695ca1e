// The routes of one service, relative to its endpoint E. Every route of both
// API versions answers at E: 0.2 sends `queries=` / `extend=` to E itself;
// 1.0-draft POSTs JSON to E/match (E/reconcile, an earlier draft's name, too)
// and E/extend. Sub-services (suggest, preview) are the same for both, at the
// paths 1.0-draft fixes and 0.2's manifest points to. Only the manifest (GET E)
// depends on the version, since its `suggest` cannot satisfy both schemas:
// E/v1 is the same service whose manifest is 1.0-draft's (docs/decisions.md).
import express, { type Request, type Response } from "express";
import type { ServiceId } from "../../reconcile/types.ts";
import { heldServed, type ServiceState } from "../state.ts";
import { sendJson } from "../http/cors.ts";
import { badRequest, methodNotAllowed, notFound, quote } from "../http/errors.ts";
import { extend02, extend10, parseExtend, proposeProperties } from "./extend.ts";
import { manifest, manifestVersion, type Version } from "./manifest.ts";
import { PREVIEW_CSP, previewHtml, structuredPreview } from "./preview.ts";
import { parseBatch02, parseBatch10 } from "./queries.ts";
import { results02, results10 } from "./reconcile.ts";
import { field, has, requireJson, requireMatcher, stringParam } from "../http/parameters.ts";
import { lookup } from "../../app/lookup.ts";
import { origin, SERVICES } from "./services.ts";
import { suggestEntities, suggestProperties, suggestTypes, SUGGEST_LIMIT, SUGGEST_MAX, type Page } from "./suggest.ts";
import { cleanText, isObject, naturalInt, positiveInt } from "../../app/text.ts";

export function serviceRoutes(state: ServiceState, service: ServiceId, version: Version = "0.2"): express.Router {
  const router = express.Router();
  const path = version === "0.2" ? SERVICES[service].path : `${SERVICES[service].path}/v1`;
  // After a path's own handler: any other method there is a 405 naming the right one.
  const onlyGet = (...paths: string[]) => paths.forEach((p) => router.all(p, methodNotAllowed(["GET"])));
  const onlyPost = (...paths: string[]) => paths.forEach((p) => router.all(p, methodNotAllowed(["POST"])));

  /** E: manifest, or a 0.2 reconciliation or extension, or a 1.0-draft JSON body sent to E itself. */
  router.route("/").get(endpoint).post(endpoint).all(methodNotAllowed(["GET", "POST"]));

  function endpoint(req: Request, res: Response): void {
    if (has(req, "queries") && has(req, "extend")) throw badRequest("send queries or extend, not both");
    const json = req.method === "POST" && req.is("json") ? req.body : undefined;
    if (isObject(json) && Array.isArray(json.queries)) return reconcile10(req, res);
    if (isObject(json) && Array.isArray(json.ids)) return extendWith(req, res, extend10, json);
    if (has(req, "queries")) {
      const batch = parseBatch02(field(req, "queries"), state.config.base);
      return sendJson(res, results02(requireMatcher(state, heldServed(res)), service, batch, state.config.base));
    }
    if (has(req, "extend")) return extendWith(req, res, extend02, field(req, "extend"));
    if (req.method === "POST") throw badRequest("expected a queries or extend field (form or JSON body)");
    const asked = manifestVersion(field(req, "version"), version);
    sendJson(res, manifest(service, state.config.base, origin(req, state.config.base) + path, heldServed(res)?.matcher, asked));
  }

  function reconcile10(req: Request, res: Response): void {
    const batch = parseBatch10(requireJson(req), state.config.base);
    sendJson(res, results10(requireMatcher(state, heldServed(res)), service, batch, state.config.base));
  }

  function extendWith(req: Request, res: Response, write: typeof extend02 | typeof extend10, raw: unknown): void {
    const parsed = parseExtend(raw);
    sendJson(res, write(parsed, { matcher: requireMatcher(state, heldServed(res)), service, base: state.config.base }, origin(req, state.config.base)));
  }

  router.post("/match", reconcile10);
  router.post("/reconcile", reconcile10);
  router.post("/extend", (req, res) => extendWith(req, res, extend10, requireJson(req)));
  onlyPost("/match", "/reconcile", "/extend");

  const page = (req: Request): Page => ({
    prefix: cleanText(stringParam(req, "prefix") ?? "", "prefix", 200),
    cursor: naturalInt(field(req, "cursor"), "cursor", 0, 1000),
    limit: positiveInt(field(req, "limit"), "limit", SUGGEST_LIMIT, SUGGEST_MAX, "refuse"),
  });
  router.get("/suggest/entity", (req, res) => {
    const p = page(req);
    sendJson(res, suggestEntities(requireMatcher(state, heldServed(res)), service, p));
  });
  router.get("/suggest/type", (req, res) => sendJson(res, suggestTypes(page(req))));
  router.get("/suggest/property", (req, res) => sendJson(res, suggestProperties(page(req))));

  // Property proposals: 0.2 at the path its manifest names, 1.0-draft at the fixed one.
  const propose = (req: Request, res: Response) => {
    const limit = field(req, "limit") === undefined ? undefined : positiveInt(field(req, "limit"), "limit", 0, 100);
    // OpenRefine sends an empty type for a column reconciled without one.
    sendJson(res, proposeProperties(stringParam(req, "type") || undefined, limit));
  };
  router.get("/properties", propose);
  router.get("/extend/propose", propose);

  const record = (req: Request, res: Response) => {
    const id = stringParam(req, "id");
    if (!id) throw badRequest("id is required: ?id=<entity id>");
    const clean = cleanText(id, "id", 300);
    const r = lookup(requireMatcher(state, heldServed(res)), service, clean, state.config.base);
    if (!r) throw notFound(`no entity ${quote(clean)} in the ${service} service`);
    return r;
  };
  const viewUrl = (id: string) => SERVICES[service].view(state.config.base).v02.replace("{{id}}", service === "all" ? id : encodeURIComponent(id));

  router.get("/preview", (req, res) => {
    const r = record(req, res);
    res.set({ "Content-Security-Policy": PREVIEW_CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" });
    const matcher = requireMatcher(state, heldServed(res));
    const clusterOf = (uri: string) => lookup(matcher, "all", uri, state.config.base)?.id ?? uri;
    res.type("html").send(previewHtml(r, viewUrl(r.id), clusterOf));
  });
  router.get("/structured-preview", (req, res) => {
    const r = record(req, res);
    sendJson(res, structuredPreview(r, viewUrl(r.id)));
  });
  onlyGet("/suggest/entity", "/suggest/type", "/suggest/property", "/properties", "/extend/propose", "/preview", "/structured-preview");
  return router;
}
