// The W3C Entity Reconciliation Community Group's testbench (../shared/clients,
// builds of github.com/reconciliation-api/testbench at the 1.0 and 0.2
// protocols): served as static files on loopback, and the one request it makes
// outside, the SPARQL query to query.wikidata.org that lists known services,
// answered in the browser with refx's own endpoints.
import type { Server } from "node:http";
import { existsSync } from "node:fs";
import { join } from "node:path";
import express from "express";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { SHARED } from "../helpers.ts";

export const CLIENTS = join(SHARED, "clients");
export type TestbenchVersion = "1.0" | "0.2";
export const testbenchDir = (v: TestbenchVersion) => join(CLIENTS, `reconciliation-testbench-${v}`);
export const HAS_TESTBENCHES = existsSync(join(testbenchDir("1.0"), "index.html")) && existsSync(join(testbenchDir("0.2"), "index.html"));
export const SKIP_TESTBENCH_MESSAGE = `${CLIENTS}/reconciliation-testbench-{1.0,0.2} are absent: the tests that drive the real clients are skipped`;
if (!HAS_TESTBENCHES) console.warn(SKIP_TESTBENCH_MESSAGE);

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** Both builds at the paths they were built for (/testbench/1.0/, /testbench/0.2/), single-page apps with hash routes. */
export async function serveTestbenches(): Promise<StaticServer> {
  const app = express();
  for (const v of ["1.0", "0.2"] as const) app.use(`/testbench/${v}`, express.static(testbenchDir(v), { index: "index.html" }));
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface ListedService {
  name: string;
  endpoint: string;
}

/**
 * Answers the Services tab's SPARQL query (GET or POST to query.wikidata.org)
 * with these services, as Wikidata would list them (one item each).
 */
export async function answerServiceList(context: BrowserContext, services: ListedService[]): Promise<void> {
  const bindings = services.map((s, i) => ({
    service: { type: "uri", value: `http://www.wikidata.org/entity/Q${900000000 + i}` },
    serviceLabel: { type: "literal", "xml:lang": "en", value: s.name },
    endpoint: { type: "literal", value: s.endpoint },
  }));
  await context.route("https://query.wikidata.org/sparql**", (route) =>
    route.fulfill({
      status: 200,
      headers: { "Content-Type": "application/sparql-results+json", "Access-Control-Allow-Origin": "*" },
      body: JSON.stringify({ head: { vars: ["service", "serviceLabel", "endpoint"] }, results: { bindings } }),
    }),
  );
}

/** What to ask one service in the testbench, and what it must answer. */
export interface ServiceCase {
  name: string;
  /** Entity name to match, and the type, city and prefix to ask with. */
  query: string;
  /** The name the service shows for it (sources spell it "Paris-Nord" or "Paris Nord"). */
  shown: RegExp;
  type: string;
  city: string;
  prefix: string;
}

/** The testbench's validation warnings (manifest, responses) are bootstrap `alert-warning`s. */
export async function warnings(page: Page): Promise<string[]> {
  return page.locator(".alert-warning, .alert-danger").allInnerTexts();
}

/** Types `text` in a typeahead, waits for a suggestion showing `want`, picks it and closes the menu; returns every suggestion shown. */
export async function pick(input: Locator, text: string, want: string | RegExp): Promise<string[]> {
  await input.focus();
  // All but the last character at once, the last one as a keystroke: the typeahead asks for the whole
  // prefix once instead of once per character (typing each one cost seconds a service).
  await input.fill(text.slice(0, -1));
  await input.pressSequentially(text.slice(-1));
  const items = input.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' rbt ')][1]").locator(".rbt-menu .dropdown-item");
  const wanted = items.filter({ hasText: want }).first();
  await wanted.waitFor({ timeout: 15_000 });
  const shown = await items.allInnerTexts();
  await wanted.click();
  await input.page().keyboard.press("Escape");
  return shown;
}

/** The testbench's client page for one endpoint, its manifest read (the endpoint field turns green). */
export async function openClient(page: Page, testbench: string, v: TestbenchVersion, endpoint: string): Promise<void> {
  await page.goto(`${testbench}/testbench/${v}/#/client/${encodeURIComponent(endpoint)}`);
  await page.locator("#endpointField").waitFor();
  await page.locator(".form-group.has-success #endpointField").waitFor({ timeout: 20_000 });
}

const activePane = (page: Page) => page.locator(".tab-pane.active");

/** Match (1.0) or Reconcile (0.2) with a name, a type, a limit and a city; returns the candidates' names and the results' text. */
export async function match(page: Page, v: TestbenchVersion, c: ServiceCase, limit: number): Promise<{ names: string[]; text: string }> {
  await page.getByRole("tab", { name: v === "1.0" ? "Match" : "Reconcile" }).click();
  const pane = activePane(page);
  await pane.locator(`input[name=reconcileType][value=${c.type}]`).check();
  await pane.locator("#reconcileLimit").fill(String(limit));
  await pane.getByRole("button", { name: /add property/i }).click();
  if (v === "1.0") {
    await pick(pane.getByPlaceholder("Property id"), "cit", /^city/);
    await pane.getByPlaceholder("Property value").fill(c.city);
    await pane.getByPlaceholder("Name").fill(c.query);
    await pane.getByRole("button", { name: /^reconcile$/i }).click();
  } else {
    const group = pane.locator(".form-group").filter({ hasText: "Properties:" });
    await pick(group.locator("input.rbt-input-main").first(), "cit", /^city/);
    await group.locator("input[type=text]:not(.rbt-input-main):not([aria-hidden])").last().fill(c.city);
    await pane.locator("#reconcileName").fill(c.query);
    await pane.getByRole("button", { name: /^reconcile$/i }).click();
  }
  const results = pane.locator(".col-sm-4");
  await results.locator("h4").getByText(c.shown).first().waitFor({ timeout: 20_000 });
  return { names: await results.locator("h4.list-group-item-heading").allInnerTexts(), text: await results.innerText() };
}

/** Suggest: entity, type and property typeaheads each offer what was asked for. */
export async function suggest(page: Page, c: ServiceCase, typeName: string): Promise<{ entities: string[]; types: string[]; properties: string[] }> {
  await page.getByRole("tab", { name: "Suggest" }).click();
  const inputs = activePane(page).locator("input.rbt-input-main");
  const entities = await pick(inputs.nth(0), c.prefix, c.shown);
  const types = await pick(inputs.nth(1), typeName.slice(0, 5), typeName);
  const properties = await pick(inputs.nth(2), "cit", /^city/);
  return { entities, types, properties };
}

/** Preview: the entity picked by suggest is shown in the service's preview iframe; returns the iframe's text. */
export async function preview(page: Page, c: ServiceCase): Promise<string> {
  await page.getByRole("tab", { name: "Preview" }).click();
  const pane = activePane(page);
  await pick(pane.locator("input.rbt-input-main").first(), c.prefix, c.shown);
  const frame = pane.frameLocator("iframe");
  await frame.locator("body").getByText(c.shown).first().waitFor({ timeout: 20_000 });
  return frame.locator("body").innerText();
}

/** Extend: the entity picked by suggest, extended with its city; returns the results' text. */
export async function extend(page: Page, c: ServiceCase): Promise<string> {
  await page.getByRole("tab", { name: "Extend" }).click();
  const pane = activePane(page);
  const inputs = pane.locator("input.rbt-input-main");
  await pick(inputs.nth(0), c.prefix, c.shown);
  await pick(inputs.nth(1), "cit", /^city/);
  await pane.getByRole("button", { name: "Submit" }).click();
  const results = pane.locator(".col-sm-4");
  await results.getByText(c.city, { exact: false }).first().waitFor({ timeout: 20_000 });
  return results.innerText();
}
