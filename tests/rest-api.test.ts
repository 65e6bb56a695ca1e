// The REST API (/api) over real HTTP on the shipped sample: batch
// reconciliation of real files (a messy Latin-1 export, an Excel CSV with
// quoted line breaks, an empty file, a file without the column) checked row
// by row, the job API, lookup, search and identifier checks; every JSON
// answer is validated against the OpenAPI description the server publishes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { ReconciliationIndex } from "../reconcile/index.ts";
import { writeBatchFile } from "../scripts/batch-bench-data.ts";
import { RESULT_COLUMNS } from "../app/batch.ts";
import { createApp } from "../server/app.ts";
import { serviceState, type ServiceState } from "../server/state.ts";
import { EXCEL_TEXT, MESSY_HEADER, MESSY_ROWS, writeEmpty, writeExcel, writeMessy, writeWithoutColumn } from "./fixtures-batch.ts";
import { BASE, SAMPLE_DATA_DIR, tempDir, fetchReply, type Reply } from "./helpers.ts";

const dir = tempDir("refx-api-");
let url = "";
let server: Server;
let loadingServer: Server;
let loadingUrl = "";
let openapi: any;
let ajv: Ajv2020;

async function listen(state: ServiceState): Promise<{ server: Server; url: string }> {
  const s = createApp(state).listen(0, "127.0.0.1");
  await new Promise((resolve) => s.once("listening", resolve));
  const addr = s.address();
  return { server: s, url: `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}` };
}

const call = (path: string, init?: RequestInit, base = url): Promise<Reply> => fetchReply(base + path, init);

function form(file: string | Buffer, fields: Record<string, string>, name = "input.csv"): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append("file", new Blob([new Uint8Array(typeof file === "string" ? readFileSync(file) : file)]), name);
  return fd;
}

const postForm = (path: string, fd: FormData, accept?: string) => call(path, { method: "POST", body: fd, headers: accept ? { Accept: accept } : {} });
const postJson = (path: string, body: unknown, accept?: string) =>
  call(path, { method: "POST", headers: { "Content-Type": "application/json", ...(accept ? { Accept: accept } : {}) }, body: typeof body === "string" ? body : JSON.stringify(body) });

/**
 * The response matches what the OpenAPI description declares for this
 * operation and status: the status is declared, and a JSON body validates
 * against the declared schema.
 */
function conforms(r: Reply, path: string, method: string): void {
  const op = openapi.paths[path]?.[method];
  expect(op, `${method} ${path} is described`).toBeDefined();
  const declared = op.responses[String(r.status)];
  expect(declared, `${method} ${path} declares ${r.status}: ${r.text.slice(0, 300)}`).toBeDefined();
  const type = r.headers.get("content-type") ?? "";
  const media = Object.keys(declared.content ?? {});
  if (r.status === 204) return;
  expect(media.some((m) => type.startsWith(m)), `${type} among ${media}`).toBe(true);
  if (!type.startsWith("application/json")) return;
  const schema = declared.content["application/json"].schema;
  const validate = schema.$ref ? ajv.getSchema(`openapi.json${schema.$ref}`)! : ajv.compile(schema);
  const ok = validate(r.body);
  expect(ok ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`), `${method} ${path} ${r.status}`).toEqual([]);
}

/** Records of a CSV answer. */
const records = (text: string, delimiter: string): string[][] => parse(text, { delimiter, relax_column_count: false });

const col = (header: string[], name: string) => {
  const i = header.indexOf(name);
  expect(i, name).toBeGreaterThanOrEqual(0);
  return i;
};

beforeAll(async () => {
  // Two jobs at most queued or running: the tests reach the limit on purpose.
  process.env.REFX_JOBS_MAX_ACTIVE = "2";
  const store = new RefStore();
  await loadDataDir(store, { dataDir: SAMPLE_DATA_DIR, base: BASE, cacheDir: false });
  ({ server, url } = await listen(serviceState({ base: BASE }, { store, matcher: ReconciliationIndex.build(store, BASE) })));
  ({ server: loadingServer, url: loadingUrl } = await listen(serviceState({ base: BASE })));
  delete process.env.REFX_JOBS_MAX_ACTIVE;
  openapi = (await call("/api/openapi.json")).body;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  formats.default(ajv);
  ajv.addSchema(openapi, "openapi.json");
});
afterAll(() => {
  server?.close();
  loadingServer?.close();
  dir.remove();
});

describe("POST /api/reconcile: a messy Latin-1 export with ';'", () => {
  it("answers every row, as CSV in the input's delimiter and line endings, in UTF-8 without BOM", async () => {
    const file = writeMessy(dir.path);
    const r = await postForm("/api/reconcile", form(file, { column: "Nom de l'établissement", city: "Ville", uai: "Code UAI" }, "messy-latin1.csv"));
    expect(r.status, r.text).toBe(200);
    conforms(r, "/api/reconcile", "post");
    expect(r.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(r.headers.get("content-disposition")).toMatch(/attachment; filename="?messy-latin1-refx\.csv/);
    expect(r.headers.get("x-refx-rows")).toBe(String(MESSY_ROWS.length));
    expect([...r.raw.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(r.text).toContain("\r\n");
    expect(r.text.replace(/\r\n/g, "")).not.toMatch(/\n/);

    const [header, ...rows] = records(r.text, ";");
    expect(header).toEqual([...MESSY_HEADER, ...RESULT_COLUMNS]);
    expect(rows).toHaveLength(MESSY_ROWS.length);
    MESSY_ROWS.forEach((want, i) => {
      const row = rows[i];
      const label = `row ${i + 1} ${JSON.stringify(want.cells[0])}`;
      // The input's cells come back as they were, decoded from Windows-1252.
      expect(row.slice(0, 4), label).toEqual(want.cells);
      expect(row[col(header, "refx_status")], label).toBe(want.status);
      if (want.id) expect(row[col(header, "refx_id")], label).toBe(want.id.startsWith("http") ? want.id : BASE + want.id);
      if (want.uai) expect(row[col(header, "refx_uai")], label).toBe(want.uai);
      if (want.ror) expect(row[col(header, "refx_ror")], label).toBe(want.ror);
      if (want.status === "matched") {
        expect(Number(row[col(header, "refx_score")]), label).toBeGreaterThanOrEqual(88);
        expect(row[col(header, "refx_name")], label).not.toBe("");
        expect(row[col(header, "refx_candidates")], label).toBe("");
      } else {
        expect(row[col(header, "refx_id")], label).toBe("");
        expect(row[col(header, "refx_uai")], label).toBe("");
      }
      if (want.status === "none") expect(row[col(header, "refx_score")], label).toBe("");
    });
    // Every identifier of the matched establishment, pooled from every source.
    const p1 = rows[0];
    expect(p1[col(header, "refx_siren")]).toBe("197517170");
    expect(p1[col(header, "refx_siret")]).toBe("19751717000019");
    expect(p1[col(header, "refx_wikidata")]).toBe("Q999763");
    expect(p1[col(header, "refx_grid")]).toBe("grid.10988.38");
    expect(p1[col(header, "refx_isni")]).toBe("000000012173743X");
    expect(p1[col(header, "refx_idref")]).toBe("026403552");
    expect(rows[2][col(header, "refx_rnsr")]).toBe("199811842K");
    // The ambiguous row lists its best candidates, Sorbonne Université first.
    const sorbonne = rows[4][col(header, "refx_candidates")].split(" | ");
    expect(sorbonne.length).toBeGreaterThanOrEqual(2);
    expect(sorbonne.length).toBeLessThanOrEqual(3);
    expect(sorbonne[0]).toMatch(/^http:\/\/refx\.test\/id\/uai\/0755890V Sorbonne Université \(\d+(\.\d+)?\)$/);
    expect(Number(rows[4][col(header, "refx_score")])).toBeGreaterThanOrEqual(50);
  });

  it("answers JSON when asked, with typed values, the detected format and a summary; valid against the OpenAPI schema", async () => {
    const file = writeMessy(dir.path);
    const r = await postForm("/api/reconcile", form(file, { column: "Nom de l'établissement", city: "Ville", uai: "Code UAI", target: "uai" }), "application/json");
    expect(r.status, r.text).toBe(200);
    conforms(r, "/api/reconcile", "post");
    expect(r.body.input).toEqual({ encoding: "windows-1252", delimiter: ";", bom: false });
    expect(r.body.target).toBe("uai");
    expect(r.body.columns).toEqual([...MESSY_HEADER, ...RESULT_COLUMNS]);
    const byName = (n: string) => r.body.rows.find((x: any) => x["Nom de l'établissement"] === n);
    expect(byName("Université Paris 1 Panthéon-Sorbonne")).toMatchObject({ refx_id: "0751717J", refx_status: "matched", refx_uai: ["0751717J"], refx_ror: ["002t25c44"] });
    expect(byName("Boulangerie Zorglub & fils")).toMatchObject({ refx_id: null, refx_score: null, refx_status: "none", Commentaire: "cœur de métier : pain" });
    expect(byName("Lycée Louis-le-Grand").Commentaire).toBe("l’apostrophe de Word");
    const sorbonne = byName("  SORBONNE  ");
    expect(sorbonne.refx_status).toBe("ambiguous");
    expect(sorbonne.refx_candidates[0]).toMatchObject({ id: "0755890V", name: "Sorbonne Université" });
    // A UAI target has no entity for a lab or a foreign university: they are not forced onto one.
    expect(byName("LIPN").refx_status).toBe("none");
    expect(byName("Humboldt Universität Berlin").refx_status).toBe("none");
    const s = r.body.summary;
    expect(s.rows).toBe(MESSY_ROWS.length);
    expect(s.matched + s.ambiguous + s.none).toBe(s.rows);
    expect(s.matched).toBe(r.body.rows.filter((x: any) => x.refx_status === "matched").length);
  });
});

describe("POST /api/reconcile: an Excel CSV (BOM, ',', CRLF, quoted line breaks)", () => {
  it("keeps multi-line cells intact, drops the row of empty cells, and answers in ',' with CRLF", async () => {
    const r = await postForm("/api/reconcile", form(writeExcel(dir.path), { column: "etablissement", city: "ville" }), "text/csv");
    expect(r.status, r.text).toBe(200);
    expect(r.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(r.text.startsWith("etablissement,ville,note,,refx_id,")).toBe(true);
    const [header, ...rows] = records(r.text, ",");
    expect(header).toEqual(["etablissement", "ville", "note", "", ...RESULT_COLUMNS]);
    expect(rows.map((x) => x[0])).toEqual([
      "Université Grenoble Alpes\r\n(UGA)",
      'Conservatoire national des arts et métiers, "Cnam"',
      "Institut national des sciences appliquées de Lyon",
      "Société sans rapport",
    ]);
    expect(rows[2][2]).toBe("note\r\nsur deux lignes");
    const status = col(header, "refx_status");
    const uai = col(header, "refx_uai");
    expect(rows.map((x) => [x[status], x[uai]])).toEqual([
      ["matched", "0383546Y"],
      ["matched", "0753471R"],
      ["matched", "0690192J"],
      ["none", ""],
    ]);
    // The same file as a raw text/csv body, fields in the query string, and JSON out.
    const raw = await call(`/api/reconcile?column=etablissement&city=ville&target=uai`, { method: "POST", headers: { "Content-Type": "text/csv", Accept: "application/json" }, body: EXCEL_TEXT });
    expect(raw.status, raw.text).toBe(200);
    conforms(raw, "/api/reconcile", "post");
    expect(raw.body.input).toEqual({ encoding: "utf-8", delimiter: ",", bom: true });
    expect(raw.body.rows.map((x: any) => x.refx_id)).toEqual(["0383546Y", "0753471R", "0690192J", null]);
    expect(raw.body.columns.slice(0, 4)).toEqual(["etablissement", "ville", "note", "column_4"]);
  });
});

describe("POST /api/reconcile: bad input gets a 4xx that says what to fix, and the server keeps serving", () => {
  it("an empty file, a BOM-only file, a header-only file", async () => {
    const empty = await postForm("/api/reconcile", form(writeEmpty(dir.path), { column: "nom" }));
    expect(empty.status).toBe(400);
    conforms(empty, "/api/reconcile", "post");
    expect(empty.body).toMatchObject({ error: "invalid_csv" });
    expect(empty.body.message).toMatch(/empty/);
    const bom = await postForm("/api/reconcile", form(Buffer.from("\ufeff\r\n", "utf8"), { column: "nom" }));
    expect(bom.status).toBe(400);
    expect(bom.body.message).toMatch(/empty/);
    const headerOnly = await postForm("/api/reconcile", form(Buffer.from("nom;ville\r\n"), { column: "nom" }), "application/json");
    expect(headerOnly.status).toBe(200);
    expect(headerOnly.body.rows).toEqual([]);
    expect(headerOnly.body.summary.rows).toBe(0);
  });

  it("a file without the column named lists the columns it has", async () => {
    const r = await postForm("/api/reconcile", form(writeWithoutColumn(dir.path), { column: "nom" }));
    expect(r.status).toBe(400);
    conforms(r, "/api/reconcile", "post");
    expect(r.body.error).toBe("missing_column");
    expect(r.body.message).toBe('column: no column "nom" in the file; its columns are "etablissement", "ville"');
    const city = await postForm("/api/reconcile", form(writeWithoutColumn(dir.path), { column: "etablissement", city: "commune" }));
    expect(city.body.message).toMatch(/^city: no column "commune"/);
    // Case, accents and spaces are forgiven when one column fits.
    const loose = await postForm("/api/reconcile", form(writeWithoutColumn(dir.path), { column: " ÉTABLISSEMENT ", city: "Ville" }), "application/json");
    expect(loose.status, loose.text).toBe(200);
    expect(loose.body.rows[0].refx_id).toBe(`${BASE}/id/uai/0751717J`);
  });

  it.each([
    ["no column field", { target: "uai" }, /column is required/],
    ["an unknown target", { column: "nom", target: "siren" }, /target must be one of uai, rnsr, siret, wikidata, ror, all/],
    ["an unknown field", { column: "nom", ciyt: "ville" }, /unknown field "ciyt"/],
    ["a bad min_score", { column: "nom", min_score: "high" }, /min_score must be a number/],
    ["a bad delimiter", { column: "nom", delimiter: "#" }, /delimiter must be one of/],
    ["a bad format", { column: "nom", format: "xml" }, /format must be csv or json/],
  ])("%s", async (_what, fields, message) => {
    const r = await postForm("/api/reconcile", form(Buffer.from("nom\nENS\n"), fields as Record<string, string>));
    expect(r.status, r.text).toBe(400);
    conforms(r, "/api/reconcile", "post");
    expect(r.body.message).toMatch(message);
  });

  it("broken CSV: a record over 100,000 characters, a quote never closed", async () => {
    const huge = await postForm("/api/reconcile", form(Buffer.from(`nom\n"${"x".repeat(150_000)}"\n`), { column: "nom" }));
    expect(huge.status).toBe(400);
    expect(huge.body).toMatchObject({ error: "invalid_csv" });
    expect(huge.body.message).toMatch(/longer than 100000 characters/);
    const open = await postForm("/api/reconcile", form(Buffer.from('nom;ville\n"ENS;Paris\nCNRS;Paris\n'), { column: "nom" }));
    expect(open.status).toBe(400);
    expect(open.body.message).toMatch(/never closed/);
  });

  it("malformed JSON, rows that are not objects, an empty rows array, a wrong Content-Type, an Accept it cannot honour, no file", async () => {
    const bad = await postJson("/api/reconcile", '{"column": "nom", "rows": [');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe("invalid_json");
    expect((await postJson("/api/reconcile", { column: "nom", rows: ["ENS"] })).body.message).toMatch(/rows\[0\] must be an object/);
    expect((await postJson("/api/reconcile", { column: "nom", rows: [{ nom: { x: 1 } }] })).body.message).toMatch(/rows\[0\]\.nom must be a string/);
    expect((await postJson("/api/reconcile", { column: "nom", rows: [] })).body.message).toMatch(/rows is empty/);
    expect((await postJson("/api/reconcile", { column: "nom" })).body.message).toMatch(/rows must be an array/);
    const xml = await call("/api/reconcile", { method: "POST", headers: { "Content-Type": "text/xml" }, body: "<a/>" });
    expect(xml.status).toBe(415);
    conforms(xml, "/api/reconcile", "post");
    const png = await postJson("/api/reconcile", { column: "nom", rows: [{ nom: "ENS" }] }, "image/png");
    expect(png.status).toBe(406);
    conforms(png, "/api/reconcile", "post");
    const fd = new FormData();
    fd.append("column", "nom");
    const nofile = await postForm("/api/reconcile", fd);
    expect(nofile.status).toBe(400);
    expect(nofile.body.message).toMatch(/no file/);
    const twice = form(Buffer.from("nom\nENS\n"), { column: "nom" });
    const again = await call("/api/reconcile?column=nom", { method: "POST", body: twice });
    expect(again.body.message).toMatch(/column is given more than once/);
  });

  it("more rows than a synchronous answer takes: 413 pointing to the job API", async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => ({ nom: `ligne ${i}` }));
    const r = await postJson("/api/reconcile", { column: "nom", rows });
    expect(r.status).toBe(413);
    conforms(r, "/api/reconcile", "post");
    expect(r.body).toMatchObject({ error: "too_many_rows", maxRows: 5000, jobs: "/api/jobs" });
    const csv = await postForm("/api/reconcile", form(Buffer.from("nom\n" + "ENS\n".repeat(5001)), { column: "nom" }));
    expect(csv.status).toBe(413);
    // Still serving.
    expect((await call("/api/search?q=ENS")).status).toBe(200);
  });

  it("a JSON body of rows, answered as CSV when Accept says so", async () => {
    const r = await postJson("/api/reconcile", { column: "nom", target: "ror", rows: [{ nom: "Humboldt-Universität zu Berlin", id: 1 }, { nom: "CNRS", id: 2 }] }, "text/csv");
    expect(r.status, r.text).toBe(200);
    const [header, ...rows] = records(r.text, ",");
    expect(header.slice(0, 2)).toEqual(["nom", "id"]);
    expect(rows.map((x) => [x[1], x[col(header, "refx_id")], x[col(header, "refx_status")]])).toEqual([
      ["1", "01hcx6992", "matched"],
      ["2", "02feahw73", "matched"],
    ]);
  });

  it("503 while the data load, for what needs them; the description is served meanwhile", async () => {
    const rec = await call("/api/reconcile", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ column: "nom", rows: [{ nom: "ENS" }] }) }, loadingUrl);
    expect(rec.status).toBe(503);
    expect(rec.headers.get("retry-after")).toBe("10");
    conforms(rec, "/api/reconcile", "post");
    for (const [p, path] of [["/api/lookup/uai/0751717J", "/api/lookup/{scheme}/{id}"], ["/api/search?q=ens", "/api/search"]]) {
      const r = await call(p, undefined, loadingUrl);
      expect(r.status, p).toBe(503);
      conforms(r, path, "get");
    }
    expect((await call("/api/jobs", { method: "POST", body: form(Buffer.from("nom\nENS\n"), { column: "nom" }) }, loadingUrl)).status).toBe(503);
    expect((await call("/api/openapi.json", undefined, loadingUrl)).status).toBe(200);
  });
});

describe("the job API", () => {
  const poll = async (id: string) => {
    for (let i = 0; i < 600; i++) {
      const r = await call(`/api/jobs/${id}`);
      expect(r.status).toBe(200);
      conforms(r, "/api/jobs/{id}", "get");
      if (r.body.status !== "queued" && r.body.status !== "running") return r.body;
      await new Promise((res) => setTimeout(res, 20));
    }
    throw new Error("job not done in 12 s");
  };

  it("runs a file to the same result as the synchronous answer, then deletes it", async () => {
    const file = writeMessy(dir.path);
    const fields = { column: "Nom de l'établissement", city: "Ville", uai: "Code UAI" };
    const created = await postForm("/api/jobs", form(file, fields, "messy-latin1.csv"));
    expect(created.status, created.text).toBe(202);
    conforms(created, "/api/jobs", "post");
    expect(created.headers.get("location")).toBe(`/api/jobs/${created.body.id}`);
    expect(created.body).toMatchObject({ format: "csv", target: "all", input: { name: "messy-latin1.csv" } });
    const job = await poll(created.body.id);
    expect(job).toMatchObject({ status: "done", input: { rows: MESSY_ROWS.length, encoding: "windows-1252", delimiter: ";" }, progress: { rows: MESSY_ROWS.length, percent: 100 } });
    expect(job.summary.rows).toBe(MESSY_ROWS.length);
    expect(Date.parse(job.expiresAt)).toBeGreaterThan(Date.now());
    const result = await call(job.links.result);
    expect(result.status).toBe(200);
    conforms(result, "/api/jobs/{id}/result", "get");
    const sync = await postForm("/api/reconcile", form(file, fields));
    expect(result.text).toBe(sync.text);

    expect((await call(`/api/jobs/${job.id}`, { method: "DELETE" })).status).toBe(204);
    const gone = await call(`/api/jobs/${job.id}`);
    expect(gone.status).toBe(404);
    conforms(gone, "/api/jobs/{id}", "get");
  });

  it("takes JSON rows and gives a JSON result when asked", async () => {
    const created = await postJson("/api/jobs", { column: "nom", target: "uai", rows: [{ nom: "Sorbonne Université" }, { nom: "Zorglub" }] });
    expect(created.status, created.text).toBe(202);
    expect(created.body.format).toBe("json");
    const job = await poll(created.body.id);
    expect(job.status).toBe("done");
    const result = await call(job.links.result);
    conforms(result, "/api/jobs/{id}/result", "get");
    expect(result.body.rows.map((x: any) => [x.nom, x.refx_id, x.refx_status])).toEqual([
      ["Sorbonne Université", "0755890V", "matched"],
      ["Zorglub", null, "none"],
    ]);
    expect((await call(`/api/jobs/${job.id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("checks the header before queueing, and refuses unknown jobs", async () => {
    const r = await postForm("/api/jobs", form(writeWithoutColumn(dir.path), { column: "nom" }));
    expect(r.status).toBe(400);
    conforms(r, "/api/jobs", "post");
    expect(r.body.error).toBe("missing_column");
    expect((await postForm("/api/jobs", form(writeEmpty(dir.path), { column: "nom" }))).status).toBe(400);
    const unknown = await call("/api/jobs/00000000-0000-4000-8000-000000000000/result");
    expect(unknown.status).toBe(404);
    conforms(unknown, "/api/jobs/{id}/result", "get");
  });

  it("10,000 rows: progress, 409 before the result, 429 past the limit of jobs, cancellation; prints rows/s", async () => {
    const big = join(dir.path, "batch-10000.csv");
    writeBatchFile(big, 10_000);
    const fields = { column: "nom", city: "ville", uai: "code_uai", target: "uai" };
    const t0 = performance.now();
    const created = await postForm("/api/jobs", form(big, fields, "batch-10000.csv"));
    expect(created.status, created.text).toBe(202);
    const id = created.body.id;
    // A second job waits behind the first, and has no result yet.
    const second = await postForm("/api/jobs", form(writeMessy(dir.path), { column: "Nom de l'établissement" }));
    expect(second.status).toBe(202);
    const early = await call(`/api/jobs/${second.body.id}/result`);
    expect(early.status).toBe(409);
    conforms(early, "/api/jobs/{id}/result", "get");
    expect(early.body.status).toMatch(/queued|running/);
    // Two jobs are queued or running: a third is refused until one ends.
    const third = await postForm("/api/jobs", form(writeMessy(dir.path), { column: "Nom de l'établissement" }));
    expect(third.status).toBe(429);
    conforms(third, "/api/jobs", "post");
    expect(third.headers.get("retry-after")).toBe("30");
    // The server keeps answering while the job runs.
    const during = await call(`/api/jobs/${id}`);
    expect(["queued", "running", "done"]).toContain(during.body.status);
    expect((await call("/api/lookup/uai/0751717J")).status).toBe(200);

    const job = await poll(id);
    const result = await call(job.links.result);
    const seconds = (performance.now() - t0) / 1000;
    expect(job.status).toBe("done");
    expect(job.summary.rows).toBe(10_000);
    expect(job.summary.matched).toBeGreaterThan(5000);
    const lines = records(result.text, ";");
    expect(lines).toHaveLength(10_001);
    expect(lines[0].slice(0, 4)).toEqual(["id", "nom", "ville", "code_uai"]);
    expect(lines.slice(1).map((l) => l[0])).toEqual(Array.from({ length: 10_000 }, (_, i) => String(i + 1)));
    console.log(
      `API job, 10,000 rows (sample store): ${Math.round(10_000 / seconds)} rows/s upload→download, ${job.summary.rowsPerSecond} rows/s matching; ` +
        `test process peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
    );

    // Cancelling a job: it disappears, and its files with it.
    const again = await postForm("/api/jobs", form(big, fields));
    expect(again.status).toBe(202);
    expect((await call(`/api/jobs/${again.body.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/api/jobs/${again.body.id}`)).status).toBe(404);
    await poll(second.body.id);
    for (const j of [id, second.body.id]) expect((await call(`/api/jobs/${j}`, { method: "DELETE" })).status).toBe(204);
  });
});

describe("GET /api/lookup/{scheme}/{id}", () => {
  it.each([
    ["uai", "0751717J"],
    ["siret", "19751717000019"],
    ["siren", "197517170"],
    ["wikidata", "Q999763"],
    ["ror", "002t25c44"],
    ["idref", "026403552"],
    ["grid", "grid.10988.38"],
    ["isni", "0000 0001 2173 743X"],
  ])("%s %s is Université Paris 1 with all its identifiers", async (scheme, id) => {
    const r = await call(`/api/lookup/${scheme}/${encodeURIComponent(id)}`);
    expect(r.status, r.text).toBe(200);
    conforms(r, "/api/lookup/{scheme}/{id}", "get");
    expect(r.body.query.scheme).toBe(scheme);
    expect(r.body.id).toBe(`${BASE}/id/uai/0751717J`);
    expect(r.body.name).toBe("Université Paris 1 Panthéon-Sorbonne");
    expect(r.body.identifiers).toEqual({
      uai: ["0751717J"], siren: ["197517170"], siret: ["19751717000019"], wikidata: ["Q999763"], ror: ["002t25c44"],
      grid: ["grid.10988.38"], isni: ["000000012173743X"], idref: ["026403552"],
    });
    expect(r.body.address).toMatchObject({ city: "Paris 5e", country: "FR" });
    expect(r.body.names.map((n: any) => n.value)).toContain("Paris 1 Panthéon-Sorbonne University");
    expect(r.body.replaces.map((x: any) => x.id)).toContain("0755581J");
    const sources = r.body.sources.map((s: any) => s.source);
    expect(sources).toEqual(expect.arrayContaining(["uai", "wikidata", "ror", "sirene-ul"]));
    for (const s of r.body.sources) {
      expect(Date.parse(s.modified), s.source).not.toBeNaN();
      expect(Date.parse(s.loadedAt), s.source).not.toBeNaN();
      expect(s.title, s.source).toBeTruthy();
    }
  });

  it("a laboratory with its parents and children; a closed university with its successor", async () => {
    const lipn = await call("/api/lookup/rnsr/199811842K");
    expect(lipn.status).toBe(200);
    conforms(lipn, "/api/lookup/{scheme}/{id}", "get");
    expect(lipn.body.name).toBe("Laboratoire d'informatique de Paris-Nord");
    expect(lipn.body.parents.map((p: any) => p.id)).toEqual(expect.arrayContaining([`${BASE}/id/uai/0931238R`, `${BASE}/id/uai/0753639Y`]));
    expect(lipn.body.children.map((p: any) => p.id)).toContain(`${BASE}/id/rnsr/201622314P`);
    const ujf = await call("/api/lookup/uai/0381838S");
    expect(ujf.body.status).toBe("closed");
    expect(ujf.body.replacedBy.map((p: any) => p.id)).toContain(`${BASE}/id/uai/0383546Y`);
  });

  it.each([
    ["uai", "0751717K", "mod23", "J"],
    ["uai", "751717J", "format", undefined],
    ["siret", "19751717000018", "luhn", undefined],
    ["siren", "197517171", "luhn", undefined],
    ["rnsr", "199811842A", "mod23", "K"],
    ["ror", "002t25c45", "mod97-10", "44"],
    ["isni", "0000000121737431", "mod11-2", "X"],
    ["idref", "026403553", "ppn-mod11", "2"],
    ["wikidata", "X999763", "format", undefined],
  ])("%s %s: 400 naming the failed check (%s)", async (scheme, id, check, expected) => {
    const r = await call(`/api/lookup/${scheme}/${id}`);
    expect(r.status).toBe(400);
    conforms(r, "/api/lookup/{scheme}/{id}", "get");
    expect(r.body).toMatchObject({ error: "invalid_identifier", scheme, check });
    expect(r.body.expected).toBe(expected);
    const v = await call(`/api/validate/${scheme}/${id}`);
    expect(v.status).toBe(200);
    conforms(v, "/api/validate/{scheme}/{id}", "get");
    expect(v.body).toMatchObject({ valid: false, check, message: r.body.message });
  });

  it("an unknown scheme is a 400, an unknown but valid identifier a 404", async () => {
    const scheme = await call("/api/lookup/orcid/0000-0002-1825-0097");
    expect(scheme.status).toBe(400);
    expect(scheme.body.error).toBe("unknown_scheme");
    // Issue 11: the schemes listed are vocab's, in vocab's order, no longer a hand-kept list of the lookup's.
    expect(scheme.body.message).toMatch(/schemes are uai, rnsr, siren, siret, wikidata, ror, grid, isni, idref/);
    const absent = await call("/api/lookup/uai/0000001B");
    expect(absent.status).toBe(404);
    conforms(absent, "/api/lookup/{scheme}/{id}", "get");
    expect(absent.body.message).toBe("no establishment with UAI 0000001B");
    const ok = await call("/api/validate/siret/19751717000019");
    expect(ok.body).toEqual({ valid: true, scheme: "siret", id: "19751717000019", check: "luhn" });
  });
});

describe("GET /api/search", () => {
  it("finds a foreign university as one types, with what a form needs", async () => {
    const r = await call("/api/search?q=Humb");
    expect(r.status).toBe(200);
    conforms(r, "/api/search", "get");
    expect(r.body.results[0]).toMatchObject({ name: "université Humboldt de Berlin", country: "DE", identifiers: { ror: ["01hcx6992"] } });
    const bologna = await call(`/api/search?q=${encodeURIComponent("Università di Bol")}&country=Italie&limit=3`);
    conforms(bologna, "/api/search", "get");
    expect(bologna.body.country).toBe("IT");
    expect(bologna.body.results.map((x: any) => x.identifiers.ror?.[0])).toEqual(["01111rn36"]);
    const uai = await call("/api/search?q=sorbonne&target=uai&limit=2");
    expect(uai.body.results).toHaveLength(2);
    expect(uai.body.results.every((x: any) => /^\d{7}[A-Z]$/.test(x.id))).toBe(true);
  });

  it("refuses what it cannot use", async () => {
    for (const [q, message] of [
      ["", /q is required/],
      ["?q=a&limit=0", /limit must be a positive integer/],
      ["?q=a&target=isni", /target must be one of/],
      ["?q=a&country=Atlantis", /not a country/],
      ["?q=a&q=b", /given more than once/],
    ] as const) {
      const r = await call(`/api/search${q}`);
      expect(r.status, q).toBe(400);
      conforms(r, "/api/search", "get");
      expect(r.body.message).toMatch(message);
    }
    expect((await call("/api/search?q=")).body.results).toEqual([]);
  });
});

describe("the OpenAPI description and its page", () => {
  it("is OpenAPI 3.1 whose every schema compiles, and describes the routes that exist", async () => {
    const r = await call("/api/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    for (const name of Object.keys(r.body.components.schemas)) expect(ajv.getSchema(`openapi.json#/components/schemas/${name}`), name).toBeDefined();
    for (const [path, item] of Object.entries<any>(r.body.paths)) {
      for (const method of Object.keys(item)) {
        const concrete = path.replace("{scheme}", "uai").replace("{id}", "0751717J");
        // A route that exists answers anything but the router's 404 (or 405) to its own method.
        const res = await call(concrete, { method: method.toUpperCase() });
        expect(res.status === 404 && /no route/.test(res.text), `${method} ${path}`).toBe(false);
        expect(res.status, `${method} ${path}`).not.toBe(405);
      }
    }
  });

  it("is rendered as a self-contained HTML page without script", async () => {
    const r = await call("/api/docs");
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/text\/html/);
    expect(r.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(r.text).not.toMatch(/<script|https?:\/\/(?!json-schema)[^"<]*\.(js|css)/);
    for (const path of Object.keys(openapi.paths)) expect(r.text).toContain(`<code>${path}</code>`);
    for (const name of Object.keys(openapi.components.schemas)) expect(r.text).toContain(`id="schema-${name}"`);
  });

  it("answers CORS preflights, 405 and 404 as JSON", async () => {
    const pre = await call("/api/reconcile", { method: "OPTIONS", headers: { Origin: "https://forms.example", "Access-Control-Request-Method": "POST" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    // DELETE is not offered to other origins (issue 15: a page of another site must not cancel a job).
    expect(pre.headers.get("access-control-allow-methods")).not.toMatch(/DELETE/);
    const put = await call("/api/reconcile", { method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("POST");
    const none = await call("/api/nothing");
    expect(none.status).toBe(404);
    expect(none.body.message).toMatch(/\/api\/docs/);
  });
});
