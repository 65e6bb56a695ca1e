// Wikidata items of establishments, from the JSON that Wikidata's APIs return:
// the entity API (`{"entities": {...}}`, wbgetentities or Special:EntityData),
// a JSON array of entities, or SPARQL JSON results (`{"head", "results"}`)
// with one row per value and the variables named in SPARQL_CLAIMS below, for
// users who run their own query. `refx download` writes the entity API form.
// Item URIs are Wikidata's own.
import { simplifyEntity, type Entity } from "wikibase-sdk";
import { statSync } from "node:fs";
import { COUNTRY_ISO_BY_QID } from "../../vocab/countries.ts";
import { SCHEME_NAMES, SCHEMES, type Scheme } from "../../vocab/identifiers.ts";
import { ADMS, ADMS_STATUS_WITHDRAWN, DCTERMS, PREFIXES, RDF, SCHEMA, SKOS, WDT } from "../../vocab/namespaces.ts";
import { LoadError } from "../errors.ts";
import { forEachObjectMember, readJsonFile, startsWithMember } from "../json.ts";
import type { TripleSink } from "../triples.ts";
import { address, crossIdentifier, outcome, ownIdentifier, skip, warn, website } from "./common.ts";
import type { LoadContext, LoadOutcome } from "./types.ts";

/** One item, whatever JSON shape it came in. */
export interface WikidataItem {
  id: string;
  labels: Record<string, string>;
  aliases: Record<string, string[]>;
  descriptions: Record<string, string>;
  /** Property id -> values (item ids, strings, or dates as "1971" / "1971-05-12"). */
  claims: Record<string, string[]>;
  countryCode?: string;
  cityLabel?: string;
}

/** The schemes Wikidata holds as a property (all but Wikidata's own ids), as vocab/identifiers.ts names them. */
const WIKIDATA_HELD: readonly Scheme[] = SCHEME_NAMES.filter((s) => SCHEMES[s].wikidataProperty);
const ID_PROPERTIES: Record<string, Scheme> = Object.fromEntries(WIKIDATA_HELD.map((s) => [SCHEMES[s].wikidataProperty, s]));

/** Kinds of establishment (P31 values) worth a schema.org class of their own. */
const CLASS_BY_ITEM: Record<string, string> = {
  Q3918: SCHEMA.CollegeOrUniversity, // university
  Q902104: SCHEMA.CollegeOrUniversity, // private university
  Q875538: SCHEMA.CollegeOrUniversity, // public university
  Q38723: SCHEMA.EducationalOrganization, // higher education institution
  Q1371037: SCHEMA.EducationalOrganization, // institute of technology
  Q31855: SCHEMA.ResearchOrganization, // research institute
  Q1664720: SCHEMA.ResearchOrganization, // institute
  Q3152824: SCHEMA.EducationalOrganization, // grande école
  Q9842: SCHEMA.School, // primary school
  Q159334: SCHEMA.School, // secondary school
};

export async function loadWikidata(ctx: LoadContext, sink: TripleSink): Promise<LoadOutcome> {
  const out = outcome();
  const total = statSync(ctx.file).size;
  const take = (item: WikidataItem) => {
    out.rows++;
    if (!/^Q\d+$/.test(item.id)) {
      warn(out, ctx.file, out.rows, `'${item.id}' is not an item id: skipped`);
      skip(out, "not an item");
      return;
    }
    out.entities++;
    describe(ctx, sink, item);
  };
  // The entity API's document, as refx download writes it, is streamed item by item;
  // the other forms (an array of entities, SPARQL results) are small and read whole.
  if (startsWithMember(ctx.file, "entities")) {
    await forEachObjectMember(ctx.file, "entities", (_id, e) => {
      if (e && typeof e === "object" && !("missing" in e)) take(fromEntity(e as Entity));
    }, (b) => ctx.onProgress?.(b, total));
    return out;
  }
  const json = readJsonFile(ctx.file);
  ctx.onProgress?.(total, total);
  for (const item of itemsOf(ctx.file, json)) take(item);
  return out;
}

export function itemsOf(file: string, json: unknown): WikidataItem[] {
  const j = json as Record<string, unknown>;
  if (j && typeof j === "object" && !Array.isArray(j) && j.entities && typeof j.entities === "object") {
    return Object.values(j.entities as Record<string, Entity>).filter((e) => !("missing" in e)).map(fromEntity);
  }
  if (Array.isArray(json)) return json.map((e) => fromEntity(e as Entity));
  const results = (j?.results as { bindings?: unknown })?.bindings;
  if (j?.head && Array.isArray(results)) return fromSparql(results as SparqlBinding[]);
  throw new LoadError(file, 1, "not Wikidata JSON: expected the entity API's {\"entities\": ...}, an array of entities, or SPARQL JSON results");
}

function fromEntity(e: Entity): WikidataItem {
  const s = (simplifyEntity as (e: unknown, o: object) => unknown)(e, { timeConverter: "simple-day", keepQualifiers: false }) as {
    id: string;
    labels?: Record<string, string>;
    aliases?: Record<string, string[]>;
    descriptions?: Record<string, string>;
    claims?: Record<string, unknown[]>;
  };
  const claims: Record<string, string[]> = {};
  for (const [p, values] of Object.entries(s.claims ?? {})) {
    claims[p] = values.filter((v) => v !== null && v !== undefined).map((v) => String(v));
  }
  return { id: s.id, labels: s.labels ?? {}, aliases: s.aliases ?? {}, descriptions: s.descriptions ?? {}, claims };
}

type SparqlTerm = { type: string; value: string; "xml:lang"?: string };
type SparqlBinding = Record<string, SparqlTerm | undefined>;

const SPARQL_CLAIMS: Record<string, string> = {
  ...Object.fromEntries(WIKIDATA_HELD.map((s) => [s, SCHEMES[s].wikidataProperty])),
  country: "P17", city: "P131", inception: "P571", dissolved: "P576", website: "P856", instanceOf: "P31",
  replaces: "P1365", replacedBy: "P1366",
};

/** SPARQL results hold one row per combination of values: rows are folded back into items. */
function fromSparql(rows: SparqlBinding[]): WikidataItem[] {
  const items = new Map<string, WikidataItem>();
  const qid = (t?: SparqlTerm) => t?.value.replace(PREFIXES.wd, "");
  for (const row of rows) {
    const id = qid(row.item);
    if (!id) continue;
    let it = items.get(id);
    if (!it) items.set(id, (it = { id, labels: {}, aliases: {}, descriptions: {}, claims: {} }));
    const label = row.itemLabel;
    if (label && label.value !== id) it.labels[label["xml:lang"] || "en"] ??= label.value;
    const desc = row.itemDescription;
    if (desc) it.descriptions[desc["xml:lang"] || "en"] ??= desc.value;
    const alias = row.alias;
    if (alias) {
      const list = (it.aliases[alias["xml:lang"] || "en"] ??= []);
      if (!list.includes(alias.value)) list.push(alias.value);
    }
    for (const [v, p] of Object.entries(SPARQL_CLAIMS)) {
      const t = row[v];
      if (!t) continue;
      const value = t.type === "uri" && t.value.startsWith(PREFIXES.wd) ? qid(t)! : v === "inception" || v === "dissolved" ? t.value.slice(0, 10) : t.value;
      const list = (it.claims[p] ??= []);
      if (!list.includes(value)) list.push(value);
    }
    if (row.countryCode) it.countryCode ??= row.countryCode.value;
    if (row.cityLabel) it.cityLabel ??= row.cityLabel.value;
  }
  return [...items.values()];
}

function describe(ctx: LoadContext, sink: TripleSink, it: WikidataItem): void {
  const e = PREFIXES.wd + it.id;
  const c = it.claims;
  sink.iri(e, RDF.type, SCHEMA.Organization);
  ownIdentifier(sink, e, "wikidata", it.id, "Wikidata");
  for (const kind of c.P31 ?? []) {
    sink.iri(e, WDT.P31, PREFIXES.wd + kind);
    sink.iri(e, RDF.type, CLASS_BY_ITEM[kind]);
  }
  for (const [lang, label] of Object.entries(it.labels)) {
    sink.lit(e, SKOS.prefLabel, label, lang);
    sink.lit(e, SCHEMA.name, label, lang);
  }
  for (const [lang, list] of Object.entries(it.aliases)) {
    for (const a of list) {
      // Wikidata keeps acronyms among aliases: short all-caps aliases are acronyms.
      if (/^[A-ZÀ-Ý0-9&.\-]{2,10}$/.test(a)) sink.lit(e, SCHEMA.alternateName, a);
      else sink.lit(e, SKOS.altLabel, a, lang);
    }
  }
  for (const [lang, d] of Object.entries(it.descriptions)) sink.lit(e, DCTERMS.description, d, lang);

  for (const [p, scheme] of Object.entries(ID_PROPERTIES)) {
    for (const v of c[p] ?? []) {
      const id = crossIdentifier(sink, ctx.base, e, scheme, v);
      if (id && scheme === "siren") ctx.refs.sirens.add(id);
      if (id && scheme === "siret") {
        ctx.refs.sirets.add(id);
        ctx.refs.sirens.add(id.slice(0, 9));
      }
    }
  }

  for (const v of c.P571 ?? []) sink.date(e, SCHEMA.foundingDate, v);
  for (const v of c.P576 ?? []) {
    sink.date(e, SCHEMA.dissolutionDate, v);
    sink.iri(e, ADMS.status, ADMS_STATUS_WITHDRAWN);
  }
  for (const v of c.P856 ?? []) website(sink, e, v);
  for (const v of c.P1365 ?? []) if (/^Q\d+$/.test(v)) sink.iri(e, DCTERMS.replaces, PREFIXES.wd + v);
  for (const v of c.P1366 ?? []) if (/^Q\d+$/.test(v)) sink.iri(e, DCTERMS.isReplacedBy, PREFIXES.wd + v);
  for (const v of c.P17 ?? []) if (/^Q\d+$/.test(v)) sink.iri(e, WDT.P17, PREFIXES.wd + v);
  for (const v of c.P131 ?? []) if (/^Q\d+$/.test(v)) sink.iri(e, WDT.P131, PREFIXES.wd + v);

  const country = it.countryCode ?? (c.P17 ?? []).map((q) => COUNTRY_ISO_BY_QID[q]).find(Boolean);
  if (country || it.cityLabel) address(sink, e, { country, city: it.cityLabel });
}

