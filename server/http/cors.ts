// Cross-origin access. The spec makes CORS mandatory on every endpoint, since
// OpenRefine's suggest widgets and web clients call the service from another
// origin; JSONP (0.2, optional) is kept because older OpenRefine widgets still
// ask for it with `callback=`.
import type { NextFunction, Request, Response } from "express";
import { badRequest } from "./errors.ts";

const REQUEST_HEADERS = /^[A-Za-z0-9\-_, ]{0,200}$/;

export function cors(req: Request, res: Response, next: NextFunction): void {
  res.set({ "Access-Control-Allow-Origin": "*", "X-Content-Type-Options": "nosniff" });
  if (req.method !== "OPTIONS") return next();
  // Preflight: answered here for every path, before any route or body parsing.
  const asked = req.get("Access-Control-Request-Headers");
  res.set({
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": asked && REQUEST_HEADERS.test(asked) ? asked : "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
    Vary: "Access-Control-Request-Headers",
  });
  res.status(204).end();
}

/** A JavaScript identifier path (`cb`, `jQuery123_456`, `ns.fn`): nothing that could inject script. */
const CALLBACK = /^[A-Za-z_$][\w$.]*$/;

/** Checks `callback` on GET requests up front, so that a bad one is a 400 before any work. */
export function jsonpCallback(req: Request, res: Response, next: NextFunction): void {
  const cb = req.method === "GET" ? req.query.callback : undefined;
  if (cb === undefined) return next();
  if (typeof cb !== "string" || cb.length > 128 || !CALLBACK.test(cb)) {
    return next(badRequest("callback must be a JavaScript identifier such as jQuery123_456 (letters, digits, _ $ and .)"));
  }
  res.locals.jsonp = cb;
  next();
}

/** Sends a JSON body, wrapped for JSONP when the request asked for it. */
export function sendJson(res: Response, body: unknown): void {
  const cb = res.locals.jsonp as string | undefined;
  if (!cb) {
    res.json(body);
    return;
  }
  // U+2028/2029 are valid in JSON but end lines in older JavaScript engines; <, > and & as for JSON answers.
  const json = JSON.stringify(body).replace(/[\u2028\u2029<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  res
    .type("application/javascript; charset=utf-8")
    .send(`/**/ typeof ${cb} === 'function' && ${cb}(${json});`);
}
