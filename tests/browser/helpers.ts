// Browser tests: Debian's chromium driven by playwright-core (never a browser
// download), against the real express app on the shipped sample. Every
// request to a host other than the test server is refused and recorded, so a
// page that needs the outside world fails its test.
import type { Server } from "node:http";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { loadDataDir } from "../../data/load.ts";
import { RefStore } from "../../data/store.ts";
import { ReconciliationIndex } from "../../reconcile/index.ts";
import { createApp } from "../../server/app.ts";
import { serviceState, type ServiceState } from "../../server/state.ts";
import { BASE, PROJECT_ROOT, SAMPLE_DATA_DIR } from "../helpers.ts";

export const CHROMIUM = process.env.REFX_CHROMIUM ?? "/usr/bin/chromium";
export const HAS_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_CHROMIUM_MESSAGE = `${CHROMIUM} is absent (apt-get install chromium): browser tests are skipped`;
if (!HAS_CHROMIUM) console.warn(SKIP_CHROMIUM_MESSAGE);

/** Screenshots land here; the closing note of a change to the pages points to them. */
export const SCREENSHOTS = join(PROJECT_ROOT, "tests", ".tmp", "screenshots");

export interface SampleServer {
  url: string;
  state: ServiceState;
  close(): Promise<void>;
}

/** The real app on the shipped sample, listening on a free loopback port. */
export async function startSampleServer(): Promise<SampleServer> {
  const store = new RefStore();
  await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  const state: ServiceState = serviceState({ base: BASE }, { store, matcher: ReconciliationIndex.build(store, BASE), loadedAt: new Date() });
  const server: Server = createApp(state).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  return { url, state, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  /** Every URL the pages tried to reach outside the test server (refused). */
  outside: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** `otherOrigins`: loopback servers the pages may reach besides `serverUrl` (a client under test). */
export async function launch(serverUrl: string, viewport = { width: 1280, height: 900 }, otherOrigins: string[] = []): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: "fr-FR" });
  const outside: string[] = [];
  const errors: string[] = [];
  const origins = [serverUrl, ...otherOrigins].map((u) => new URL(u).origin);
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (origins.some((o) => u.startsWith(o)) || u.startsWith("data:") || u.startsWith("blob:")) return route.continue();
    outside.push(u);
    return route.abort("blockedbyclient");
  });
  const session: BrowserSession = {
    browser,
    context,
    outside,
    errors,
    async newPage() {
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console: ${m.text()}`);
      });
      return page;
    },
    close: () => browser.close(),
  };
  return session;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
