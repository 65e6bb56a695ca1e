// The JSON body parser of the APIs: express.json with a declared size over its
// limit refused before reading (server/limits/body-size.ts) and a depth check
// on the raw bytes before parsing (server/limits/json-depth.ts).
import express, { type NextFunction, type Request, type Response } from "express";
import { toBytes } from "./body-size.ts";
import { isTooDeep, TOO_DEEP_TYPE, tooDeepMessage } from "./json-depth.ts";

/** express.json with the depth check run on the raw bytes before parsing, and a declared size over its limit refused before reading. */
export function jsonBodyParser(options: Parameters<typeof express.json>[0] & { limit: number | string; type: string[] }) {
  const max = toBytes(options.limit);
  const parse = express.json({
    ...options,
    verify: (_req, _res, buf) => {
      if (isTooDeep(buf)) throw Object.assign(new Error(tooDeepMessage("the JSON body")), { status: 400, type: TOO_DEEP_TYPE });
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.is(options.type) && Number(req.get("content-length")) > max) {
      // body-parser's own refusal (so each API answers it in its words), without reading the body first.
      return next(Object.assign(new Error("request entity too large"), { status: 413, type: "entity.too.large" }));
    }
    parse(req, res, next);
  };
}
