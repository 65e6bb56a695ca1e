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
}

/** Recomputes the links graph from the owl:sameAs statements of every other graph. */
export function rebuildLinks(store: RefStore, linksGraph: string): LinkStats {
  const pairs = store.select(`SELECT ?a ?b WHERE { GRAPH ?g { ?a <${OWL.sameAs}> ?b } FILTER(?g != <${linksGraph}> && isIRI(?a) && isIRI(?b)) }`);
  const clusters = new Clusters();
  for (const p of pairs) clusters.union(p.a, p.b);
  const sink = new TripleSink();
  let largest = 0;
  const groups = clusters.groups();
  for (const group of groups) {
    largest = Math.max(largest, group.length);
    for (const a of group) for (const b of group) if (a !== b) sink.iri(a, OWL.sameAs, b);
  }
  store.replaceGraph(linksGraph, sink.chunks());
  return { clusters: groups.length, links: sink.count, largest };
}
