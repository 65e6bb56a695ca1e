// Exports (docs/linked-data.md#exports):
//   GET  /export/{source}?format=ttl|nt|nq|jsonld   a whole graph, streamed; `all` for the whole store
//   POST /export/resolved?column=&service=&format=  a reconciled CSV table back as enriched CSV or 5-star RDF
//   GET  /export/resolved/{id}                      a resolved table, kept for a day, so its row URIs dereference
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import busboy from "busboy";
import { Parser } from "n3";
import { graphUri, SOURCES, type SourceId } from "../../data/sources.ts";
import type { GraphStore } from "../../data/store.ts";
import { heldServed, type ServiceState } from "../state.ts";
import { contentType, formatParam, negotiateRdf, NotAcceptable, RDF_EXTENSIONS, RDF_TYPES, type RdfFormat } from "../http/negotiation.ts";
import { declaredSizeLimit } from "../limits/body-size.ts";
import { describeError, HttpError } from "../http/errors.ts";
import { DomainError } from "../../app/errors.ts";
import { parseFormulaMode } from "../../data/csv-formulas.ts";
import { writeRdf } from "../../app/rdf.ts";
import { EXPORT_FORMATS, graphList, writeExport, type ExportFormat } from "../../app/export-stream.ts";
import { MAX_RESOLVE_ROWS, newExportId, readTable, resolveCellsInTurns, resolvedCsv, resolvedQuads, RESOLVE_SERVICES } from "../../app/export-resolved.ts";
import { isServiceId } from "../../app/targets.ts";

const MAX_UPLOAD = 50 * 2 ** 20;
const KEEP_MS = 24 * 3600 * 1000;
const KEEP_COUNT = 50;
/** Resolved tables are kept in memory: their total is bounded too, the oldest dropped first. */
const KEEP_CHARS = 200 * 2 ** 20;

function fail(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

/** Graphs of a source id, `links`, or `all`, as loaded in the store. */
export async function graphsOf(store: GraphStore, base: string, source: string): Promise<string[] | undefined> {
  const loaded = await graphList(store);
  if (source === "all") return loaded;
  if (source !== "links" && !SOURCES.some((s) => s.id === source)) return undefined;
  const g = graphUri(base, source as SourceId | "links");
  return loaded.includes(g) ? [g] : [];
}

interface Kept {
  created: number;
  csv: string;
  nt: string;
  title: string;
}

/** An upload that is not a readable table: the codes the resolved table's own refusals use. */
const uploadRefusal = (status: number, message: string) => new HttpError(status, status === 413 ? "too_many_rows" : "bad_table", message);

/** Reads the uploaded table: a multipart file field, or the body itself (text/csv). Other fields come back too. */
function readUpload(req: Request): Promise<{ text: string; filename?: string; fields: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    if (req.is("multipart/form-data")) {
      const fields: Record<string, string> = {};
      let text: string | undefined;
      let filename: string | undefined;
      let bb: busboy.Busboy;
      try {
        bb = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD, files: 1 } });
      } catch (err) {
        return reject(uploadRefusal(400, (err as Error).message));
      }
      bb.on("field", (name, value) => (fields[name] = value));
      bb.on("file", (_name, stream, info) => {
        filename = info.filename;
        const parts: Buffer[] = [];
        stream.on("data", (d: Buffer) => parts.push(d));
        stream.on("limit", () => reject(uploadRefusal(413, `the file is larger than ${MAX_UPLOAD / 2 ** 20} MB`)));
        stream.on("end", () => (text = Buffer.concat(parts).toString("utf8")));
      });
      bb.on("error", (err) => reject(uploadRefusal(400, `the multipart body does not parse: ${(err as Error).message}`)));
      bb.on("close", () => (text === undefined ? reject(uploadRefusal(400, "the multipart body has no file: send the CSV as a file field")) : resolve({ text, filename, fields })));
      req.pipe(bb);
      return;
    }
    if (typeof req.body === "string") return resolve({ text: req.body, fields: {} });
    reject(uploadRefusal(415, "send the reconciled table as text/csv, or as a file in multipart/form-data"));
  });
}

export function exportRouter(state: ServiceState): Router {
  const router = express.Router();
  const kept = new Map<string, Kept>();
  const prune = () => {
    const now = Date.now();
    for (const [k, v] of kept) if (now - v.created > KEEP_MS) kept.delete(k);
    while (kept.size > KEEP_COUNT) kept.delete(kept.keys().next().value!);
    let chars = 0;
    for (const v of kept.values()) chars += v.csv.length + v.nt.length;
    for (const [k, v] of kept) {
      if (chars <= KEEP_CHARS || kept.size <= 1) break;
      chars -= v.csv.length + v.nt.length;
      kept.delete(k);
    }
  };

  router.post(
    "/export/resolved",
    declaredSizeLimit(MAX_UPLOAD),
    express.text({ type: ["text/csv", "text/plain", "application/csv"], limit: MAX_UPLOAD }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const served = heldServed(res);
        if (!served) {
          res.set("Retry-After", "10");
          return fail(res, 503, "loading", "the data is still loading");
        }
        const upload = await readUpload(req);
        const param = (k: string) => {
          const v = req.query[k] ?? upload.fields[k];
          return typeof v === "string" && v.trim() ? v.trim() : undefined;
        };
        const service = param("service") ?? "all";
        if (!isServiceId(service)) return fail(res, 400, "bad_request", `service must be one of ${RESOLVE_SERVICES.join(", ")}`);
        const table = readTable(upload.text, MAX_RESOLVE_ROWS);
        const column = param("column") ?? table.header[0];
        const index = table.header.indexOf(column);
        if (index < 0) return fail(res, 400, "bad_request", `no column ${JSON.stringify(column)} in the table; its columns: ${table.header.join(", ")}`);
        const fmt = param("format") ?? formatParam(req);
        let format: "csv" | RdfFormat;
        if (fmt === "csv" || (!fmt && (req.accepts(["text/csv", ...Object.values(RDF_TYPES)]) === "text/csv" || !req.get("accept")))) format = "csv";
        else format = negotiateRdf(req, ["turtle", "ntriples", "jsonld", "rdfxml"], "resolved data");

        const resolved = await resolveCellsInTurns(served.store, state.config.base, service, table.rows.map((r) => r[index] ?? ""));
        const id = newExportId();
        const doc = `${state.config.base}/export/resolved/${id}`;
        const title = upload.filename ?? "uploaded table";
        const quads = resolvedQuads(table, resolved, { doc, base: state.config.base, title, column, service, created: new Date() });
        const formulas = parseFormulaMode(param("formulas"));
        if (!formulas) return fail(res, 400, "bad_request", "formulas must be neutralise or raw");
        const csv = resolvedCsv(table, resolved, formulas);
        kept.set(id, { created: Date.now(), csv, nt: writeRdf(quads, "ntriples"), title });
        prune();
        const found = resolved.filter((r) => r.status === "found").length;
        res.set({ Location: `/export/resolved/${id}`, "X-Rows": String(table.rows.length), "X-Rows-Resolved": String(found), Link: `<${doc}>; rel="describedby"` });
        if (format === "csv") {
          res.set("Content-Type", "text/csv; charset=utf-8").set("Content-Disposition", `attachment; filename="resolved-${id}.csv"`).send(csv);
        } else {
          res.set("Content-Type", contentType(RDF_TYPES[format])).set("Content-Disposition", `attachment; filename="resolved-${id}.${RDF_EXTENSIONS[format]}"`).send(writeRdf(quads, format));
        }
      } catch (err) {
        if (err instanceof NotAcceptable) return fail(res, 406, "not_acceptable", err.message);
        if (err instanceof DomainError || err instanceof HttpError) {
          const { status, code, message } = describeError(err);
          return fail(res, status, code, message);
        }
        next(err);
      }
    },
  );

  router.get("/export/resolved/:id", (req: Request, res: Response) => {
    prune();
    const k = kept.get(String(req.params.id));
    if (!k) return fail(res, 404, "not_found", "no resolved table with this id here (they are kept for a day, in memory)");
    res.vary("Accept");
    const f = formatParam(req);
    if (f === "csv" || (!f && req.accepts(["text/turtle", "text/csv", ...Object.values(RDF_TYPES)]) === "text/csv")) {
      res.set("Content-Type", "text/csv; charset=utf-8").send(k.csv);
      return;
    }
    try {
      const format = negotiateRdf(req, ["turtle", "ntriples", "jsonld", "rdfxml"], "resolved data");
      if (format === "ntriples") return void res.set("Content-Type", contentType(RDF_TYPES.ntriples)).send(k.nt);
      res.set("Content-Type", contentType(RDF_TYPES[format])).send(writeRdf(new Parser({ format: "N-Triples" }).parse(k.nt), format));
    } catch (err) {
      if (err instanceof NotAcceptable) return fail(res, 406, "not_acceptable", err.message);
      throw err;
    }
  });

  router.get("/export/:source", async (req: Request, res: Response, next: NextFunction) => {
    const source = String(req.params.source);
    // The data this request took at its start: a reload during the export does not change what is streamed.
    const served = heldServed(res);
    if (!served) {
      res.set("Retry-After", "10");
      return fail(res, 503, "loading", "the data is still loading");
    }
    const { store } = served;
    const graphs = await graphsOf(store, state.config.base, source);
    if (!graphs) return fail(res, 404, "not_found", `no source ${JSON.stringify(source)}; sources: ${[...SOURCES.map((s) => s.id), "links", "all"].join(", ")}`);
    if (!graphs.length) return fail(res, 404, "not_found", `the ${source} source is not loaded on this server`);
    let format: ExportFormat;
    try {
      format = negotiateRdf(req, EXPORT_FORMATS, "exports") as ExportFormat;
    } catch (err) {
      if (err instanceof NotAcceptable) return fail(res, 406, "not_acceptable", err.message);
      throw err;
    }
    res.set({
      "Content-Type": contentType(RDF_TYPES[format]),
      "Content-Disposition": `attachment; filename="refx-${source}.${RDF_EXTENSIONS[format]}"`,
      Vary: "Accept",
    });
    let closed = false;
    res.on("close", () => (closed = true));
    try {
      await writeExport(res, store, graphs, format, { isClosed: () => closed });
      res.end();
    } catch (err) {
      if (!res.headersSent) return next(err);
      res.destroy(err as Error);
    }
  });
  return router;
}
