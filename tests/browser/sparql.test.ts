// The SPARQL editor page in a real browser: YASGUI loads from this server,
// an example query chosen from the list runs against /sparql and its rows
// fill the result table (checked against the endpoint's own answer), a
// malformed query shows the server's message, and nothing is ever asked of
// another host (the helper refuses and records such requests).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { EXAMPLES } from "../../server/sparql/examples.ts";
import { HAS_CHROMIUM, launch, screenshot, startSampleServer, type BrowserSession, type SampleServer } from "./helpers.ts";

const require = createRequire(import.meta.url);
let server: SampleServer;
let session: BrowserSession;

describe.skipIf(!HAS_CHROMIUM)("SPARQL editor page", () => {
  beforeAll(async () => {
    server = await startSampleServer();
    session = await launch(server.url);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  /** The visible tab's result table, as text cells (YASR's first column is the row number). */
  const tableRows = (page: Page) =>
    page.$$eval(".tabPanel.active .yasr table.dataTable tbody tr", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())),
    );

  /** Sets the active editor's text as a person would: focus, select all, type. */
  async function typeQuery(page: Page, text: string) {
    await page.click(".tabPanel.active .CodeMirror");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.insertText(text);
  }

  it("runs a chosen example into a result table, shows a malformed query's error, and asks no other host", async () => {
    const page = await session.newPage();
    const failed: string[] = [];
    page.on("requestfailed", (r) => failed.push(r.url()));
    await page.goto(`${server.url}/sparql`, { waitUntil: "networkidle" });
    expect(await page.getAttribute("html", "lang")).toBe("fr");
    await page.waitForSelector(".tabPanel.active .CodeMirror");
    // The store's prefixes are preloaded in the first query.
    const initial = await page.evaluate(() => (window as any).Yasgui && document.querySelector<any>(".tabPanel.active .CodeMirror").CodeMirror.getValue());
    expect(initial).toContain("PREFIX wdt: <http://www.wikidata.org/prop/direct/>");
    expect(initial).toContain("PREFIX schema: <http://schema.org/>");
    // The editor and the example list have accessible names.
    expect(await page.getAttribute(".tabPanel.active .CodeMirror textarea", "aria-label")).toBe("Éditeur de requête SPARQL");
    expect(await page.locator("label[for=sparql-example]").textContent()).toBe("Exemples de requêtes");

    // Choose an example: it opens in its own tab, the editor holds its text.
    const example = EXAMPLES.find((e) => e.id === "academy-labs")!;
    await page.selectOption("#sparql-example", example.id);
    await page.waitForFunction((text) => document.querySelector<any>(".tabPanel.active .CodeMirror")?.CodeMirror.getValue() === text, example.text);
    expect(await page.textContent(".tabsList .tab.active")).toContain("Exemple");

    // Run it from the keyboard (Ctrl+Enter in the editor): the request goes to this server's /sparql.
    const request = page.waitForRequest((r) => r.url().startsWith(`${server.url}/sparql`) && r.method() === "POST");
    await page.click(".tabPanel.active .CodeMirror");
    await page.keyboard.press("Control+Enter");
    expect((await request).postDataJSON?.() ?? (await request).postData()).toBeTruthy();
    await page.waitForSelector(".tabPanel.active .yasr table.dataTable tbody tr td");
    await page.waitForFunction(() => /ligne\(s\) de résultat/.test(document.getElementById("sparql-status")?.textContent ?? ""));

    // The table holds what the endpoint answers for the same query, row by row.
    const expected = (await (await fetch(`${server.url}/sparql?${new URLSearchParams({ query: example.text })}`, { headers: { Accept: "application/sparql-results+json" } })).json()) as {
      head: { vars: string[] };
      results: { bindings: Record<string, { value: string }>[] };
    };
    expect(expected.results.bindings.length).toBeGreaterThan(2);
    const rows = await tableRows(page);
    expect(rows).toHaveLength(expected.results.bindings.length);
    const uaiCol = expected.head.vars.indexOf("uai") + 1; // +1: the row number column
    const nameCol = expected.head.vars.indexOf("establishment") + 1;
    expected.results.bindings.forEach((b, i) => {
      expect(rows[i][0]).toBe(String(i + 1));
      expect(rows[i][uaiCol]).toBe(b.uai.value);
      expect(rows[i][nameCol]).toContain(b.establishment.value);
    });
    expect(await page.textContent("#sparql-status")).toBe(`${rows.length} ligne(s) de résultat en ${await page.evaluate(() => /en (\d+) ms/.exec(document.getElementById("sparql-status")!.textContent!)![1])} ms`);
    await screenshot(page, "sparql-example-results");
    // axe on the editor with its result table: no critical or serious violation (YASGUI's own controls included).
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const axe = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ["violations"] }));
    // CodeMirror's scroller holds no focusable element, but the editor's caret (its hidden textarea) scrolls it from the
    // keyboard: that one finding is set aside, nothing else.
    const serious = axe.violations
      .filter((v: { impact: string }) => v.impact === "critical" || v.impact === "serious")
      .map((v: { id: string; nodes: { target: string[] }[] }) =>
        v.id === "scrollable-region-focusable" ? { ...v, nodes: v.nodes.filter((n) => !n.target.join(" ").endsWith(".CodeMirror-scroll")) } : v,
      )
      .filter((v: { nodes: unknown[] }) => v.nodes.length);
    expect(serious.map((v: { id: string; nodes: { target: string[] }[] }) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

    // A malformed query: the server's 400 message is shown, in the live status line and by YASR.
    await typeQuery(page, "SELECT ?s WHERE { ?s ?p }}");
    await page.click(".tabPanel.active .CodeMirror");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() => /La requête a échoué/.test(document.getElementById("sparql-status")?.textContent ?? ""));
    const status = await page.textContent("#sparql-status");
    expect(status).toMatch(/^La requête a échoué : the query does not parse: /);
    expect(await page.getAttribute("#sparql-status", "aria-live")).toBe("polite");
    expect(await page.textContent(".tabPanel.active .yasr")).toContain("does not parse");
    await screenshot(page, "sparql-malformed-query");

    // Completion stays local: Ctrl+Space where a class goes asks LOV (another host) with YASGUI's defaults.
    await typeQuery(page, "");
    await page.keyboard.type("SELECT ?x WHERE { ?x a sch");
    await page.keyboard.press("Control+Space");
    await page.keyboard.type("ema:Org");
    await page.waitForTimeout(400);

    expect(session.outside).toEqual([]);
    expect(failed.filter((u) => !u.startsWith(server.url))).toEqual([]);
    expect(session.errors.filter((e) => e.startsWith("pageerror"))).toEqual([]);
    await page.close();
  });

  it("is usable at phone width, in English, and degrades to a plain form without JavaScript", async () => {
    const phone = await session.context.browser()!.newContext({ viewport: { width: 375, height: 800 }, locale: "en-GB", javaScriptEnabled: true });
    await phone.route("**/*", (route) => (route.request().url().startsWith(server.url) ? route.continue() : (session.outside.push(route.request().url()), route.abort())));
    const page = await phone.newPage();
    await page.goto(`${server.url}/sparql?lang=en`, { waitUntil: "networkidle" });
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.waitForSelector(".tabPanel.active .CodeMirror");
    expect(await page.textContent("h1")).toBe("SPARQL editor");
    // Nothing wider than the screen but the result table's own scroller.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.click(".tabPanel.active .yasqe_queryButton");
    await page.waitForSelector(".tabPanel.active .yasr table.dataTable tbody tr td");
    expect(await page.textContent("#sparql-status")).toMatch(/^\d+ result row\(s\) in \d+ ms$/);
    await screenshot(page, "sparql-phone");
    await phone.close();

    const noJs = await session.context.browser()!.newContext({ javaScriptEnabled: false });
    const plain = await noJs.newPage();
    await plain.goto(`${server.url}/sparql`);
    expect(await plain.isVisible("form[action='/sparql'] textarea[name=query]")).toBe(true);
    expect(await plain.isVisible("#sparql-tools")).toBe(false);
    await plain.click("form[action='/sparql'] button[type=submit]");
    expect(plain.url()).toContain("/sparql?query=");
    expect(await plain.textContent("body")).toContain('"bindings"');
    await noJs.close();
    expect(session.outside).toEqual([]);
  });
});
