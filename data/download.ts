// Downloads the official files of the referentials listed in ./sources.ts into a
// data directory, one folder a source (see SourceInfo.downloadPath).
//
// Every file is streamed to `<final>.part` and renamed to its final name only
// once it is complete, so a failed or interrupted download never leaves a
// truncated file under the final name and keeps the previous file, if any.
//
// Wikidata comes in two steps: a SPARQL query (WIKIDATA_QUERY) lists the items,
// then the Wikibase API (wbgetentities) gives their JSON by batches of 50; the
// batches are merged into one entity-API document {"entities": {...}}.

import { createWriteStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { isoDate, recordPublication } from "./publication.ts";
import { SOURCES, sourceInfo, type SourceId } from "./sources.ts";
import { downloadHop, fetchCheckingRedirects } from "./redirects.ts";

export interface DownloadProgress {
  source: SourceId;
  /**
   * Bytes of the (possibly compressed) body received so far. Wikidata: bytes
   * of the merged JSON written so far.
   */
  receivedBytes: number;
  /** From Content-Length, when the server sent one and the body is not content-encoded. Never for Wikidata. */
  totalBytes?: number;
  /** Wikidata only: items fetched from wbgetentities so far. */
  items?: number;
  /** Wikidata only: items listed by the SPARQL query (once it answered). */
  totalItems?: number;
  /** Set on the last event of a source, once its file is in place. */
  done?: boolean;
}

export interface DownloadResult {
  source: SourceId;
  /** Absolute (or dataDir-relative, as dataDir is) path of the file written. */
  path: string;
  /** Size of the file written. */
  bytes: number;
  /**
   * URL the file came from: the direct file URL; for ROR the URL of the dump
   * zip; for Wikidata the wbgetentities API (the item list came from the
   * SPARQL endpoint).
   */
  url: string;
  /** ROR only: the zip entry that was extracted. */
  entry?: string;
  /** When the publisher published this file (ISO): Zenodo's publication date for ROR, else Last-Modified; Wikidata: the download time. */
  published?: string;
  /** Bytes of a previous interrupted download that were kept (the server sent the rest). */
  resumedFrom?: number;
}

export interface DownloadOptions {
  dataDir: string;
  /** Sources to download (default: all of SOURCES). */
  sources?: SourceId[];
  /** Overrides of the official URL (SourceInfo.downloadUrl) per source. */
  urls?: Partial<Record<SourceId, string>>;
  onProgress?: (e: DownloadProgress) => void;
  fetchImpl?: typeof fetch;
  /**
   * Inactivity timeout: a download fails when no byte of the body arrived for
   * this long (default 60 s). A slow but steady body is never cut off.
   */
  idleTimeoutMs?: number;
  /**
   * Maximum wait for the response headers (default 30 s). The Wikidata SPARQL
   * query answers its headers only once it ran: it gets at least
   * WIKIDATA_QUERY_HEADERS_TIMEOUT_MS.
   */
  connectTimeoutMs?: number;
  /** Wikibase API used for wbgetentities (default WIKIDATA_API_URL). */
  wikidataApiUrl?: string;
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

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** The Wikidata Query Service stops queries after 60 s; wait a bit more for its headers. */
export const WIKIDATA_QUERY_HEADERS_TIMEOUT_MS = 90_000;
export const USER_AGENT = "refx/0.1 (ESR reconciliation)";
export const WIKIDATA_API_URL = "https://www.wikidata.org/w/api.php";
/** wbgetentities accepts at most 50 ids a request (for clients without the apihighlimits right). */
export const WIKIDATA_BATCH_SIZE = 50;
/** Languages asked of wbgetentities for labels, aliases and descriptions. */
export const WIKIDATA_LANGUAGES = ["fr", "en", "de", "es", "it", "pt", "nl"];

/**
 * Step 1 of the Wikidata download: SPARQL query sent to the Wikidata Query
 * Service (SourceInfo.downloadUrl of "wikidata") by a POST form with the field
 * `query`. It only lists the items, one row an item (`?item`, its entity URI);
 * their data come in step 2 from the Wikibase API (wbgetentities), which
 * avoids the row explosion (and query timeouts) of OPTIONALs on multi-valued
 * properties.
 *
 * Items: everything that has a UAI (P3202) or an RNSR id (P3016), plus items
 * with a ROR id (P6782) that are instances (P31/P279*) of university (Q3918),
 * higher education institution (Q38723) or research institute (Q31855).
 */
export const WIKIDATA_QUERY = `# refx: establishments of higher education and research (see data/download.ts)
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
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
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  onProgress?: (e: DownloadProgress) => void;
}

async function downloadOne(id: SourceId, opts: DownloadOptions): Promise<DownloadResult> {
  const info = sourceInfo(id);
  const url = opts.urls?.[id] ?? info.downloadUrl;
  const finalPath = join(opts.dataDir, info.downloadPath);
  const ctx: Ctx = {
    source: id,
    fetchImpl: opts.fetchImpl ?? globalThis.fetch,
    idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    onProgress: opts.onProgress,
  };
  await mkdir(dirname(finalPath), { recursive: true });
  const result = await downloadFile(id, ctx, url, finalPath, opts);
  recordPublication(opts.dataDir, finalPath, { url: result.url, published: result.published, downloadedAt: new Date().toISOString() });
  return result;
}

async function downloadFile(id: SourceId, ctx: Ctx, url: string, finalPath: string, opts: DownloadOptions): Promise<DownloadResult> {
  switch (id) {
    case "uai":
    case "education":
    case "rnsr":
      return fileDownload(ctx, url, finalPath, { headers: { Accept: "text/csv" } });
    case "sirene-ul":
    case "sirene-etab":
      return fileDownload(ctx, url, finalPath, { expectZip: true });
    case "wikidata":
      return wikidataDownload(ctx, url, opts.wikidataApiUrl ?? WIKIDATA_API_URL, finalPath);
    case "ror":
      return rorDownload(ctx, url, finalPath);
  }
}

interface FileOpts extends RequestOpts {
  expectZip?: boolean;
}

/**
 * Streams url to finalPath through finalPath.part. Resumable: when the server
 * accepts byte ranges and names the file's version (ETag or Last-Modified),
 * an interrupted download keeps its .part and that version beside it
 * (.part.version), and the next run asks only for the rest (Range + If-Range:
 * a file changed meanwhile comes whole again).
 */
async function fileDownload(ctx: Ctx, url: string, finalPath: string, o: FileOpts = {}): Promise<DownloadResult> {
  const part = `${finalPath}.part`;
  const versionFile = `${part}.version`;
  const have = await stat(part).then((st) => st.size, () => 0);
  const version = have ? await readFile(versionFile, "utf8").catch(() => "") : "";
  const resumeFrom = have && version ? have : 0;
  let resumable = false;
  let got: Fetched;
  try {
    got = await fetchToFile(ctx, url, part, o, true, resumeFrom ? { from: resumeFrom, ifRange: version } : undefined, async (h) => {
      resumable = h.acceptRanges && !!(h.etag || h.lastModified);
      if (resumable && !h.resumed) await writeFile(versionFile, h.etag ?? h.lastModified!);
    });
    if (o.expectZip) await checkZipSignature(ctx, url, part);
    await rename(part, finalPath);
  } catch (e) {
    // A body cut off by the network is worth keeping when it can be resumed; anything else starts over.
    if (!resumable || !isNetworkFailure(e)) await rm(part, { force: true });
    if (!resumable || !isNetworkFailure(e)) await rm(versionFile, { force: true });
    throw e;
  }
  await rm(versionFile, { force: true });
  const bytes = (await stat(finalPath)).size;
  return { source: ctx.source, path: finalPath, bytes, url, published: got.lastModified, ...(got.resumed ? { resumedFrom: resumeFrom } : {}) };
}

/** Errors of the connection or the body (not of what the server said): a retry may continue where it stopped. */
function isNetworkFailure(e: unknown): boolean {
  const msg = e instanceof Error ? e.message : String(e);
  return /truncated|timed out|network|terminated|socket|ECONNRESET|aborted|other side closed/i.test(msg) && !/answered HTTP/.test(msg);
}

/**
 * Wikidata: lists the items with WIKIDATA_QUERY at sparqlUrl, then fetches
 * them from the wbgetentities API at apiUrl by batches of WIKIDATA_BATCH_SIZE,
 * one batch at a time, and streams them into finalPath.part as one
 * entity-API document {"entities": {"Q1": {...}, ...}} (what
 * data/loaders/wikidata.ts reads); renamed to finalPath once complete.
 */
async function wikidataDownload(ctx: Ctx, sparqlUrl: string, apiUrl: string, finalPath: string): Promise<DownloadResult> {
  ctx.onProgress?.({ source: ctx.source, receivedBytes: 0 });
  const answer = await fetchJson(ctx, sparqlUrl, {
    method: "POST",
    headers: {
      Accept: "application/sparql-results+json",
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ query: WIKIDATA_QUERY }).toString(),
    headersTimeoutMs: Math.max(ctx.connectTimeoutMs, WIKIDATA_QUERY_HEADERS_TIMEOUT_MS),
    // WDQS answers 200 and streams results before a query timeout, then
    // appends an error text: the answer is then not valid JSON.
    notJson: "did not answer a complete JSON document (query timeout on the server?)",
  });
  const ids = sparqlItemIds(ctx, sparqlUrl, answer);

  const part = `${finalPath}.part`;
  let written = 0;
  let items = 0;
  const report = (done?: boolean) => {
    ctx.onProgress?.({
      source: ctx.source, receivedBytes: written, items, totalItems: ids.length, ...(done ? { done } : {}),
    });
  };
  report();
  let fh: FileHandle | undefined;
  try {
    fh = await open(part, "w");
    const out = fh;
    const write = async (text: string) => {
      const buf = Buffer.from(text, "utf8");
      await out.write(buf);
      written += buf.length;
    };
    await write('{"entities":{');
    const seen = new Set<string>();
    const batches = Math.ceil(ids.length / WIKIDATA_BATCH_SIZE);
    for (let b = 0; b < batches; b++) {
      const batch = ids.slice(b * WIKIDATA_BATCH_SIZE, (b + 1) * WIKIDATA_BATCH_SIZE);
      const entities = await fetchEntities(ctx, apiUrl, batch, `batch ${b + 1}/${batches} (${batch[0]}…${batch.at(-1)})`);
      let chunk = "";
      for (const [key, entity] of Object.entries(entities)) {
        if (seen.has(key)) continue; // a redirect met twice: keep one
        chunk += `${seen.size ? "," : ""}\n${JSON.stringify(key)}:${JSON.stringify(entity)}`;
        seen.add(key);
      }
      await write(chunk);
      items += batch.length;
      report();
    }
    await write("\n}}\n");
    await out.close();
    fh = undefined;
    await rename(part, finalPath);
  } catch (e) {
    await fh?.close().catch(() => {});
    await rm(part, { force: true });
    throw e;
  }
  const bytes = (await stat(finalPath)).size;
  report(true);
  return { source: ctx.source, path: finalPath, bytes, url: apiUrl, published: new Date().toISOString() };
}

/** The item ids (Q…) of the ?item column of SPARQL JSON results, in order, without duplicates. */
function sparqlItemIds(ctx: Ctx, url: string, answer: unknown): string[] {
  const bindings = (answer as { results?: { bindings?: unknown } })?.results?.bindings;
  if (!Array.isArray(bindings)) {
    throw new Error(`${ctx.source}: ${url} did not answer SPARQL JSON results (no results.bindings)`);
  }
  const ids = new Set<string>();
  for (const row of bindings) {
    const value = (row as { item?: { value?: unknown } })?.item?.value;
    const m = typeof value === "string" ? /\/entity\/(Q\d+)$/.exec(value) : null;
    if (m) ids.add(m[1]);
  }
  if (ids.size === 0) {
    // Would replace a good previous file by an empty one.
    throw new Error(`${ctx.source}: the SPARQL query at ${url} listed no item (${bindings.length} rows)`);
  }
  return [...ids];
}

/** One wbgetentities request; resolves to its `entities` member. */
async function fetchEntities(ctx: Ctx, apiUrl: string, ids: string[], label: string): Promise<Record<string, unknown>> {
  const url = new URL(apiUrl);
  const params: Record<string, string> = {
    action: "wbgetentities",
    ids: ids.join("|"),
    props: "labels|aliases|descriptions|claims",
    languages: WIKIDATA_LANGUAGES.join("|"),
    format: "json",
    formatversion: "1",
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const what = `wbgetentities ${label}`;
  let answer: unknown;
  try {
    answer = await fetchJson(ctx, url.toString(), {});
  } catch (e) {
    const m = (e as Error).message;
    // The label names the batch: the URL with its 50 ids would only be noise.
    const inner = (m.startsWith(`${ctx.source}: `) ? m.slice(ctx.source.length + 2) : m).replaceAll(url.toString(), apiUrl);
    throw new Error(`${ctx.source}: ${what} failed: ${inner}`, { cause: e });
  }
  const a = answer as { error?: { code?: unknown; info?: unknown }; entities?: unknown };
  if (a && typeof a === "object" && a.error !== undefined) {
    const code = typeof a.error?.code === "string" ? a.error.code : "unknown";
    const info = typeof a.error?.info === "string" ? `: ${a.error.info}` : "";
    throw new Error(`${ctx.source}: ${what} at ${apiUrl}: API error ${code}${info}`);
  }
  if (!a || typeof a !== "object" || !a.entities || typeof a.entities !== "object" || Array.isArray(a.entities)) {
    throw new Error(`${ctx.source}: ${what} at ${apiUrl}: the answer has no "entities" object`);
  }
  return a.entities as Record<string, unknown>;
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
    return { source: ctx.source, path: finalPath, bytes, url: zipUrl, entry, published: file.published ?? got.lastModified };
  } catch (e) {
    await rm(part, { force: true });
    throw e;
  } finally {
    await rm(zipPart, { force: true });
  }
}

function findRorDump(api: unknown): { key: string; link: string; published?: string } | undefined {
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
      const published = isoDate((hit as { metadata?: { publication_date?: string } })?.metadata?.publication_date);
      if (typeof key === "string" && key.endsWith("ror-data.zip") && link) return { key, link, published };
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
  /** Call on every chunk of the body: restarts the inactivity timer. */
  touch: () => void;
  /** Call when the body has been consumed (or abandoned). */
  finish: () => void;
  describeAbort: () => string | undefined;
}

interface RequestOpts {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Maximum wait for the headers (default ctx.connectTimeoutMs). */
  headersTimeoutMs?: number;
}

/**
 * Sends the request; resolves once the headers of a 2xx answer arrived. From
 * then on, the exchange is aborted when the body stays silent for
 * ctx.idleTimeoutMs (the reader calls touch() on every chunk).
 */
async function request(ctx: Ctx, url: string, o: RequestOpts): Promise<Exchange> {
  const ac = new AbortController();
  let why: string | undefined;
  const headersTimeoutMs = o.headersTimeoutMs ?? ctx.connectTimeoutMs;
  const connectTimer = setTimeout(() => {
    why = `no answer within ${seconds(headersTimeoutMs)}`;
    ac.abort(new Error(why));
  }, headersTimeoutMs);
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;
  const touch = () => {
    if (finished) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      why = `timed out: no data for ${seconds(ctx.idleTimeoutMs)}`;
      ac.abort(new Error(why));
    }, ctx.idleTimeoutMs);
  };
  const finish = () => {
    finished = true;
    clearTimeout(connectTimer);
    clearTimeout(idleTimer);
  };
  const headers = { "User-Agent": USER_AGENT, ...o.headers };

  let res: Response;
  try {
    res = await fetchCheckingRedirects(ctx.fetchImpl, url, { method: o.method ?? "GET", headers, body: o.body, signal: ac.signal }, downloadHop);
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
  touch();
  return { res, signal: ac.signal, touch, finish, describeAbort: () => why };
}

function bodyStream(res: Response): Readable {
  if (!res.body) throw new Error("empty body");
  return Readable.fromWeb(res.body as unknown as import("node:stream/web").ReadableStream) as Readable;
}

interface JsonOpts extends RequestOpts {
  /** Error text when the answer does not parse (default "did not answer JSON"). */
  notJson?: string;
}

/** GETs (or sends o.method) url and parses the JSON answer, held in memory. */
async function fetchJson(ctx: Ctx, url: string, o: JsonOpts = {}): Promise<unknown> {
  const ex = await request(ctx, url, { ...o, headers: { Accept: "application/json", ...o.headers } });
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of bodyStream(ex.res)) {
      ex.touch();
      chunks.push(chunk as Buffer);
      received += (chunk as Buffer).length;
    }
  } catch (e) {
    throw bodyError(ctx, url, e, ex.describeAbort(), received);
  } finally {
    ex.finish();
  }
  const text = Buffer.concat(chunks).toString("utf8");
  chunks.length = 0;
  try {
    return JSON.parse(text);
  } catch {
    const t = text.trim();
    const excerpt = t.length > 400 ? `${t.slice(0, 150)}…${t.slice(-150)}` : t;
    throw new Error(`${ctx.source}: ${url} ${o.notJson ?? "did not answer JSON"}: ${JSON.stringify(excerpt)}`);
  }
}

interface Fetched {
  received: number;
  totalBytes?: number;
  /** ISO form of the Last-Modified header. */
  lastModified?: string;
  etag?: string;
  acceptRanges: boolean;
  /** The server sent the rest of a partial file, appended to it. */
  resumed: boolean;
}

/**
 * Streams the answer body to path, reporting progress; the `done` event is
 * sent here when finalEvent. With `resume`, asks for the bytes from
 * `resume.from` on and appends them when the server answers 206 from there;
 * any other answer rewrites the file whole. `onHeaders` runs before the body.
 */
async function fetchToFile(
  ctx: Ctx, url: string, path: string, o: FileOpts, finalEvent: boolean,
  resume?: { from: number; ifRange: string }, onHeaders?: (h: Omit<Fetched, "received" | "totalBytes">) => Promise<void>,
): Promise<Fetched> {
  const ex = await request(ctx, url, resume ? { ...o, headers: { ...o.headers, Range: `bytes=${resume.from}-`, "If-Range": resume.ifRange } } : o);
  const { res } = ex;
  const resumed = !!resume && res.status === 206 && new RegExp(`^bytes ${resume.from}-`).test(res.headers.get("content-range") ?? "");
  const head = {
    lastModified: isoDate(res.headers.get("last-modified")),
    etag: res.headers.get("etag") ?? undefined,
    acceptRanges: (res.headers.get("accept-ranges") ?? "").toLowerCase().includes("bytes") || resumed,
    resumed,
  };
  if (res.status === 206 && !resumed) {
    ex.finish();
    await res.body?.cancel().catch(() => {});
    throw new Error(`${ctx.source}: ${url} answered a range that was not asked for`);
  }
  await onHeaders?.(head);
  // fetch decodes gzip/br bodies, so Content-Length then counts other bytes than we do.
  const encoding = res.headers.get("content-encoding");
  const encoded = !!encoding && encoding.toLowerCase() !== "identity";
  const lengthHeader = res.headers.get("content-length");
  const offset = resumed ? resume!.from : 0;
  const totalBytes = !encoded && lengthHeader && /^\d+$/.test(lengthHeader) ? offset + Number(lengthHeader) : undefined;

  let received = offset;
  const report = (done?: boolean) => {
    ctx.onProgress?.({ source: ctx.source, receivedBytes: received, totalBytes, ...(done ? { done } : {}) });
  };
  report();
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      ex.touch();
      received += chunk.length;
      report();
      cb(null, chunk);
    },
  });

  try {
    await pipeline(bodyStream(res), counter, createWriteStream(path, { flags: resumed ? "a" : "w" }), { signal: ex.signal });
  } catch (e) {
    throw bodyError(ctx, url, e, ex.describeAbort(), received);
  } finally {
    ex.finish();
  }
  if (totalBytes !== undefined && received !== totalBytes) {
    throw new Error(`${ctx.source}: download of ${url} is truncated: received ${received} of ${totalBytes} bytes`);
  }
  if (finalEvent) report(true);
  return { received, totalBytes, ...head };
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
