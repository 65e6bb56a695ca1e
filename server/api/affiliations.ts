// `POST /api/affiliations` and `GET /api/affiliations?q=`: every organisation
// an affiliation string names ("LIPN, CNRS UMR 7030, Université Sorbonne Paris
// Nord, Villetaneuse, France"), each with its identifiers, where it is named
// in the string, and which of the others it belongs to; plus the one the
// string is an affiliation to. The limits and the row → CSV
// cells shared with `refx affiliations` are in app/affiliations.ts. See docs/affiliations.md.
import express, { type NextFunction, type Request, type Response } from "express";
import type { AffiliationOrganisation, AffiliationResult } from "../../reconcile/affiliation/match.ts";
import type { Matcher } from "../../reconcile/matcher.ts";
import type { Feature, ServiceId } from "../../reconcile/types.ts";
import { serviceId } from "../../app/targets.ts";
import type { Scheme } from "../../vocab/identifiers.ts";
import { quote } from "../http/errors.ts";
import { requireMatcher } from "../http/parameters.ts";
import { CONTROL_CHARACTERS, isObject, positiveInt } from "../../app/text.ts";
import { heldServed, type ServiceState } from "../state.ts";
import { ApiError } from "./errors.ts";
import type { ApiLimits } from "./openapi.ts";
import { jsonBodyParser } from "../limits/json-body.ts";
import { searchHit } from "./search.ts";
import { AFFILIATION_LIMIT, AFFILIATION_LIMIT_MAX, AFFILIATION_MAX_CHARS, round } from "../../app/affiliations.ts";

/** Strings of one request matched between two turns of the event loop, so that the server keeps answering. */
const YIELD_EVERY = 20;

const FIELDS = ["affiliation", "affiliations", "target", "limit"];

const bad = (message: string, details: Record<string, unknown> = {}) => new ApiError(400, "bad_request", message, details);

/** One organisation as the API writes it: a search hit (names, place, identifiers) plus how the string names it. */
export function organisationJson(o: AffiliationOrganisation, primaryId: string | undefined) {
  const { id, name, ...hit } = searchHit(o.record);
  return {
    id,
    name,
    uri: o.record.uri,
    score: round(o.score),
    match: o.match,
    primary: o.record.id === primaryId,
    mention: { text: o.mention.text, start: o.mention.start, end: o.mention.end },
    ...hit,
    parentOf: [...o.parentOf],
    childOf: [...o.childOf],
    features: o.features.map((f: Feature) => ({ id: f.id, value: typeof f.value === "number" ? round(f.value) : f.value })),
  };
}

export type OrganisationJson = ReturnType<typeof organisationJson>;

/** The answer for one string; `affiliation` is the text the offsets refer to (the input, HTML entities decoded). */
export function affiliationJson(r: AffiliationResult) {
  const primaryId = r.primary?.record.id;
  return {
    affiliation: r.text,
    primary: r.primary ? organisationJson(r.primary, primaryId) : null,
    organisations: r.organisations.map((o) => organisationJson(o, primaryId)),
    segments: r.segments.map((s) => ({ text: s.text, start: s.start, end: s.end, kind: s.kind })),
    countries: [...r.countries],
  };
}

// --- HTTP ------------------------------------------------------------------------------------------

/** Limits of the endpoint (REFX_API_AFFILIATIONS_MAX); the JSON body's size is the API's. */
export const DEFAULT_AFFILIATIONS_MAX = 1000;

const targetOf = (v: unknown): ServiceId => (v === undefined || v === "" ? "all" : serviceId(v));

/** One affiliation string as sent, refused with a message naming `where` when it cannot be one. */
export function affiliationText(v: unknown, where: string): string {
  if (v === undefined || v === null) throw bad(`${where} is missing: send the affiliation's text`);
  if (typeof v !== "string") throw bad(`${where} must be a string, not ${quote(v)}`);
  if (!v.trim()) throw bad(`${where} is empty: send the affiliation's text`);
  if (v.length > AFFILIATION_MAX_CHARS) {
    throw bad(`${where} is ${v.length} characters long; an affiliation has at most ${AFFILIATION_MAX_CHARS}`, { maxLength: AFFILIATION_MAX_CHARS });
  }
  if (CONTROL_CHARACTERS.test(v)) throw bad(`${where} contains control characters`);
  return v;
}

/** Query-string fields, each at most once. */
function queryFields(req: Request): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.query)) {
    if (Array.isArray(v)) throw bad(`${k} is given more than once`);
    out[k] = v;
  }
  return out;
}

interface AffiliationsRequest {
  texts: string[];
  batch: boolean;
  target: ServiceId;
  limit: number;
}

function parsePost(req: Request, maxBatch: number): AffiliationsRequest {
  if (!req.is(["application/json", "application/*+json"])) {
    throw new ApiError(415, "unsupported_media_type", 'send a JSON body with Content-Type: application/json: {"affiliation": "..."} or {"affiliations": ["...", ...]}');
  }
  if (!isObject(req.body)) throw bad('the body must be a JSON object: {"affiliation": "..."} or {"affiliations": ["...", ...]}');
  const fields = queryFields(req);
  for (const [k, v] of Object.entries(req.body)) {
    if (Object.hasOwn(fields, k)) throw bad(`${k} is given more than once`);
    fields[k] = v;
  }
  const unknown = Object.keys(fields).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) throw bad(`unknown field ${quote(unknown)}; fields are ${FIELDS.join(", ")}`);
  const target = targetOf(fields.target);
  const limit = positiveInt(fields.limit, "limit", AFFILIATION_LIMIT, AFFILIATION_LIMIT_MAX, "refuse");
  const one = Object.hasOwn(fields, "affiliation");
  const many = Object.hasOwn(fields, "affiliations");
  if (one && many) throw bad("send affiliation (one string) or affiliations (a list), not both");
  if (one) return { texts: [affiliationText(fields.affiliation, "affiliation")], batch: false, target, limit };
  if (!many) throw bad('affiliation is missing: send {"affiliation": "..."} or {"affiliations": ["...", ...]}');
  const list = fields.affiliations;
  if (!Array.isArray(list)) throw bad(`affiliations must be an array of strings, not ${quote(list)}`);
  if (!list.length) throw bad("affiliations is empty: send at least one string");
  if (list.length > maxBatch) {
    throw new ApiError(
      413,
      "too_many_affiliations",
      `${list.length} affiliations in one request; at most ${maxBatch}: send them in several requests, or as a CSV file to \`refx affiliations\``,
      { maxAffiliations: maxBatch },
    );
  }
  return { texts: list.map((v, i) => affiliationText(v, `affiliations[${i}]`)), batch: true, target, limit };
}

function parseGet(req: Request): AffiliationsRequest {
  const fields = queryFields(req);
  if (fields.q === undefined) throw bad("q is required: /api/affiliations?q=<an affiliation string>");
  return {
    texts: [affiliationText(fields.q, "q")],
    batch: false,
    target: targetOf(fields.target),
    limit: positiveInt(fields.limit, "limit", AFFILIATION_LIMIT, AFFILIATION_LIMIT_MAX, "refuse"),
  };
}

export function affiliationsRouter(state: ServiceState, limits: ApiLimits): express.Router {
  const router = express.Router();
  const maxBatch = limits.affiliationsMaxBatch ?? DEFAULT_AFFILIATIONS_MAX;
  const parseJson = jsonBodyParser({ limit: limits.jsonBodyBytes, type: ["application/json", "application/*+json"] });
  // A body over the limit is pointed at smaller requests, not at the batch-file API.
  const jsonBody = (req: Request, res: Response, next: NextFunction) =>
    parseJson(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === "entity.too.large") {
        return next(new ApiError(413, "payload_too_large", `the JSON body is larger than the ${Math.round(limits.jsonBodyBytes / 2 ** 20)} MB limit; send fewer affiliations per request`));
      }
      next(err);
    });

  const answer = async (req: Request, res: Response, parsed: AffiliationsRequest) => {
    const results: ReturnType<typeof affiliationJson>[] = [];
    let closed = false;
    res.on("close", () => (closed = !res.writableFinished));
    // The matcher of the data this request took at its start: a reload meanwhile does not change the answers.
    const m: Matcher = requireMatcher(state, heldServed(res));
    for (const [i, text] of parsed.texts.entries()) {
      results.push(affiliationJson(m.affiliation(parsed.target, text, parsed.limit)));
      if (parsed.batch && (i + 1) % YIELD_EVERY === 0) {
        await new Promise((r) => setImmediate(r));
        if (closed) return;
      }
    }
    res.json(parsed.batch ? { target: parsed.target, results } : { target: parsed.target, ...results[0] });
  };

  router.get("/", async (req, res) => {
    requireMatcher(state, heldServed(res));
    await answer(req, res, parseGet(req));
  });
  router.post("/", jsonBody, async (req, res) => {
    requireMatcher(state, heldServed(res));
    await answer(req, res, parsePost(req, maxBatch));
  });
  router.all("/", (req, _res, next) => next(new ApiError(405, "method_not_allowed", `${req.method} is not allowed here; use GET, POST`, {}, { Allow: "GET, POST" })));
  return router;
}
