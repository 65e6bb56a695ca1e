// data/download.ts against a real HTTP server on the loopback interface.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import yazl from "yazl";
import { DownloadError, downloadSources, WIKIDATA_QUERY, type DownloadProgress } from "../data/download.ts";
import { runDownload } from "../scripts/download-command.ts";
import { PUBLICATION_FILE, publicationOf } from "../data/publication.ts";
import { sourceInfo, type SourceId } from "../data/sources.ts";
import { itemsOf } from "../data/loaders/wikidata.ts";

const CSV =
  "etablissement_id_paysage;uo_lib;uai;siret\n" +
  "zZ9x1;Université de Testville;0999999A;99999999900011\n" +
  "yY8w2;École d'essai de Nulle-Part;0999998B;99999999800012\n";

const ROR_V1 = Buffer.from(JSON.stringify([{ id: "https://ror.org/00test001", name: "Schema v1" }]));
const ROR_V2 = Buffer.from(JSON.stringify([{ id: "https://ror.org/00test001", names: [{ value: "Schema v2" }] }]));

/** The items the fake SPARQL endpoint lists: 120, so 3 wbgetentities batches (50, 50, 20). */
const WIKIDATA_IDS = Array.from({ length: 120 }, (_, i) => `Q${999_000 + i}`);
const SPARQL_ANSWER = JSON.stringify({
  head: { vars: ["item"] },
  results: {
    bindings: [
      ...WIKIDATA_IDS.map((id) => ({ item: { type: "uri", value: `http://www.wikidata.org/entity/${id}` } })),
      // A repeated row is not fetched twice.
      { item: { type: "uri", value: `http://www.wikidata.org/entity/${WIKIDATA_IDS[0]}` } },
    ],
  },
});

/** An item as wbgetentities (formatversion=1) gives it. */
function entity(id: string) {
  const n = Number(id.slice(1)) - 999_000;
  const uai = `0999${String(n).padStart(3, "0")}A`;
  return {
    pageid: n + 1,
    ns: 0,
    title: id,
    type: "item",
    id,
    labels: { fr: { language: "fr", value: `Établissement d'essai n° ${n}` }, en: { language: "en", value: `Test establishment ${n}` } },
    descriptions: { fr: { language: "fr", value: "établissement de test" } },
    aliases: { fr: [{ language: "fr", value: `EE${n}` }] },
    claims: {
      P3202: [
        {
          mainsnak: { snaktype: "value", property: "P3202", datavalue: { value: uai, type: "string" }, datatype: "external-id" },
          type: "statement",
          id: `${id}$00000000-0000-0000-0000-000000000000`,
          rank: "normal",
        },
      ],
    },
  };
}

const API_PARAMS = {
  action: "wbgetentities",
  props: "labels|aliases|descriptions|claims",
  languages: "fr|en|de|es|it|pt|nl",
  format: "json",
  formatversion: "1",
};

function makeZip(entries: Record<string, Buffer>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, data] of Object.entries(entries)) zip.addBuffer(data, name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c));
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on("error", reject);
  });
}

let server: Server;
let base = "";
let closedPort = 0;
let dataDir = "";
let rorZip: Buffer;
let rorZipV1Only: Buffer;
let rorZipNoEntry: Buffer;
let sireneUlZip: Buffer;
let sireneEtabZip: Buffer;
const sparqlRequests: { query: string; accept?: string; userAgent?: string; contentType?: string }[] = [];
const apiRequests: { params: Record<string, string>; userAgent?: string }[] = [];

function zenodo(fileUrl: string, key = "v9.9-2099-01-01-ror-data.zip") {
  return JSON.stringify({
    hits: {
      hits: [
        { id: 2, metadata: { version: "v9.9" }, files: [{ key, size: 1, links: { self: fileUrl } }] },
        {
          id: 1,
          metadata: { version: "v9.8" },
          files: [{ key: "v9.8-2098-01-01-ror-data.zip", links: { self: `${base}/old-should-not-be-used` } }],
        },
      ],
      total: 2,
    },
  });
}

function send(res: ServerResponse, type: string, body: Buffer | string) {
  const buf = typeof body === "string" ? Buffer.from(body) : body;
  res.writeHead(200, { "Content-Type": type, "Content-Length": buf.length });
  res.end(buf);
}

/** Sends body in small chunks, one per event-loop turn, so the client sees several. */
function sendChunked(res: ServerResponse, type: string, body: Buffer) {
  res.writeHead(200, { "Content-Type": type, "Content-Length": body.length });
  let off = 0;
  const step = () => {
    if (off >= body.length) return void res.end();
    const chunk = body.subarray(off, off + 16 * 1024);
    off += chunk.length;
    res.write(chunk);
    setTimeout(step, 2);
  };
  step();
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", base);
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");

  switch (`${req.method} ${url.pathname}`) {
    case "GET /uai.csv":
    case "GET /education.csv":
    case "GET /rnsr.csv":
      return send(res, "text/csv; charset=utf-8", CSV);
    case "GET /zenodo":
      return send(res, "application/json", zenodo(`${base}/files/v9.9-2099-01-01-ror-data.zip/content`));
    case "GET /zenodo-v1-only":
      return send(res, "application/json", zenodo(`${base}/files/v1-only.zip/content`));
    case "GET /zenodo-no-entry":
      return send(res, "application/json", zenodo(`${base}/files/no-entry.zip/content`));
    case "GET /zenodo-empty":
      return send(res, "application/json", JSON.stringify({ hits: { hits: [{ files: [{ key: "README.md", links: { self: `${base}/x` } }] }] } }));
    case "GET /files/v9.9-2099-01-01-ror-data.zip/content":
      return send(res, "application/zip", rorZip);
    case "GET /files/v1-only.zip/content":
      return send(res, "application/zip", rorZipV1Only);
    case "GET /files/no-entry.zip/content":
      return send(res, "application/zip", rorZipNoEntry);
    case "GET /StockUniteLegale_utf8.zip":
      return send(res, "application/zip", sireneUlZip);
    case "GET /StockEtablissement_utf8.zip":
      return sendChunked(res, "application/zip", sireneEtabZip);
    case "GET /html-instead-of-zip":
      return send(res, "text/html", "<!doctype html><title>Maintenance</title>");
    case "POST /sparql": {
      const query = new URLSearchParams(body).get("query") ?? "";
      sparqlRequests.push({
        query,
        accept: req.headers.accept,
        userAgent: req.headers["user-agent"],
        contentType: req.headers["content-type"],
      });
      if (!query.includes("wdt:P3202") || !/^\s*(#[^\n]*\n\s*)*PREFIX/i.test(query)) {
        res.writeHead(400, { "Content-Type": "text/plain" });
        return void res.end("bad query");
      }
      return send(res, "application/sparql-results+json", SPARQL_ANSWER);
    }
    case "GET /w/api.php":
    case "GET /w/api-error.php":
    case "GET /w/api-500.php":
    case "GET /w/api-html.php": {
      const params = Object.fromEntries(url.searchParams);
      apiRequests.push({ params, userAgent: req.headers["user-agent"] });
      const ids = (params.ids ?? "").split("|");
      const { ids: _ids, ...others } = params;
      if (ids.length > 50 || ids.some((id) => !/^Q\d+$/.test(id)) || JSON.stringify(others) !== JSON.stringify(API_PARAMS)) {
        // What the real API says to a bad request (answered 200, like it does).
        return send(res, "application/json", JSON.stringify({ error: { code: "badrequest", info: `bad request: ${url.search}` } }));
      }
      if (url.pathname === "/w/api-500.php") {
        res.writeHead(500, { "Content-Type": "text/plain" });
        return void res.end("Internal Server Error");
      }
      if (url.pathname === "/w/api-html.php") return send(res, "text/html", "<!doctype html><title>Wikimedia Error</title>");
      if (url.pathname === "/w/api-error.php" && ids.includes("Q999060")) {
        return send(res, "application/json", JSON.stringify({
          error: { code: "maxlag", info: "Waiting for a database server: 6 seconds lagged." },
          servedby: "mw-api-ext",
        }));
      }
      return send(res, "application/json", JSON.stringify({ entities: Object.fromEntries(ids.map((id) => [id, entity(id)])), success: 1 }));
    }
    case "POST /sparql-timeout":
      // What WDQS does on a query timeout after it started streaming.
      return send(res, "application/sparql-results+json", '{"head":{"vars":["item"]},"results":{"bindings":[{"item"\njava.util.concurrent.TimeoutException');
    case "GET /resumable.zip": {
      // Cut off half-way the first time; the rest on a Range request naming this version.
      const headers = { "Content-Type": "application/zip", "Accept-Ranges": "bytes", ETag: '"v1"', "Last-Modified": "Tue, 01 Dec 2026 06:00:00 GMT" };
      const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ""));
      rangeRequests.push(String(req.headers.range ?? ""));
      if (range && req.headers["if-range"] === '"v1"') {
        const from = Number(range[1]);
        res.writeHead(206, { ...headers, "Content-Range": `bytes ${from}-${sireneUlZip.length - 1}/${sireneUlZip.length}`, "Content-Length": sireneUlZip.length - from });
        return void res.end(sireneUlZip.subarray(from));
      }
      res.writeHead(200, { ...headers, "Content-Length": sireneUlZip.length });
      res.write(sireneUlZip.subarray(0, RESUME_CUT));
      setTimeout(() => res.socket?.destroy(), 300);
      return;
    }
    case "GET /truncated": {
      res.writeHead(200, { "Content-Type": "application/zip", "Content-Length": 100_000 });
      res.write(Buffer.concat([Buffer.from("PK\x03\x04"), randomBytes(996)]));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    case "GET /stall": {
      // A few bytes, then nothing.
      res.writeHead(200, { "Content-Type": "text/csv", "Content-Length": 100_000 });
      const lines = CSV.split("\n").slice(0, 3).map((l) => `${l}\n`);
      lines.forEach((line, i) => setTimeout(() => res.write(line), i * 50));
      return; // never ends
    }
    case "GET /slow": {
      // Slow but steady: one line every 100 ms for about 1 s.
      const body = Buffer.from(Array.from({ length: 11 }, (_, i) => `slow;line ${i};0999999A;99999999900011\n`).join(""));
      res.writeHead(200, { "Content-Type": "text/csv", "Content-Length": body.length });
      const lines = body.toString().split(/(?<=\n)/);
      let i = 0;
      const step = () => {
        res.write(lines[i++]);
        if (i < lines.length) setTimeout(step, 100);
        else res.end();
      };
      step();
      return;
    }
    default:
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
  }
}

const urlsFor = (): Partial<Record<SourceId, string>> => ({
  uai: `${base}/uai.csv`,
  education: `${base}/education.csv`,
  rnsr: `${base}/rnsr.csv`,
  wikidata: `${base}/sparql`,
  ror: `${base}/zenodo`,
  "sirene-ul": `${base}/StockUniteLegale_utf8.zip`,
  "sirene-etab": `${base}/StockEtablissement_utf8.zip`,
});
const apiUrl = () => `${base}/w/api.php`;

const pathOf = (id: SourceId, dir = dataDir) => join(dir, sourceInfo(id).downloadPath);

async function freshDir(name: string): Promise<string> {
  const dir = join(dataDir, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

const rangeRequests: string[] = [];
const RESUME_CUT = 60;

/** Every file under dir, relative, recursively (the publication index, checked on its own, aside). */
async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name !== PUBLICATION_FILE).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1)).sort();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "refx-download-"));
  rorZip = await makeZip({
    "v9.9-2099-01-01-ror-data.json": ROR_V1,
    "v9.9-2099-01-01-ror-data_schema_v2.json": ROR_V2,
    "v9.9-2099-01-01-ror-data.csv": Buffer.from("id,name\n"),
  });
  rorZipV1Only = await makeZip({ "v9.9-2099-01-01-ror-data.json": ROR_V2 });
  rorZipNoEntry = await makeZip({ "README.txt": Buffer.from("nothing here") });
  sireneUlZip = await makeZip({ "StockUniteLegale_utf8.csv": Buffer.from("siren,denominationUniteLegale\n999999999,UNIVERSITE DE TESTVILLE\n") });
  // Incompressible, so that the body comes in many chunks.
  sireneEtabZip = await makeZip({ "StockEtablissement_utf8.csv": randomBytes(256 * 1024) });

  server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // A port nobody listens on any more.
  const tmp = createServer();
  await new Promise<void>((r) => tmp.listen(0, "127.0.0.1", r));
  closedPort = (tmp.address() as AddressInfo).port;
  await new Promise<void>((r) => tmp.close(() => r()));
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("downloadSources", () => {
  it("resumes an interrupted download where it stopped, and records the file's publication date", async () => {
    const dir = await freshDir("resume");
    const urls = { "sirene-ul": `${base}/resumable.zip` };
    rangeRequests.length = 0;
    const first = await downloadSources({ dataDir: dir, sources: ["sirene-ul"], urls }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(DownloadError);
    expect(await listFiles(dir)).toEqual([`${sourceInfo("sirene-ul").downloadPath}.part`, `${sourceInfo("sirene-ul").downloadPath}.part.version`]);
    expect((await readFile(`${pathOf("sirene-ul", dir)}.part`)).length).toBe(RESUME_CUT);

    const [r] = await downloadSources({ dataDir: dir, sources: ["sirene-ul"], urls });
    expect(rangeRequests).toEqual(["", `bytes=${RESUME_CUT}-`]);
    expect(r.resumedFrom).toBe(RESUME_CUT);
    expect((await readFile(pathOf("sirene-ul", dir))).equals(sireneUlZip)).toBe(true);
    expect(await listFiles(dir)).toEqual([sourceInfo("sirene-ul").downloadPath]);
    // The date shown for the source is the publisher's, not the day the file reached the disk.
    expect(publicationOf(pathOf("sirene-ul", dir))).toMatchObject({ url: urls["sirene-ul"], published: "2026-12-01T06:00:00.000Z" });
  });

  it("downloads every source to its path with the right bytes", async () => {
    const dir = await freshDir("all");
    const results = await downloadSources({ dataDir: dir, urls: urlsFor(), wikidataApiUrl: apiUrl() });

    expect(results.map((r) => r.source).sort()).toEqual(
      ["education", "rnsr", "ror", "sirene-etab", "sirene-ul", "uai", "wikidata"],
    );
    for (const r of results) {
      expect(r.path).toBe(pathOf(r.source, dir));
      expect((await readFile(r.path)).length).toBe(r.bytes);
    }
    for (const id of ["uai", "education", "rnsr"] as const) {
      expect(await readFile(pathOf(id, dir), "utf8")).toBe(CSV);
      expect(results.find((r) => r.source === id)?.url).toBe(`${base}/${id}.csv`);
    }
    expect((await readFile(pathOf("sirene-ul", dir))).equals(sireneUlZip)).toBe(true);
    expect((await readFile(pathOf("sirene-etab", dir))).equals(sireneEtabZip)).toBe(true);
    const wikidata = JSON.parse(await readFile(pathOf("wikidata", dir), "utf8"));
    expect(Object.keys(wikidata.entities)).toHaveLength(120);
    expect(results.find((r) => r.source === "wikidata")?.url).toBe(apiUrl());
    expect((await readFile(pathOf("ror", dir))).equals(ROR_V2)).toBe(true);

    // Nothing else is left behind: no .part, no temporary zip.
    expect(await listFiles(dir)).toEqual(
      results.map((r) => sourceInfo(r.source).downloadPath).sort(),
    );
  });

  it("Wikidata: POSTs the SPARQL query (item list only) as a form with the right headers", async () => {
    sparqlRequests.length = 0;
    const dir = await freshDir("wikidata");
    await downloadSources({ dataDir: dir, sources: ["wikidata"], urls: urlsFor(), wikidataApiUrl: apiUrl() });
    expect(sparqlRequests).toHaveLength(1);
    const [r] = sparqlRequests;
    expect(r.query).toBe(WIKIDATA_QUERY);
    expect(r.accept).toBe("application/sparql-results+json");
    expect(r.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(r.userAgent).toBe("refx/0.1 (ESR reconciliation)");
    expect(WIKIDATA_QUERY).toMatch(/SELECT DISTINCT \?item WHERE/);
    expect(WIKIDATA_QUERY).not.toMatch(/OPTIONAL|SERVICE/);
    for (const p of ["P3202", "P3016", "P6782", "P31/wdt:P279*", "Q3918", "Q38723", "Q31855"]) {
      expect(WIKIDATA_QUERY).toContain(p);
    }
  });

  it("Wikidata: fetches the listed items from wbgetentities by 50 and merges them into one entity-API file", async () => {
    apiRequests.length = 0;
    const dir = await freshDir("wikidata-entities");
    const events: DownloadProgress[] = [];
    const [r] = await downloadSources({
      dataDir: dir, sources: ["wikidata"], urls: urlsFor(), wikidataApiUrl: apiUrl(), onProgress: (e) => events.push(e),
    });

    // Three batches, at most 50 ids each, every item once, with the right parameters.
    expect(apiRequests.map((q) => q.params.ids.split("|").length)).toEqual([50, 50, 20]);
    expect(apiRequests.flatMap((q) => q.params.ids.split("|"))).toEqual(WIKIDATA_IDS);
    for (const q of apiRequests) {
      expect(q.params).toEqual({ ...API_PARAMS, ids: q.params.ids });
      expect(q.userAgent).toBe("refx/0.1 (ESR reconciliation)");
    }

    // The merged file: {"entities": {...}} with the 120 items as the API gave them.
    expect(r.path).toBe(pathOf("wikidata", dir));
    const text = await readFile(r.path, "utf8");
    expect(r.bytes).toBe(Buffer.byteLength(text));
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual(["entities"]);
    expect(Object.keys(json.entities)).toEqual(WIKIDATA_IDS);
    for (const id of WIKIDATA_IDS) expect(json.entities[id]).toEqual(entity(id));
    expect(await listFiles(dir)).toEqual([sourceInfo("wikidata").downloadPath]);

    // What the Wikidata loader reads.
    const items = itemsOf(r.path, json);
    expect(items).toHaveLength(120);
    expect(items[7]).toMatchObject({
      id: "Q999007",
      labels: { fr: "Établissement d'essai n° 7", en: "Test establishment 7" },
      aliases: { fr: ["EE7"] },
      claims: { P3202: ["0999007A"] },
    });

    // Progress: bytes written so far, items fetched, no byte total; one done event at the end.
    expect(events.every((e) => e.source === "wikidata" && e.totalBytes === undefined)).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i].receivedBytes).toBeGreaterThanOrEqual(events[i - 1].receivedBytes);
    expect(events.filter((e) => e.items !== undefined).map((e) => e.items)).toEqual([0, 50, 100, 120, 120]);
    expect(events.at(-1)).toEqual({ source: "wikidata", receivedBytes: r.bytes, items: 120, totalItems: 120, done: true });
    expect(events.filter((e) => e.done)).toHaveLength(1);
  });

  it("Wikidata: an API error, an HTTP error or a non-JSON answer fails naming the batch; no file is left", async () => {
    const dir = await freshDir("wikidata-api-error");
    const previous = pathOf("wikidata", dir);
    await mkdir(dirname(previous), { recursive: true });
    await writeFile(previous, '{"entities":{}}');
    const run = (api: string) =>
      downloadSources({ dataDir: dir, sources: ["wikidata"], urls: urlsFor(), wikidataApiUrl: `${base}/w/${api}` });

    // The second batch fails after the first was written to the .part file.
    await expect(run("api-error.php")).rejects.toThrow(
      /^wikidata: wbgetentities batch 2\/3 \(Q999050…Q999099\) at http:\/\/127\.0\.0\.1:\d+\/w\/api-error\.php: API error maxlag: Waiting for a database server/,
    );
    await expect(run("api-500.php")).rejects.toThrow(
      /^wikidata: wbgetentities batch 1\/3 \(Q999000…Q999049\) failed: http:\/\/127\.0\.0\.1:\d+\/w\/api-500\.php answered HTTP 500/,
    );
    await expect(run("api-html.php")).rejects.toThrow(
      /^wikidata: wbgetentities batch 1\/3 \(Q999000…Q999049\) failed: http:\/\/127\.0\.0\.1:\d+\/w\/api-html\.php did not answer JSON/,
    );
    expect(await readFile(previous, "utf8")).toBe('{"entities":{}}');
    expect(await listFiles(dir)).toEqual([sourceInfo("wikidata").downloadPath]);
  });

  it("rejects a SPARQL answer cut by a server-side timeout and keeps no file", async () => {
    const dir = await freshDir("wikidata-timeout");
    await expect(
      downloadSources({
        dataDir: dir, sources: ["wikidata"], urls: { wikidata: `${base}/sparql-timeout` }, wikidataApiUrl: apiUrl(),
      }),
    ).rejects.toThrow(/wikidata: .*did not answer a complete JSON document/);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("ROR: picks the newest dump and its schema v2 entry", async () => {
    const dir = await freshDir("ror");
    const [r] = await downloadSources({ dataDir: dir, sources: ["ror"], urls: urlsFor() });
    expect(r.entry).toBe("v9.9-2099-01-01-ror-data_schema_v2.json");
    expect(r.url).toBe(`${base}/files/v9.9-2099-01-01-ror-data.zip/content`);
    expect((await readFile(pathOf("ror", dir))).equals(ROR_V2)).toBe(true);
    expect(r.bytes).toBe(ROR_V2.length);
  });

  it("ROR: falls back on the ror-data.json entry", async () => {
    const dir = await freshDir("ror-v1");
    const [r] = await downloadSources({ dataDir: dir, sources: ["ror"], urls: { ror: `${base}/zenodo-v1-only` } });
    expect(r.entry).toBe("v9.9-2099-01-01-ror-data.json");
    expect((await readFile(pathOf("ror", dir))).equals(ROR_V2)).toBe(true);
  });

  it("ROR: clear errors for an answer without dump and a zip without the entry", async () => {
    const dir = await freshDir("ror-bad");
    await expect(
      downloadSources({ dataDir: dir, sources: ["ror"], urls: { ror: `${base}/zenodo-empty` } }),
    ).rejects.toThrow(/ror: the Zenodo answer from http:\/\/127\.0\.0\.1:\d+\/zenodo-empty names no file ending in ror-data\.zip/);
    await expect(
      downloadSources({ dataDir: dir, sources: ["ror"], urls: { ror: `${base}/zenodo-no-entry` } }),
    ).rejects.toThrow(/ror: the zip .*no-entry\.zip\/content has no entry ending in ror-data_schema_v2\.json or ror-data\.json \(entries: README\.txt\)/);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("emits progress events with increasing receivedBytes and the Content-Length total", async () => {
    const dir = await freshDir("progress");
    const events: DownloadProgress[] = [];
    await downloadSources({
      dataDir: dir,
      sources: ["sirene-etab"],
      urls: urlsFor(),
      onProgress: (e) => events.push(e),
    });
    expect(events.length).toBeGreaterThan(5);
    expect(events.every((e) => e.source === "sirene-etab")).toBe(true);
    expect(events.every((e) => e.totalBytes === sireneEtabZip.length)).toBe(true);
    const received = events.filter((e) => !e.done).map((e) => e.receivedBytes);
    expect(received[0]).toBe(0);
    for (let i = 1; i < received.length; i++) expect(received[i]).toBeGreaterThan(received[i - 1]);
    const last = events.at(-1)!;
    expect(last.done).toBe(true);
    expect(last.receivedBytes).toBe(sireneEtabZip.length);
    expect(events.filter((e) => e.done)).toHaveLength(1);
  });

  it("ROR: progress follows the zip and ends with one done event", async () => {
    const dir = await freshDir("ror-progress");
    const events: DownloadProgress[] = [];
    await downloadSources({ dataDir: dir, sources: ["ror"], urls: urlsFor(), onProgress: (e) => events.push(e) });
    expect(events.at(-1)).toEqual({ source: "ror", receivedBytes: rorZip.length, totalBytes: rorZip.length, done: true });
    expect(events.filter((e) => e.done)).toHaveLength(1);
  });

  it("HTTP 404: clear error, the previous file is kept", async () => {
    const dir = await freshDir("404");
    const previous = pathOf("uai", dir);
    await mkdir(dirname(previous), { recursive: true });
    await writeFile(previous, "previous download\n");
    await expect(
      downloadSources({ dataDir: dir, sources: ["uai"], urls: { uai: `${base}/missing.csv` } }),
    ).rejects.toThrow(/^uai: http:\/\/127\.0\.0\.1:\d+\/missing\.csv answered HTTP 404/);
    expect(await readFile(previous, "utf8")).toBe("previous download\n");
    expect(await listFiles(dir)).toEqual([sourceInfo("uai").downloadPath]);
  });

  it("connection refused: says so and asks whether we are offline", async () => {
    const dir = await freshDir("refused");
    await expect(
      downloadSources({ dataDir: dir, sources: ["rnsr"], urls: { rnsr: `http://127.0.0.1:${closedPort}/rnsr.csv` } }),
    ).rejects.toThrow(`cannot reach 127.0.0.1:${closedPort} for rnsr: ECONNREFUSED. Are you offline?`);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("truncated body: fails and leaves neither the final file nor a .part", async () => {
    const dir = await freshDir("truncated");
    await expect(
      downloadSources({ dataDir: dir, sources: ["sirene-ul"], urls: { "sirene-ul": `${base}/truncated` } }),
    ).rejects.toThrow(/^sirene-ul: download of http:\/\/127\.0\.0\.1:\d+\/truncated failed after \d+ bytes/);
    expect(existsSync(pathOf("sirene-ul", dir))).toBe(false);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("idle timeout: a body that stalls is abandoned with a clear error", async () => {
    const dir = await freshDir("stall");
    const t0 = Date.now();
    await expect(
      downloadSources({ dataDir: dir, sources: ["education"], urls: { education: `${base}/stall` }, idleTimeoutMs: 300 }),
    ).rejects.toThrow(
      /^education: download of http:\/\/127\.0\.0\.1:\d+\/stall timed out: no data for 300 ms \(\d+ bytes received\)/,
    );
    // The last bytes came at about 100 ms: the timer counts from them.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("idle timeout: a slow but steady body is not cut off", async () => {
    const dir = await freshDir("slow");
    const t0 = Date.now();
    const [r] = await downloadSources({
      dataDir: dir, sources: ["education"], urls: { education: `${base}/slow` }, idleTimeoutMs: 300,
    });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const text = await readFile(r.path, "utf8");
    expect(text.split("\n").filter(Boolean)).toHaveLength(11);
    expect(text).toMatch(/^slow;line 0;.*\nslow;line 10;0999999A;99999999900011\n$/s);
  });

  it("a Sirene answer that is not a zip is refused", async () => {
    const dir = await freshDir("not-zip");
    await expect(
      downloadSources({ dataDir: dir, sources: ["sirene-ul"], urls: { "sirene-ul": `${base}/html-instead-of-zip` } }),
    ).rejects.toThrow(/^sirene-ul: .*did not answer a zip file/);
    expect(await listFiles(dir)).toEqual([]);
  });

  it("one failing source does not stop the others", async () => {
    const dir = await freshDir("partial");
    const err = await downloadSources({
      dataDir: dir,
      sources: ["uai", "rnsr"],
      urls: { uai: `${base}/uai.csv`, rnsr: `${base}/gone.csv` },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DownloadError);
    if (!(err instanceof DownloadError)) return;
    expect(err.failures.map((f) => f.source)).toEqual(["rnsr"]);
    expect(err.message).toMatch(/^rnsr: .* answered HTTP 404/);
    expect(err.results.map((r) => r.source)).toEqual(["uai"]);
    expect(await readFile(pathOf("uai", dir), "utf8")).toBe(CSV);
  });
});

describe("runDownload", () => {
  it("rejects an unknown source name and lists the valid ones", async () => {
    await expect(runDownload({ dataDir, sources: ["uai", "nope"], quiet: true })).rejects.toThrow(
      'unknown source "nope"; valid sources are: uai, education, rnsr, wikidata, ror, sirene-ul, sirene-etab',
    );
  });
});
