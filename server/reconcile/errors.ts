// Every refusal of the reconciliation API is a JSON `{error, message}` with a
// 4xx status: clients (OpenRefine, scripts) show the message as is, so it says
// what was wrong and how to fix it. Anything unexpected is a 500 that names
// nothing internal.
import type { NextFunction, Request, Response } from "express";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, "bad_request", message);
export const notFound = (message: string) => new HttpError(404, "not_found", message);

export function methodNotAllowed(allowed: string[]) {
  return (req: Request, _res: Response, next: NextFunction) =>
    next(new HttpError(405, "method_not_allowed", `${req.method} is not allowed here; use ${allowed.join(" or ")}`, { Allow: allowed.join(", ") }));
}

/** A user-supplied string inside a message: quoted, escaped, and cut short. */
export function quote(value: unknown): string {
  const s = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

/** body-parser's error types, as a status, a code and a message that helps. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  "entity.parse.failed": [400, "invalid_json", "the request body is not valid JSON"],
  "entity.too.large": [413, "payload_too_large", "the request body is larger than the 1 MB limit; send smaller batches"],
  "parameters.too.many": [413, "payload_too_large", "the form has too many fields"],
  "charset.unsupported": [415, "unsupported_media_type", "the body's charset is not supported; send UTF-8"],
  "encoding.unsupported": [415, "unsupported_media_type", "the body's content encoding is not supported"],
  "request.aborted": [400, "bad_request", "the request was aborted"],
  "request.size.invalid": [400, "bad_request", "the request body does not match its Content-Length"],
};

export function errorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  let status = 500;
  let code = "internal_error";
  let message = "internal error";
  const e = err as { type?: string; status?: number; statusCode?: number };
  if (err instanceof HttpError) {
    ({ status, code, message } = err);
    res.set(err.headers);
  } else if (e?.type && BODY_ERRORS[e.type]) {
    [status, code, message] = BODY_ERRORS[e.type];
  } else if ((e?.status ?? e?.statusCode ?? 500) < 500) {
    status = e.status ?? e.statusCode!;
    code = "bad_request";
    message = "the request could not be read";
  } else {
    console.error(err);
  }
  res.status(status).json({ error: code, message });
}
