// The W3C Entity Reconciliation Community Group's testbench, a client nobody
// here wrote, at both protocol versions (../shared/clients), driven in
// chromium against a refx on ../shared/data: for each of the six services the
// Services tab lists it with every feature, its manifest passes the
// testbench's own schema check, and Match (with a type, a limit and a city),
// Suggest, Preview and Extend work without a validation warning. 1.0 clients
// are given the E/v1 endpoints, 0.2 clients the E endpoints OpenRefine uses.
// One refx, one static server and one browser for the file. Skipped with a
// message when chromium, the shared data or the testbenches are absent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { ServiceId } from "../../reconcile/types.ts";
import { BASE, HAS_SHARED_DATA, SKIP_SHARED_MESSAGE } from "../helpers.ts";
import { serviceState } from "../../server/state.ts";
import { serveState, type Served } from "../ld-helpers.ts";
import { sharedMatcher, sharedStore } from "../shared-cache.ts";
import { HAS_CHROMIUM, launch, SKIP_CHROMIUM_MESSAGE, type BrowserSession } from "./helpers.ts";
import {
  answerServiceList, extend, HAS_TESTBENCHES, match, openClient, preview, serveTestbenches, SKIP_TESTBENCH_MESSAGE, suggest, warnings,
  type ServiceCase, type StaticServer, type TestbenchVersion,
} from "./testbench.ts";

const USPN = { query: "Université Sorbonne Paris Nord", shown: /Université Sorbonne Paris Nord/, type: "CollegeOrUniversity", typeName: "University", city: "Villetaneuse", prefix: "Sorbonne Paris N" };
const LIPN = { query: "Laboratoire d'Informatique de Paris-Nord", shown: /Laboratoire d.Informatique de Paris.Nord/, type: "ResearchOrganization", typeName: "Research structure", city: "Villetaneuse", prefix: "Laboratoire d'Informatique de Paris-N" };
const CASES: (ServiceCase & { service: ServiceId; typeName: string })[] = [
  { service: "uai", name: "refx UAI", ...USPN },
  { service: "rnsr", name: "refx RNSR", ...LIPN },
  { service: "siret", name: "refx SIRET", ...USPN },
  { service: "wikidata", name: "refx Wikidata", ...LIPN },
  { service: "ror", name: "refx ROR", ...LIPN },
  { service: "all", name: "refx all", ...USPN },
];

const skip = !HAS_CHROMIUM || !HAS_SHARED_DATA || !HAS_TESTBENCHES;
if (skip) console.warn(`testbench tests skipped: ${[!HAS_CHROMIUM && SKIP_CHROMIUM_MESSAGE, !HAS_SHARED_DATA && SKIP_SHARED_MESSAGE, !HAS_TESTBENCHES && SKIP_TESTBENCH_MESSAGE].filter(Boolean).join("; ")}`);

describe.skipIf(skip)("the reconciliation testbench, 1.0 and 0.2, on ../shared/data", () => {
  let refx: Served;
  let testbench: StaticServer;
  let session: BrowserSession;
  const endpoint = (c: { service: ServiceId }, v: TestbenchVersion) =>
    `${refx.url}/reconcile${c.service === "all" ? "" : `/${c.service}`}${v === "1.0" ? "/v1" : ""}`;

  beforeAll(async () => {
    const { store, report } = await sharedStore();
    refx = await serveState(serviceState({ base: BASE }, { store, report, loadedAt: new Date(), matcher: await sharedMatcher() }));
    testbench = await serveTestbenches();
    session = await launch(refx.url, undefined, [testbench.url]);
    // Wikidata lists each service once an endpoint; both endpoints of each are offered to both testbenches.
    await answerServiceList(session.context, CASES.flatMap((c) => [{ name: `${c.name} 1.0`, endpoint: endpoint(c, "1.0") }, { name: c.name, endpoint: endpoint(c, "0.2") }]));
  }, 600_000);
  afterAll(async () => {
    await session?.close();
    await testbench?.close();
    refx?.close();
  });

  // Issue 13: the RNSR record and the Wikidata item of one laboratory, which no source links, are one candidate.
  it("/reconcile answers each establishment once, so LIPN is auto-matched and SIRICE suggested once", async () => {
    const r = await fetch(`${refx.url}/reconcile`, { method: "POST", body: new URLSearchParams({ queries: JSON.stringify({ q0: { query: "LIPN" } }) }) });
    const [first, second] = (await r.json()).q0.result;
    expect(first.name).toMatch(/Laboratoire d.Informatique de Paris.Nord/);
    expect(first.match).toBe(true);
    expect(second?.name ?? "").not.toMatch(/Laboratoire d.Informatique de Paris.Nord/);
    const sirice = (await (await fetch(`${refx.url}/reconcile/suggest/entity?prefix=SIRICE`)).json()).result;
    expect(sirice.filter((e: { name: string }) => /Identit.s, relations internationales/i.test(e.name))).toHaveLength(1);
  });

  describe.each(["1.0", "0.2"] as const)("testbench %s", (v) => {
    /** A page of its own for each test, which fails on any reply of refx the testbench got with an error status. */
    async function openPage(): Promise<{ page: Page; failed: string[] }> {
      const page = await session.newPage();
      const failed: string[] = [];
      page.on("response", (r) => {
        if (r.url().startsWith(refx.url) && r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      return { page, failed };
    }

    it("lists the six services in its Services tab, each with every feature", async () => {
      const { page, failed } = await openPage();
      await page.goto(`${testbench.url}/testbench/${v}/`);
      for (const c of CASES) {
        const row = page.locator("tr").filter({ has: page.locator(`a[href="${endpoint(c, v)}"]`) });
        await row.locator(".glyphicon-ok").nth(6).waitFor({ timeout: 30_000 });
        expect(await row.innerText(), c.name).toContain(v === "1.0" ? "1.0-draft" : "0.2");
      }
      if (v === "1.0") {
        // E announces 0.2 only: the 1.0 testbench lists only the E/v1 endpoints.
        await expect.poll(() => page.getByRole("heading", { name: /Version 1\.x Endpoints/ }).innerText(), { timeout: 30_000 }).toBe("Version 1.x Endpoints (6)");
      }
      expect(failed).toEqual([]);
      await page.close();
    });

    // The six services at once, each in its own page: most of a case is the page waiting on the
    // testbench's typeahead and on replies, time the other pages use.
    it.concurrent.for(CASES)("$service: manifest without warning; Match, Suggest, Preview and Extend work", async (c, { expect }) => {
      const { page, failed } = await openPage();
      await openClient(page, testbench.url, v, endpoint(c, v));
      expect(await warnings(page), "manifest").toEqual([]);

      const found = await match(page, v, c, 3);
      expect(found.names[0]).toMatch(c.shown);
      expect(found.names.length).toBeLessThanOrEqual(3);
      // The city went to refx as a property: its candidates say how it compared.
      expect(found.text).toContain("city_match");
      expect(await warnings(page), "match response").toEqual([]);

      const suggested = await suggest(page, c, c.typeName);
      expect(suggested.entities.some((e) => e.split("\n").some((line) => c.shown.test(line)))).toBe(true);
      expect(suggested.types.join("\n")).toContain(c.type);
      expect(suggested.properties[0]).toMatch(/^city/);

      expect(await preview(page, c)).toMatch(new RegExp(c.city, "i"));

      expect((await extend(page, c)).toLowerCase()).toContain(c.city.toLowerCase());
      expect(await warnings(page), "suggest, preview and extend responses").toEqual([]);
      expect(failed).toEqual([]);
      await page.close();
    });
  });
});
