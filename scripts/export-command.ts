// `refx export` and `refx export-resolved`: the exports of the HTTP API from
// the command line, on the saved store (docs/linked-data.md#exports).
import { createWriteStream, readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { graphUri, SOURCES, type SourceId } from "../data/sources.ts";
import { writeRdf } from "../app/rdf.ts";
import { graphList, writeExport, type ExportFormat } from "../app/export-stream.ts";
import { newExportId, readTable, resolveCells, resolvedCsv, resolvedQuads, RESOLVE_SERVICES, type ResolveService } from "../app/export-resolved.ts";
import { isServiceId } from "../app/targets.ts";
import { runLoad } from "./load-command.ts";
import { PROCESS_IO, println, type CliIo } from "./io.ts";

const FORMAT_NAMES: Record<string, ExportFormat> = { ttl: "turtle", turtle: "turtle", nt: "ntriples", ntriples: "ntriples", nq: "nquads", nquads: "nquads", jsonld: "jsonld", "json-ld": "jsonld" };

export interface ExportCommandOptions {
  dataDir: string;
  cacheDir: string | false;
  base: string;
  source: string;
  format: string;
  output?: string;
  pageSize?: number;
}

async function toOutput(path: string | undefined, stdout: Writable, write: (out: Writable) => Promise<void>): Promise<void> {
  if (!path || path === "-") return write(stdout);
  const out = createWriteStream(path);
  await write(out);
  out.end();
  await once(out, "finish");
}

export async function runExport(o: ExportCommandOptions, io: CliIo = PROCESS_IO): Promise<void> {
  const format = FORMAT_NAMES[o.format.toLowerCase()];
  if (!format) throw new Error(`--format must be one of ${Object.keys(FORMAT_NAMES).join(", ")}`);
  if (o.source !== "all" && o.source !== "links" && !SOURCES.some((s) => s.id === o.source)) {
    throw new Error(`--source must be one of ${[...SOURCES.map((s) => s.id), "links", "all"].join(", ")}`);
  }
  const { store } = await runLoad({ dataDir: o.dataDir, base: o.base, cacheDir: o.cacheDir, quiet: true }, io);
  const loaded = await graphList(store);
  const graphs = o.source === "all" ? loaded : loaded.filter((g) => g === graphUri(o.base, o.source as SourceId | "links"));
  if (!graphs.length) throw new Error(`the ${o.source} source is not in ${o.dataDir}`);
  let stats = { triples: 0, graphs: 0, seconds: 0 };
  await toOutput(o.output, io.stdout, async (out) => {
    stats = await writeExport(out, store, graphs, format, { pageSize: o.pageSize });
  });
  println(io.stderr, `exported ${stats.triples} triples from ${stats.graphs} graph(s) as ${format} in ${stats.seconds.toFixed(1)} s (${Math.round(stats.triples / Math.max(stats.seconds, 1e-3))} triples/s)${o.output && o.output !== "-" ? ` to ${o.output}` : ""}`);
}

export interface ExportResolvedOptions {
  dataDir: string;
  cacheDir: string | false;
  base: string;
  input: string;
  column?: string;
  service: string;
  format: string;
  output?: string;
  rawFormulas?: boolean;
}

export async function runExportResolved(o: ExportResolvedOptions, io: CliIo = PROCESS_IO): Promise<void> {
  if (!isServiceId(o.service)) throw new Error(`--service must be one of ${RESOLVE_SERVICES.join(", ")}`);
  const rdf = o.format === "csv" ? undefined : FORMAT_NAMES[o.format.toLowerCase()] ?? (o.format === "rdfxml" ? "rdfxml" : undefined);
  if (o.format !== "csv" && !rdf) throw new Error("--format must be csv, ttl, nt, jsonld or rdfxml");
  const table = readTable(readFileSync(o.input, "utf8"));
  const column = o.column ?? table.header[0];
  const index = table.header.indexOf(column);
  if (index < 0) throw new Error(`no column ${JSON.stringify(column)} in ${o.input}; its columns: ${table.header.join(", ")}`);
  const { store } = await runLoad({ dataDir: o.dataDir, base: o.base, cacheDir: o.cacheDir, quiet: true }, io);
  const resolved = await resolveCells(store, o.base, o.service as ResolveService, table.rows.map((r) => r[index] ?? ""));
  let text: string;
  if (!rdf) {
    text = resolvedCsv(table, resolved, o.rawFormulas ? "raw" : "neutralise");
  } else {
    const doc = `${o.base}/export/resolved/${newExportId()}`;
    text = writeRdf(resolvedQuads(table, resolved, { doc, base: o.base, title: o.input.split("/").pop()!, column, service: o.service as ResolveService, created: new Date() }), rdf === "nquads" ? "ntriples" : rdf);
  }
  if (!o.output || o.output === "-") io.stdout.write(text);
  else writeFileSync(o.output, text);
  const found = resolved.filter((r) => r.status === "found").length;
  println(io.stderr, `${found} of ${table.rows.length} rows resolved${o.output && o.output !== "-" ? `, written to ${o.output}` : ""}`);
}

