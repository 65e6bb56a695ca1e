// What the store says about one entity, from every graph: its own triples and
// those of its parts (#address, #id, #change-...), the triples that point to
// it (sub-organisations, successors), its equivalents from the links graph,
// the labels of everything it links to, and the provenance of each graph.
import { DataFactory, type Literal, type Quad } from "n3";
import type { GraphStore, TermRow } from "../data/store.ts";
import { graphUri } from "../data/sources.ts";
import { DCAT, DCTERMS, OWL, PROV, RDFS, SCHEMA, SKOS } from "../vocab/namespaces.ts";
import { VOID2 } from "../vocab/service.ts";

const { namedNode, quad } = DataFactory;

export interface GraphInfo {
  graph: string;
  title?: string;
  publisher?: string;
  licence?: string;
  licenceLabel?: string;
  landingPage?: string;
  modified?: string;
  loaded?: string;
}

export interface Description {
  uri: string;
  /** Triples about the entity and its parts, each with its graph. */
  own: Quad[];
  /** Triples from other entities to this one (graph kept). */
  incoming: Quad[];
  /** Equivalent entities (links graph closure and direct owl:sameAs). */
  sameAs: string[];
  /** Best label of every IRI the description mentions. */
  labels: Map<string, string>;
  graphs: GraphInfo[];
}

/** IRIs that can be put between <> in a query: absolute, no spaces or delimiters. */
export function safeIri(v: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]*$/i.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

type Row = TermRow;

function rows(store: GraphStore, q: string): Promise<Row[]> | Row[] {
  return store.selectTerms(q);
}

/**
 * `{ s <p1> o BIND(<p1> AS ?p) } UNION ...`: the form Oxigraph evaluates by
 * index. Two VALUES blocks (subjects and predicates) make it scan instead:
 * 1.2 s against 5 ms for 62 subjects on ../shared/data.
 */
export function byPredicate(subject: string, predicates: readonly string[], object: string): string {
  return predicates.map((p) => `{ ${subject} <${p}> ${object} BIND(<${p}> AS ?p) }`).join(" UNION ");
}

const LABEL_PREFERENCE = ["fr", "en", ""];

/** The best display label of each IRI: skos:prefLabel in French, else English, else any; then schema:name, dcterms:title. */
export async function labelsOf(store: GraphStore, iris: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(iris)].filter(safeIri);
  const out = new Map<string, string>();
  for (let i = 0; i < list.length; i += 400) {
    const values = list.slice(i, i + 400).map((x) => `<${x}>`).join(" ");
    const found = await rows(store, `SELECT ?x ?p ?l WHERE { VALUES ?x { ${values} } ${byPredicate("?x", [SKOS.prefLabel, SCHEMA.name, DCTERMS.title, SKOS.altLabel], "?l")} FILTER(isLiteral(?l)) }`);
    const best = new Map<string, { rank: number; value: string }>();
    for (const r of found) {
      const x = r.get("x")!.value;
      const p = [SKOS.prefLabel, SCHEMA.name, DCTERMS.title, SKOS.altLabel].indexOf(r.get("p")!.value);
      const l = r.get("l") as Literal;
      const lang = LABEL_PREFERENCE.indexOf(l.language ?? "");
      const rank = p * 10 + (lang < 0 ? 5 : lang);
      const cur = best.get(x);
      if (!cur || rank < cur.rank || (rank === cur.rank && l.value < cur.value)) best.set(x, { rank, value: l.value });
    }
    for (const [x, b] of best) out.set(x, b.value);
  }
  return out;
}

/** Provenance of refx's graphs, read from each graph's description of itself (data/provenance.ts). */
export async function graphInfos(store: GraphStore, graphs: Iterable<string>): Promise<GraphInfo[]> {
  const list = [...new Set(graphs)].filter(safeIri);
  if (!list.length) return [];
  const found = await rows(
    store,
    `SELECT ?g ?p ?o WHERE { VALUES ?g { ${list.map((g) => `<${g}>`).join(" ")} } GRAPH ?g { ?g ?p ?o } }`,
  );
  const infos = new Map<string, GraphInfo>(list.map((g) => [g, { graph: g }]));
  for (const r of found) {
    const info = infos.get(r.get("g")!.value)!;
    const o = r.get("o")!.value;
    switch (r.get("p")!.value) {
      case DCTERMS.title: info.title = o; break;
      case DCTERMS.publisher: info.publisher = o; break;
      case DCTERMS.license: info.licence = o; break;
      case RDFS.label: info.licenceLabel = o; break;
      case DCAT.landingPage: info.landingPage = o; break;
      case DCTERMS.modified: info.modified = o; break;
      case PROV.generatedAtTime: info.loaded = o; break;
    }
  }
  return [...infos.values()];
}

export async function describe(store: GraphStore, base: string, uri: string): Promise<Description | undefined> {
  if (!safeIri(uri)) return undefined;
  const e = `<${uri}>`;
  const links = graphUri(base, "links");
  const own: Quad[] = [];
  const g = (r: Row) => r.get("g")! as never;
  for (const r of await rows(store, `SELECT ?g ?s ?p ?o WHERE {
      { GRAPH ?g { ${e} ?p ?o } BIND(${e} AS ?s) }
      UNION { GRAPH ?g { ${e} ?p0 ?s . ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), "${uri}#")) }
    }`)) {
    own.push(quad(r.get("s")! as never, r.get("p")! as never, r.get("o")! as never, g(r)));
  }
  const incoming: Quad[] = [];
  // Incoming owl:sameAs is kept from the sources (who says so is provenance), not from the links graph (the closure, already in `own`).
  for (const r of await rows(store, `SELECT ?g ?s ?p WHERE { GRAPH ?g { ?s ?p ${e} } FILTER(?p != <${OWL.sameAs}> || ?g != <${links}>) }`)) {
    incoming.push(quad(r.get("s")! as never, r.get("p")! as never, namedNode(uri), g(r)));
  }
  if (!own.length && !incoming.length) return undefined;
  const sameAs = [...new Set(own.filter((q) => q.subject.value === uri && q.predicate.value === OWL.sameAs && q.object.termType === "NamedNode").map((q) => q.object.value))];
  // The links graph holds the closure, so equivalents of equivalents are already here.
  sameAs.sort();
  const mentioned = new Set<string>([uri, ...sameAs]);
  for (const q of own) if (q.object.termType === "NamedNode") mentioned.add(q.object.value);
  for (const q of incoming) mentioned.add(q.subject.value);
  const graphs = new Set<string>([...own, ...incoming].map((q) => q.graph.value).filter((x) => x !== links));
  return { uri, own, incoming, sameAs, labels: await labelsOf(store, mentioned), graphs: await graphInfos(store, graphs) };
}

/**
 * The description as RDF triples: the entity's own and incoming triples, the
 * labels of what it links to, and for each source graph its title, publisher
 * and licence, with `void:inDataset` from the entity to the graph.
 */
export function descriptionQuads(d: Description): Quad[] {
  const out: Quad[] = [];
  const t = (q: Quad) => quad(q.subject, q.predicate, q.object);
  for (const q of d.own) out.push(t(q));
  for (const q of d.incoming) out.push(t(q));
  const described = new Set([d.uri, ...d.own.map((q) => q.subject.value)]);
  for (const [iri, label] of d.labels) {
    if (!described.has(iri)) out.push(quad(namedNode(iri), namedNode(SKOS.prefLabel), DataFactory.literal(label)));
  }
  for (const gi of d.graphs) {
    out.push(quad(namedNode(d.uri), namedNode(VOID2.inDataset), namedNode(gi.graph)));
    if (gi.title) out.push(quad(namedNode(gi.graph), namedNode(DCTERMS.title), DataFactory.literal(gi.title, "fr")));
    if (gi.publisher) out.push(quad(namedNode(gi.graph), namedNode(DCTERMS.publisher), DataFactory.literal(gi.publisher, "fr")));
    if (gi.licence) out.push(quad(namedNode(gi.graph), namedNode(DCTERMS.license), namedNode(gi.licence)));
  }
  const seen = new Set<string>();
  return out.filter((q) => {
    const k = `${q.subject.id} ${q.predicate.id} ${q.object.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

