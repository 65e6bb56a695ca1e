// Resolved data: a reconciled table (CSV with a column of ids from any refx
// service) comes back enriched with every identifier and the name of each
// row's establishment, as CSV, or as 5-star RDF where each row is an entity
// linked by URI to its UAI, RNSR, Sirene, Wikidata and ROR entities, with
// licence and provenance (docs/linked-data.md#resolved-data).
import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { DataFactory, type Quad } from "n3";
import type { GraphStore } from "../data/store.ts";
import { graphUri } from "../data/sources.ts";
import { CLUSTER_PREFERENCE, entityUri, MINTED_SCHEMES, normaliseId, parseEntityUri, SCHEME_NAMES, SCHEMES, type Scheme } from "../vocab/identifiers.ts";
import { SERVICE_IDS, type ServiceId } from "../reconcile/types.ts";
import { DCTERMS, OWL, PREFIXES, RDF, RDFS, SCHEMA, XSD } from "../vocab/namespaces.ts";
import { CSVW, DCAT2, FOAF, PROV2, RDFS2, VOID2 } from "../vocab/service.ts";
import { byPredicate, labelsOf, safeIri } from "./describe.ts";
import { neutraliseFormula, type FormulaMode } from "../data/csv-formulas.ts";
import { invalidInput, tooLarge } from "./errors.ts";

const { namedNode, literal, quad } = DataFactory;

/** A column is resolved as the ids of one reconciliation service, or of any ("all"). */
export type ResolveService = ServiceId;
export const RESOLVE_SERVICES: readonly ResolveService[] = SERVICE_IDS;

/** Identifier columns added to each row, in this order. */
export const ID_COLUMNS: readonly Scheme[] = SCHEME_NAMES;
export const ADDED_COLUMNS = ["refx_status", "refx_uri", "refx_name", ...ID_COLUMNS.map((s) => `refx_${s}`)];
const MULTI = ";";
const LO2 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

/** A table that cannot be resolved: code `bad_table`, or `too_many_rows` past the limit. */
const badTable = (message: string) => invalidInput(message, "bad_table");

export interface Table {
  header: string[];
  rows: string[][];
  delimiter: string;
}

/** Rows of one resolved table: each is looked up, kept a day and written as ~15 triples, so a table is bounded (413 past it). */
export const MAX_RESOLVE_ROWS = 20_000;

/** Reads a CSV table: delimiter guessed from the header line (`,` `;` or tab), BOM dropped, every row as long as the header. Parsing stops past `maxRows` rows (then a 413). */
export function readTable(text: string, maxRows = Infinity): Table {
  const clean = text.replace(/^\uFEFF/, "");
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? "";
  if (!firstLine.trim()) throw badTable("the table is empty: a CSV file with a header line is expected");
  const count = (c: string) => firstLine.split(c).length - 1;
  const delimiter = [",", ";", "\t"].sort((a, b) => count(b) - count(a))[0];
  let records: string[][];
  try {
    records = parse(clean, { delimiter, relax_quotes: false, skip_empty_lines: true, ...(Number.isFinite(maxRows) ? { to: maxRows + 2 } : {}) }) as string[][];
  } catch (err) {
    throw badTable(`the table does not parse as CSV: ${(err as Error).message}`);
  }
  const [header, ...rows] = records;
  if (rows.length > maxRows) {
    throw tooLarge(`the table has more than ${maxRows} rows, the limit of one resolved table: split it, or resolve it with \`refx export resolved\` on your own copy`, "too_many_rows");
  }
  return { header, rows, delimiter };
}

export interface ResolvedRow {
  input: string;
  status: "found" | "not_found" | "invalid" | "empty";
  uri?: string;
  name?: string;
  /** Every entity URI of the establishment (the row's own first). */
  entities: string[];
  ids: Partial<Record<Scheme, string[]>>;
  /** Graphs that describe the row's entities. */
  graphs: string[];
}

/** A minted entity URI under any refx base. */
const URI_ID = new RegExp(`\\/id\\/(${MINTED_SCHEMES.join("|")})\\/([^/?#\\s]+)$`);

/** The entity URI a cell names for a service, or undefined when it names none. Any refx base is accepted in URIs. */
export function cellEntity(base: string, service: ResolveService, cell: string): string | undefined {
  const v = cell.trim();
  if (!v) return undefined;
  const parsed = parseEntityUri(base, v);
  if (parsed) return entityUri(base, parsed.scheme, parsed.id);
  const m = URI_ID.exec(v);
  if (m) {
    const id = normaliseId(m[1] as Scheme, decodeURIComponent(m[2]));
    return id ? entityUri(base, m[1] as Scheme, id) : undefined;
  }
  // Every scheme with entities, for "all": their patterns are disjoint, so a bare id is at most one of them.
  const schemes: readonly Scheme[] = service === "all" ? CLUSTER_PREFERENCE : [service];
  for (const s of schemes) {
    const id = normaliseId(s, v);
    if (id) return entityUri(base, s, id);
  }
  return undefined;
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

type Row = Record<string, string>;

/** Looks every cell up: equivalents from the links graph, identifiers and names from every graph. */
export async function resolveCells(store: GraphStore, base: string, service: ResolveService, cells: string[]): Promise<ResolvedRow[]> {
  const links = graphUri(base, "links");
  const wanted = cells.map((c) => cellEntity(base, service, c));
  const unique = [...new Set(wanted.filter((x): x is string => !!x && safeIri(x)))];
  const q = async (text: string): Promise<Row[]> => store.select(text);
  const values = (xs: string[]) => xs.map((x) => `<${x}>`).join(" ");

  const sameAs = new Map<string, string[]>();
  for (const part of chunks(unique, 500)) {
    for (const r of await q(`SELECT ?e ?x WHERE { VALUES ?e { ${values(part)} } GRAPH <${links}> { ?e <${OWL.sameAs}> ?x } }`)) {
      const e = r.e;
      sameAs.set(e, [...(sameAs.get(e) ?? []), r.x]);
    }
  }
  const members = [...new Set([...unique, ...[...sameAs.values()].flat()])];
  const graphsOf = new Map<string, Set<string>>();
  for (const part of chunks(members, 500)) {
    for (const r of await q(`SELECT DISTINCT ?e ?g WHERE { VALUES ?e { ${values(part)} } GRAPH ?g { ?e ?p ?o } }`)) {
      const e = r.e;
      const g = r.g;
      if (g === links) continue;
      graphsOf.set(e, (graphsOf.get(e) ?? new Set()).add(g));
    }
  }
  const idProps = ID_COLUMNS.filter((s) => SCHEMES[s].wikidataProperty).map((s) => [PREFIXES.wdt + SCHEMES[s].wikidataProperty, s] as const);
  const literalIds = new Map<string, [Scheme, string][]>();
  for (const part of chunks(members, 500)) {
    for (const r of await q(`SELECT ?e ?p ?v WHERE { VALUES ?e { ${values(part)} } ${byPredicate("?e", idProps.map(([p]) => p), "?v")} }`)) {
      const e = r.e;
      const scheme = idProps.find(([p]) => p === r.p)![1];
      literalIds.set(e, [...(literalIds.get(e) ?? []), [scheme, r.v]]);
    }
  }
  const labels = await labelsOf(store, members);

  return cells.map((cell, i) => {
    const uri = wanted[i];
    if (!cell.trim()) return { input: cell, status: "empty", entities: [], ids: {}, graphs: [] };
    if (!uri) return { input: cell, status: "invalid", entities: [], ids: {}, graphs: [] };
    const cluster = [uri, ...(sameAs.get(uri) ?? []).filter((x) => x !== uri).sort()];
    const known = cluster.some((e) => graphsOf.has(e));
    if (!known) return { input: cell, status: "not_found", uri, entities: [uri], ids: {}, graphs: [] };
    const ids: Partial<Record<Scheme, Set<string>>> = {};
    const add = (s: Scheme, v: string) => (ids[s] ??= new Set()).add(v);
    for (const e of cluster) {
      const p = parseEntityUri(base, e);
      if (p) add(p.scheme, p.id);
      for (const [s, v] of literalIds.get(e) ?? []) add(s, v);
    }
    const name = [uri, ...cluster].map((e) => labels.get(e)).find(Boolean);
    const graphs = [...new Set(cluster.flatMap((e) => [...(graphsOf.get(e) ?? [])]))].sort();
    return {
      input: cell, status: "found", uri, name, entities: cluster, graphs,
      ids: Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, [...v].sort()])),
    };
  });
}

/** resolveCells over slices of `size` cells, giving the event loop a turn between slices, so a large table does not stall the server. */
export async function resolveCellsInTurns(store: GraphStore, base: string, service: ResolveService, cells: string[], size = 1000): Promise<ResolvedRow[]> {
  const out: ResolvedRow[] = [];
  for (let i = 0; i < cells.length; i += size) {
    if (i) await new Promise((r) => setImmediate(r));
    out.push(...(await resolveCells(store, base, service, cells.slice(i, i + size))));
  }
  return out;
}

function csvCell(cell: string, delimiter: string, formulas: FormulaMode): string {
  const v = formulas === "raw" ? cell : neutraliseFormula(cell);
  return v.includes(delimiter) || /["\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The input table with the refx columns added after the user's own; same delimiter, CRLF line ends (RFC 4180). */
export function resolvedCsv(table: Table, resolved: ResolvedRow[], formulas: FormulaMode = "neutralise"): string {
  const d = table.delimiter;
  const lines = [[...table.header, ...ADDED_COLUMNS].map((c) => csvCell(c, d, formulas)).join(d)];
  table.rows.forEach((row, i) => {
    const r = resolved[i];
    const added = [r.status, r.status === "found" ? r.uri ?? "" : "", r.name ?? "", ...ID_COLUMNS.map((s) => (r.ids[s] ?? []).join(MULTI))];
    lines.push([...row, ...added].map((c) => csvCell(c, d, formulas)).join(d));
  });
  return lines.join("\r\n") + "\r\n";
}

export interface RdfMeta {
  /** The document URI; rows are `<doc>#row-N`, columns `<doc>#{column}` as in CSVW's minimal mode. */
  doc: string;
  base: string;
  title: string;
  column: string;
  service: ResolveService;
  created: Date;
}

/**
 * 5-star RDF of the table: one entity per row (`<doc#row-N>`), owl:sameAs to
 * every entity URI of its establishment, its identifiers as the Wikidata
 * properties refx uses everywhere, its cells as CSVW-style properties, and
 * a DCAT/PROV description of the document with its licence.
 */
export function resolvedQuads(table: Table, resolved: ResolvedRow[], m: RdfMeta): Quad[] {
  const out: Quad[] = [];
  const iri = (s: string, p: string, o: string) => out.push(quad(namedNode(s), namedNode(p), namedNode(o)));
  const lit = (s: string, p: string, v: string, tag?: string) => out.push(quad(namedNode(s), namedNode(p), literal(v, tag?.includes(":") ? namedNode(tag) : tag)));
  const doc = m.doc;
  const activity = `${doc}#resolution`;
  const input = `${doc}#input`;
  const used = [...new Set(resolved.flatMap((r) => r.graphs))].sort();
  iri(doc, RDF.type, DCAT2.Dataset);
  iri(doc, RDF.type, PROV2.Entity);
  iri(doc, RDF.type, CSVW.Table);
  lit(doc, DCTERMS.title, m.title, "en");
  lit(doc, DCTERMS.description, `Rows of ${m.title} with the ids of column "${m.column}" resolved by refx (service ${m.service}) to every identifier of their establishment.`, "en");
  lit(doc, DCTERMS.created, m.created.toISOString(), XSD.dateTime);
  iri(doc, DCTERMS.license, LO2);
  iri(doc, DCTERMS.publisher, `${m.base}/catalog#publisher`);
  iri(`${m.base}/catalog#publisher`, RDF.type, FOAF.Agent);
  lit(`${m.base}/catalog#publisher`, FOAF.name, "refx");
  iri(doc, PROV2.wasGeneratedBy, activity);
  iri(doc, PROV2.wasDerivedFrom, input);
  for (const g of used) {
    iri(doc, PROV2.wasDerivedFrom, g);
    iri(doc, DCTERMS.source, g);
  }
  iri(input, RDF.type, PROV2.Entity);
  lit(input, DCTERMS.title, m.title);
  lit(input, DCTERMS.format, "text/csv");
  iri(activity, RDF.type, PROV2.Activity);
  lit(activity, PROV2.startedAtTime, m.created.toISOString(), XSD.dateTime);
  iri(activity, PROV2.used, input);
  for (const g of used) iri(activity, PROV2.used, g);
  iri(activity, PROV2.wasAssociatedWith, `${m.base}/catalog#publisher`);
  lit(activity, RDFS2.comment, `ids of column "${m.column}" looked up with refx's ${m.service} service and the links graph`, "en");

  const colIri = (c: string) => `${doc}#${encodeURIComponent(c)}`;
  table.header.forEach((c) => lit(colIri(c), RDFS.label, c));
  table.rows.forEach((row, i) => {
    const r = resolved[i];
    const s = `${doc}#row-${i + 1}`;
    iri(doc, CSVW.row, s);
    lit(s, CSVW.rownum, String(i + 1), XSD.integer);
    iri(s, VOID2.inDataset, doc);
    row.forEach((v, j) => {
      if (v !== "") lit(s, colIri(table.header[j] ?? `column-${j + 1}`), v);
    });
    if (r.status !== "found") return;
    iri(s, RDF.type, SCHEMA.Organization);
    if (r.name) lit(s, SCHEMA.name, r.name);
    for (const e of r.entities) iri(s, OWL.sameAs, e);
    for (const scheme of ID_COLUMNS) {
      const p = SCHEMES[scheme].wikidataProperty;
      if (p) for (const v of r.ids[scheme] ?? []) lit(s, PREFIXES.wdt + p, v);
    }
    for (const g of r.graphs) iri(s, DCTERMS.source, g);
  });
  return out;
}

export function newExportId(): string {
  return randomUUID();
}
