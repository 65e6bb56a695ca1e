// Static files of the web pages: the project's own scripts and styles, and the
// browser builds of YASGUI and Leaflet served straight from node_modules, so
// no page ever asks another host for code (docs/web.md).
import express, { type Router } from "express";
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
  return router;
}
