// OpenRefine 3.x's own requests, replayed over real HTTP on the shipped
// sample: a form-encoded `queries=` batch keyed q0..q49, cells sent untrimmed
// as they are in the project, `type` with `type_strict: "should"`, and
// `properties` as OpenRefine writes them ({"pid": <what the user typed>, "v":
// <cell>}). OpenRefine treats any status >= 400 as the failure of the whole
// batch and leaves its rows unreconciled: whatever one cell holds, the batch is
// 200 and the 49 other rows are answered (issue 13).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { createApp } from "../server/app.ts";
import { serviceState, type ServiceState } from "../server/state.ts";
import { BASE, fetchReply, SAMPLE_DATA_DIR } from "./helpers.ts";
import { HAS_SPEC, schemaErrors } from "./spec-schemas.ts";

let server: Server;
let url = "";

beforeAll(async () => {
  const store = new RefStore();
  await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  const state: ServiceState = serviceState({ base: BASE }, { store, matcher: ReconciliationIndex.build(store, BASE) });
  server = createApp(state).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});
afterAll(() => server?.close());

/** The sample's establishments as a user's spreadsheet holds them: name, city, UAI. */
function rows(): { name: string; city: string; uai: string }[] {
  const dir = join(SAMPLE_DATA_DIR, "uai");
  const file = readdirSync(dir).find((f) => f.endsWith(".csv"))!;
  const records: Record<string, string>[] = parse(readFileSync(join(dir, file)), { delimiter: ";", columns: true, bom: true });
  return records.filter((r) => r.uo_lib && r.uai).map((r) => ({ name: r.uo_lib, city: r.com_nom ?? r.localite_acheminement ?? "", uai: r.uai }));
}

/** One query as OpenRefine's StandardReconConfig writes it. */
function openRefineQuery(cell: string, opts: { type?: string; cityPid?: string; city?: string } = {}) {
  return {
    query: cell,
    ...(opts.type ? { type: opts.type, type_strict: "should" } : {}),
    ...(opts.cityPid ? { properties: [{ pid: opts.cityPid, v: opts.city ?? "" }] } : {}),
    limit: 3,
  };
}

/** POST as OpenRefine does: application/x-www-form-urlencoded; charset=UTF-8, one `queries` field. */
const post = (path: string, batch: Record<string, unknown>) =>
  fetchReply(url + path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8" },
    body: new URLSearchParams({ queries: JSON.stringify(batch) }).toString(),
  });

// What one cell of a spreadsheet (or one setting typed by hand) can be.
const BAD: [string, (q: ReturnType<typeof openRefineQuery>) => unknown][] = [
  ["an empty cell", (q) => ({ ...q, query: "" })],
  ["a cell of spaces", (q) => ({ ...q, query: "   \t  " })],
  ["a cell over 1,000 characters", (q) => ({ ...q, query: `${q.query} ${"x".repeat(5000)}` })],
  ["control characters", (q) => ({ ...q, query: `${q.query}\u0000\u001b[0m` })],
  ["the type any", (q) => ({ ...q, type: "any" })],
  ["an unknown type", (q) => ({ ...q, type: "Q43229" })],
  ["a property id typed with a capital", (q) => ({ ...q, properties: [{ pid: "City", v: "Paris" }] })],
  ["an unknown property", (q) => ({ ...q, properties: [{ pid: "Mayor", v: "someone" }] })],
  ["a property value over 500 characters", (q) => ({ ...q, properties: [{ pid: "city", v: "Paris ".repeat(200) }] })],
  ["an empty property value and no name", () => ({ query: " ", properties: [{ pid: "city", v: "" }] })],
  ["a number as the cell", (q) => ({ ...q, query: 751717 })],
  ["a query that is not an object", () => "Sorbonne"],
  ["a query that is an array", () => [1, 2]],
  ["a limit of 0", (q) => ({ ...q, limit: 0 })],
  ["a bad type_strict", (q) => ({ ...q, type_strict: "maybe" })],
];

describe("OpenRefine 3.x's wire format", () => {
  const sample = rows();

  it("the sample has enough named establishments with UAIs to fill a batch", () => {
    expect(sample.length).toBeGreaterThanOrEqual(10);
  });

  /** 50 rows of the sample, cells untrimmed as OpenRefine sends them, reconciled with a type and the city column. */
  function batchOf50(): { batch: Record<string, ReturnType<typeof openRefineQuery>>; expected: string[] } {
    const batch: Record<string, ReturnType<typeof openRefineQuery>> = {};
    const expected: string[] = [];
    for (let i = 0; i < 50; i++) {
      const r = sample[i % sample.length];
      batch[`q${i}`] = openRefineQuery(` ${r.name}  `, { type: "CollegeOrUniversity", cityPid: "city", city: r.city });
      expected.push(r.uai);
    }
    return { batch, expected };
  }

  it.each(BAD)("one cell with %s: 200, and the 49 other rows are answered", async (_label, spoil) => {
    for (const path of ["/reconcile/uai", "/reconcile"]) {
      const { batch, expected } = batchOf50();
      const bad = 17;
      (batch as Record<string, unknown>)[`q${bad}`] = spoil(batch[`q${bad}`]);
      const r = await post(path, batch);
      expect(r.status, r.text.slice(0, 300)).toBe(200);
      if (HAS_SPEC) expect(schemaErrors("0.2", "reconciliation-result-batch", r.body)).toEqual([]);
      expect(Object.keys(r.body)).toHaveLength(50);
      for (let i = 0; i < 50; i++) {
        if (i === bad) continue;
        const ids = r.body[`q${i}`].result.map((c: { id: string }) => c.id.replace(/^.*\//, ""));
        expect(ids, `q${i} (${path})`).toContain(expected[i]);
      }
      // The bad row itself says what happened, when something did.
      const own = r.body[`q${bad}`];
      expect(Array.isArray(own.result)).toBe(true);
      if (own.error) expect(own.error.message).toMatch(/query "q17"/);
    }
  });

  it("a row refused outright says why, in a member OpenRefine ignores", async () => {
    const { batch } = batchOf50();
    (batch as Record<string, unknown>).q3 = { query: "   " };
    const r = await post("/reconcile/uai", batch);
    expect(r.body.q3).toEqual({ result: [], error: { code: "empty_query", message: expect.stringContaining("nothing to match") } });
  });

  it("a long cell is matched on its first 1,000 characters, with a warning", async () => {
    const r = await post("/reconcile/uai", { q0: openRefineQuery(`Université Paris 1 Panthéon-Sorbonne ${"a".repeat(2000)}`) });
    expect(r.body.q0.warnings).toContainEqual({ code: "truncated", message: expect.stringMatching(/first 1000/) });
  });

  it("a property named by its label or in another case is read as the property, and said so", async () => {
    const r = await post("/reconcile/uai", {
      q0: { query: "Université Grenoble", properties: [{ pid: "City", v: "Saint-Martin-d'Hères" }] },
      q1: { query: "Université", properties: [{ pid: "UAI identifier", v: "0751717J" }] },
    });
    expect(r.body.q0.result[0].features).toContainEqual({ id: "city_match", value: true });
    expect(r.body.q0.warnings[0]).toMatchObject({ code: "property_renamed" });
    expect(r.body.q1.result[0].id).toBe("0751717J");
  });

  it("`any` is no type constraint, without a warning", async () => {
    const r = await post("/reconcile/uai", { q0: openRefineQuery("Université Paris 1 Panthéon-Sorbonne", { type: "any" }) });
    expect(r.body.q0.result[0].id).toBe("0751717J");
    expect(r.body.q0.warnings).toBeUndefined();
  });
});
