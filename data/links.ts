// Joins the entities that the sources themselves say are the same. Each
// source states pairs (a UAI row's SIRET, a ROR record's Wikidata id, an
// RNSR tutelle's UAI and SIRET); the links graph holds their closure, so one
// lookup of any identifier reaches every other one in a single hop.
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

export interface LinkStats {
  clusters: number;
  links: number;
  largest: number;
  /** Clusters too large to close (linkClosure's maxCluster): only their stated pairs are linked. */
  unclosed?: number;
}

/** Recomputes the links graph from the owl:sameAs statements of every other graph. */
export function rebuildLinks(store: RefStore, linksGraph: string): LinkStats {
  const pairs = store.select(`SELECT ?a ?b WHERE { GRAPH ?g { ?a <${OWL.sameAs}> ?b } FILTER(?g != <${linksGraph}> && isIRI(?a) && isIRI(?b)) }`);
  const sink = new TripleSink();
  const stats = linkClosure(pairs.map((p) => [p.a, p.b] as const), sink);
  store.replaceGraph(linksGraph, sink.chunks());
  return stats;
}

/**
 * The closure of owl:sameAs `pairs`, written to `sink`: every member of a
 * cluster linked to every other. A remote load (data/load.ts) calls it with
 * the pairs it collected while streaming, and no store.
 *
 * `maxCluster`: a cluster larger than this is not closed (k(k−1) links for k
 * members: 190 M for the 13,750 members the scale generator's artefact makes
 * at national size); only the pairs the sources stated are linked, both ways,
 * and the report counts it. The remote load passes MAX_CLOSED_CLUSTER.
 */
export function linkClosure(pairs: Iterable<readonly [string, string]>, sink: TripleSink, maxCluster = Infinity): LinkStats {
  const clusters = new Clusters();
  const stated: (readonly [string, string])[] = [];
  for (const pair of pairs) {
    clusters.union(pair[0], pair[1]);
    if (maxCluster < Infinity) stated.push(pair);
  }
  const before = sink.count;
  let largest = 0;
  const open = new Set<string>();
  const groups = clusters.groups();
  for (const group of groups) {
    largest = Math.max(largest, group.length);
    if (group.length > maxCluster) open.add(clusters.find(group[0]));
    else for (const a of group) for (const b of group) if (a !== b) sink.iri(a, OWL.sameAs, b);
  }
  const linked = new Set<string>();
  for (const [a, b] of stated) {
    if (a === b || !open.has(clusters.find(a))) continue;
    for (const [x, y] of [[a, b], [b, a]]) {
      if (linked.has(`${x} ${y}`)) continue;
      linked.add(`${x} ${y}`);
      sink.iri(x, OWL.sameAs, y);
    }
  }
  return { clusters: groups.length, links: sink.count - before, largest, ...(open.size ? { unclosed: open.size } : {}) };
}

/** Members past which a cluster is not closed on the remote path (see linkClosure). */
export const MAX_CLOSED_CLUSTER = 1000;
