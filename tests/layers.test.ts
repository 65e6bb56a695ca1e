// Who may import whom (docs/decisions.md, "Layers"): the engine (vocab/,
// data/, reconcile/) knows no use case; the use cases (app/) know neither HTTP
// nor the terminal; the two front doors (server/, scripts/) do not know each
// other; server/http/ and server/html/ sit below every feature folder of server/.
// Read from the source files themselves, so a new import that breaks a rule fails here.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./helpers.ts";

interface Import {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|mts|mjs|js)$/.test(e.name) && !e.parentPath.includes("node_modules"))
    .map((e) => relative(PROJECT_ROOT, join(e.parentPath, e.name)));
}

/** Every relative import, re-export and dynamic import of the project's source folders. */
function imports(): Import[] {
  const out: Import[] = [];
  for (const file of ["app", "data", "reconcile", "scripts", "server", "vocab"].flatMap(sourceFiles)) {
    const text = readFileSync(join(PROJECT_ROOT, file), "utf8");
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      out.push({ from: file, to: relative(PROJECT_ROOT, resolve(PROJECT_ROOT, dirname(file), m[1])) });
    }
  }
  return out;
}

const ALL = imports();
const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
const breaking = (from: string, forbidden: string[]) =>
  ALL.filter((i) => within(i.from, from) && forbidden.some((f) => within(i.to, f))).map((i) => `${i.from} -> ${i.to}`);

/**
 * The feature folders of server/, bottom first: each imports only the folders before it. The SPARQL
 * engine at the bottom (the catalog and the pages query it); the /sparql route at the top (it serves
 * the editor page of web/ and the graph list of linked-data/).
 */
const SERVER_FEATURES = ["server/sparql", "server/linked-data", "server/reconcile", "server/api", "server/export", "server/web", "server/sparql-endpoint"];

describe("layers", () => {
  it("reads the imports of every layer", () => {
    // The rules below hold vacuously if the scan finds nothing: it must see the layers' known edges.
    expect(ALL.some((i) => within(i.from, "server") && within(i.to, "app"))).toBe(true);
    expect(ALL.some((i) => within(i.from, "scripts") && within(i.to, "app"))).toBe(true);
    expect(ALL.some((i) => within(i.from, "app") && within(i.to, "reconcile"))).toBe(true);
  });

  it("the engine (vocab, data, reconcile) imports no use case nor front door", () => {
    for (const engine of ["vocab", "data", "reconcile"]) expect(breaking(engine, ["app", "server", "scripts"])).toEqual([]);
  });

  it("app/ knows neither HTTP nor the terminal", () => {
    expect(breaking("app", ["server", "scripts"])).toEqual([]);
    const http = sourceFiles("app").filter((f) => /from ["'](express|busboy)["']/.test(readFileSync(join(PROJECT_ROOT, f), "utf8")));
    expect(http).toEqual([]);
  });

  it("scripts/ imports nothing from server/ but its entry point, and server/ nothing from scripts/", () => {
    // `refx serve` starts the server: it runs server/main.ts as a child process, it does not import it.
    expect(breaking("scripts", ["server"])).toEqual([]);
    expect(breaking("server", ["scripts"])).toEqual([]);
  });

  it("server/http and server/html sit below every feature folder", () => {
    expect(breaking("server/http", SERVER_FEATURES)).toEqual([]);
    expect(breaking("server/html", SERVER_FEATURES)).toEqual([]);
    // The entity pages share the web pages' layout through server/html/, not by reaching into server/web/.
    expect(breaking("server/linked-data", ["server/web"])).toEqual([]);
  });

  it("the feature folders of server/ import only downward, so no two import each other", () => {
    // Every feature folder is in the list, so a new one has to be given its place.
    const folders = readdirSync(join(PROJECT_ROOT, "server"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `server/${e.name}`);
    expect(folders.filter((f) => !["server/http", "server/html", "server/limits"].includes(f)).sort()).toEqual([...SERVER_FEATURES].sort());
    // The scan sees the known downward edges.
    expect(ALL.some((i) => within(i.from, "server/linked-data") && within(i.to, "server/sparql"))).toBe(true);
    expect(ALL.some((i) => within(i.from, "server/sparql-endpoint") && within(i.to, "server/web"))).toBe(true);
    SERVER_FEATURES.forEach((folder, i) => expect(breaking(folder, SERVER_FEATURES.slice(i + 1)), folder).toEqual([]));
  });
});
