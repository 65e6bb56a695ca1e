// One establishment by any of its identifiers: the crosswalk. The identifier
// is checked first (format and check character), then found among the
// records of the cross-source ("all") service, which pool every identifier,
// name and place of the sources that describe the establishment.
import type { GraphStore } from "../data/store.ts";
import type { Matcher } from "../reconcile/matcher.ts";
import type { EntityRecord, Related, ServiceId } from "../reconcile/types.ts";
import { isServiceId } from "./targets.ts";
import { checkIdentifier, type CheckResult } from "../vocab/check-digits.ts";
import { CLUSTER_PREFERENCE, entityUri, isScheme, parseEntityUri, SCHEME_NAMES, SCHEMES, type Scheme } from "../vocab/identifiers.ts";
import { DCTERMS, PROV } from "../vocab/namespaces.ts";
import { describe, typeRefs } from "./candidates.ts";
import { ID_SCHEMES } from "./batch.ts";
import { invalidInput, notFound, quote } from "./errors.ts";

/** `scheme` as one of vocab's identifier schemes (every one can be looked up and validated), else invalid input naming them. */
export function knownScheme(scheme: string): Scheme {
  if (!isScheme(scheme)) throw invalidInput(`unknown identifier scheme ${quote(scheme)}; schemes are ${SCHEME_NAMES.join(", ")}`, "unknown_scheme");
  return scheme;
}

/** The identifier checked, or invalid input naming the scheme and the check that failed. */
export function checkedId(scheme: string, raw: string): Extract<CheckResult, { valid: true }> {
  const r = checkIdentifier(knownScheme(scheme), raw);
  if (!r.valid) throw invalidInput(r.message, "invalid_identifier", { scheme, check: r.check, ...(r.expected ? { expected: r.expected } : {}) });
  return r;
}


/**
 * The establishments holding this identifier, the best first: the one whose
 * own entity it names, then the others (a SIREN is also held by the records
 * of the legal unit's sites).
 */
export function findByIdentifier(matcher: Matcher, base: string, scheme: Scheme, id: string): EntityRecord[] {
  const found: EntityRecord[] = [];
  if (CLUSTER_PREFERENCE.includes(scheme)) {
    const r = lookup(matcher, "all", entityUri(base, scheme, id), base);
    if (r) found.push(r);
  }
  for (const c of matcher.reconcile("all", { query: "", properties: [{ pid: scheme, values: [id] }], limit: 10 })) {
    if ((c.record.identifiers[scheme] ?? []).includes(id) && !found.some((r) => r.id === c.record.id)) found.push(c.record);
  }
  return found;
}

export interface SourceInfo {
  source: string;
  graph: string;
  title?: string;
  publisher?: string;
  licence?: string;
  /** Newest file of the source (its publication, as far as refx knows). */
  modified?: string;
  /** When refx loaded it. */
  loadedAt?: string;
}

const sourceCache = new WeakMap<GraphStore, Map<string, SourceInfo>>();

/** What each source graph says about itself (data/provenance.ts), read once a store. */
async function sourceInfo(store: GraphStore, graph: string): Promise<SourceInfo> {
  let cache = sourceCache.get(store);
  if (!cache) sourceCache.set(store, (cache = new Map()));
  let info = cache.get(graph);
  if (!info) {
    const [row] = await store.select(`SELECT ?title ?publisher ?licence ?modified ?loaded WHERE {
      GRAPH <${graph}> {
        OPTIONAL { <${graph}> <${DCTERMS.title}> ?title }
        OPTIONAL { <${graph}> <${DCTERMS.publisher}> ?publisher }
        OPTIONAL { <${graph}> <${DCTERMS.license}> ?licence }
        OPTIONAL { <${graph}> <${DCTERMS.modified}> ?modified }
        OPTIONAL { <${graph}> <${PROV.generatedAtTime}> ?loaded }
      }
    } LIMIT 1`);
    info = {
      source: graph.slice(graph.lastIndexOf("/") + 1),
      graph,
      ...(row?.title ? { title: row.title } : {}),
      ...(row?.publisher ? { publisher: row.publisher } : {}),
      ...(row?.licence ? { licence: row.licence } : {}),
      ...(row?.modified ? { modified: row.modified } : {}),
      ...(row?.loaded ? { loadedAt: row.loaded } : {}),
    };
    cache.set(graph, info);
  }
  return info;
}

export interface RelatedRef {
  id: string;
  name?: string;
  uri: string;
}

/** A related establishment under its "all" id when refx holds it, else as the source names it. */
function related(matcher: Matcher, base: string, list: Related[]): RelatedRef[] {
  return list.map((r) => {
    const rec = lookup(matcher, "all", r.uri, base);
    return rec ? { id: rec.id, name: rec.name, uri: rec.uri } : { id: r.id ?? r.uri, ...(r.name ? { name: r.name } : {}), uri: r.uri };
  });
}

/** Every identifier of the record by scheme, in a fixed order, with the registry's page of the first. */
function identifiers(r: EntityRecord): Partial<Record<Scheme, string[]>> {
  const out: Partial<Record<Scheme, string[]>> = {};
  for (const s of ID_SCHEMES) if (r.identifiers[s]?.length) out[s] = [...r.identifiers[s]!];
  return out;
}

/** The establishment as `GET /api/lookup` and `refx lookup` show it. */
export async function establishment(matcher: Matcher, store: GraphStore, base: string, r: EntityRecord) {
  const description = describe(r);
  const ids = identifiers(r);
  return {
    id: r.id,
    uri: r.uri,
    name: r.name,
    ...(description ? { description } : {}),
    status: r.withdrawn ? "closed" : "active",
    types: typeRefs(r),
    kinds: r.kinds,
    identifiers: ids,
    registries: Object.fromEntries(
      (Object.entries(ids) as [Scheme, string[]][]).map(([s, list]) => [s, SCHEMES[s].registryUrl.replace("{id}", encodeURIComponent(list[0]))]),
    ),
    names: r.names.map((n) => ({ value: n.value, ...(n.lang ? { lang: n.lang } : {}), kind: n.kind })),
    address: {
      ...(r.city ? { city: r.city } : {}),
      ...(r.postcode ? { postcode: r.postcode } : {}),
      ...(r.country ? { country: r.country } : {}),
      ...(r.lat !== undefined && r.long !== undefined ? { lat: r.lat, long: r.long } : {}),
    },
    websites: r.websites,
    ...(r.foundingDate ? { foundingDate: r.foundingDate } : {}),
    ...(r.dissolutionDate ? { dissolutionDate: r.dissolutionDate } : {}),
    parents: related(matcher, base, r.parents),
    children: related(matcher, base, r.children),
    replaces: related(matcher, base, r.replaces),
    replacedBy: related(matcher, base, r.replacedBy),
    sameAs: r.sameAs,
    sources: await Promise.all(r.sources.map((g) => sourceInfo(store, g))),
  };
}

export type Establishment = Awaited<ReturnType<typeof establishment>>;

/** The lookup: a checked identifier → the establishment, also listing others that hold the identifier. */
export async function lookupIdentifier(matcher: Matcher, store: GraphStore, base: string, scheme: string, raw: string) {
  const { id } = checkedId(scheme, raw);
  const found = findByIdentifier(matcher, base, scheme as Scheme, id);
  if (!found.length) throw notFound(`no establishment with ${SCHEMES[scheme as Scheme].label} ${id}`);
  const [first, ...others] = found;
  return {
    query: { scheme, id },
    ...(await establishment(matcher, store, base, first)),
    ...(others.length ? { alsoHeldBy: others.map((o) => ({ id: o.id, name: o.name, uri: o.uri })) } : {}),
  };
}

/**
 * The record a service knows by this id. For the "all" service any URI of the
 * establishment is accepted (its ROR or SIRET URI as well as the one chosen as
 * its id): the id is looked up in its own scheme's service, then the cluster.
 */
export function lookup(matcher: Matcher, service: ServiceId, id: string, base: string): EntityRecord | undefined {
  const direct = matcher.get(service, id);
  if (direct || service !== "all") return direct;
  const parsed = parseEntityUri(base, id);
  if (!parsed || !isServiceId(parsed.scheme)) return undefined;
  const own = matcher.get(parsed.scheme, parsed.id);
  for (const uri of own?.sameAs ?? []) {
    const r = matcher.get("all", uri);
    if (r) return r;
  }
  return undefined;
}
