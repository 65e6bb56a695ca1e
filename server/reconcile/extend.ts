// Data extension: the properties a reconciled column can be extended with,
// their proposal, and extension queries. Values are strings as the sources
// write them (dates keep their own precision, a year stays a year) except
// parents and successors, which are entities of the "all" service when refx
// knows them, so that OpenRefine makes a reconciled column of them.
import type { Matcher } from "../../reconcile/matcher.ts";
import { TYPES, type EntityRecord, type Related, type ServiceId } from "../../reconcile/types.ts";
import { SCHEME_NAMES, SCHEMES } from "../../vocab/identifiers.ts";
import { typeRefs } from "../../app/candidates.ts";
import { badRequest, jsonParameter, quote } from "../http/errors.ts";
import { lookup } from "../../app/lookup.ts";
import { SERVICES } from "./services.ts";
import { controlsAsSpaces, isObject, naturalInt } from "../../app/text.ts";

export type Value = { str: string } | { id: string; name: string };

interface Context {
  matcher: Matcher;
  service: ServiceId;
  base: string;
}

interface ExtendProperty {
  id: string;
  name: string;
  description: string;
  /** Entity-valued: the meta names the service whose ids they are. */
  entity?: boolean;
  values(r: EntityRecord, ctx: Context): Value[];
}

const str = (vs: (string | undefined)[]): Value[] => vs.filter((v): v is string => !!v).map((v) => ({ str: v }));

/** A related establishment as an entity of the "all" service, or its name when refx does not hold it. */
function related(list: Related[], ctx: Context): Value[] {
  // Several URIs of one establishment (its UAI and its SIRET) are one value.
  const values = new Map<string, Value>();
  for (const rel of list) {
    const known = lookup(ctx.matcher, "all", rel.uri, ctx.base);
    if (known) values.set(known.id, { id: known.id, name: known.name });
    else values.set(rel.uri, { str: rel.name ?? rel.uri });
  }
  return [...values.values()];
}

export const EXTEND_PROPERTIES: ExtendProperty[] = [
  { id: "name", name: "Name", description: "Display name (French first)", values: (r) => str([r.name]) },
  { id: "type", name: "Type", description: "Types, most specific first", values: (r) => str(typeRefs(r).map((t) => t.name)) },
  { id: "kind", name: "Kind (source wording)", description: "The source's own word for the type (Université, education)", values: (r) => str(r.kinds) },
  { id: "acronym", name: "Acronym", description: "Acronyms and sigles", values: (r) => str(r.names.filter((n) => n.kind === "acronym").map((n) => n.value)) },
  { id: "city", name: "City", description: "Town", values: (r) => str([r.city]) },
  { id: "postcode", name: "Postcode", description: "Postcode", values: (r) => str([r.postcode]) },
  { id: "country", name: "Country", description: "ISO 3166-1 alpha-2 code", values: (r) => str([r.country]) },
  {
    id: "coordinates", name: "Coordinates", description: "Latitude,longitude (WGS 84)",
    values: (r) => (r.lat !== undefined && r.long !== undefined ? str([`${r.lat},${r.long}`]) : []),
  },
  { id: "website", name: "Website", description: "Web sites", values: (r) => str(r.websites) },
  { id: "foundingDate", name: "Founding date", description: "Year or date, as the source gives it", values: (r) => str([r.foundingDate]) },
  { id: "dissolutionDate", name: "Dissolution date", description: "Year or date, as the source gives it", values: (r) => str([r.dissolutionDate]) },
  { id: "status", name: "Status", description: "active, or closed (closed, ceased, dissolved or inactive)", values: (r) => str([r.withdrawn ? "closed" : "active"]) },
  { id: "parent", name: "Parent organisation", description: "Tutelles and parent structures", entity: true, values: (r, ctx) => related(r.parents, ctx) },
  { id: "successor", name: "Successor", description: "Establishments that replaced this one", entity: true, values: (r, ctx) => related(r.replacedBy, ctx) },
  ...SCHEME_NAMES.map((s) => ({
    id: s, name: SCHEMES[s].label, description: `${SCHEMES[s].label} identifiers of the establishment and of every entity linked to it`,
    values: (r: EntityRecord) => str(r.identifiers[s] ?? []),
  })),
];

const BY_ID = new Map(EXTEND_PROPERTIES.map((p) => [p.id, p]));

// One setting: how many values a cell gets (several SIRETs, several parents).
const LIMIT_HELP = "Maximum number of values a property returns for each entity (0 for all)";
export const EXTEND_SETTINGS_02 = [{ name: "limit", label: "Limit", type: "number", default: 0, help_text: LIMIT_HELP }];
export const EXTEND_SETTINGS_10 = [{ id: "limit", name: "Limit", type: "number", default: 0, helpText: LIMIT_HELP }];

const TYPE_IDS = new Set(TYPES.map((t) => t.id));

/** Property proposals (0.2 `/properties`, 1.0-draft `/extend/propose`): every property suits every type. */
export function proposeProperties(type: string | undefined, limit: number | undefined) {
  if (type !== undefined && !TYPE_IDS.has(type)) throw badRequest(`unknown type ${quote(type)}; types are ${[...TYPE_IDS].join(", ")}`);
  const properties = EXTEND_PROPERTIES.slice(0, limit).map(({ id, name, description }) => ({ id, name, description }));
  return { ...(type !== undefined ? { type } : {}), ...(limit !== undefined ? { limit } : {}), properties };
}

export const MAX_EXTEND_IDS = 500;

/** A property refx does not have: its column comes back empty, named as asked. */
function unknownProperty(id: string): ExtendProperty {
  const name = controlsAsSpaces(id).slice(0, 100);
  return { id, name, description: "unknown to refx", values: () => [] };
}

interface ParsedExtend {
  ids: string[];
  properties: { property: ExtendProperty; limit: number }[];
}

/** A data extension query of either version: `{"ids": [...], "properties": [{"id": ..., "settings": {...}}]}`. */
export function parseExtend(raw: unknown): ParsedExtend {
  const q = jsonParameter(raw, "extend is not valid JSON; expected {\"ids\": [...], \"properties\": [{\"id\": \"uai\"}]}");
  if (!isObject(q) || !Array.isArray(q.ids) || !Array.isArray(q.properties)) {
    throw badRequest("a data extension query is an object {\"ids\": [...], \"properties\": [{\"id\": \"uai\"}]}");
  }
  if (q.ids.length > MAX_EXTEND_IDS) throw badRequest(`at most ${MAX_EXTEND_IDS} ids an extension query`);
  // Like a reconciliation batch, an extension answers what it can: an id it cannot
  // read or does not know gets an empty row, a property it does not have an empty column.
  const ids = q.ids.map((id) => (typeof id === "string" || typeof id === "number" ? controlsAsSpaces(String(id)).trim().slice(0, 300) : ""));
  const properties = q.properties.map((p, i) => {
    if (!isObject(p) || typeof p.id !== "string") throw badRequest(`properties[${i}] must be an object with an id`);
    const known = BY_ID.get(p.id) ?? BY_ID.get(p.id.trim().toLowerCase());
    // Answered under the id the client asked for: it reads its columns by that id.
    const property = known ? { ...known, id: p.id } : unknownProperty(p.id);
    const settings = isObject(p.settings) ? p.settings : {};
    let limit = 0;
    try {
      limit = naturalInt(settings.limit, `limit of property ${p.id}`, 0, 10_000);
    } catch {
      // A bad setting takes its default: the column is still worth having.
    }
    return { property, limit };
  });
  return { ids, properties };
}

function meta(parsed: ParsedExtend, service: ServiceId, origin: string) {
  return parsed.properties.map(({ property: p }) => ({
    id: p.id,
    name: p.name,
    // Parents are ids of the "all" service: other services say where those are valid.
    ...(p.entity ? { type: { id: "Organization", name: "Organisation" }, ...(service !== "all" ? { service: origin + SERVICES.all.path } : {}) } : {}),
  }));
}

function cells(parsed: ParsedExtend, ctx: Context, id: string): { id: string; values: Value[] }[] {
  const record = lookup(ctx.matcher, ctx.service, id, ctx.base);
  return parsed.properties.map(({ property, limit }) => {
    const values = record ? property.values(record, ctx) : [];
    return { id: property.id, values: limit ? values.slice(0, limit) : values };
  });
}

/** 0.2: rows keyed by entity id, then by property id. */
export function extend02(parsed: ParsedExtend, ctx: Context, origin: string) {
  const rows = Object.fromEntries(parsed.ids.map((id) => [id, Object.fromEntries(cells(parsed, ctx, id).map((c) => [c.id, c.values]))]));
  return { meta: meta(parsed, ctx.service, origin), rows };
}

/** 1.0-draft: rows as an array in query order, properties as arrays. */
export function extend10(parsed: ParsedExtend, ctx: Context, origin: string) {
  const rows = parsed.ids.map((id) => ({ id, properties: cells(parsed, ctx, id) }));
  return { meta: meta(parsed, ctx.service, origin), rows };
}
