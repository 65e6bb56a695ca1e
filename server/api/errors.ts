// Refusals of the REST API: JSON `{error, message}` with a 4xx status, plus
// details where they help a script (which identifier check failed). Built on
// server/http/errors.ts, so both APIs refuse alike.
import { DomainError } from "../../app/errors.ts";
import { BODY_ERRORS as RECONCILE_BODY_ERRORS, describeError, errorHandler, HttpError } from "../http/errors.ts";

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

/** The REST API's refusals: its own body-parser messages, the details of its errors, and a streaming answer cut. */
export const apiErrorHandler = errorHandler({
  describe: (err) => describeError(err, BODY_ERRORS),
  details: (err) => (err instanceof ApiError || err instanceof DomainError ? err.details : {}),
  whenStarted: "cut",
});
