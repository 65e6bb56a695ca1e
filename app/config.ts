// Where things are by default, relative to the project and not to the
// directory `npm start` happens to be run from.
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const SAMPLE_DATA_DIR = join(PROJECT_ROOT, "data", "sample");
export const DEFAULT_CACHE_DIR = join(PROJECT_ROOT, ".refx", "cache");
/** Where `refx download` writes and `npm start` reads by default: $REFX_DATA_DIR, else .refx/data in the project. */
export const DEFAULT_DATA_DIR = process.env.REFX_DATA_DIR || join(PROJECT_ROOT, ".refx", "data");

export function defaultPort(): number {
  const p = Number(process.env.PORT);
  return Number.isInteger(p) && p > 0 && p < 65536 ? p : 3000;
}

/** Base of entity URIs: --base-uri, else REFX_BASE_URI, else this host and port. */
export function baseUri(explicit: string | undefined, port: number): string {
  const b = explicit ?? process.env.REFX_BASE_URI ?? `http://localhost:${port}`;
  return b.replace(/\/+$/, "");
}

/** A positive whole number from the environment, else `fallback`: limits are tuned per deployment. */
export function envInt(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
