// The REST API for IT teams under /api (docs/rest-api.md): batch
// reconciliation of whole files (synchronous, or as jobs), lookup by any
// identifier, typeahead search, identifier checks, and the OpenAPI
// description with its rendered page.
import { createReadStream } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import express, { type NextFunction, type Request, type Response } from "express";
import type { ServiceId } from "../../reconcile/types.ts";
import { serviceId } from "../../app/targets.ts";
import { checkIdentifier } from "../../vocab/check-digits.ts";
import { quote } from "../http/errors.ts";
import { requireMatcher } from "../http/parameters.ts";
import { cleanText, positiveInt } from "../../app/text.ts";
import { heldServed, type ServiceState } from "../state.ts";
import { bindSpec, csvWriter, jsonWriter, parseBatchSpec, runBatch, type RowWriter } from "../../app/batch.ts";
import { csvLines, inspectCsv, parseOverrides, readHeader, readRecords, splitHeader, type RecordStream } from "../../app/csv-io.ts";
import { docsHtml } from "./docs.ts";
import { affiliationsRouter, DEFAULT_AFFILIATIONS_MAX } from "./affiliations.ts";
import { ApiError, apiErrorHandler } from "./errors.ts";
import { describeJob, JobRegistry, type OutputFormat } from "./jobs.ts";
import { knownScheme, lookupIdentifier } from "../../app/lookup.ts";
import { openApi, type ApiLimits } from "./openapi.ts";
import { parseCountry, search, SEARCH_LIMIT, SEARCH_MAX } from "./search.ts";
import { checkColumns, jsonTable, receive, type Received } from "./upload.ts";
import { envInt } from "../../app/config.ts";
import { parseFormulaMode, type FormulaMode } from "../../data/csv-formulas.ts";
import { jsonBodyParser } from "../limits/json-body.ts";

/** Limits of the API; environment variables override them (docs/rest-api.md#limits). */
export function apiLimitsFromEnv(): ApiLimits {
  return {
    syncMaxRows: envInt("REFX_API_SYNC_MAX_ROWS", 5000),
    syncMaxBytes: envInt("REFX_API_SYNC_MAX_MB", 20) * 2 ** 20,
    jobMaxBytes: envInt("REFX_API_JOB_MAX_MB", 500) * 2 ** 20,
    jsonBodyBytes: envInt("REFX_API_JSON_MAX_MB", 10) * 2 ** 20,
    affiliationsMaxBatch: envInt("REFX_API_AFFILIATIONS_MAX", DEFAULT_AFFILIATIONS_MAX),
  };
}

/** CORS for browser forms (typeahead) and scripts on other origins. */
function cors(req: Request, res: Response, next: NextFunction): void {
  res.set({
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Location, Content-Disposition, Retry-After, X-Refx-Rows",
    "X-Content-Type-Options": "nosniff",
  });
  if (req.method !== "OPTIONS") return next();
  // No DELETE: cancelling a job is for the page or script that made it, not for any other site's page.
  res.set({ "Access-Control-Allow-Methods": "GET, POST, OPTIONS", "Access-Control-Allow-Headers": "Content-Type, Accept", "Access-Control-Max-Age": "86400" });
  res.status(204).end();
}

/** CSV or JSON: the `format` field, else the Accept header, else the input's own format. */
function outputFormat(req: Request, fields: Record<string, unknown>, input: Received["kind"]): OutputFormat {
  const f = fields.format;
  if (f !== undefined && f !== "") {
    if (f !== "csv" && f !== "json") throw new ApiError(400, "bad_request", `format must be csv or json, not ${quote(f)}`);
    return f;
  }
  const fallback: OutputFormat = input === "json" ? "json" : "csv";
  const accept = req.get("accept");
  if (!accept || /^\s*\*\/\*\s*$/.test(accept)) return fallback;
  const order = fallback === "csv" ? ["text/csv", "application/json"] : ["application/json", "text/csv"];
  const pick = req.accepts(order);
  if (!pick) throw new ApiError(406, "not_acceptable", "the answer is text/csv or application/json: send Accept with one of them");
  return pick === "text/csv" ? "csv" : "json";
}

/** The `formulas` field: formula-like cells of a CSV answer neutralised (default) or raw (data/csv-formulas.ts). */
function formulaField(fields: Record<string, unknown>): FormulaMode {
  const mode = parseFormulaMode(fields.formulas);
  if (!mode) throw new ApiError(400, "bad_request", `formulas must be neutralise or raw, not ${quote(fields.formulas)}`);
  return mode;
}

const resultName = (name: string | undefined) => {
  const stem = name ? basename(name, extname(name)).replace(/[^\w.-]+/g, "_").slice(0, 80) : "rows";
  return `${stem || "rows"}-refx`;
};

function sendTypes(res: Response, format: OutputFormat, name: string | undefined): void {
  if (format === "csv") {
    res.type("text/csv; charset=utf-8");
    res.attachment(`${resultName(name)}.csv`);
  } else res.type("application/json; charset=utf-8");
}

const targetParam = (v: unknown): ServiceId => (v === undefined || v === "" ? "all" : serviceId(v));

const stringQuery = (req: Request, name: string): string | undefined => {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw new ApiError(400, "bad_request", `${name} is given more than once`);
  return v;
};

/**
 * A browser sends Origin on a cross-site DELETE; a page of another site must
 * not cancel someone's job (scripts without Origin, and this site's own pages,
 * may). Sec-Fetch-Site says the same in browsers that send it.
 */
function refuseCrossOrigin(req: Request): void {
  const origin = req.get("origin");
  const site = req.get("sec-fetch-site");
  let foreign = site === "cross-site" || site === "same-site";
  if (origin && origin !== "null") {
    try {
      foreign ||= new URL(origin).host !== req.get("host");
    } catch {
      foreign = true;
    }
  } else if (origin === "null") foreign = true;
  if (foreign) throw new ApiError(403, "cross_origin_refused", "a job cannot be deleted from a page of another site; delete it from refx's own page or from a script");
}

export function apiRouter(state: ServiceState, limits: ApiLimits = apiLimitsFromEnv()): express.Router {
  const router = express.Router();
  // A job outlives its request: it takes the matcher served at each row, so a reload during a long job is picked up.
  const jobs = new JobRegistry(() => requireMatcher(state, state.served), undefined, { dir: state.config.jobsDir, ready: () => !!state.served?.matcher });
  const startedAt = new Date().toISOString();
  const spec = openApi(limits);
  const docs = docsHtml(spec as unknown as Record<string, unknown>);
  const jsonBody = jsonBodyParser({ limit: limits.jsonBodyBytes, type: ["application/json", "application/*+json"] });

  router.use(cors);

  router.get("/openapi.json", (_req, res) => {
    res.json(spec);
  });
  router.get("/docs", (_req, res) => {
    res.set({ "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'", "Referrer-Policy": "no-referrer" });
    res.type("html").send(docs);
  });

  router.post("/reconcile", jsonBody, async (req, res) => {
    const matcher = requireMatcher(state, heldServed(res));
    const tmp = jobs.scratch();
    let stream: RecordStream | undefined;
    try {
      const got = await receive(req, join(tmp, "input.csv"), limits.syncMaxBytes);
      const batch = parseBatchSpec(got.fields);
      const format = outputFormat(req, got.fields, got.kind);
      const tooMany = () =>
        new ApiError(413, "too_many_rows", `more than ${limits.syncMaxRows} rows: a synchronous answer takes at most ${limits.syncMaxRows}; send the file to POST /api/jobs, which takes up to a million`, {
          maxRows: limits.syncMaxRows,
          jobs: "/api/jobs",
        });
      let header: string[];
      let rows: AsyncIterable<string[]> | Iterable<string[]>;
      let writer: RowWriter;
      const meta = { target: batch.target, column: batch.column };
      if (got.rows) {
        if (!got.rows.length) throw new ApiError(400, "bad_request", "rows is empty: send at least one row");
        if (got.rows.length > limits.syncMaxRows) throw tooMany();
        const table = jsonTable(got.rows);
        ({ header } = table);
        rows = table.records;
        bindSpec(batch, header);
        writer = format === "csv" ? csvWriter({ delimiter: ",", eol: "\n", formulas: formulaField(got.fields) }) : jsonWriter(meta);
      } else {
        const info = await inspectCsv(got.file!.path, parseOverrides(got.fields.encoding, got.fields.delimiter), limits.syncMaxRows);
        if (info.rows > limits.syncMaxRows) throw tooMany();
        checkColumns(info.header);
        bindSpec(batch, info.header);
        stream = readRecords(got.file!.path, info.format);
        ({ header, rows } = await splitHeader(stream.records));
        writer = format === "csv"
          ? csvWriter({ ...info.format, formulas: formulaField(got.fields) })
          : jsonWriter({ ...meta, input: { encoding: info.format.encoding, delimiter: info.format.delimiter, bom: info.format.bom } });
        res.set("X-Refx-Rows", String(info.rows));
      }
      sendTypes(res, format, got.file?.name);
      const abort = new AbortController();
      res.on("close", () => abort.abort());
      await runBatch({ header, rows, spec: batch, matcher: () => matcher, writer, out: res, signal: abort.signal });
      // The upload goes before the answer ends: a client that stops the server once answered leaves nothing behind.
      stream?.close();
      await rm(tmp, { recursive: true, force: true });
      res.end();
    } finally {
      stream?.close();
      await rm(tmp, { recursive: true, force: true });
    }
  });

  router.post("/jobs", jsonBody, async (req, res) => {
    requireMatcher(state, heldServed(res));
    const { id, dir } = jobs.reserve();
    try {
      const path = join(dir, "input.csv");
      const got = await receive(req, path, limits.jobMaxBytes);
      const batch = parseBatchSpec(got.fields);
      const output = outputFormat(req, got.fields, got.kind);
      let overrides = parseOverrides(got.fields.encoding, got.fields.delimiter);
      let bytes = got.file?.bytes ?? 0;
      if (got.rows) {
        if (!got.rows.length) throw new ApiError(400, "bad_request", "rows is empty: send at least one row");
        const table = jsonTable(got.rows);
        bindSpec(batch, table.header);
        // The job's input file: the rows as sent, never altered; written in slices with a turn for other requests between them.
        const all = [table.header, ...table.records];
        const parts: string[] = [];
        for (let i = 0; i < all.length; i += 1000) {
          if (i) await new Promise((r) => setImmediate(r));
          parts.push(csvLines(all.slice(i, i + 1000), { delimiter: ",", eol: "\n", formulas: "raw" }));
        }
        const text = parts.join("");
        await writeFile(path, text);
        bytes = Buffer.byteLength(text);
        overrides = { encoding: "utf-8", delimiter: "," };
      } else {
        const { header } = await readHeader(path, overrides);
        checkColumns(header);
        bindSpec(batch, header);
      }
      const job = jobs.submit(id, dir, { path, name: got.file?.name, bytes, overrides, spec: batch, output, formulas: formulaField(got.fields) });
      res.status(202).location(`/api/jobs/${job.id}`).json(describeJob(job));
    } catch (err) {
      jobs.release(dir);
      throw err;
    }
  });

  const job = (req: Request) => {
    const id = String(req.params.id);
    const j = jobs.get(id);
    if (j) return j;
    const lost = jobs.lostReason(id);
    if (lost) throw new ApiError(410, "job_lost", `job ${quote(id)} was lost when the server restarted (${startedAt}): ${lost}; send the file again`);
    const ttl = `finished jobs are deleted ${Math.round(jobs.limits.ttlMs / 60000)} minutes after they end`;
    throw new ApiError(404, "not_found", jobs.persistent
      ? `no job ${quote(id)}: ${ttl}; jobs are kept across restarts, so this one expired, was deleted or never existed; send the file again`
      : `no job ${quote(id)}: ${ttl}, and jobs are kept in memory, so a job sent before the server last started (${startedAt}) was lost; send the file again`);
  };
  router.get("/jobs/:id", (req, res) => {
    res.json(describeJob(job(req)));
  });
  router.delete("/jobs/:id", (req, res) => {
    refuseCrossOrigin(req);
    jobs.remove(job(req).id);
    res.status(204).end();
  });
  router.get("/jobs/:id/result", async (req, res) => {
    const j = job(req);
    if (j.status !== "done") {
      throw new ApiError(409, "not_ready", `the job is ${j.status}${j.error ? `: ${j.error}` : ""}; GET /api/jobs/${j.id} tells its progress`, { status: j.status });
    }
    sendTypes(res, j.input.output, j.input.name);
    await pipeline(createReadStream(j.result), res);
  });

  router.get("/lookup/:scheme/:id", async (req, res) => {
    const served = heldServed(res);
    const m = requireMatcher(state, served);
    res.json(await lookupIdentifier(m, served!.store, state.config.base, String(req.params.scheme), cleanText(String(req.params.id), "id", 300)));
  });

  router.get("/validate/:scheme/:id", (req, res) => {
    const scheme = knownScheme(String(req.params.scheme));
    res.json(checkIdentifier(scheme, cleanText(String(req.params.id), "id", 300)));
  });

  router.get("/search", (req, res) => {
    const q = stringQuery(req, "q");
    if (q === undefined) throw new ApiError(400, "bad_request", "q is required: /api/search?q=<the first letters of a name>");
    const params = {
      q: cleanText(q, "q", 200),
      target: targetParam(stringQuery(req, "target")),
      limit: positiveInt(stringQuery(req, "limit"), "limit", SEARCH_LIMIT, SEARCH_MAX, "refuse"),
      country: parseCountry(stringQuery(req, "country")),
    };
    res.json(search(requireMatcher(state, heldServed(res)), params));
  });

  router.use("/affiliations", affiliationsRouter(state, limits));

  // Known paths with another method: 405 naming the right one; anything else under /api: 404.
  const allow = (methods: string) => (req: Request, _res: Response, next: NextFunction) =>
    next(new ApiError(405, "method_not_allowed", `${req.method} is not allowed here; use ${methods}`, {}, { Allow: methods }));
  router.all("/reconcile", allow("POST"));
  router.all("/jobs", allow("POST"));
  router.all("/jobs/:id", allow("GET, DELETE"));
  for (const p of ["/jobs/:id/result", "/lookup/:scheme/:id", "/validate/:scheme/:id", "/search", "/openapi.json", "/docs"]) router.all(p, allow("GET"));
  router.use((req, _res, next) => next(new ApiError(404, "not_found", `no route for ${req.method} /api${req.path}; see /api/docs`)));
  router.use(apiErrorHandler);
  return router;
}

