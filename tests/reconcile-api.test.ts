// The Reconciliation Service API (0.2 and 1.0-draft) over real HTTP, on the
// shipped sample: every kind of response is validated against the spec's
// JSON Schemas of both versions, the spec's invalid queries are refused, and
// bad input of every kind gets a 4xx with a JSON message, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { createApp } from "../server/app.ts";
import { serviceState, type ServiceState } from "../server/state.ts";
import { BASE, SAMPLE_DATA_DIR, fetchReply, type Reply } from "./helpers.ts";
import { HAS_SPEC, schemaErrors, SKIP_SPEC_MESSAGE, specExamples, type SchemaName, type SpecVersion } from "./spec-schemas.ts";

const SERVICES = ["uai", "rnsr", "siret", "wikidata", "ror", "all"] as const;
const path = (svc: (typeof SERVICES)[number]) => (svc === "all" ? "/reconcile" : `/reconcile/${svc}`);

async function listen(state: ServiceState): Promise<{ server: Server; url: string }> {
  const server = createApp(state).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const addr = server.address();
  return { server, url: `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}` };
}

let url = "";
let server: Server;

const call = (p: string, init?: RequestInit): Promise<Reply> => fetchReply(url + p, init);

const get = (p: string, params: Record<string, string> = {}) => call(`${p}${Object.keys(params).length ? "?" + new URLSearchParams(params) : ""}`);
const postForm = (p: string, fields: Record<string, string>) => call(p, { method: "POST", body: new URLSearchParams(fields) });
const postJson = (p: string, body: unknown) =>
  call(p, { method: "POST", headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
const queries02 = (batch: unknown) => ({ queries: JSON.stringify(batch) });
const nameQuery10 = (name: string, more: object = {}) => ({ queries: [{ conditions: [{ matchType: "name", propertyValue: name }], ...more }] });

/** Validates against the schema of each version given (both by default), unless the spec folder is absent. */
function conforms(data: unknown, name: SchemaName, versions: SpecVersion[] = ["0.2", "1.0-draft"]): void {
  if (!HAS_SPEC) return;
  for (const v of versions) expect(schemaErrors(v, name, data), `${name} ${v}`).toEqual([]);
}

function refused(r: Reply, status = 400): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get("content-type")).toMatch(/application\/json/);
  expect(typeof r.body?.error).toBe("string");
  expect(r.body.message.length).toBeGreaterThan(10);
}

beforeAll(async () => {
  const store = new RefStore();
  await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  const state: ServiceState = serviceState({ base: BASE }, { store, matcher: ReconciliationIndex.build(store, BASE) });
  ({ server, url } = await listen(state));
});
afterAll(() => server?.close());

describe("spec schemas", () => {
  it.skipIf(!HAS_SPEC)("are loaded (otherwise: " + SKIP_SPEC_MESSAGE + ")", () => {
    expect(schemaErrors("0.2", "manifest", {})).not.toEqual([]);
    expect(schemaErrors("1.0-draft", "manifest", {})).not.toEqual([]);
  });
});

describe("manifests", () => {
  // Issue 13: a manifest announces the one version its shape follows (0.2 at E, 1.0-draft at E/v1).
  it.each(SERVICES)("%s: the default manifest is 0.2's and announces 0.2", async (svc) => {
    const r = await get(path(svc));
    expect(r.status).toBe(200);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    conforms(r.body, "manifest", ["0.2"]);
    expect(r.body.versions).toEqual(["0.2"]);
    expect(r.body.batchSize).toBe(50);
    expect(r.body.schemaSpace).toBe("http://schema.org/Organization");
    expect(r.body.defaultTypes.length).toBeGreaterThan(0);
    expect(r.body.suggest.entity).toEqual({ service_url: url + path(svc), service_path: "/suggest/entity" });
    expect(r.body.preview.url).toBe(`${url}${path(svc)}/preview?id={{id}}`);
    expect(r.body.extend.propose_properties).toEqual({ service_url: url + path(svc), service_path: "/properties" });
  });

  it.each(SERVICES)("%s: ?version=1.0-draft differs only by 1.0-draft's suggest booleans and view template", async (svc) => {
    const [v02, v10] = [(await get(path(svc))).body, (await get(path(svc), { version: "1.0-draft" })).body];
    conforms(v10, "manifest", ["1.0-draft"]);
    expect(v10.suggest).toEqual({ entity: true, type: true, property: true });
    expect({ ...v10, suggest: v02.suggest, view: v02.view, versions: v02.versions }).toEqual(v02);
    expect(v10.versions).toEqual(["1.0-draft"]);
  });

  it.each(SERVICES)("%s: E/v1 is the same service with the 1.0-draft manifest, its sub-services under E/v1", async (svc) => {
    const m = (await get(`${path(svc)}/v1`)).body;
    conforms(m, "manifest", ["1.0-draft"]);
    expect(m.versions).toEqual(["1.0-draft"]);
    expect(m.suggest).toEqual({ entity: true, type: true, property: true });
    expect(m.preview.url).toBe(`${url}${path(svc)}/v1/preview?id={{id}}`);
    const r = await postJson(`${path(svc)}/v1/match`, nameQuery10("Sorbonne"));
    expect(r.status).toBe(200);
    conforms(r.body, "reconciliation-result-batch", ["1.0-draft"]);
    expect((await get(`${path(svc)}/v1/suggest/entity`, { prefix: "Sorb" })).status).toBe(200);
  });

  it("names identifier spaces and view templates that give each entity's URI", async () => {
    const expected: Record<string, [string, string]> = {
      uai: [`${BASE}/id/uai/`, `${BASE}/id/uai/{{id}}`],
      rnsr: [`${BASE}/id/rnsr/`, `${BASE}/id/rnsr/{{id}}`],
      siret: [`${BASE}/id/siret/`, `${BASE}/id/siret/{{id}}`],
      wikidata: ["http://www.wikidata.org/entity/", "https://www.wikidata.org/wiki/{{id}}"],
      ror: ["https://ror.org/", "https://ror.org/{{id}}"],
      all: [`${BASE}/id/`, "{{id}}"],
    };
    for (const svc of SERVICES) {
      const m = (await get(path(svc))).body;
      expect([m.identifierSpace, m.view.url], svc).toEqual(expected[svc]);
    }
    expect((await get("/reconcile/uai", { version: "1.0-draft" })).body.view.url).toBe(`${BASE}/id/uai/{id}`);
    expect((await get("/reconcile", { version: "1.0-draft" })).body.view.url).toBe("{+id}");
  });

  it("refuses an unknown version", async () => {
    refused(await get("/reconcile/uai", { version: "2.0" }));
  });
});

describe("reconciliation, 0.2", () => {
  it("finds Université Paris 1 by its name, by GET and by form POST", async () => {
    const batch = { q0: { query: "Université Paris 1 Panthéon-Sorbonne" }, q1: { query: "Sorbonne Université", type: "CollegeOrUniversity", limit: 2 } };
    for (const r of [await get("/reconcile/uai", queries02(batch)), await postForm("/reconcile/uai", queries02(batch))]) {
      expect(r.status).toBe(200);
      conforms(r.body, "reconciliation-result-batch", ["0.2"]);
      const first = r.body.q0.result[0];
      expect(first.id).toBe("0751717J");
      expect(first.name).toBe("Université Paris 1 Panthéon-Sorbonne");
      expect(first.match).toBe(true);
      expect(first.description).toMatch(/Paris/);
      expect(first.type).toContainEqual({ id: "CollegeOrUniversity", name: "University" });
      expect(first.features.length).toBeGreaterThan(0);
      expect(r.body.q1.result.length).toBeLessThanOrEqual(2);
      expect(r.body.q1.result[0].id).toBe("0755890V");
    }
  });

  it("accepts properties as strings, numbers, arrays and {id, name} objects", async () => {
    const batch = {
      q0: { query: "Université Grenoble", properties: [{ pid: "city", v: "Saint-Martin-d'Hères" }, { pid: "country", v: ["FR", { id: "Q142", name: "France" }] }] },
      q1: { properties: [{ pid: "siren", v: 197517170 }] },
      q2: { query: "Paris 1", properties: [{ pid: "wikidata", v: { id: "http://www.wikidata.org/entity/Q999763", name: "Paris 1" } }] },
      q3: { properties: [{ pid: "uai", v: { id: `${BASE}/id/uai/0751717J` } }] },
    };
    const r = await postForm("/reconcile/uai", queries02(batch));
    expect(r.status, r.text).toBe(200);
    conforms(r.body, "reconciliation-result-batch", ["0.2"]);
    expect(r.body.q0.result[0].id).toBe("0383546Y");
    for (const q of ["q1", "q2", "q3"]) expect(r.body[q].result[0]?.id, q).toBe("0751717J");
  });

  it("passes type_strict through and takes several types", async () => {
    const strict = await get("/reconcile", queries02({ q0: { query: "Sorbonne", type: "ResearchOrganization", type_strict: "all", limit: 10 } }));
    expect(strict.body.q0.result.length).toBeGreaterThan(0);
    for (const c of strict.body.q0.result) expect(c.type.map((t: any) => t.id)).toContain("ResearchOrganization");
    const several = await get("/reconcile", queries02({ q0: { query: "Sorbonne", type: ["ResearchOrganization", "CollegeOrUniversity"], type_strict: "any" } }));
    expect(several.status).toBe(200);
    conforms(several.body, "reconciliation-result-batch", ["0.2"]);
    const kinds = new Set(several.body.q0.result.flatMap((c: any) => c.type.map((t: any) => t.id)));
    expect(kinds.has("ResearchOrganization") && kinds.has("CollegeOrUniversity")).toBe(true);
  });

  it("answers the all service with entity URIs", async () => {
    const r = await get("/reconcile", queries02({ q0: { query: "Humboldt-Universität zu Berlin" }, q1: { query: "LIPN" } }));
    expect(r.body.q0.result[0].id).toBe("http://www.wikidata.org/entity/Q990000005");
    expect(r.body.q1.result[0].id).toBe(`${BASE}/id/rnsr/199811842K`);
  });

  it("caps limit at 100 and defaults it to 5", async () => {
    const r = await get("/reconcile", queries02({ q0: { query: "université" }, q1: { query: "université", limit: 1000 } }));
    expect(r.body.q0.result.length).toBeLessThanOrEqual(5);
    expect(r.body.q1.result.length).toBeGreaterThan(5);
  });
});

describe("reconciliation, 1.0-draft", () => {
  it("finds Humboldt-Universität zu Berlin in ROR", async () => {
    const r = await postJson("/reconcile/ror/reconcile", nameQuery10("Humboldt-Universität zu Berlin"));
    expect(r.status, r.text).toBe(200);
    conforms(r.body, "reconciliation-result-batch", ["1.0-draft"]);
    const first = r.body.results[0].candidates[0];
    expect(first.id).toBe("01hcx6992");
    expect(first.match).toBe(true);
    for (const f of first.features) expect(typeof f.name).toBe("string");
  });

  it("keeps the order of the batch and honours conditions", async () => {
    const r = await postJson("/reconcile/uai/reconcile", {
      queries: [
        { conditions: [{ matchType: "name", propertyValue: "Université Paris 1 Panthéon-Sorbonne" }], limit: 3 },
        { conditions: [{ matchType: "property", propertyId: "ror", propertyValue: "https://ror.org/02rx3b187" }] },
        { conditions: [{ matchType: "name", propertyValue: "Université" }, { matchType: "property", propertyId: "city", propertyValue: "Toulouse", required: true }], limit: 10 },
        { conditions: [{ matchType: "name", propertyValue: "Université" }, { matchType: "property", propertyId: "city", propertyValue: ["Paris", "Saint-Martin-d'Hères"], matchQuantifier: "none" }], type: "CollegeOrUniversity", limit: 20 },
        { conditions: [{ matchType: "id", propertyValue: ["0381838S", "0000000X"] }] },
      ],
    });
    expect(r.status, r.text).toBe(200);
    conforms(r.body, "reconciliation-result-batch", ["1.0-draft"]);
    const [q0, q1, q2, q3, q4] = r.body.results.map((x: any) => x.candidates);
    expect(q0[0].id).toBe("0751717J");
    expect(q1[0].id).toBe("0383546Y");
    expect(q2.map((c: any) => c.id)).toEqual(["0311384L"]);
    expect(q3.length).toBeGreaterThan(0);
    for (const c of q3) expect(c.description).not.toMatch(/Paris|Martin-d'H/);
    expect(q4).toEqual([expect.objectContaining({ id: "0381838S", score: 100, match: true })]);
  });

  it("also takes a 1.0-draft body posted to the endpoint itself", async () => {
    const r = await postJson("/reconcile/ror", nameQuery10("Humboldt-Universität zu Berlin"));
    expect(r.body.results[0].candidates[0].id).toBe("01hcx6992");
  });
});

describe("the spec's invalid query batches", () => {
  const invalid02 = HAS_SPEC ? specExamples("0.2", "reconciliation-query-batch", "invalid") : [];
  const invalid10 = HAS_SPEC ? specExamples("1.0-draft", "reconciliation-query-batch", "invalid") : [];

  // Issue 13: a query that cannot be answered is that query's error, not the batch's 400; only a body
  // that is no batch at all (no root object, 0.2's format sent as 1.0-draft) is refused whole.
  it.skipIf(!HAS_SPEC)("are answered 200, each query with an error or a warning that says why (0.2, as queries=)", async () => {
    expect(invalid02.map((e) => e.file)).toEqual(expect.arrayContaining(["empty-properties.json", "empty-query.json", "misnamed-property.json"]));
    for (const e of invalid02) {
      const r = await postForm("/reconcile/uai", { queries: e.text });
      expect(r.status, e.file).toBe(200);
      conforms(r.body, "reconciliation-result-batch", ["0.2"]);
      for (const q of Object.values<any>(r.body)) expect(q.error ?? q.warnings?.[0], e.file).toMatchObject({ code: expect.any(String), message: expect.stringMatching(/query/) });
    }
  });

  it.skipIf(!HAS_SPEC)("are answered per query, or refused with 400 when the body is no batch (1.0-draft, as a JSON body)", async () => {
    expect(invalid10.map((e) => e.file)).toEqual(expect.arrayContaining(["empty-conditions.json", "empty-query.json", "missing-match-type.json", "old-format.json"]));
    for (const e of invalid10) {
      const r = await postJson("/reconcile/uai/match", e.text);
      if (["no-root-object.json", "old-format.json"].includes(e.file)) {
        refused(r);
        continue;
      }
      expect(r.status, e.file).toBe(200);
      conforms(r.body, "reconciliation-result-batch", ["1.0-draft"]);
      for (const q of r.body.results) expect(q.error ?? q.warnings?.[0], e.file).toMatchObject({ code: expect.any(String) });
    }
  });

  it.skipIf(!HAS_SPEC)("the valid ones are answered, with warnings naming only the spec's made-up property and type ids", async () => {
    for (const e of specExamples("0.2", "reconciliation-query-batch", "valid")) {
      const r = await postForm("/reconcile/uai", { queries: e.text });
      expect(r.status, e.file).toBe(200);
      for (const q of Object.values<any>(r.body)) for (const w of q.warnings ?? []) expect(w.code, e.file).toMatch(/unknown_(property|type)/);
    }
    const r = await postForm("/reconcile/uai", { queries: specExamples("0.2", "reconciliation-query-batch", "valid").find((e) => e.file === "example-min.json")!.text });
    expect(r.status).toBe(200);
  });
});

describe("bad input", () => {
  // Issue 13: ignored with a warning that names them and the valid ids (was a 400 for the whole batch).
  it("ignores unknown properties and types with a warning naming them and the valid ids", async () => {
    const pid = await get("/reconcile/uai", queries02({ q0: { query: "Sorbonne", properties: [{ pid: "mayor", v: "y" }] } }));
    expect(pid.status).toBe(200);
    expect(pid.body.q0.result.length).toBeGreaterThan(0);
    expect(pid.body.q0.warnings[0].code).toBe("unknown_property");
    expect(pid.body.q0.warnings[0].message).toMatch(/"mayor".*city, postcode/);
    const type = await postJson("/reconcile/uai/reconcile", nameQuery10("Sorbonne", { type: "Person" }));
    expect(type.status).toBe(200);
    expect(type.body.results[0].candidates.length).toBeGreaterThan(0);
    expect(type.body.results[0].warnings[0].message).toMatch(/"Person".*CollegeOrUniversity/);
  });

  it("refuses malformed JSON, empty queries and empty batches", async () => {
    refused(await get("/reconcile/uai", { queries: "{q0: not json" }));
    refused(await postJson("/reconcile/uai/reconcile", '{"queries": [ {'));
    refused(await get("/reconcile/uai", queries02({})));
    refused(await get("/reconcile/uai", queries02([{ query: "x" }])));
    // Issue 13: an empty query is that query's error, a bad limit or type_strict a warning; the batch is 200.
    for (const q of [{}, { query: "   " }, { query: "", properties: [{ pid: "city", v: "" }] }]) {
      const r = await get("/reconcile/uai", queries02({ q0: q, q1: { query: "Sorbonne" } }));
      expect(r.status).toBe(200);
      expect(r.body.q0).toMatchObject({ result: [], error: { code: "empty_query" } });
      expect(r.body.q1.result.length).toBeGreaterThan(0);
    }
    expect((await get("/reconcile/uai", queries02({ q0: { query: "Sorbonne", limit: 0 } }))).body.q0.warnings[0].code).toBe("bad_limit");
    expect((await get("/reconcile/uai", queries02({ q0: { query: "Sorbonne", type_strict: "maybe" } }))).body.q0.warnings[0].code).toBe("bad_type_strict");
    refused(await postJson("/reconcile/uai/reconcile", { queries: [] }));
    refused(await call("/reconcile/uai/reconcile", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "hello" }), 415);
  });

  it("refuses a batch larger than batchSize with 400", async () => {
    const batch = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`q${i}`, { query: "Paris" }]));
    const r = await postForm("/reconcile/uai", queries02(batch));
    refused(r);
    expect(r.body.message).toMatch(/51.*50/);
    refused(await postJson("/reconcile/uai/reconcile", { queries: Array.from({ length: 51 }, () => ({ conditions: [{ matchType: "name", propertyValue: "Paris" }] })) }));
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`q${i}`, { query: "Paris" }]));
    expect((await postForm("/reconcile/uai", queries02(fifty))).status).toBe(200);
  });

  it("answers a 10 MB body with 413 and a JSON message", async () => {
    const big = "x".repeat(10 * 1024 * 1024);
    refused(await postForm("/reconcile/uai", { queries: big }), 413);
    refused(await postJson("/reconcile/uai/reconcile", `{"queries": [], "pad": "${big}"}`), 413);
  });

  it("refuses control characters outside cells, and reads them as spaces in cells", async () => {
    // Issue 13: in a query they are spaces, with a warning (was a 400 for the whole batch).
    const cell = await get("/reconcile/uai", queries02({ q0: { query: "Paris\u0000 1" } }));
    expect(cell.status).toBe(200);
    expect(cell.body.q0.warnings[0].code).toBe("control_characters");
    expect((await postJson("/reconcile/uai/reconcile", nameQuery10("Sorbonne\u001b[31m"))).body.results[0].warnings[0].code).toBe("control_characters");
    refused(await get("/reconcile/uai/suggest/entity", { prefix: "Sor\u0007" }));
    // Tabs and line breaks are whitespace in a spreadsheet cell: accepted.
    expect((await get("/reconcile/uai", queries02({ q0: { query: "Université Paris 1\n\tPanthéon-Sorbonne" } }))).body.q0.result[0].id).toBe("0751717J");
  });

  it("never answers 500 to injection-looking input, and never reflects it as markup", async () => {
    const nasty = ["' OR 1=1 --", '"} UNION SELECT * WHERE { ?s ?p ?o }', "<script>alert(1)</script>", "${jndi:ldap://x/a}", "../../etc/passwd", "{{id}}"];
    for (const s of nasty) {
      refused(await get("/reconcile/uai", { queries: s }));
      refused(await get("/reconcile/uai", { extend: s }));
      const q = await get("/reconcile/uai", queries02({ q0: { query: s } }));
      expect(q.status).toBe(200);
      conforms(q.body, "reconciliation-result-batch", ["0.2"]);
      const sug = await get("/reconcile/uai/suggest/entity", { prefix: s });
      expect(sug.status).toBe(200);
      conforms(sug.body, "suggest-entities-response");
      const prev = await get("/reconcile/uai/preview", { id: s });
      refused(prev, 404);
      // JSON with <, > and & escaped: no browser sniffing can make markup of it.
      expect(prev.text).not.toMatch(/[<>]/);
      expect(prev.headers.get("x-content-type-options")).toBe("nosniff");
    }
    refused(await get("/reconcile/uai", { queries: "{}", callback: "alert(1)//" }));
  });

  it("keeps query ids that are JavaScript's special names as plain keys", async () => {
    const r = await get("/reconcile/uai", { queries: '{"__proto__": {"query": "Sorbonne"}, "constructor": {"query": "Paris 1"}}' });
    expect(r.status).toBe(200);
    expect(Object.keys(JSON.parse(r.text))).toEqual(["__proto__", "constructor"]);
  });

  it("refuses a field given twice and unknown methods", async () => {
    refused(await call("/reconcile/uai?queries=%7B%7D&queries=%7B%7D"));
    refused(await get("/reconcile/uai/reconcile"), 405);
    refused(await call("/reconcile/uai", { method: "PUT" }), 405);
    refused(await postJson("/reconcile/uai", { something: "else" }));
  });
});

describe("suggest", () => {
  it("suggests entities by prefix, with cursor", async () => {
    const r = await get("/reconcile/uai/suggest/entity", { prefix: "Sorbonne" });
    expect(r.status).toBe(200);
    conforms(r.body, "suggest-entities-response");
    expect(r.body.result.map((e: any) => e.id)).toContain("0755890V");
    const all = (await get("/reconcile/uai/suggest/entity", { prefix: "univ", limit: "4" })).body.result;
    const next = (await get("/reconcile/uai/suggest/entity", { prefix: "univ", limit: "2", cursor: "2" })).body.result;
    expect(next.map((e: any) => e.id)).toEqual(all.slice(2, 4).map((e: any) => e.id));
    expect((await get("/reconcile/uai/suggest/entity", { prefix: "" })).body).toEqual({ result: [] });
  });

  it("suggests types and properties", async () => {
    const types = await get("/reconcile/suggest/type", { prefix: "univ" });
    conforms(types.body, "suggest-types-response");
    expect(types.body.result.map((t: any) => t.id)).toEqual(["CollegeOrUniversity"]);
    expect((await get("/reconcile/suggest/type", { prefix: "" })).body.result.length).toBe(7);
    const props = await get("/reconcile/uai/suggest/property", { prefix: "ci" });
    conforms(props.body, "suggest-properties-response");
    expect(props.body.result.map((p: any) => p.id)).toEqual(["city"]);
    expect((await get("/reconcile/uai/suggest/property", { prefix: "" })).body.result.length).toBe(10);
    refused(await get("/reconcile/uai/suggest/type", { prefix: "x", limit: "-1" }));
  });
});

describe("preview", () => {
  it("renders an escaped HTML card with links to the registries", async () => {
    const r = await get("/reconcile/uai/preview", { id: "0751717J" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/text\/html/);
    expect(r.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(r.text).toContain("Université Paris 1 Panthéon-Sorbonne");
    expect(r.text).toContain('href="https://ror.org/002t25c44"');
    expect(r.text).toContain('href="https://www.wikidata.org/wiki/Q999763"');
    expect(r.text).toContain(`href="${BASE}/id/uai/0751717J"`);
    expect(r.text).not.toMatch(/<script/i);
    const lab = await get("/reconcile/rnsr/preview", { id: "199811842K" });
    expect(lab.text).toMatch(/Parents<\/dt><dd>.*Université Sorbonne Paris Nord/);
    const ujf = await get("/reconcile/uai/preview", { id: "0381838S" });
    expect(ujf.text.match(/Université Grenoble Alpes/gi)?.length, "one link a successor").toBe(1);
    const all = await get("/reconcile/preview", { id: "https://ror.org/01hcx6992" });
    expect(all.status).toBe(200);
    expect(all.text).toContain("Berlin");
  });

  it("answers 404 for an unknown id and 400 without one", async () => {
    refused(await get("/reconcile/uai/preview", { id: "0000000X" }), 404);
    refused(await get("/reconcile/uai/preview"));
  });

  it("gives the structured preview of later 1.0 drafts", async () => {
    const r = await get("/reconcile/ror/structured-preview", { id: "01hcx6992" });
    expect(r.body).toMatchObject({ id: "01hcx6992", url: "https://ror.org/01hcx6992" });
    expect(r.body.tags).toContainEqual(["University", "http://schema.org/CollegeOrUniversity"]);
  });
});

describe("data extension", () => {
  it("proposes properties at 0.2's and 1.0-draft's paths", async () => {
    for (const p of ["/reconcile/uai/properties", "/reconcile/uai/extend/propose"]) {
      const r = await get(p, { type: "CollegeOrUniversity", limit: "30" });
      expect(r.status).toBe(200);
      conforms(r.body, "data-extension-property-proposal");
      expect(r.body.type).toBe("CollegeOrUniversity");
      const ids = r.body.properties.map((x: any) => x.id);
      for (const id of ["uai", "rnsr", "siren", "siret", "wikidata", "ror", "grid", "isni", "idref", "name", "city", "country", "coordinates", "type", "parent", "website", "foundingDate", "dissolutionDate"]) expect(ids).toContain(id);
    }
    expect((await get("/reconcile/uai/properties", { limit: "3" })).body.properties.length).toBe(3);
    expect((await get("/reconcile/uai/properties", { type: "" })).status).toBe(200);
    refused(await get("/reconcile/uai/properties", { type: "Person" }));
  });

  const query = { ids: ["0751717J", "0381838S", "0000000X"], properties: [{ id: "ror" }, { id: "wikidata" }, { id: "siret" }, { id: "coordinates" }, { id: "foundingDate" }, { id: "dissolutionDate" }, { id: "successor" }, { id: "name" }, { id: "type", settings: { limit: "1" } }] };

  it("extends in 0.2 (extend= by GET and form POST)", async () => {
    for (const r of [await get("/reconcile/uai", { extend: JSON.stringify(query) }), await postForm("/reconcile/uai", { extend: JSON.stringify(query) })]) {
      expect(r.status, r.text).toBe(200);
      conforms(r.body, "data-extension-response", ["0.2"]);
      expect(r.body.meta.map((m: any) => m.id)).toEqual(query.properties.map((p) => p.id));
      const p1 = r.body.rows["0751717J"];
      expect(p1.ror).toEqual([{ str: "002t25c44" }]);
      expect(p1.wikidata).toEqual([{ str: "Q999763" }]);
      expect(p1.siret).toContainEqual({ str: "19751717000019" });
      expect(p1.coordinates[0].str).toMatch(/^48\.\d+,2\.\d+$/);
      expect(p1.type).toEqual([{ str: "University" }]);
      const ujf = r.body.rows["0381838S"];
      expect(ujf.successor).toEqual([{ id: `${BASE}/id/uai/0383546Y`, name: "Université Grenoble Alpes" }]);
      expect(ujf.dissolutionDate[0].str).toMatch(/^2016/);
      expect(r.body.meta.find((m: any) => m.id === "successor").service).toBe(`${url}/reconcile`);
      expect(r.body.rows["0000000X"].ror).toEqual([]);
    }
  });

  it("extends in 1.0-draft (JSON body to E/extend)", async () => {
    const r = await postJson("/reconcile/rnsr/extend", { ids: ["199811842K"], properties: [{ id: "parent" }, { id: "wikidata" }, { id: "ror" }, { id: "city" }] });
    expect(r.status, r.text).toBe(200);
    conforms(r.body, "data-extension-response", ["1.0-draft"]);
    const [row] = r.body.rows;
    expect(row.id).toBe("199811842K");
    const parents = row.properties.find((p: any) => p.id === "parent").values;
    expect(parents).toContainEqual({ id: `${BASE}/id/uai/0931238R`, name: "Université Sorbonne Paris Nord" });
    expect(new Set(parents.map((p: any) => p.id)).size).toBe(parents.length);
    expect(row.properties.find((p: any) => p.id === "ror").values).toEqual([{ str: "03n6dz703" }]);
  });

  // Issue 13: an unknown property is an empty column and a bad setting its default (were 400s).
  it("answers unknown properties with an empty column, bad settings with the default, and refuses malformed queries", async () => {
    const r = await get("/reconcile/uai", { extend: JSON.stringify({ ids: ["0751717J"], properties: [{ id: "mayor" }, { id: "ror", settings: { limit: "many" } }] }) });
    expect(r.status).toBe(200);
    conforms(r.body, "data-extension-response", ["0.2"]);
    expect(r.body.rows["0751717J"].mayor).toEqual([]);
    expect(r.body.rows["0751717J"].ror).toEqual([{ str: "002t25c44" }]);
    refused(await get("/reconcile/uai", { extend: JSON.stringify({ ids: "0751717J", properties: [] }) }));
    refused(await get("/reconcile/uai", { extend: JSON.stringify({ ids: ["0751717J"], properties: [42] }) }));
  });
});

describe("cross-origin access", () => {
  it("answers CORS preflights", async () => {
    const r = await call("/reconcile/uai/reconcile", { method: "OPTIONS", headers: { Origin: "https://example.org", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } });
    expect(r.status).toBe(204);
    expect(r.headers.get("access-control-allow-origin")).toBe("*");
    expect(r.headers.get("access-control-allow-methods")).toMatch(/POST/);
    expect(r.headers.get("access-control-allow-headers")).toMatch(/content-type/i);
  });

  it("wraps GET responses in a JSONP callback, and refuses a callback that is not an identifier", async () => {
    const r = await get("/reconcile/uai/suggest/entity", { prefix: "Sorbonne", callback: "jQuery123_456" });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/application\/javascript/);
    const m = /^\/\*\*\/ typeof jQuery123_456 === 'function' && jQuery123_456\((.*)\);$/s.exec(r.text);
    expect(m).not.toBeNull();
    conforms(JSON.parse(m![1]), "suggest-entities-response");
    const manifest = await get("/reconcile/uai", { callback: "cb" });
    expect(manifest.text.startsWith("/**/ typeof cb === 'function' && cb({")).toBe(true);
    for (const bad of ["alert(1)", "a b", "1abc", "<script>", "x".repeat(200)]) refused(await get("/reconcile/uai", { callback: bad }));
  });
});

describe("while data loads", () => {
  it("serves manifests and fixed lists, and answers 503 where data is needed", async () => {
    const loading = await listen(serviceState({ base: BASE }));
    const at = (p: string, init?: RequestInit) => fetch(loading.url + p, init);
    try {
      expect((await at("/reconcile/uai")).status).toBe(200);
      expect((await at("/reconcile/uai/suggest/type?prefix=univ")).status).toBe(200);
      for (const res of [
        await at(`/reconcile/uai?${new URLSearchParams(queries02({ q0: { query: "Paris" } }))}`),
        await at("/reconcile/uai/reconcile", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(nameQuery10("Paris")) }),
        await at("/reconcile/uai/suggest/entity?prefix=Sorb"),
        await at("/reconcile/uai/preview?id=0751717J"),
        await at(`/reconcile/uai?extend=${encodeURIComponent(JSON.stringify({ ids: ["0751717J"], properties: [{ id: "ror" }] }))}`),
      ]) {
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toBeTruthy();
        expect((await res.json()).message).toMatch(/loading/);
      }
    } finally {
      loading.server.close();
    }
  });
});

describe("after all the bad requests", () => {
  it("still answers a good query", async () => {
    const r = await get("/reconcile/uai", queries02({ q0: { query: "Université Paris 1 Panthéon-Sorbonne" } }));
    expect(r.status).toBe(200);
    expect(r.body.q0.result[0].id).toBe("0751717J");
  });
});
