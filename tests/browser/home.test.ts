// The home page in a real browser (docs/web.md): the sources with their
// counts, the search combobox driven by the keyboard down to an entity page,
// stale answers never shown, the no-JS form, the phone layout, and the
// OpenRefine page. No request may leave the test server; axe finds no serious
// or critical accessibility violation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { datasetFacts } from "../../server/linked-data/catalog.ts";
import { axe, serious } from "./axe.ts";
import { HAS_CHROMIUM, launch, screenshot, SCREENSHOTS, startSampleServer, type BrowserSession, type SampleServer } from "./helpers.ts";

describe.skipIf(!HAS_CHROMIUM)("home page and search (browser)", () => {
  let server: SampleServer;
  let session: BrowserSession;
  // One page for the file: opening a page costs about a second on the CI machine.
  let shared: Page;
  const searches: string[] = [];

  beforeAll(async () => {
    server = await startSampleServer();
    session = await launch(server.url);
    shared = await session.newPage();
    session.context.on("request", (r) => {
      if (r.url().includes("/api/search")) searches.push(new URL(r.url()).searchParams.get("q") ?? "");
    });
  }, 60_000);
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  const open = async (path: string): Promise<Page> => {
    const res = await shared.goto(server.url + path);
    expect(res?.status(), path).toBe(200);
    return shared;
  };
  const combobox = (page: Page) => page.getByRole("combobox");
  const listbox = (page: Page) => page.getByRole("listbox");

  it("lists every source with its entity count, dates and licence, and passes axe", async () => {
    const page = await open("/");
    await expect(page.locator("h1").textContent()).resolves.toContain("Référentiels de l'enseignement supérieur");
    const facts = await datasetFacts(server.state.served!.store, server.state.config.base);
    const cards = page.locator("#sources > li");
    expect(await cards.count()).toBe(facts.length);
    for (const f of facts.filter((x) => x.source !== "links")) {
      const card = page.locator(`#sources > li[data-source="${f.source}"]`);
      const text = (await card.textContent()) ?? "";
      expect(text, f.source).toContain(`Entités${f.entities}`);
      expect(text, f.source).toContain(f.licenceLabel);
      expect(await card.getByRole("link", { name: f.licenceLabel }).getAttribute("href")).toBe(f.licence);
    }
    expect(await page.locator('#sources > li[data-source="links"]').textContent()).toMatch(/Liens owl:sameAs/);
    // The navigation: every section, the current one marked, and a language switch that keeps the path.
    const nav = page.getByRole("navigation", { name: "Navigation principale" });
    for (const [name, href] of [["Accueil", "/"], ["Rechercher", "/search"], ["Réconcilier un fichier", "/file"], ["SPARQL", "/sparql"], ["OpenRefine", "/openrefine"], ["Catalogue", "/catalog"]]) {
      expect(await nav.getByRole("link", { name, exact: true }).getAttribute("href"), name).toBe(href);
    }
    expect(await nav.getByRole("link", { name: "Accueil" }).getAttribute("aria-current")).toBe("page");
    expect(await nav.getByRole("link", { name: /EN/ }).getAttribute("href")).toBe("/?lang=en");
    await screenshot(page, "home-desktop");
    expect(serious(await axe(page))).toEqual([]);
    expect(session.outside).toEqual([]);
    expect(session.errors).toEqual([]);
  });

  it("suggests entities as the reader types, and the keyboard opens the chosen one", async () => {
    const page = await open("/");
    const input = combobox(page);
    await expect(input.getAttribute("aria-expanded")).resolves.toBe("false");
    const controls = await input.getAttribute("aria-controls");
    await input.focus();
    await page.keyboard.type("panth", { delay: 40 });
    await listbox(page).waitFor({ state: "visible" });
    expect(await listbox(page).getAttribute("id")).toBe(controls);
    expect(await input.getAttribute("aria-expanded")).toBe("true");
    const options = page.getByRole("option");
    const first = options.first();
    const text = (await first.textContent()) ?? "";
    expect(text).toContain("Université Paris 1 Panthéon-Sorbonne");
    expect(text).toContain("Université · Paris 5e · France");
    expect(text).toContain("UAI 0751717J");
    expect(text).toContain("ROR 002t25c44");
    // The last option leads to the full results page.
    expect(await options.last().textContent()).toContain("Tous les résultats pour « panth »");
    await expect.poll(() => page.locator("#q-status").textContent()).toMatch(/^\d+ suggestion/);

    await page.keyboard.press("ArrowDown");
    expect(await first.getAttribute("aria-selected")).toBe("true");
    expect(await input.getAttribute("aria-activedescendant")).toBe(await first.getAttribute("id"));
    await screenshot(page, "home-typeahead");
    // Escape closes, ArrowDown reopens on the same suggestions.
    await page.keyboard.press("Escape");
    expect(await input.getAttribute("aria-expanded")).toBe("false");
    await page.keyboard.press("ArrowDown");
    expect(await input.getAttribute("aria-expanded")).toBe("true");
    await Promise.all([page.waitForURL(`${server.url}/id/uai/0751717J`), page.keyboard.press("Enter")]);
    expect(await page.locator("h1").textContent()).toBe("Université Paris 1 Panthéon-Sorbonne");
    expect(session.outside).toEqual([]);
  });

  it("debounces typing and never shows a stale answer", async () => {
    const page = await open("/");
    const input = combobox(page);
    // The first query's answer is held back until after the second one's.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route("**/api/search?*", async (route) => {
      const q = new URL(route.request().url()).searchParams.get("q");
      if (q === "sorbonne") await held;
      await route.continue().catch(() => undefined);
    });
    searches.length = 0;
    await input.focus();
    await page.keyboard.type("sorbonne", { delay: 15 });
    await page.waitForTimeout(400);
    // Eight keystrokes, one request: the debounce waited for the pause.
    expect(searches).toEqual(["sorbonne"]);
    await input.fill("");
    await page.keyboard.type("humboldt", { delay: 15 });
    await listbox(page).waitFor({ state: "visible" });
    release();
    await page.waitForTimeout(300);
    const names = await page.locator('[role="option"] .hit-name').allTextContents();
    expect(names).toEqual(["université Humboldt de Berlin"]);
    await Promise.all([page.waitForURL(/\/describe\?uri=/), page.getByRole("option").first().click()]);
    expect(decodeURIComponent(page.url())).toContain("uri=http://www.wikidata.org/entity/Q990000005");
    await page.unroute("**/api/search?*");
  });

  it("works without JavaScript: the form submits to a results page", async () => {
    const context = await session.browser.newContext({ javaScriptEnabled: false, locale: "fr-FR" });
    const page = await context.newPage();
    await page.goto(server.url + "/");
    expect(await page.locator("#q").getAttribute("role")).toBeNull();
    await page.locator("#q").fill("sorbonne");
    await Promise.all([page.waitForURL(/\/search\?q=sorbonne/), page.getByRole("button", { name: "Rechercher" }).click()]);
    expect(await page.locator("h1").textContent()).toBe("Résultats pour « sorbonne »");
    const links = await page.locator("ol.results a.hit-name").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links).toContain("/id/uai/0755890V");
    expect(links).toContain("/id/uai/0751717J");
    expect(await page.locator("ol.results").textContent()).toContain("UAI 0755890V");
    await screenshot(page, "search-results-nojs");
    await context.close();
  });

  it("fits a phone screen (375 px) with the suggestions open", async () => {
    const page = await open("/?lang=en");
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await page.locator("h1").textContent()).toBe("French higher-education and research referentials");
    await combobox(page).focus();
    await page.keyboard.type("univ", { delay: 30 });
    await listbox(page).waitFor({ state: "visible" });
    expect(await page.getByRole("option").count()).toBeGreaterThan(2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await listbox(page).boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    // The viewport first: a full-page capture leaves the page scrolled elsewhere.
    await page.screenshot({ path: join(SCREENSHOTS, "home-phone-typeahead-top.png") });
    await screenshot(page, "home-phone-typeahead");
    await page.keyboard.press("Escape");
    await screenshot(page, "home-phone");
    expect(serious(await axe(page))).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("/openrefine shows the service URLs with a working copy button", async () => {
    await session.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
    const page = await open("/openrefine");
    expect(await page.getByLabel("Adresse du service Tous les référentiels").inputValue()).toBe(`${server.url}/reconcile`);
    expect(await page.getByLabel("Adresse du service UAI").inputValue()).toBe(`${server.url}/reconcile/uai`);
    for (const s of ["rnsr", "siret", "wikidata", "ror"]) expect(await page.locator(`#service-${s}`).inputValue()).toBe(`${server.url}/reconcile/${s}`);
    expect(await page.locator("ol.steps").textContent()).toMatch(/Ajouter un service standard/);
    const copy = page.locator('button[data-copy="service-uai"]');
    await copy.click();
    await expect.poll(() => page.locator("#copy-status").textContent()).toBe(`Adresse copiée : ${server.url}/reconcile/uai`);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${server.url}/reconcile/uai`);
    // The manifest the page points to answers.
    const manifest = await page.request.get(`${server.url}/reconcile/uai`);
    expect((await manifest.json()).name).toMatch(/UAI/);
    await screenshot(page, "openrefine");
    expect(serious(await axe(page))).toEqual([]);
    expect(session.outside).toEqual([]);
    expect(session.errors).toEqual([]);
  });
});
