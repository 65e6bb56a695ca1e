// Refusals of the REST API: JSON `{error, message}` with a 4xx status, plus
// details where they help a script (which identifier check failed). Built on
// server/http/errors.ts, so both APIs refuse alike.
import type { NextFunction, Request, Response } from "express";
import { DomainError } from "../../app/errors.ts";
import { BODY_ERRORS as RECONCILE_BODY_ERRORS, describeError, HttpError } from "../http/errors.ts";

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

/** The REST API's bodies are JSON rows: a too-large one is pointed at CSV and the job API. */
const BODY_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  ...RECONCILE_BODY_ERRORS,
  "entity.too.large": [413, "payload_too_large", "the JSON body is larger than the limit; send the rows as a CSV file, or use the job API (POST /api/jobs)"],
};

export function apiErrorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) {
    // An answer already streaming cannot change its status: cut it, so the client sees it incomplete.
    res.destroy();
    return;
  }
  const { status, code, message, headers } = describeError(err, BODY_ERRORS);
  res.set(headers);
  const details = err instanceof ApiError || err instanceof DomainError ? err.details : {};
  res.status(status).json({ error: code, message, ...details });
}
