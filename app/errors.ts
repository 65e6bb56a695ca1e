// What a use case refuses, in the domain's words: the input is invalid, what
// was asked for does not exist, or the input is larger than a use case takes.
// Neither HTTP nor the terminal is known here: server/http/errors.ts maps a
// kind to a status and scripts/cli.ts to an exit code, each in one place.

export type RefusalKind = "invalid" | "not_found" | "too_large";

export class DomainError extends Error {
  constructor(
    readonly kind: RefusalKind,
    /** A stable machine-readable code (`missing_column`, `invalid_identifier`…): the API's `error` field. */
    readonly code: string,
    message: string,
    /** Facts a script can act on (which identifier check failed), sent beside the message. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const invalidInput = (message: string, code = "bad_request", details: Record<string, unknown> = {}) =>
  new DomainError("invalid", code, message, details);
export const notFound = (message: string, code = "not_found") => new DomainError("not_found", code, message);
export const tooLarge = (message: string, code = "payload_too_large") => new DomainError("too_large", code, message);

/** A user-supplied string inside a message: quoted, escaped, and cut short. */
export function quote(value: unknown): string {
  const s = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}
