// POST /api/affiliations and GET /api/affiliations?q= over real HTTP on the
// shipped sample: a laboratory and its tutelles found and linked, offsets that
// point into the string, a country used as evidence, batches answered in
// order, every kind of bad input refused with a 4xx in the API's error format,
// and every answer validated against the OpenAPI description the server
// publishes. Also whole affiliation strings sent to the reconciliation
// services (/reconcile, /reconcile/ror), which put the primary organisation first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { createApp } from "../server/app.ts";
import { serviceState, type ServiceState } from "../server/state.ts";
import { BASE, SAMPLE_DATA_DIR, fetchReply, type Reply } from "./helpers.ts";

let url = "";
let smallUrl = "";
let loadingUrl = "";
const servers: Server[] = [];
let openapi: any;
let ajv: Ajv2020;

async function listen(state: ServiceState): Promise<string> {
  const s = createApp(state).listen(0, "127.0.0.1");
  await new Promise((resolve) => s.once("listening", resolve));
  servers.push(s);
  const addr = s.address();
  return `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
}

const call = (path: string, init?: RequestInit, base = url): Promise<Reply> => fetchReply(base + path, init);

const post = (body: unknown, { base = url, query = "", type = "application/json" } = {}) =>
  call(`/api/affiliations${query}`, { method: "POST", headers: { "Content-Type": type }, body: typeof body === "string" ? body : JSON.stringify(body) }, base);
const get = (params: string, base = url) => call(`/api/affiliations${params}`, undefined, base);

/** The response is declared by the OpenAPI description for this method and status, and its JSON body validates against the declared schema. */
function conforms(r: Reply, method: "get" | "post", spec = openapi, validator = ajv): void {
  const op = spec.paths["/api/affiliations"]?.[method];
  expect(op, `${method} /api/affiliations is described`).toBeDefined();
  const declared = op.responses[String(r.status)];
  expect(declared, `${method} declares ${r.status}: ${r.text.slice(0, 300)}`).toBeDefined();
  expect(r.headers.get("content-type")).toMatch(/^application\/json/);
  const { $ref } = declared.content["application/json"].schema;
  const validate = validator.getSchema(`openapi.json${$ref}`)!;
  const ok = validate(r.body);
  expect(ok ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), `${method} ${r.status}`).toEqual([]);
}

function refused(r: Reply, method: "get" | "post", status: number, error: string, message: RegExp): void {
  expect(r.status, r.text).toBe(status);
  conforms(r, method);
  expect(r.body.error).toBe(error);
  expect(r.body.message).toMatch(message);
}

/** Every span of an answer points at its own text in `affiliation`. */
function spansHold(a: any): void {
  const orgs = [...a.organisations, ...(a.primary ? [a.primary] : [])];
  for (const o of orgs) {
    expect(a.affiliation.slice(o.mention.start, o.mention.end), `${o.id} mention`).toBe(o.mention.text);
    expect(o.mention.text.length).toBeGreaterThan(0);
  }
  for (const s of a.segments) expect(a.affiliation.slice(s.start, s.end), `segment ${s.kind}`).toBe(s.text);
}

const byId = (a: any, id: string) => a.organisations.find((o: any) => o.id === id);

const LIPN = `${BASE}/id/rnsr/199811842K`;
const USPN = `${BASE}/id/uai/0931238R`;
const CNRS = `${BASE}/id/uai/0753639Y`;
const LIPN_FULL = "Laboratoire d'informatique de Paris-Nord (LIPN), CNRS UMR 7030, Université Sorbonne Paris Nord, 93430 Villetaneuse, France";
const LIPN_SHORT = "LIPN, Université Sorbonne Paris Nord, Villetaneuse, France";
const HUMBOLDT_DEPT = "Department of Physics, Humboldt-Universität zu Berlin, Berlin, Germany";

beforeAll(async () => {
  const store = new RefStore();
  await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  const matcher = ReconciliationIndex.build(store, BASE);
  url = await listen(serviceState({ base: BASE }, { store, matcher }));
  // The limits come from the environment when the app is created: a server with small ones.
  process.env.REFX_API_AFFILIATIONS_MAX = "3";
  process.env.REFX_API_JSON_MAX_MB = "1";
  try {
    smallUrl = await listen(serviceState({ base: BASE }, { store, matcher }));
  } finally {
    delete process.env.REFX_API_AFFILIATIONS_MAX;
    delete process.env.REFX_API_JSON_MAX_MB;
  }
  loadingUrl = await listen(serviceState({ base: BASE }));
  openapi = (await call("/api/openapi.json")).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  formats.default(ajv);
  ajv.addSchema(openapi, "openapi.json");
});
afterAll(() => {
  for (const s of servers) s.close();
});

describe("POST /api/affiliations: one string", () => {
  it("finds a laboratory and its tutelles, linked both ways, the university as primary, with identifiers", async () => {
    const r = await post({ affiliation: LIPN_FULL });
    expect(r.status, r.text).toBe(200);
    conforms(r, "post");
    const a = r.body;
    expect(a.target).toBe("all");
    expect(a.affiliation).toBe(LIPN_FULL);
    spansHold(a);
    const lipn = byId(a, LIPN);
    const uspn = byId(a, USPN);
    expect(lipn, "the laboratory").toBeDefined();
    expect(uspn, "its university").toBeDefined();
    expect(lipn.mention).toEqual({ text: "Laboratoire d'informatique de Paris-Nord", start: 0, end: 40 });
    expect(uspn.mention.text).toBe("Université Sorbonne Paris Nord");
    expect(uspn.mention.start).toBe(LIPN_FULL.indexOf("Université"));
    // The laboratory belongs to the university (and to the CNRS) named beside it.
    expect(lipn.childOf).toContain(USPN);
    expect(uspn.parentOf).toContain(LIPN);
    expect(lipn.parentOf).toEqual([]);
    if (byId(a, CNRS)) {
      expect(lipn.childOf).toContain(CNRS);
      expect(byId(a, CNRS).parentOf).toContain(LIPN);
    }
    // Every link names an organisation of the same answer.
    const ids = new Set(a.organisations.map((o: any) => o.id));
    for (const o of a.organisations) for (const id of [...o.parentOf, ...o.childOf]) expect(ids.has(id), `${o.id} → ${id}`).toBe(true);
    // What the string is an affiliation to: the university, not the laboratory.
    expect(a.primary).toMatchObject({ id: USPN, primary: true, match: true, name: "Université Sorbonne Paris Nord" });
    expect(a.organisations.filter((o: any) => o.primary).map((o: any) => o.id)).toEqual([USPN]);
    expect(uspn).toEqual(a.primary);
    expect(uspn.identifiers).toMatchObject({ uai: ["0931238R"], ror: ["0199hds37"], siren: ["199312380"] });
    expect(lipn.identifiers).toMatchObject({ rnsr: ["199811842K"], ror: ["03n6dz703"] });
    expect(lipn.match).toBe(true);
    expect(uspn).toMatchObject({ uri: USPN, city: "Villetaneuse", country: "FR", status: "active" });
    expect(uspn.types.map((t: any) => t.id)).toContain("CollegeOrUniversity");
    // Best first.
    const scores = a.organisations.map((o: any) => o.score);
    expect(scores).toEqual([...scores].sort((x: number, y: number) => y - x));
    // The parts of the string, the country among them.
    expect(a.countries).toEqual(["FR"]);
    expect(a.segments.at(-1)).toEqual({ text: "France", start: LIPN_FULL.length - 6, end: LIPN_FULL.length, kind: "country" });
    expect(a.segments[0]).toMatchObject({ text: "Laboratoire d'informatique de Paris-Nord", kind: "organisation" });
  });

  it("links an acronym-only laboratory to its university, with the university as primary", async () => {
    const r = await post({ affiliation: LIPN_SHORT });
    expect(r.status, r.text).toBe(200);
    conforms(r, "post");
    spansHold(r.body);
    const lipn = byId(r.body, LIPN);
    expect(lipn.mention).toEqual({ text: "LIPN", start: 0, end: 4 });
    expect(lipn.childOf).toEqual([USPN]);
    expect(byId(r.body, USPN).parentOf).toEqual([LIPN]);
    expect(r.body.primary.id).toBe(USPN);
  });

  it("uses a country at the end as evidence: the right one confirms, another one contradicts", async () => {
    const [de, it_, none] = await Promise.all([
      post({ affiliation: "Humboldt University, Germany" }),
      post({ affiliation: "Humboldt University, Italy" }),
      post({ affiliation: "Humboldt University, Institute of Physics" }),
    ]);
    for (const r of [de, it_, none]) {
      expect(r.status, r.text).toBe(200);
      conforms(r, "post");
      spansHold(r.body);
    }
    const humboldt = (r: Reply) => r.body.organisations.find((o: any) => o.identifiers.ror?.[0] === "01hcx6992");
    expect(de.body.countries).toEqual(["DE"]);
    expect(it_.body.countries).toEqual(["IT"]);
    expect(none.body.countries).toEqual([]);
    const feature = (o: any, id: string) => o.features.find((f: any) => f.id === id)?.value;
    expect(feature(humboldt(de), "country_match")).toBe(true);
    expect(feature(humboldt(it_), "country_match")).toBe(false);
    expect(feature(humboldt(none), "country_match")).toBeUndefined();
    expect(humboldt(de).score).toBeGreaterThan(humboldt(it_).score);
    expect(humboldt(de).score).toBeGreaterThanOrEqual(humboldt(none).score);
    expect(humboldt(de).match).toBe(true);
    expect(humboldt(it_).match).toBe(false);
    expect(de.body.primary).toMatchObject({ country: "DE", match: true });
    expect(de.body.segments.at(-1)).toMatchObject({ text: "Germany", kind: "country" });
  });

  it("target=ror: a foreign university behind a department, and the laboratory with its tutelle under their ROR ids", async () => {
    const [humboldt, lab] = await Promise.all([post({ affiliation: HUMBOLDT_DEPT, target: "ror" }), post({ affiliation: LIPN_SHORT, target: "ror" })]);
    for (const r of [humboldt, lab]) {
      expect(r.status, r.text).toBe(200);
      conforms(r, "post");
      spansHold(r.body);
      expect(r.body.target).toBe("ror");
      for (const o of r.body.organisations) expect(o.id).toMatch(/^0[a-z0-9]{6}\d{2}$/);
    }
    expect(humboldt.body.primary).toMatchObject({ id: "01hcx6992", match: true, country: "DE", mention: { text: "Humboldt-Universität zu Berlin", start: 23, end: 53 } });
    expect(humboldt.body.segments[0]).toMatchObject({ text: "Department of Physics", kind: "department" });
    expect(humboldt.body.countries).toEqual(["DE"]);
    expect(byId(lab.body, "03n6dz703").childOf).toEqual(["0199hds37"]);
    expect(byId(lab.body, "0199hds37").parentOf).toEqual(["03n6dz703"]);
    expect(lab.body.primary.id).toBe("0199hds37");
  });

  it("target=uai finds only records with a UAI: the university, not its laboratory", async () => {
    const r = await post({ affiliation: LIPN_SHORT, target: "uai" });
    expect(r.status, r.text).toBe(200);
    conforms(r, "post");
    expect(r.body.primary.id).toBe("0931238R");
    for (const o of r.body.organisations) expect(o.id).toMatch(/^\d{7}[A-Z]$/);
    expect(r.body.organisations.some((o: any) => o.identifiers.rnsr?.includes("199811842K"))).toBe(false);
  });

  it("a string that names nothing known: primary null, no organisation, its parts still given", async () => {
    const text = "Boulangerie Zorglub & fils, 12 rue Imaginaire, Paris";
    const r = await post({ affiliation: text });
    expect(r.status, r.text).toBe(200);
    conforms(r, "post");
    expect(r.body).toMatchObject({ affiliation: text, primary: null, organisations: [] });
    spansHold(r.body);
    expect(r.body.segments.length).toBeGreaterThan(1);
  });

  it("limit caps the organisations; HTML entities are decoded and the offsets refer to the decoded text", async () => {
    const one = await post({ affiliation: LIPN_FULL, limit: 1 });
    expect(one.status, one.text).toBe(200);
    conforms(one, "post");
    expect(one.body.organisations).toHaveLength(1);
    const encoded = "Laboratoire d&apos;informatique de Paris-Nord, Universit\u00e9 Sorbonne Paris Nord &amp; CNRS, France";
    const r = await post({ affiliation: encoded });
    expect(r.status, r.text).toBe(200);
    conforms(r, "post");
    expect(r.body.affiliation).not.toMatch(/&apos;|&amp;/);
    expect(r.body.affiliation).toContain("d'informatique");
    spansHold(r.body);
    expect(byId(r.body, LIPN)).toBeDefined();
  });

  it("an affiliation of exactly 2,000 characters is taken", async () => {
    const text = `${LIPN_SHORT}, ${"x".repeat(2000 - LIPN_SHORT.length - 2)}`;
    expect(text).toHaveLength(2000);
    const r = await post({ affiliation: text });
    expect(r.status, r.text).toBe(200);
    conforms(r, "post");
    expect(byId(r.body, USPN)).toBeDefined();
  });
});

describe("GET /api/affiliations?q=", () => {
  it("answers as POST does for one string", async () => {
    const [g, p] = await Promise.all([get(`?q=${encodeURIComponent(LIPN_FULL)}&limit=5`), post({ affiliation: LIPN_FULL, limit: 5 })]);
    expect(g.status, g.text).toBe(200);
    conforms(g, "get");
    expect(g.body).toEqual(p.body);
    const ror = await get(`?q=${encodeURIComponent(HUMBOLDT_DEPT)}&target=ror`);
    conforms(ror, "get");
    expect(ror.body.primary.id).toBe("01hcx6992");
  });

  it("refuses a missing, empty, repeated or too long q, an unknown target, a bad limit", async () => {
    refused(await get(""), "get", 400, "bad_request", /q is required/);
    refused(await get("?q="), "get", 400, "bad_request", /q is empty/);
    refused(await get("?q=%20%20"), "get", 400, "bad_request", /q is empty/);
    refused(await get("?q=a&q=b"), "get", 400, "bad_request", /q is given more than once/);
    refused(await get(`?q=${"x".repeat(2001)}`), "get", 400, "bad_request", /q is 2001 characters long; an affiliation has at most 2000/);
    refused(await get("?q=CNRS&target=isni"), "get", 400, "bad_request", /target must be one of uai, rnsr, siret, wikidata, ror, all/);
    refused(await get("?q=CNRS&limit=0"), "get", 400, "bad_request", /limit must be a positive integer/);
  });
});

describe("POST /api/affiliations: a list", () => {
  const TEXTS = [
    LIPN_FULL,
    "Boulangerie Zorglub & fils, Paris",
    HUMBOLDT_DEPT,
    "Department of Chemistry, University of Oxford, Oxford, UK",
    "Laboratoire Jean Kuntzmann, Université Grenoble Alpes, CNRS, Grenoble INP, France",
    "Facultad de Medicina, Universidad de Buenos Aires, Argentina",
  ];

  it("answers each string in the input's order, as it answers it alone", async () => {
    const r = await post({ affiliations: TEXTS });
    expect(r.status, r.text).toBe(200);
    conforms(r, "post");
    expect(r.body.target).toBe("all");
    expect(r.body.results.map((x: any) => x.affiliation)).toEqual(TEXTS);
    r.body.results.forEach(spansHold);
    expect(r.body.results.map((x: any) => x.primary?.identifiers.ror?.[0] ?? null)).toEqual(["0199hds37", null, "01hcx6992", "052gg0110", "02rx3b187", "0081fs513"]);
    const alone = await Promise.all(TEXTS.map((affiliation) => post({ affiliation })));
    alone.forEach((a, i) => {
      const { target, ...one } = a.body;
      expect(target).toBe("all");
      expect(r.body.results[i], TEXTS[i]).toEqual(one);
    });
    // The Grenoble laboratory: three tutelles named, each linked to it.
    const ljk = r.body.results[4];
    const lab = byId(ljk, `${BASE}/id/rnsr/200711934W`);
    expect(lab.childOf).toEqual(expect.arrayContaining([`${BASE}/id/uai/0383546Y`, `${BASE}/id/uai/0381912X`]));
  });

  it("keeps the order over many strings matched in several turns, with target and limit", async () => {
    const texts = Array.from({ length: 64 }, (_, i) => TEXTS[i % TEXTS.length]);
    const r = await post({ affiliations: texts, target: "ror", limit: 2 });
    expect(r.status, r.text).toBe(200);
    conforms(r, "post");
    expect(r.body.results).toHaveLength(64);
    expect(r.body.results.map((x: any) => x.affiliation)).toEqual(texts);
    expect(r.body.results.map((x: any) => x.primary?.id ?? null).slice(0, 6)).toEqual(["0199hds37", null, "01hcx6992", "052gg0110", "02rx3b187", "0081fs513"]);
    for (const x of r.body.results) expect(x.organisations.length).toBeLessThanOrEqual(2);
    // Target and limit may come in the query string instead.
    const q = await post({ affiliations: [HUMBOLDT_DEPT] }, { query: "?target=ror&limit=1" });
    conforms(q, "post");
    expect(q.body.results[0].primary.id).toBe("01hcx6992");
  });

  it("more strings than a request takes: 413 naming the limit (1,000 by default, REFX_API_AFFILIATIONS_MAX)", async () => {
    const r = await post({ affiliations: Array.from({ length: 1001 }, () => "CNRS") });
    refused(r, "post", 413, "too_many_affiliations", /1001 affiliations in one request; at most 1000/);
    expect(r.body.maxAffiliations).toBe(1000);
    expect((await post({ affiliations: ["CNRS", "ENS", "Cnam"] }, { base: smallUrl })).status).toBe(200);
    const small = await post({ affiliations: ["CNRS", "ENS", "Cnam", "UGA"] }, { base: smallUrl });
    expect(small.status).toBe(413);
    expect(small.body).toMatchObject({ error: "too_many_affiliations", maxAffiliations: 3 });
    // The server's description states its own limit.
    const spec = (await call("/api/openapi.json", undefined, smallUrl)).body;
    expect(spec.components.schemas.AffiliationRequest.properties.affiliations.maxItems).toBe(3);
    // A body over the JSON limit (1 MB on that server) is pointed at smaller requests.
    const big = await post({ affiliation: "x".repeat(1_100_000) }, { base: smallUrl });
    expect(big.status).toBe(413);
    expect(big.body.error).toBe("payload_too_large");
    expect(big.body.message).toMatch(/larger than the 1 MB limit; send fewer affiliations per request/);
    // Still serving.
    expect((await post({ affiliation: LIPN_SHORT })).status).toBe(200);
  });
});

describe("POST /api/affiliations: bad input gets a 4xx that says what to fix", () => {
  it.each([
    ["an empty object", {}, /affiliation is missing/],
    ["a null affiliation", { affiliation: null }, /affiliation is missing/],
    ["an empty string", { affiliation: "" }, /affiliation is empty/],
    ["spaces only", { affiliation: "  \t " }, /affiliation is empty/],
    ["a number", { affiliation: 42 }, /affiliation must be a string, not "42"/],
    ["an object", { affiliation: { text: "CNRS" } }, /affiliation must be a string/],
    ["a string over 2,000 characters", { affiliation: "x".repeat(2001) }, /affiliation is 2001 characters long; an affiliation has at most 2000/],
    ["control characters", { affiliation: "CNRS\u0000, Paris" }, /affiliation contains control characters/],
    ["both forms", { affiliation: "CNRS", affiliations: ["ENS"] }, /not both/],
    ["affiliations not a list", { affiliations: "CNRS" }, /affiliations must be an array of strings/],
    ["an empty list", { affiliations: [] }, /affiliations is empty/],
    ["a list with a number", { affiliations: ["CNRS", 3] }, /affiliations\[1\] must be a string/],
    ["a list with an empty string", { affiliations: ["CNRS", " "] }, /affiliations\[1\] is empty/],
    ["a list with a long string", { affiliations: ["CNRS", "ENS", "y".repeat(2500)] }, /affiliations\[2\] is 2500 characters long; an affiliation has at most 2000/],
    ["an unknown target", { affiliation: "CNRS", target: "isni" }, /target must be one of uai, rnsr, siret, wikidata, ror, all, not "isni"/],
    ["an unknown field", { affilation: "CNRS" }, /unknown field "affilation"; fields are affiliation, affiliations, target, limit/],
    ["a zero limit", { affiliation: "CNRS", limit: 0 }, /limit must be a positive integer/],
    ["a limit that is no number", { affiliation: "CNRS", limit: "many" }, /limit must be a positive integer/],
    ["a JSON array", ["CNRS"], /the body must be a JSON object/],
  ])("%s", async (_what, body, message) => {
    refused(await post(body), "post", 400, "bad_request", message);
  });

  it("the length limit is named in the answer", async () => {
    const r = await post({ affiliation: "x".repeat(2001) });
    expect(r.body.maxLength).toBe(2000);
  });

  it("malformed JSON, a field both in the query string and the body, a body that is not JSON, another method", async () => {
    refused(await post('{"affiliation": "CNRS"'), "post", 400, "invalid_json", /not valid JSON/);
    refused(await post({ affiliation: "CNRS", target: "ror" }, { query: "?target=uai" }), "post", 400, "bad_request", /target is given more than once/);
    refused(await post("affiliation=CNRS", { type: "application/x-www-form-urlencoded" }), "post", 415, "unsupported_media_type", /Content-Type: application\/json/);
    refused(await post("CNRS", { type: "text/plain" }), "post", 415, "unsupported_media_type", /JSON body/);
    const put = await call("/api/affiliations", { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, POST");
    expect(put.body.error).toBe("method_not_allowed");
    const pre = await call("/api/affiliations", { method: "OPTIONS", headers: { Origin: "https://forms.example", "Access-Control-Request-Method": "POST" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("503 while the data load, for GET and POST", async () => {
    const p = await post({ affiliation: LIPN_SHORT }, { base: loadingUrl });
    refused(p, "post", 503, "unavailable", /loading/);
    expect(p.headers.get("retry-after")).toBe("10");
    refused(await get("?q=CNRS", loadingUrl), "get", 503, "unavailable", /loading/);
  });
});

describe("the OpenAPI description", () => {
  it("describes /api/affiliations with schemas that compile, on the page as well", async () => {
    expect(Object.keys(openapi.paths["/api/affiliations"]).sort()).toEqual(["get", "post"]);
    for (const name of ["AffiliationRequest", "AffiliationAnswer", "AffiliationResult", "AffiliationBatch", "AffiliationItem", "AffiliationOrganisation", "AffiliationSegment", "AffiliationSpan"]) {
      expect(ajv.getSchema(`openapi.json#/components/schemas/${name}`), name).toBeDefined();
    }
    // The request schema agrees with what the server takes and refuses.
    const request = ajv.getSchema("openapi.json#/components/schemas/AffiliationRequest")!;
    expect(request({ affiliations: ["CNRS"], target: "ror", limit: 3 })).toBe(true);
    expect(request({ affiliation: "x".repeat(2001) })).toBe(false);
    expect(request({ affilation: "CNRS" })).toBe(false);
    expect(request({ affiliation: "CNRS", target: "isni" })).toBe(false);
    // A broken answer does not validate: the check can fail.
    const answer = ajv.getSchema("openapi.json#/components/schemas/AffiliationAnswer")!;
    const ok = (await post({ affiliation: LIPN_SHORT })).body;
    expect(answer(ok)).toBe(true);
    expect(answer({ ...ok, primary: { ...ok.primary, mention: { text: "LIPN" } } })).toBe(false);
    expect(answer({ ...ok, organisations: [{ ...ok.organisations[0], score: "high" }] })).toBe(false);
    expect(answer({ ...ok, extra: 1 })).toBe(false);
    const page = await call("/api/docs");
    expect(page.text).toContain("<code>/api/affiliations</code>");
  });
});

describe("whole affiliation strings sent to the reconciliation services", () => {
  const reconcile02 = (path: string, queries: Record<string, object>) => call(path, { method: "POST", body: new URLSearchParams({ queries: JSON.stringify(queries) }) });

  it("/reconcile (all sources) puts the organisation the string is an affiliation to first, auto-matched", async () => {
    const r = await reconcile02("/reconcile", { q0: { query: LIPN_SHORT }, q1: { query: HUMBOLDT_DEPT }, q2: { query: LIPN_FULL } });
    expect(r.status, r.text).toBe(200);
    const ids = (k: string) => r.body[k].result.map((c: any) => c.id);
    expect(r.body.q0.result[0]).toMatchObject({ id: USPN, match: true });
    expect(ids("q0")).toContain(LIPN);
    expect(r.body.q1.result[0]).toMatchObject({ id: "http://www.wikidata.org/entity/Q990000005", match: true });
    expect(r.body.q2.result[0]).toMatchObject({ id: USPN, match: true });
    expect(ids("q2")).toEqual(expect.arrayContaining([LIPN, CNRS]));
    // Only the first can be an automatic match.
    for (const k of ["q0", "q1", "q2"]) expect(r.body[k].result.slice(1).every((c: any) => c.match === false), k).toBe(true);
  });

  it("/reconcile/ror and /reconcile/rnsr: the same strings, under each referential's ids", async () => {
    const ror = await reconcile02("/reconcile/ror", { q0: { query: LIPN_FULL }, q1: { query: HUMBOLDT_DEPT } });
    expect(ror.status, ror.text).toBe(200);
    expect(ror.body.q0.result[0]).toMatchObject({ id: "0199hds37", match: true });
    expect(ror.body.q0.result.map((c: any) => c.id)).toContain("03n6dz703");
    expect(ror.body.q1.result[0]).toMatchObject({ id: "01hcx6992", match: true });
    // The RNSR has laboratories, not universities: the laboratory is what the string names there.
    const rnsr = await reconcile02("/reconcile/rnsr", { q0: { query: LIPN_SHORT } });
    expect(rnsr.body.q0.result[0]).toMatchObject({ id: "199811842K", match: true });
  });
});
