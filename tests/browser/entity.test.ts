// Entity pages in a real browser (docs/web.md): identifiers with their
// registries, names by language, the map and its fallback when tiles cannot
// load (no tile server by default; a configured one is blocked here), the
// Turtle and JSON-LD links, tutelles and history, the language switch,
// keyboard focus, phone width, and axe. No request leaves the test server
// unless a tile server is configured, and then only for tiles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { axe, serious } from "./axe.ts";
import { HAS_CHROMIUM, launch, screenshot, SCREENSHOTS, startSampleServer, type BrowserSession, type SampleServer } from "./helpers.ts";

const P1 = "/id/uai/0751717J";
const OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

describe.skipIf(!HAS_CHROMIUM)("entity pages (browser)", () => {
  let server: SampleServer;
  let session: BrowserSession;
  // One page for the file: opening a page costs about a second on the CI machine.
  let shared: Page;

  beforeAll(async () => {
    delete process.env.REFX_MAP_TILES;
    server = await startSampleServer();
    session = await launch(server.url);
    shared = await session.newPage();
  }, 60_000);
  afterAll(async () => {
    delete process.env.REFX_MAP_TILES;
    await session?.close();
    await server?.close();
  });

  const open = async (path: string): Promise<Page> => {
    const res = await shared.goto(server.url + path);
    expect(res?.status(), path).toBe(200);
    return shared;
  };
  const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  /** The value cell of the row headed `header` in the table after the heading `section`. */
  const row = (page: Page, section: string, header: string) =>
    page.locator(`h2:text-is("${section}") + table tr`, { has: page.locator("th", { hasText: exactly(header) }) }).locator("td");

  it("shows identifiers with their registries, names by language, and a map that says why it has no tiles", async () => {
    const page = await open(P1);
    expect(await page.locator("h1").textContent()).toBe("Université Paris 1 Panthéon-Sorbonne");
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    // Identifiers, each linked to its registry
    const uai = row(page, "Identifiants", "UAI");
    expect(await uai.locator("code").textContent()).toBe("0751717J");
    expect(await uai.getByRole("link", { name: "registre" }).getAttribute("href")).toMatch(/^https:\/\/data\.enseignementsup-recherche\.gouv\.fr\/.*0751717J/);
    expect(await row(page, "Identifiants", "SIRET").getByRole("link", { name: "registre" }).getAttribute("href")).toBe("https://annuaire-entreprises.data.gouv.fr/etablissement/19751717000019");
    expect(await row(page, "Identifiants", "ROR").getByRole("link", { name: "registre" }).getAttribute("href")).toBe("https://ror.org/002t25c44");
    expect(await row(page, "Identifiants", "Wikidata").locator("code").textContent()).toBe("Q999763");
    // Names grouped by language, each marked with its language
    expect(await row(page, "Noms", "Français (fr)").locator("strong").textContent()).toBe("Université Paris 1 Panthéon-Sorbonne");
    expect(await row(page, "Noms", "Anglais (en)").locator('strong[lang="en"]').textContent()).toBe("Paris 1 Panthéon-Sorbonne University");
    // History: the former UAI code, linked
    expect(await row(page, "Dates et historique", "Prédécesseurs (anciens noms et codes)").getByRole("link", { name: "UAI 0755581J" }).getAttribute("href")).toBe("/id/uai/0755581J");
    // Children under its tutelle
    const children = page.locator('h2:text-is("Organisations rattachées") + ul');
    expect(await children.getByRole("link", { name: "Institut d'histoire moderne et contemporaine" }).getAttribute("href")).toBe("/id/rnsr/199798641L");
    expect(await children.textContent()).toContain("sous sa tutelle");

    // The map: Leaflet drew it, no tile server is named, so the notice gives the position.
    await page.locator(".entity-map .leaflet-container").waitFor();
    const notice = page.locator(".entity-map .map-notice");
    await notice.waitFor();
    expect(await notice.textContent()).toContain("Fond de carte indisponible");
    expect(await notice.textContent()).toContain("48.84651, 2.34464");
    expect(await notice.getByRole("link").getAttribute("href")).toBe("https://www.openstreetmap.org/?mlat=48.84651&mlon=2.34464#map=15/48.84651/2.34464");
    expect(await page.locator(".entity-map figcaption").textContent()).toContain("48.84651, 2.34464");
    await screenshot(page, "entity-desktop");
    expect(serious(await axe(page))).toEqual([]);
    expect(session.outside).toEqual([]);
    expect(session.errors).toEqual([]);
  });

  it("with a tile server configured and unreachable, the tile errors turn into the same notice", async () => {
    process.env.REFX_MAP_TILES = OSM_TILES;
    try {
      const page = await open(P1);
      const notice = page.locator(".entity-map .map-notice");
      await notice.waitFor({ timeout: 10_000 });
      expect(await notice.textContent()).toContain("48.84651, 2.34464");
      expect(await page.locator(".leaflet-control-attribution").textContent()).toContain("© OpenStreetMap contributors");
      // The only requests that left were tiles, and the test's browser refused them.
      expect(session.outside.length).toBeGreaterThan(0);
      expect(session.outside.filter((u) => !u.startsWith("https://tile.openstreetmap.org/"))).toEqual([]);
      } finally {
      delete process.env.REFX_MAP_TILES;
      session.outside.length = 0;
      session.errors.length = 0;
    }
  });

  it("links Turtle and JSON-LD of the same entity, which answer", async () => {
    const page = await open(P1);
    const formats = page.locator("p.formats");
    const ttl = await formats.getByRole("link", { name: "Turtle", exact: true }).getAttribute("href");
    const jsonld = await formats.getByRole("link", { name: "JSON-LD", exact: true }).getAttribute("href");
    expect(ttl).toBe(`${P1}?format=ttl`);
    expect(jsonld).toBe(`${P1}?format=jsonld`);
    const t = await page.request.get(server.url + ttl);
    expect(t.status()).toBe(200);
    expect(t.headers()["content-type"]).toMatch(/^text\/turtle/);
    expect(await t.text()).toContain("0751717J");
    const j = await page.request.get(server.url + jsonld);
    expect(j.status()).toBe(200);
    expect(j.headers()["content-type"]).toMatch(/^application\/ld\+json/);
    expect(JSON.stringify(await j.json())).toContain("https://ror.org/002t25c44");
  });

  it("a laboratory shows its tutelles as links and its dated predecessors; the switch gives English", async () => {
    const page = await open("/id/rnsr/200711934W");
    const parents = page.locator('h2:text-is("Tutelles et organisations parentes") + ul');
    expect(await parents.getByRole("link", { name: "Université Grenoble Alpes" }).getAttribute("href")).toBe("/id/uai/0383546Y");
    expect(await parents.getByRole("link", { name: "Centre national de la recherche scientifique" }).getAttribute("href")).toBe("/id/uai/0753639Y");
    expect(await parents.textContent()).toContain("tutelle");
    const before = row(page, "Dates et historique", "Prédécesseurs (anciens noms et codes)");
    expect(await before.textContent()).toContain("fusion, 2007");
    // Keyboard: the first Tab reaches the skip link, and focus is visible.
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { text: el.textContent, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(focused.text).toBe("Aller au contenu");
    expect(focused.outline).not.toBe("none");
    expect(focused.width).toBeGreaterThanOrEqual(2);
    await Promise.all([page.waitForURL(/lang=en/), page.getByRole("link", { name: "EN (English)" }).click()]);
    expect(new URL(page.url()).pathname).toBe("/id/rnsr/200711934W");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator('h2:text-is("Parent organisations") + ul').textContent()).toContain("supervising body");
    expect(await page.locator('h2:text-is("Identifiers")').count()).toBe(1);
    // The chosen language is kept by the navigation.
    expect(await page.getByRole("navigation").getByRole("link", { name: "Search", exact: true }).getAttribute("href")).toBe("/search?lang=en");
  });

  it("without JavaScript the coordinates are the map", async () => {
    const context = await session.browser.newContext({ javaScriptEnabled: false, locale: "fr-FR" });
    try {
      const page = await context.newPage();
      await page.goto(server.url + P1);
      expect(await page.locator(".entity-map .map-canvas").count()).toBe(0);
      const caption = page.locator(".entity-map figcaption");
      expect(await caption.isVisible()).toBe(true);
      expect(await caption.textContent()).toContain("Coordonnées (WGS 84) : 48.84651, 2.34464");
    } finally {
      await context.close();
    }
  });

  it("fits a phone screen (375 px) and passes axe there", async () => {
    const page = await open(`/describe?uri=${encodeURIComponent("https://ror.org/01hcx6992")}`);
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.locator("h1").textContent()).toBe("Université Humboldt de Berlin");
    expect(await page.locator('strong[lang="de"]').textContent()).toBe("Humboldt-Universität zu Berlin");
    await page.locator(".entity-map .map-notice").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, "entity-phone-top.png") });
    await page.locator(".entity-map").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "entity-phone-map.png") });
    await screenshot(page, "entity-phone");
    expect(serious(await axe(page))).toEqual([]);
    expect(session.outside).toEqual([]);
  });
});
