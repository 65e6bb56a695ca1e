// Joins the entities that the sources themselves say are the same. Each
// source states pairs (a UAI row's SIRET, a ROR record's Wikidata id, an
// RNSR tutelle's UAI and SIRET); the links graph holds their closure, so one
// lookup of any identifier reaches every other one in a single hop.
//
// The closure of a cluster of k entities is k(k−1) links. An establishment
// is a handful of entities (11 at most on the extracts), but one wrong
// identifier in a source, or a body with hundreds of SIRETs, makes a cluster
// whose closure would outgrow the store: above MAX_CLOSED_CLUSTER entities a
// cluster is linked as a star instead (2(k−1) links), every member to its
// hub and the hub to every member, and the load report says so.
import { clusterRank } from "../vocab/identifiers.ts";
import { OWL } from "../vocab/namespaces.ts";
import type { RefStore } from "./store.ts";
import { TripleSink } from "./triples.ts";

/** Union-find over entity URIs. */
class Clusters {
  private parent = new Map<string, string>();

  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    // Path compression keeps later finds short.
    let cur = x;
    while (cur !== root) {
      const next = this.parent.get(cur) ?? root;
      this.parent.set(cur, root);
      cur = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }

  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }

  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const x of this.parent.keys()) {
      const r = this.find(x);
      const list = byRoot.get(r);
      if (list) list.push(x);
      else byRoot.set(r, [x]);
    }
    return [...byRoot.values()].filter((g) => g.length > 1);
  }
}

/**
 * Clusters larger than this are linked as a star, not closed. Far above an
 * establishment's size (11 entities at most on the extracts), low enough that
 * a closed cluster costs at most 2,450 links.
 */
export const MAX_CLOSED_CLUSTER = 50;

/** At most this many warnings name a starred cluster; the count says how many there were. */
const MAX_WARNINGS = 10;

export interface LinkStats {
  clusters: number;
  links: number;
  largest: number;
  /** Clusters over MAX_CLOSED_CLUSTER, linked as a star (absent from reports made before stars). */
  stars?: number;
  /** One line per starred cluster (the first few): its size, its hub, another member. */
  warnings?: string[];
}

/**
 * A cluster's hub: its first member in the order a cluster is known by
 * (CLUSTER_PREFERENCE, then the URI), the entity the "all" service's record
 * is made from, so that record still gathers the whole cluster in one hop.
 */
export function clusterHub(base: string, members: readonly string[]): string {
  let hub = members[0];
  let rank = clusterRank(base, hub);
  for (const m of members) {
    const r = clusterRank(base, m);
    if (r < rank || (r === rank && m < hub)) [hub, rank] = [m, r];
  }
  return hub;
}

/**
 * Recomputes the links graph from the owl:sameAs statements of every other
 * graph (see linkClosure).
 */
export function rebuildLinks(store: RefStore, linksGraph: string, base: string): LinkStats {
  const pairs = store.select(`SELECT ?a ?b WHERE { GRAPH ?g { ?a <${OWL.sameAs}> ?b } FILTER(?g != <${linksGraph}> && isIRI(?a) && isIRI(?b)) }`);
  const sink = new TripleSink();
  const stats = linkClosure(pairs.map((p) => [p.a, p.b] as const), sink, base);
  store.replaceGraph(linksGraph, sink.chunks());
  return stats;
}

/**
 * The links of owl:sameAs `pairs`, written to `sink`: each cluster closed
 * (every member to every other), or above `maxCluster` a star through its
 * hub. A member of a star reaches the others in two hops, through the hub;
 * the hub reaches them all in one. A remote load (data/load.ts) calls it
 * with the pairs it collected while streaming, and no store.
 */
export function linkClosure(pairs: Iterable<readonly [string, string]>, sink: TripleSink, base: string, maxCluster = MAX_CLOSED_CLUSTER): LinkStats {
  const clusters = new Clusters();
  for (const [a, b] of pairs) clusters.union(a, b);
  const before = sink.count;
  let largest = 0;
  let stars = 0;
  const warnings: string[] = [];
  const groups = clusters.groups();
  for (const group of groups) {
    largest = Math.max(largest, group.length);
    if (group.length <= maxCluster) {
      for (const a of group) for (const b of group) if (a !== b) sink.iri(a, OWL.sameAs, b);
      continue;
    }
    const hub = clusterHub(base, group);
    for (const m of group) {
      if (m === hub) continue;
      sink.iri(hub, OWL.sameAs, m);
      sink.iri(m, OWL.sameAs, hub);
    }
    if (++stars <= MAX_WARNINGS) {
      const other = group.find((m) => m !== hub)!;
      warnings.push(`owl:sameAs cluster of ${group.length} entities (over ${maxCluster}) linked as a star through ${hub}, not closed; a member: ${other}`);
    }
  }
  if (stars > MAX_WARNINGS) warnings.push(`… and ${stars - MAX_WARNINGS} more clusters linked as a star`);
  return { clusters: groups.length, links: sink.count - before, largest, stars, warnings };
}
