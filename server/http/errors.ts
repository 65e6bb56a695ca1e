// Every refusal over HTTP is a JSON `{error, message}` with a 4xx status:
// clients (OpenRefine, scripts) show the message as is, so it says what was
// wrong and how to fix it. A use case's refusal (app/errors.ts) gets its
// status here and nowhere else; HttpError is for what only HTTP has (405, 415,
// 503). Anything unexpected is a 500 that names nothing internal.
import type { NextFunction, Request, Response } from "express";
import { DomainError, invalidInput, notFound as domainNotFound, type RefusalKind } from "../../app/errors.ts";
import { isTooDeep, TOO_DEEP_TYPE, tooDeepMessage } from "../limits/json-depth.ts";

export { quote } from "../../app/errors.ts";

/** The one place a use case's refusal becomes an HTTP status. */
const STATUS_OF: Readonly<Record<RefusalKind, number>> = { invalid: 400, not_found: 404, too_large: 413 };

export const statusOf = (err: DomainError): number => STATUS_OF[err.kind];

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

export const badRequest = (message: string) => invalidInput(message);
export const notFound = (message: string) => domainNotFound(message);

export function methodNotAllowed(allowed: string[]) {
  return (req: Request, _res: Response, next: NextFunction) =>
    next(new HttpError(405, "method_not_allowed", `${req.method} is not allowed here; use ${allowed.join(" or ")}`, { Allow: allowed.join(", ") }));
}

/** A form or query-string parameter that carries JSON (`queries=`, `extend=`); already-parsed bodies pass through. */
export function jsonParameter(raw: unknown, invalid: string): unknown {
  if (typeof raw !== "string") return raw;
  if (isTooDeep(raw)) throw new HttpError(400, "json_too_deep", tooDeepMessage("this parameter"));
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest(invalid);
  }
}

/** body-parser's error types, as a status, a code and a message that helps. */
export const BODY_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  "entity.parse.failed": [400, "invalid_json", "the request body is not valid JSON"],
  [TOO_DEEP_TYPE]: [400, "json_too_deep", tooDeepMessage("the JSON body")],
  "entity.too.large": [413, "payload_too_large", "the request body is larger than the 1 MB limit; send smaller batches"],
  "parameters.too.many": [413, "payload_too_large", "the form has too many fields"],
  "charset.unsupported": [415, "unsupported_media_type", "the body's charset is not supported; send UTF-8"],
  "encoding.unsupported": [415, "unsupported_media_type", "the body's content encoding is not supported"],
  "request.aborted": [400, "bad_request", "the request was aborted"],
  "request.size.invalid": [400, "bad_request", "the request body does not match its Content-Length"],
};

/**
 * What to answer for an error: its own status and message when it is an
 * HttpError or a body-parser refusal, else a 500 that names nothing internal
 * (and is logged). Shared by the reconciliation and REST APIs' handlers.
 */
export function describeError(err: unknown, bodyErrors = BODY_ERRORS): { status: number; code: string; message: string; headers: Record<string, string> } {
  const e = err as { type?: string; status?: number; statusCode?: number };
  if (err instanceof DomainError) return { status: statusOf(err), code: err.code, message: err.message, headers: {} };
  if (err instanceof HttpError) return { status: err.status, code: err.code, message: err.message, headers: err.headers };
  if (e?.type && Object.hasOwn(bodyErrors, e.type)) {
    const [status, code, message] = bodyErrors[e.type];
    return { status, code, message, headers: {} };
  }
  const status = e?.status ?? e?.statusCode ?? 500;
  if (status < 500) return { status, code: "bad_request", message: "the request could not be read", headers: {} };
  console.error(err);
  return { status: 500, code: "internal_error", message: "internal error", headers: {} };
}

/** What an error is answered with: a status, a stable code, a message, and headers (Allow). */
export interface DescribedError {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
}

/**
 * How one API refuses: what it says for an error, what its body adds beyond
 * `{error, message}`, and what it does when the answer has already started.
 * The status and the `{error: code, message}` body are common to all.
 */
export interface ErrorFormat {
  describe: (err: unknown) => DescribedError;
  /** Fields added to the body (the REST API's `details`, e.g. which identifier check failed). */
  details?: (err: unknown) => Record<string, unknown>;
  /**
   * An answer already streaming cannot change its status: "cut" destroys the
   * socket so the client sees it incomplete, "next" hands it to express,
   * which does the same after logging.
   */
  whenStarted: "cut" | "next";
}

/** The one error handler of the app, shaped per API by its format. */
export function errorHandler(format: ErrorFormat) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      if (format.whenStarted === "cut") res.destroy();
      else next(err);
      return;
    }
    const { status, code, message, headers } = format.describe(err);
    res.set(headers);
    res.status(status).json({ error: code, message, ...format.details?.(err) });
  };
}

/** The reconciliation API's refusals: `{error, message}`, the body-parser refusals of BODY_ERRORS. */
export const reconcileErrorHandler = errorHandler({ describe: (err) => describeError(err), whenStarted: "next" });

/**
 * Errors thrown by routes without their own handler: client errors keep their status (a use case's
 * refusal its kind's) and message, with a code named by the status; anything else is a 500 without internals.
 */
export function describeUnhandled(err: unknown): DescribedError {
  const e = err as Error & { status?: number; statusCode?: number };
  const status = err instanceof DomainError ? statusOf(err) : e?.status ?? e?.statusCode ?? 500;
  if (status >= 500) {
    console.error(err);
    return { status, code: "internal_error", message: "internal error", headers: {} };
  }
  const code = status === 404 ? "not_found" : status === 413 ? "payload_too_large" : "bad_request";
  return { status, code, message: e.message, headers: {} };
}

export const lastErrorHandler = errorHandler({ describe: describeUnhandled, whenStarted: "next" });
