// Refusals of the REST API: JSON `{error, message}` with a 4xx status, plus
// details where they help a script (which identifier check failed). Built on
// the reconciliation API's HttpError, so both APIs refuse alike.
import type { NextFunction, Request, Response } from "express";
import { HttpError } from "../reconcile/errors.ts";

export class ApiError extends HttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    super(status, code, message, headers);
  }
}

/** body-parser's error types (JSON bodies), as a status, a code and a message. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  "entity.parse.failed": [400, "invalid_json", "the request body is not valid JSON"],
  "entity.too.large": [413, "payload_too_large", "the JSON body is larger than the limit; send the rows as a CSV file, or use the job API (POST /api/jobs)"],
  "charset.unsupported": [415, "unsupported_media_type", "the body's charset is not supported; send UTF-8"],
  "encoding.unsupported": [415, "unsupported_media_type", "the body's content encoding is not supported"],
  "request.aborted": [400, "bad_request", "the request was aborted"],
  "request.size.invalid": [400, "bad_request", "the request body does not match its Content-Length"],
};

export function apiErrorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) {
    // An answer already streaming cannot change its status: cut it, so the client sees it incomplete.
    res.destroy();
    return;
  }
  let status = 500;
  let code = "internal_error";
  let message = "internal error";
  let details: Record<string, unknown> = {};
  const e = err as { type?: string; status?: number; statusCode?: number };
  if (err instanceof HttpError) {
    ({ status, code, message } = err);
    res.set(err.headers);
    if (err instanceof ApiError) details = err.details;
  } else if (e?.type && BODY_ERRORS[e.type]) {
    [status, code, message] = BODY_ERRORS[e.type];
  } else if ((e?.status ?? e?.statusCode ?? 500) < 500) {
    status = e.status ?? e.statusCode!;
    code = "bad_request";
    message = "the request could not be read";
  } else {
    console.error(err);
  }
  res.status(status).json({ error: code, message, ...details });
}
