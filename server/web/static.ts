// Static files of the web pages: the project's own scripts and styles, and the
// browser builds of YASGUI and Leaflet served straight from node_modules, so
// no page ever asks another host for code (docs/web.md).
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));

/** The directory of an installed package (resolved through its package.json, so hoisting does not matter). */
function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

export const ASSETS = "/assets";

export function staticRouter(): Router {
  const router = express.Router();
  const options = { maxAge: "1h", fallthrough: false, index: false } as const;
  router.use(`${ASSETS}/web`, express.static(join(HERE, "assets"), options));
  router.use(`${ASSETS}/vendor/yasgui`, express.static(join(packageDir("@zazuko/yasgui"), "build"), options));
  router.use(`${ASSETS}/vendor/leaflet`, express.static(join(packageDir("leaflet"), "dist"), options));
  // serve-static's own error names the file's absolute path: answer without it.
  router.use(ASSETS, (err: Error & { status?: number }, req: Request, res: Response, next: NextFunction) => {
    const status = err.status ?? 500;
    if (status >= 500) return next(err);
    res.status(status).json(status === 404 ? { error: "not_found", message: `no file ${req.originalUrl.split("?")[0]}` } : { error: "bad_request", message: "this asset path cannot be served" });
  });
  return router;
}
