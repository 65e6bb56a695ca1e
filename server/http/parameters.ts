// Reading what a request carries, the same way for GET query strings, forms
// and JSON bodies; and the matcher of the data the request took, absent while data loads.
import type { Request } from "express";
import type { Matcher } from "../../reconcile/matcher.ts";
import { status, type Served, type ServiceState } from "../state.ts";
import { badRequest, HttpError } from "./errors.ts";
import { isObject } from "../../app/text.ts";

/** Whether the request has this field, in its body (form or JSON) or its query string. */
export function has(req: Request, name: string): boolean {
  return (isObject(req.body) && Object.hasOwn(req.body, name)) || Object.hasOwn(req.query, name);
}

/**
 * A field from the body, else from the query string. A form or query-string
 * field given twice arrives as an array: refused, since which one was meant is
 * unknown. JSON bodies keep their own types.
 */
export function field(req: Request, name: string): unknown {
  const fromBody = isObject(req.body) && Object.hasOwn(req.body, name);
  const value = fromBody ? req.body[name] : req.query[name];
  if (Array.isArray(value) && (!fromBody || !req.is("json"))) throw badRequest(`${name} is given more than once`);
  return value;
}

/** A string parameter of a GET endpoint (prefix, id, type), or undefined. */
export function stringParam(req: Request, name: string): string | undefined {
  const v = field(req, name);
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw badRequest(`${name} must be a string`);
  return v;
}

/** The matcher of `served` (what a request took at its start: `heldServed`), or 503 while nothing is loaded. */
export function requireMatcher(state: ServiceState, served: Served | undefined): Matcher {
  const matcher = served?.matcher;
  if (matcher) return matcher;
  const message =
    status(state) === "failed"
      ? "the referential data failed to load; the service cannot answer until it is restarted or reloaded"
      : "the referential data are loading; retry in a moment (GET /health tells the progress)";
  throw new HttpError(503, "unavailable", message, { "Retry-After": "10" });
}

export function requireJson(req: Request): unknown {
  if (!req.is("json")) throw new HttpError(415, "unsupported_media_type", "send a JSON body with Content-Type: application/json");
  return req.body;
}
