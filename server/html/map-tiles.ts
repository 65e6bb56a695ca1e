// The base map of entity pages. By default refx names no tile server: a page
// then asks no other host for anything, and the map shows the position on a
// blank background with the coordinates and a link to openstreetmap.org.
// An operator who accepts that readers' browsers fetch tiles elsewhere sets
// REFX_MAP_TILES (a Leaflet URL template, e.g.
// https://tile.openstreetmap.org/{z}/{x}/{y}.png) and REFX_MAP_ATTRIBUTION.
// When tiles fail to load (unreachable host, blocked), map.js says so.

export interface TileConfig {
  url: string;
  attribution: string;
}

const TEMPLATE = /^(https:\/\/[^\s"<>]+|\/[^\s"<>]*)$/;

/** Read at each page, so a test or a reload of the environment takes effect without a restart. */
export function mapTiles(env: NodeJS.ProcessEnv = process.env): TileConfig | undefined {
  const url = env.REFX_MAP_TILES?.trim();
  if (!url || !TEMPLATE.test(url) || !url.includes("{z}")) return undefined;
  const osm = /openstreetmap\.org/i.test(url);
  return { url, attribution: env.REFX_MAP_ATTRIBUTION?.trim() || (osm ? "© OpenStreetMap contributors" : "") };
}

/** A link to the position on openstreetmap.org (a link the reader follows, not a request the page makes). */
export function osmLink(lat: string, long: string): string {
  const a = encodeURIComponent(lat);
  const o = encodeURIComponent(long);
  return `https://www.openstreetmap.org/?mlat=${a}&mlon=${o}#map=15/${a}/${o}`;
}
