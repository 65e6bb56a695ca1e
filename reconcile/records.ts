// Reads the store once, after a load, into EntityRecords: one per entity of
// each service's scheme, with what every entity linked to it (owl:sameAs
// closure in the links graph) says about names, places and identifiers.
import { join } from "node:path";
import { graphFileSlices, readGraphIndex } from "../data/graph-files.ts";
import type { GraphStore, RefStore } from "../data/store.ts";
import { graphUri } from "../data/sources.ts";
import { clusterRank, parseEntityUri, SCHEMES, type Scheme } from "../vocab/identifiers.ts";
import { ADMS, ADMS_STATUS_WITHDRAWN, DCTERMS, GEO, ORG, OWL, PREFIXES, RDF, SCHEMA, SKOS } from "../vocab/namespaces.ts";
import { flat, internPool } from "./strings.ts";
import { SERVICE_IDS, type EntityRecord, type FormerName, type Name, type Related, type ServiceId } from "./types.ts";

/**
 * What the store says about one URI, from every graph but the links graph.
 * Each collection is made when its first value comes: at national size there
 * are over a million URIs, and ten empty sets each were a kilobyte and a half
 * a URI (issue 12).
 */
interface Facts {
  names?: Name[];
  types?: Set<string>;
  kinds?: Set<string>;
  identifiers?: Map<Scheme, Set<string>>;
  city?: string;
  postcode?: string;
  country?: string;
  lat?: number;
  long?: number;
  websites?: Set<string>;
  parents?: Set<string>;
  children?: Set<string>;
  replaces?: Set<string>;
  replacedBy?: Set<string>;
  foundingDate?: string;
  dissolutionDate?: string;
  withdrawn?: boolean;
  graphs?: Set<string>;
}

type SetField = "types" | "kinds" | "websites" | "parents" | "children" | "replaces" | "replacedBy" | "graphs";

/** Adds `value` to the set `field` of `f`, made on first use. */
function addTo(f: Facts, field: SetField, value: string): void {
  (f[field] ??= new Set()).add(value);
}

const NONE: ReadonlySet<string> = new Set();
const NO_NAMES: readonly Name[] = [];

const MAX_RELATED = 50;



const TYPE_IDS: Record<string, string> = {
  [SCHEMA.CollegeOrUniversity]: "CollegeOrUniversity",
  [SCHEMA.EducationalOrganization]: "EducationalOrganization",
  [SCHEMA.School]: "School",
  [SCHEMA.ResearchOrganization]: "ResearchOrganization",
  [ORG.OrganizationalUnit]: "ResearchOrganization",
  [ORG.FormalOrganization]: "FormalOrganization",
  [ORG.Site]: "Site",
  [SCHEMA.Organization]: "Organization",
};
const TYPE_ORDER = ["CollegeOrUniversity", "EducationalOrganization", "School", "ResearchOrganization", "Site", "FormalOrganization", "Organization"];

const ID_BY_PROPERTY = new Map<string, Scheme>(
  (Object.keys(SCHEMES) as Scheme[]).filter((s) => SCHEMES[s].wikidataProperty).map((s) => [PREFIXES.wdt + SCHEMES[s].wikidataProperty, s]),
);

/** A term of a SPARQL TSV result: Oxigraph writes N-Triples syntax, with \t, \n, \" and \\ escaped. */
interface Term {
  value: string;
  language?: string;
}
type QuadLike = { subject: Term; object: Term; graph: Term };

function readTerm(t: string): Term {
  if (t.startsWith("<")) return { value: t.slice(1, -1) };
  if (t.startsWith('"')) {
    const end = t.lastIndexOf('"');
    const raw = t.slice(1, end);
    const value = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
    const rest = t.slice(end + 1);
    return { value, language: rest.startsWith("@") ? rest.slice(1) : undefined };
  }
  return { value: t };
}

/** The records of the embedded store, at once (tests, the bench, `refx load`). */
export function readRecords(store: RefStore, base: string): Map<ServiceId, EntityRecord[]> {
  const reader = recordReader(base);
  for (const row of store.selectNtRows(reader.factsQuery)) reader.fact(row);
  for (const row of store.selectNtRows(reader.linksQuery)) reader.link(row);
  return reader.records();
}

/** The records of any store, streamed out of it a row at a time (a remote store: data/remote-store.ts). */
export async function readRecordsFrom(store: GraphStore, base: string): Promise<Map<ServiceId, EntityRecord[]>> {
  const reader = recordReader(base);
  for await (const row of store.selectNtRows(reader.factsQuery)) reader.fact(row);
  for await (const row of store.selectNtRows(reader.linksQuery)) reader.link(row);
  return reader.records();
}

/**
 * The records of a load's saved graph files (data/graph-files.ts; the links
 * graph read last, as its query comes last), a slice at a time: what `refx
 * load --store` sent to the store, read without asking the store, whose
 * answer to the facts query is computed whole before its first row
 * (docs/decisions.md, "A remote load streams its sources to the store").
 * Repeated triples in a file (a store keeps one) change nothing: names are
 * deduplicated and the rest are sets or first values.
 */
export function readRecordsFromFiles(graphsDir: string, base: string): Map<ServiceId, EntityRecord[]> {
  return filesReader(graphsDir, base).records();
}

/** The same records, each handed to `emit` as it is made (`refx load --store` writes them to the snapshot without holding them all). */
export function eachRecordFromFiles(graphsDir: string, base: string, emit: (service: ServiceId, record: EntityRecord) => void): void {
  filesReader(graphsDir, base).eachRecord(emit);
}

function filesReader(graphsDir: string, base: string) {
  const index = readGraphIndex(graphsDir);
  if (!index) throw new Error(`no saved graphs in ${graphsDir}`);
  const reader = recordReader(base);
  const links = graphUri(base, "links");
  const sameAs = `<${OWL.sameAs}>`;
  for (const { graph, file } of index) {
    if (graph === links) continue;
    const g = `<${graph}>`;
    eachTriple(join(graphsDir, file), (s, p, o) => reader.fact([s, p, o, g]));
  }
  for (const { graph, file } of index) if (graph === links) eachTriple(join(graphsDir, file), (s, p, o) => p === sameAs && reader.link([s, o]));
  return reader;
}

/** Each triple of an N-Triples file as its three terms (IRIs and blank nodes hold no space; the object is the rest). */
function eachTriple(path: string, fn: (s: string, p: string, o: string) => void): void {
  for (const slice of graphFileSlices(path)) {
    const text = Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString("utf8");
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf("\n", start);
      if (end < 0) end = text.length;
      const i = text.indexOf(" ", start);
      const j = text.indexOf(" ", i + 1);
      // A line ends with " ." (TripleSink writes no comment nor blank line).
      if (i > start && j > i && j < end) fn(text.slice(start, i), text.slice(i + 1, j), text.slice(j + 1, text.lastIndexOf(" .", end)));
      start = end + 1;
    }
  }
}

/** Two queries (the facts, then the owl:sameAs closure), their rows fed in order, then the records. */
function recordReader(base: string) {
  const links = graphUri(base, "links");
  const facts = new Map<string, Facts>();
  const intern = internPool();
  const get = (uri: string) => {
    let f = facts.get(uri);
    if (!f) facts.set(intern(uri), (f = {}));
    return f;
  };
  // One query for every fact the records need, read as TSV text: creating a
  // JavaScript object per quad through Oxigraph's bindings is ten times slower.
  const handlers = new Map<string, (q: QuadLike) => void>();
  const each = (predicate: string, fn: (q: QuadLike) => void) => handlers.set(predicate, fn);

  const name = (kind: Name["kind"]) => (q: QuadLike) => {
    const f = get(q.subject.value);
    (f.names ??= []).push({ value: flat(q.object.value), lang: q.object.language ? intern(q.object.language) : undefined, kind });
    addTo(f, "graphs", intern(q.graph.value));
  };
  each(SKOS.prefLabel, name("pref"));
  each(SKOS.altLabel, name("alt"));
  each(SCHEMA.alternateName, name("acronym"));
  each(SKOS.notation, (q) => {
    // ADMS identifier nodes carry notations too; only entities' own notations are unit codes.
    if (!q.subject.value.endsWith("#id")) name("unitCode")(q);
  });
  each(RDF.type, (q) => {
    const t = TYPE_IDS[q.object.value];
    if (t && !q.subject.value.includes("#")) {
      const f = get(q.subject.value);
      addTo(f, "types", t);
      addTo(f, "graphs", intern(q.graph.value));
    }
  });
  each(SCHEMA.additionalType, (q) => addTo(get(q.subject.value), "kinds", intern(q.object.value)));
  for (const [property, scheme] of ID_BY_PROPERTY) {
    each(property, (q) => {
      const f = get(q.subject.value);
      const ids = (f.identifiers ??= new Map());
      let set = ids.get(scheme);
      if (!set) ids.set(scheme, (set = new Set()));
      set.add(flat(q.object.value));
    });
  }
  const onAddress = (apply: (f: Facts, v: string) => void) => (q: QuadLike) => {
    const s = q.subject.value;
    if (s.endsWith("#address")) apply(get(s.slice(0, -"#address".length)), intern(q.object.value));
  };
  each(SCHEMA.addressLocality, onAddress((f, v) => (f.city ??= v)));
  each(SCHEMA.postalCode, onAddress((f, v) => (f.postcode ??= v)));
  each(SCHEMA.addressCountry, onAddress((f, v) => (f.country ??= v)));
  each(GEO.lat, (q) => (get(q.subject.value).lat ??= Number(q.object.value)));
  each(GEO.long, (q) => (get(q.subject.value).long ??= Number(q.object.value)));
  const toSet = (field: SetField) => (q: QuadLike) => addTo(get(q.subject.value), field, intern(q.object.value));
  each(SCHEMA.url, (q) => addTo(get(q.subject.value), "websites", flat(q.object.value)));
  each(SCHEMA.parentOrganization, toSet("parents"));
  each(ORG.subOrganizationOf, toSet("parents"));
  each(ORG.hasSubOrganization, toSet("children"));
  each(DCTERMS.replaces, toSet("replaces"));
  each(DCTERMS.isReplacedBy, toSet("replacedBy"));
  each(SCHEMA.foundingDate, (q) => (get(q.subject.value).foundingDate ??= intern(q.object.value)));
  each(SCHEMA.dissolutionDate, (q) => (get(q.subject.value).dissolutionDate ??= intern(q.object.value)));
  each(ADMS.status, (q) => {
    if (q.object.value === ADMS_STATUS_WITHDRAWN) get(q.subject.value).withdrawn = true;
  });

  const values = [...handlers.keys()].map((p) => `<${p}>`).join(" ");
  const factsQuery = `SELECT ?s ?p ?o ?g WHERE { VALUES ?p { ${values} } GRAPH ?g { ?s ?p ?o } FILTER(?g != <${links}>) }`;
  const fact = (row: string[]) => {
    const [s, p, o, g] = row.map(readTerm);
    handlers.get(p.value)?.({ subject: s, object: o, graph: g });
  };

  // Clusters: every URI linked by owl:sameAs, from the materialised closure (or, for a
  // cluster too large to close, the star through its hub: data/links.ts).
  const cluster = new Map<string, string[]>();
  const linksQuery = `SELECT ?a ?b WHERE { GRAPH <${links}> { ?a <${OWL.sameAs}> ?b } }`;
  const link = (row: string[]) => {
    const a = intern(readTerm(row[0]).value);
    const b = intern(readTerm(row[1]).value);
    const list = cluster.get(a);
    if (list) list.push(b);
    else cluster.set(a, [b]);
  };

  const nameOf = (uri: string): string | undefined => {
    const members = [uri, ...(cluster.get(uri) ?? [])];
    for (const m of members) {
      const n = displayName(facts.get(m)?.names ?? NO_NAMES);
      if (n) return n;
    }
    return undefined;
  };
  // A national body has thousands of sub-units (ROR lists them all for CNRS):
  // a record keeps the first ones, the store keeps every link.
  // One establishment is often cited under several of its URIs (a tutelle by UAI and SIRET): listed once.
  const related = (uris: Iterable<string>): Related[] => {
    const seen = new Set<string>();
    const out: Related[] = [];
    for (const uri of uris) {
      if (seen.has(uri)) continue;
      seen.add(uri);
      (cluster.get(uri) ?? []).forEach((m) => seen.add(m));
      out.push({ uri, id: parseEntityUri(base, uri)?.id, name: nameOf(uri) });
      if (out.length === MAX_RELATED) break;
    }
    return out;
  };

  // Made once every row is read: it indexes every succession.
  let former: ((members: string[]) => FormerName[]) | undefined;

  const build = (uri: string, service: ServiceId, id: string): EntityRecord | undefined => {
    const members = [uri, ...(cluster.get(uri) ?? [])];
    const pooled = { names: [] as Name[], types: new Set<string>(), kinds: new Set<string>(), websites: new Set<string>(), parents: new Set<string>(), children: new Set<string>(), replaces: new Set<string>(), replacedBy: new Set<string>(), graphs: new Set<string>() } as Required<Pick<Facts, "names" | SetField>> & Facts;
    const ids = new Map<Scheme, Set<string>>();
    const addId = (scheme: Scheme, value: string) => {
      let set = ids.get(scheme);
      if (!set) ids.set(scheme, (set = new Set()));
      set.add(value);
    };
    for (const m of members) {
      const parsed = parseEntityUri(base, m);
      if (parsed) addId(parsed.scheme, parsed.id);
      const f = facts.get(m);
      if (!f) continue;
      // The entity's own facts come first: its name and place win over its cluster's.
      if (f.names) for (const n of f.names) pooled.names.push(n);
      f.types?.forEach((t) => pooled.types.add(t));
      f.kinds?.forEach((k) => pooled.kinds.add(k));
      if (f.identifiers) for (const [s, vs] of f.identifiers) vs.forEach((v) => addId(s, v));
      pooled.city ??= f.city;
      pooled.postcode ??= f.postcode;
      pooled.country ??= f.country;
      pooled.lat ??= f.lat;
      pooled.long ??= f.long;
      f.websites?.forEach((w) => pooled.websites.add(w));
      f.parents?.forEach((p) => pooled.parents.add(p));
      f.children?.forEach((c) => pooled.children.add(c));
      f.replaces?.forEach((r) => pooled.replaces.add(r));
      f.replacedBy?.forEach((r) => pooled.replacedBy.add(r));
      pooled.foundingDate ??= f.foundingDate;
      pooled.dissolutionDate ??= f.dissolutionDate;
      f.graphs?.forEach((g) => pooled.graphs.add(g));
    }
    // An entity is withdrawn when its own sources say so, not when a linked one is.
    const own = facts.get(uri);
    const display = displayName(own?.names ?? NO_NAMES) ?? displayName(pooled.names);
    if (!display) return undefined;
    // Kinds of establishment pool across sources (Wikidata knows a ROR "education" record is a
    // university), legal forms do not: a UAI establishment is not a SIRET site because its cluster holds one.
    const legalForms = ["Site", "FormalOrganization"];
    const types = TYPE_ORDER.filter((t) => own?.types?.has(t) || (pooled.types.has(t) && !legalForms.includes(t)));
    return {
      id, uri, service, name: display, names: dedupeNames(pooled.names),
      types: types.length ? types : ["Organization"], kinds: [...pooled.kinds],
      city: pooled.city, postcode: pooled.postcode, country: pooled.country, lat: pooled.lat, long: pooled.long,
      websites: [...pooled.websites],
      identifiers: Object.fromEntries([...ids].map(([s, v]) => [s, [...v]])),
      sameAs: members,
      parents: related(pooled.parents), children: related(pooled.children),
      replaces: related(pooled.replaces), replacedBy: related(pooled.replacedBy),
      ...formerNamesField((former ??= formerNamesReader(facts, cluster, (p) => ({ uri: p, id: parseEntityUri(base, p)?.id, name: nameOf(p) })))(members)),
      foundingDate: pooled.foundingDate, dissolutionDate: pooled.dissolutionDate,
      withdrawn: own?.withdrawn ?? false,
      sources: [...pooled.graphs],
    };
  };

  /** Every record, each handed to `emit` as soon as it is made: the whole list need not be held (a snapshot's file is written a line at a time). */
  const eachRecord = (emit: (service: ServiceId, record: EntityRecord) => void): void => {
    const representedInAll = new Set<string>();
    // "all" keeps one record a cluster, under its most French identifier.
    const allCandidates: { uri: string; rank: number }[] = [];
    // The order the store returns rows in is not the order of the files (a restored store differs from
    // a parsed one): records and cluster members are sorted, so that the same files give the same
    // answers however the store was filled (ties among equal scores, a cluster's town).
    const rankOf = (uri: string) => clusterRank(base, uri);
    const byPreference = (a: string, b: string) => rankOf(a) - rankOf(b) || (a < b ? -1 : a > b ? 1 : 0);
    for (const members of cluster.values()) members.sort(byPreference);
    for (const f of facts.values()) f.names?.sort(byName);
    // Entities known only through a link (a Wikidata item that only ROR cites) count too.
    for (const uri of [...new Set([...facts.keys(), ...cluster.keys()])].sort()) {
      const parsed = parseEntityUri(base, uri);
      if (!parsed) continue;
      const service = parsed.scheme as ServiceId;
      if (service !== "all" && SERVICE_IDS.includes(service)) {
        const r = build(uri, service, parsed.id);
        if (r) emit(service, r);
      }
      allCandidates.push({ uri, rank: rankOf(uri) });
    }
    allCandidates.sort((a, b) => a.rank - b.rank);
    for (const { uri } of allCandidates) {
      if (representedInAll.has(uri)) continue;
      const r = build(uri, "all", uri);
      if (!r) continue;
      r.sameAs.forEach((m) => representedInAll.add(m));
      emit("all", r);
    }
  };
  const records = (): Map<ServiceId, EntityRecord[]> => {
    const out = new Map<ServiceId, EntityRecord[]>(SERVICE_IDS.map((s) => [s, []]));
    eachRecord((service, r) => out.get(service)!.push(r));
    return out;
  };
  return { factsQuery, linksQuery, fact, link, records, eachRecord };
}

const formerNamesField = (names: FormerName[]) => (names.length ? { formerNames: names } : {});

/** At most this many steps back through successions of successions (a merger of mergers). */
const MAX_SUCCESSION_STEPS = 3;

/**
 * The names of an establishment's closed predecessors, in every source: the predecessors its cluster's
 * members name (`dcterms:replaces`) or that name one of them (`dcterms:isReplacedBy`), followed back a
 * few steps. Only a predecessor some source says is closed counts: RNSR's spin-off origins stay live
 * and keep their names to themselves (docs/decisions.md, "Successors first").
 */
function formerNamesReader(facts: Map<string, Facts>, cluster: Map<string, string[]>, relatedOf: (uri: string) => Related) {
  const add = (map: Map<string, string[]>, key: string, value: string) => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  // Each succession as either side states it: ROR states both, Wikidata often one.
  const replacedByInverse = new Map<string, string[]>();
  const replacesInverse = new Map<string, string[]>();
  for (const [uri, f] of facts) {
    for (const next of f.replacedBy ?? NONE) add(replacedByInverse, next, uri);
    for (const previous of f.replaces ?? NONE) add(replacesInverse, previous, uri);
  }
  const clusterOf = (uri: string) => [uri, ...(cluster.get(uri) ?? [])];
  /** One key per establishment: its smallest URI. */
  const keyOf = (uri: string) => clusterOf(uri).reduce((a, b) => (b < a ? b : a));
  const predecessorsOf = (members: string[]) => {
    const out = new Set<string>();
    for (const m of members) {
      facts.get(m)?.replaces?.forEach((p) => out.add(p));
      replacedByInverse.get(m)?.forEach((p) => out.add(p));
    }
    return out;
  };
  const successorCount = new Map<string, number>();
  const successorsOf = (p: string): number => {
    const key = keyOf(p);
    let n = successorCount.get(key);
    if (n === undefined) {
      const next = new Set<string>();
      for (const m of clusterOf(p)) {
        facts.get(m)?.replacedBy?.forEach((s) => next.add(keyOf(s)));
        replacesInverse.get(m)?.forEach((s) => next.add(keyOf(s)));
      }
      successorCount.set(key, (n = next.size));
    }
    return n;
  };
  return (members: string[]): FormerName[] => {
    const own = new Set(members);
    const seen = new Set<string>();
    const out: FormerName[] = [];
    let frontier = members;
    for (let step = 0; step < MAX_SUCCESSION_STEPS && frontier.length; step++) {
      const next: string[] = [];
      for (const p of predecessorsOf(frontier)) {
        const key = keyOf(p);
        if (own.has(p) || seen.has(key)) continue;
        seen.add(key);
        const pMembers = clusterOf(p);
        if (pMembers.some((m) => own.has(m)) || !pMembers.some((m) => facts.get(m)?.withdrawn)) continue;
        next.push(...pMembers);
        const of = relatedOf(p);
        // A predecessor its successor names but that names no successor itself still has one.
        const successors = Math.max(1, successorsOf(p));
        const names = new Set<string>();
        for (const m of pMembers) for (const n of facts.get(m)?.names ?? NO_NAMES) {
          if ((n.kind !== "pref" && n.kind !== "alt") || names.has(n.value)) continue;
          names.add(n.value);
          out.push({ value: n.value, ...(n.lang ? { lang: n.lang } : {}), of, successors });
        }
      }
      frontier = next;
    }
    return out;
  };
}

/** French first (the sources' language), then English, then any. */
const KIND_ORDER: readonly Name["kind"][] = ["pref", "alt", "acronym", "unitCode"];
const text = (a: string | undefined, b: string | undefined) => ((a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0);
/** An entity's names in one order, whatever the order the store returned them in. */
const byName = (a: Name, b: Name) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || text(a.lang, b.lang) || text(a.value, b.value);

function displayName(names: readonly Name[]): string | undefined {
  const pref = names.filter((n) => n.kind === "pref");
  return (
    pref.find((n) => n.lang === "fr")?.value ??
    pref.find((n) => n.lang === "en")?.value ??
    pref[0]?.value ??
    names.find((n) => n.kind === "alt")?.value ??
    names[0]?.value
  );
}

function dedupeNames(names: Name[]): Name[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = `${n.kind}|${n.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
