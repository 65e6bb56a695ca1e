// A body whose declared Content-Length is over a route's limit is refused
// before it is read. body-parser and the upload readers only find out after
// reading (body-parser even waits for the whole body before answering), so a
// client claiming 1 GB was waited for minutes. The answer goes out at once;
// Node then reads and drops whatever body still comes, so a client busy
// sending reads the 413 rather than a connection reset.
import type { NextFunction, Request, Response } from "express";
import { HttpError } from "../http/errors.ts";

/** Multipart framing and form fields around a file: a little over the file limit is still read (and checked as it arrives). */
const SLACK = 64 * 1024;

export function toBytes(limit: number | string): number {
  if (typeof limit === "number") return limit;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (!m) throw new Error(`not a size: ${limit}`);
  return Math.floor(Number(m[1]) * 1024 ** ["b", "kb", "mb", "gb"].indexOf((m[2] ?? "b").toLowerCase()));
}

/** Throws a 413 when the request declares more than `maxBytes` (plus framing slack). */
export function refuseDeclaredSize(req: Request, maxBytes: number, slack = SLACK): void {
  const declared = Number(req.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes + slack) {
    throw new HttpError(413, "payload_too_large", `the body declares ${declared} bytes (Content-Length); the limit here is ${formatSize(maxBytes)}`);
  }
}

function formatSize(n: number): string {
  return n >= 2 ** 20 ? `${Math.round(n / 2 ** 20)} MB` : `${Math.round(n / 1024)} KB`;
}

/** The same check as a middleware, answering the 413 itself (JSON `{error, message}`). */
export function declaredSizeLimit(limit: number | string, slack = SLACK) {
  const max = toBytes(limit);
  return (req: Request, res: Response, next: NextFunction) => {
    try {
      refuseDeclaredSize(req, max, slack);
    } catch (err) {
      const e = err as HttpError;
      res.set(e.headers).status(e.status).json({ error: e.code, message: e.message });
      return;
    }
    next();
  };
}
