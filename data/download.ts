// Downloads the official files of the referentials listed in ./sources.ts into a
// data directory, one folder a source (see SourceInfo.downloadPath).
//
// Every file is streamed to `<final>.part` and renamed to its final name only
// once it is complete, so a failed or interrupted download never leaves a
// truncated file under the final name and keeps the previous file, if any.

import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { SOURCES, sourceInfo, type SourceId } from "./sources.ts";

export interface DownloadProgress {
  source: SourceId;
  /** Bytes of the (possibly compressed) body received so far. */
  receivedBytes: number;
  /** From Content-Length, when the server sent one and the body is not content-encoded. */
  totalBytes?: number;
  /** Set on the last event of a source, once its file is in place. */
  done?: boolean;
}

export interface DownloadResult {
  source: SourceId;
  /** Absolute (or dataDir-relative, as dataDir is) path of the file written. */
  path: string;
  /** Size of the file written. */
  bytes: number;
  /** URL the file came from: the direct file URL, or for ROR the URL of the dump zip. */
  url: string;
  /** ROR only: the zip entry that was extracted. */
  entry?: string;
}

export interface DownloadOptions {
  dataDir: string;
  /** Sources to download (default: all of SOURCES). */
  sources?: SourceId[];
  /** Overrides of the official URL (SourceInfo.downloadUrl) per source. */
  urls?: Partial<Record<SourceId, string>>;
  onProgress?: (e: DownloadProgress) => void;
  fetchImpl?: typeof fetch;
  /** Maximum duration of one HTTP exchange, body included (default 10 minutes). */
  timeoutMs?: number;
  /** Maximum wait for the response headers (default 30 s, never more than timeoutMs). */
  connectTimeoutMs?: number;
  /** How many sources download at once (default 3). */
  concurrency?: number;
}

/** Thrown by downloadSources when at least one source failed; the others were still downloaded. */
export class DownloadError extends Error {
  constructor(
    readonly failures: { source: SourceId; error: Error }[],
    readonly results: DownloadResult[],
  ) {
    super(
      failures.length === 1
        ? failures[0].error.message
        : `${failures.length} downloads failed:\n` + failures.map((f) => `  - ${f.error.message}`).join("\n"),
      { cause: failures[0]?.error },
    );
    this.name = "DownloadError";
  }
}

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const USER_AGENT = "refx/0.1 (ESR reconciliation)";

/**
 * SPARQL query sent to the Wikidata Query Service (SourceInfo.downloadUrl of
 * "wikidata") by a POST form with the field `query`.
 *
 * Items: everything that has a UAI (P3202) or an RNSR id (P3016), plus items
 * with a ROR id (P6782) that are instances (P31/P279*) of university (Q3918),
 * higher education institution (Q38723) or research institute (Q31855).
 *
 * One row per combination of the optional values (multi-valued properties
 * multiply rows); readers group rows by ?item:
 *   ?item ?itemLabel (fr, else en)
 *   ?uai P3202, ?rnsr P3016, ?siren P1616, ?siret P3215, ?ror P6782,
 *   ?grid P2427, ?isni P213, ?idref P269,
 *   ?country P17 with ?countryCode its ISO 3166-1 alpha-2 (P297),
 *   ?city P131 (located in the administrative territorial entity) with ?cityLabel,
 *   ?inception P571, ?dissolved P576, ?website P856, ?instanceOf P31,
 *   ?replaces P1365, ?replacedBy P1366,
 *   ?alias: labels and aliases (rdfs:label, skos:altLabel) in fr, en, de, es, it;
 *           the language is the literal's xml:lang in the JSON results.
 */
export const WIKIDATA_QUERY = `# refx: establishments of higher education and research (see data/download.ts)
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX bd: <http://www.bigdata.com/rdf#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?item ?itemLabel ?uai ?rnsr ?siren ?siret ?ror ?grid ?isni ?idref
       ?country ?countryCode ?city ?cityLabel ?inception ?dissolved ?website
       ?instanceOf ?replaces ?replacedBy ?alias
WHERE {
  {
    SELECT DISTINCT ?item WHERE {
      { ?item wdt:P3202 [] . }
      UNION
      { ?item wdt:P3016 [] . }
      UNION
      {
        VALUES ?class { wd:Q3918 wd:Q38723 wd:Q31855 }
        ?item wdt:P6782 [] ;
              wdt:P31/wdt:P279* ?class .
      }
    }
  }
  OPTIONAL { ?item wdt:P3202 ?uai . }
  OPTIONAL { ?item wdt:P3016 ?rnsr . }
  OPTIONAL { ?item wdt:P1616 ?siren . }
  OPTIONAL { ?item wdt:P3215 ?siret . }
  OPTIONAL { ?item wdt:P6782 ?ror . }
  OPTIONAL { ?item wdt:P2427 ?grid . }
  OPTIONAL { ?item wdt:P213 ?isni . }
  OPTIONAL { ?item wdt:P269 ?idref . }
  OPTIONAL { ?item wdt:P17 ?country . OPTIONAL { ?country wdt:P297 ?countryCode . } }
  OPTIONAL { ?item wdt:P131 ?city . }
  OPTIONAL { ?item wdt:P571 ?inception . }
  OPTIONAL { ?item wdt:P576 ?dissolved . }
  OPTIONAL { ?item wdt:P856 ?website . }
  OPTIONAL { ?item wdt:P31 ?instanceOf . }
  OPTIONAL { ?item wdt:P1365 ?replaces . }
  OPTIONAL { ?item wdt:P1366 ?replacedBy . }
  OPTIONAL {
    ?item rdfs:label|skos:altLabel ?alias .
    FILTER(LANG(?alias) IN ("fr", "en", "de", "es", "it"))
  }
  SERVICE wikibase:label { bd:serviceParam wikibase:language "fr,en". }
}
`;

/** Downloads the given sources (default: all) into dataDir. Rejects with a DownloadError if any failed. */
export async function downloadSources(opts: DownloadOptions): Promise<DownloadResult[]> {
  const ids = opts.sources ?? SOURCES.map((s) => s.id);
  for (const id of ids) sourceInfo(id); // throws on an unknown id
  const unique = [...new Set(ids)];
  const concurrency = Math.max(1, opts.concurrency ?? 3);

  const results = new Map<SourceId, DownloadResult>();
  const failures: { source: SourceId; error: Error }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const id = unique[next++];
      try {
        results.set(id, await downloadOne(id, opts));
      } catch (e) {
        failures.push({ source: id, error: e instanceof Error ? e : new Error(String(e)) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, unique.length) }, worker));

  const ordered = unique.flatMap((id) => results.get(id) ?? []);
  if (failures.length) throw new DownloadError(failures, ordered);
  return ordered;
}

// ---------------------------------------------------------------------------

interface Ctx {
  source: SourceId;
  fetchImpl: typeof fetch;
  timeoutMs: number;
  connectTimeoutMs: number;
  onProgress?: (e: DownloadProgress) => void;
}

async function downloadOne(id: SourceId, opts: DownloadOptions): Promise<DownloadResult> {
  const info = sourceInfo(id);
  const url = opts.urls?.[id] ?? info.downloadUrl;
  const finalPath = join(opts.dataDir, info.downloadPath);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ctx: Ctx = {
    source: id,
    fetchImpl: opts.fetchImpl ?? globalThis.fetch,
    timeoutMs,
    connectTimeoutMs: Math.min(opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, timeoutMs),
    onProgress: opts.onProgress,
  };
  await mkdir(dirname(finalPath), { recursive: true });

  switch (id) {
    case "uai":
    case "education":
    case "rnsr":
      return fileDownload(ctx, url, finalPath, { headers: { Accept: "text/csv" } });
    case "sirene-ul":
    case "sirene-etab":
      return fileDownload(ctx, url, finalPath, { expectZip: true });
    case "wikidata":
      return fileDownload(ctx, url, finalPath, {
        method: "POST",
        headers: {
          Accept: "application/sparql-results+json",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ query: WIKIDATA_QUERY }).toString(),
        expectJson: true,
      });
    case "ror":
      return rorDownload(ctx, url, finalPath);
  }
}

interface FileOpts {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  expectZip?: boolean;
  expectJson?: boolean;
}

/** Streams url to finalPath through finalPath.part. */
async function fileDownload(ctx: Ctx, url: string, finalPath: string, o: FileOpts = {}): Promise<DownloadResult> {
  const part = `${finalPath}.part`;
  try {
    await fetchToFile(ctx, url, part, o, true);
    if (o.expectZip) await checkZipSignature(ctx, url, part);
    if (o.expectJson) await checkJsonEnvelope(ctx, url, part);
    await rename(part, finalPath);
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  }
  const bytes = (await stat(finalPath)).size;
  return { source: ctx.source, path: finalPath, bytes, url };
}

/** ROR: ask the Zenodo API for the newest dump, download its zip, extract the JSON. */
async function rorDownload(ctx: Ctx, apiUrl: string, finalPath: string): Promise<DownloadResult> {
  const api = await fetchJson(ctx, apiUrl);
  const file = findRorDump(api);
  if (!file) throw new Error(`${ctx.source}: the Zenodo answer from ${apiUrl} names no file ending in ror-data.zip`);
  const zipUrl = new URL(file.link, apiUrl).toString();

  const zipPart = `${finalPath}.zip.part`;
  const part = `${finalPath}.part`;
  try {
    const got = await fetchToFile(ctx, zipUrl, zipPart, {}, false);
    await checkZipSignature(ctx, zipUrl, zipPart);
    const entry = await extractRorEntry(ctx, zipUrl, zipPart, part);
    await rename(part, finalPath);
    const bytes = (await stat(finalPath)).size;
    ctx.onProgress?.({ source: ctx.source, receivedBytes: got.received, totalBytes: got.totalBytes, done: true });
    return { source: ctx.source, path: finalPath, bytes, url: zipUrl, entry };
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  } finally {
    await rm(zipPart, { force: true });
  }
}

function findRorDump(api: unknown): { key: string; link: string } | undefined {
  const hits = (api as { hits?: { hits?: unknown } })?.hits?.hits;
  if (!Array.isArray(hits)) return undefined;
  for (const hit of hits) {
    const raw = (hit as { files?: unknown })?.files;
    // Zenodo's JSON gives an array; InvenioRDM's own format has { entries: {...} }.
    const entries = (raw as { entries?: unknown })?.entries;
    const files: unknown[] = Array.isArray(raw)
      ? raw
      : entries && typeof entries === "object"
        ? Object.values(entries as object)
        : [];
    for (const f of files) {
      const key = (f as { key?: unknown })?.key;
      const links = (f as { links?: Record<string, unknown> })?.links ?? {};
      const link = [links.self, links.content, links.download].find((l): l is string => typeof l === "string");
      if (typeof key === "string" && key.endsWith("ror-data.zip") && link) return { key, link };
    }
  }
  return undefined;
}

/** Extracts the *ror-data_schema_v2.json entry, else the *ror-data.json entry, of zipPath to outPath. */
async function extractRorEntry(ctx: Ctx, zipUrl: string, zipPath: string, outPath: string): Promise<string> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  } catch (e) {
    throw new Error(`${ctx.source}: ${zipUrl} is not a readable zip: ${(e as Error).message}`, { cause: e });
  }
  try {
    const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
      const all: yauzl.Entry[] = [];
      zip.on("entry", (e: yauzl.Entry) => {
        all.push(e);
        zip.readEntry();
      });
      zip.on("end", () => resolve(all));
      zip.on("error", reject);
      zip.readEntry();
    });
    const files = entries.filter((e) => !e.fileName.endsWith("/"));
    const chosen =
      files.find((e) => e.fileName.endsWith("ror-data_schema_v2.json")) ??
      files.find((e) => e.fileName.endsWith("ror-data.json"));
    if (!chosen) {
      throw new Error(
        `${ctx.source}: the zip ${zipUrl} has no entry ending in ror-data_schema_v2.json or ror-data.json ` +
          `(entries: ${files.map((e) => e.fileName).join(", ") || "none"})`,
      );
    }
    const stream = await zip.openReadStreamPromise(chosen);
    try {
      await pipeline(stream, createWriteStream(outPath));
    } catch (e) {
      throw new Error(`${ctx.source}: cannot extract ${chosen.fileName} from ${zipUrl}: ${(e as Error).message}`, { cause: e });
    }
    return chosen.fileName;
  } finally {
    zip.close();
  }
}

/** Rejects unless the file starts with a zip local header (an HTML error page answered 200 would not). */
async function checkZipSignature(ctx: Ctx, url: string, path: string): Promise<void> {
  const head = await readHead(path, 4);
  if (!(head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5))) {
    throw new Error(`${ctx.source}: ${url} did not answer a zip file (starts with ${JSON.stringify(head.toString("latin1"))})`);
  }
}

/**
 * Rejects unless the file looks like one whole JSON object. The Wikidata Query
 * Service answers 200 and streams results before a query timeout, then appends
 * an error text: the answer then does not end with "}".
 */
async function checkJsonEnvelope(ctx: Ctx, url: string, path: string): Promise<void> {
  const size = (await stat(path)).size;
  const fh = await open(path, "r");
  try {
    const n = Math.min(size, 4096);
    const head = Buffer.alloc(n);
    const tail = Buffer.alloc(n);
    await fh.read(head, 0, n, 0);
    await fh.read(tail, 0, n, size - n);
    const first = head.toString("utf8").trimStart()[0];
    const last = tail.toString("utf8").trimEnd().slice(-1);
    if (first !== "{" || last !== "}") {
      throw new Error(
        `${ctx.source}: ${url} did not answer a complete JSON document (query timeout on the server?): ` +
          JSON.stringify(tail.toString("utf8").trim().slice(-200)),
      );
    }
  } finally {
    await fh.close();
  }
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

// --- HTTP -------------------------------------------------------------------

interface Exchange {
  res: Response;
  signal: AbortSignal;
  /** Call when the body has been consumed (or abandoned). */
  finish: () => void;
  describeAbort: () => string | undefined;
}

/** Sends the request; resolves once the headers of a 2xx answer arrived. */
async function request(ctx: Ctx, url: string, init: RequestInit): Promise<Exchange> {
  const ac = new AbortController();
  let why: string | undefined;
  const connectTimer = setTimeout(() => {
    why = `no answer within ${seconds(ctx.connectTimeoutMs)}`;
    ac.abort(new Error(why));
  }, ctx.connectTimeoutMs);
  const totalTimer = setTimeout(() => {
    why = `timed out after ${seconds(ctx.timeoutMs)}`;
    ac.abort(new Error(why));
  }, ctx.timeoutMs);
  const finish = () => {
    clearTimeout(connectTimer);
    clearTimeout(totalTimer);
  };
  const headers = { "User-Agent": USER_AGENT, ...(init.headers as Record<string, string> | undefined) };

  let res: Response;
  try {
    res = await ctx.fetchImpl(url, { ...init, headers, signal: ac.signal, redirect: "follow" });
  } catch (e) {
    finish();
    throw networkError(ctx, url, e, why);
  }
  clearTimeout(connectTimer);
  if (!res.ok) {
    finish();
    await res.body?.cancel().catch(() => {});
    const text = res.statusText ? ` ${res.statusText}` : "";
    throw new Error(`${ctx.source}: ${url} answered HTTP ${res.status}${text}`);
  }
  return { res, signal: ac.signal, finish, describeAbort: () => why };
}

async function fetchJson(ctx: Ctx, url: string): Promise<unknown> {
  const ex = await request(ctx, url, { headers: { Accept: "application/json" } });
  let text: string;
  try {
    text = await ex.res.text();
  } catch (e) {
    throw bodyError(ctx, url, e, ex.describeAbort(), undefined);
  } finally {
    ex.finish();
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${ctx.source}: ${url} did not answer JSON: ${JSON.stringify(text.slice(0, 200))}`);
  }
}

/** Streams the answer body to path, reporting progress; the `done` event is sent here when finalEvent. */
async function fetchToFile(
  ctx: Ctx, url: string, path: string, o: FileOpts, finalEvent: boolean,
): Promise<{ received: number; totalBytes?: number }> {
  const ex = await request(ctx, url, { method: o.method ?? "GET", headers: o.headers, body: o.body });
  const { res } = ex;
  // fetch decodes gzip/br bodies, so Content-Length then counts other bytes than we do.
  const encoding = res.headers.get("content-encoding");
  const encoded = !!encoding && encoding.toLowerCase() !== "identity";
  const lengthHeader = res.headers.get("content-length");
  const totalBytes = !encoded && lengthHeader && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;

  let received = 0;
  const report = (done?: boolean) => {
    ctx.onProgress?.({ source: ctx.source, receivedBytes: received, totalBytes, ...(done ? { done } : {}) });
  };
  report();
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      received += chunk.length;
      report();
      cb(null, chunk);
    },
  });

  try {
    if (!res.body) throw new Error("empty body");
    const body = Readable.fromWeb(res.body as unknown as import("node:stream/web").ReadableStream) as Readable;
    await pipeline(body, counter, createWriteStream(path), { signal: ex.signal });
  } catch (e) {
    throw bodyError(ctx, url, e, ex.describeAbort(), received);
  } finally {
    ex.finish();
  }
  if (totalBytes !== undefined && received !== totalBytes) {
    throw new Error(`${ctx.source}: download of ${url} is truncated: received ${received} of ${totalBytes} bytes`);
  }
  if (finalEvent) report(true);
  return { received, totalBytes };
}

// --- errors -----------------------------------------------------------------

const OFFLINE_CODES = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "ENETDOWN",
  "EHOSTDOWN", "ETIMEDOUT", "ECONNRESET", "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT",
]);

/** The first error code found in an error, its causes and aggregated errors. */
function errorCode(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== "object" || depth > 5) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string" && code !== "ERR_INVALID_STATE") return code;
  for (const sub of (e as { errors?: unknown[] }).errors ?? []) {
    const c = errorCode(sub, depth + 1);
    if (c) return c;
  }
  return errorCode((e as { cause?: unknown }).cause, depth + 1);
}

function innerMessage(e: unknown): string {
  let m = e instanceof Error ? e.message : String(e);
  const cause = e instanceof Error ? (e.cause as { message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.message === "string" && cause.message && cause.message !== m) m += ` (${cause.message})`;
  return m;
}

function networkError(ctx: Ctx, url: string, e: unknown, why: string | undefined): Error {
  const host = hostOf(url);
  if (why) return new Error(`${ctx.source}: ${url}: ${why}`, { cause: e });
  const code = errorCode(e);
  if (code && OFFLINE_CODES.has(code)) {
    return new Error(`cannot reach ${host} for ${ctx.source}: ${code}. Are you offline?`, { cause: e });
  }
  return new Error(`${ctx.source}: request to ${url} failed: ${code ? `${code} ` : ""}${innerMessage(e)}`, { cause: e });
}

function bodyError(ctx: Ctx, url: string, e: unknown, why: string | undefined, received: number | undefined): Error {
  const after = received === undefined ? "" : ` after ${received} bytes`;
  if (why) return new Error(`${ctx.source}: download of ${url} ${why}${received === undefined ? "" : ` (${received} bytes received)`}`, { cause: e });
  return new Error(`${ctx.source}: download of ${url} failed${after}: ${innerMessage(e)}`, { cause: e });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
