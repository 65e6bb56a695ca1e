// The pieces of a remote load that need no store: the owl:sameAs pairs read
// off N-Triples text as it is written, and their closure (with the cap on
// clusters too large to close).
import { describe, expect, it } from "vitest";
import { linkClosure } from "../data/links.ts";
import { sameAsPairs } from "../data/remote-load.ts";
import { TripleSink } from "../data/triples.ts";
import { OWL } from "../vocab/namespaces.ts";

const SAME = `<${OWL.sameAs}>`;

describe("sameAsPairs", () => {
  it("reads the pairs of IRIs a TripleSink wrote, and nothing else", () => {
    const lines: string[] = [];
    const sink = new TripleSink((t) => lines.push(t));
    sink.iri("http://x/a", OWL.sameAs, "http://x/b");
    sink.lit("http://x/c", OWL.sameAs, "not an IRI");
    sink.iri("http://x/d", "http://x/p", "http://x/e");
    sink.iri("http://x/f", OWL.sameAs, "http://x/g");
    sink.chunks();
    const text = `${lines.join("")}_:b0 ${SAME} <http://x/h> .\n`;
    expect([...sameAsPairs(text)]).toEqual([["http://x/a", "http://x/b"], ["http://x/f", "http://x/g"]]);
  });
});

describe("linkClosure", () => {
  const links = (pairs: [string, string][], max?: number) => {
    const sink = new TripleSink();
    const stats = linkClosure(pairs, sink, "http://x", max);
    const triples = sink.chunks().join("").trim().split("\n").filter(Boolean).map((l) => l.replace(` ${SAME} `, " ").replace(/ \.$/, "").replace(/[<>]/g, ""));
    return { stats, triples: triples.sort() };
  };

  it("links every member of a cluster to every other", () => {
    const { stats, triples } = links([["a", "b"], ["b", "c"], ["d", "e"]]);
    expect(stats).toEqual({ clusters: 2, links: 8, largest: 3, stars: 0, warnings: [] });
    expect(triples).toEqual(["a b", "a c", "b a", "b c", "c a", "c b", "d e", "e d"]);
  });

  it("links a cluster larger than the cap as a star through its hub, both ways, and says so", () => {
    const { stats, triples } = links([["a", "b"], ["b", "c"], ["c", "b"], ["d", "e"]], 2);
    expect(stats).toMatchObject({ clusters: 2, links: 6, largest: 3, stars: 1 });
    expect(stats.warnings).toHaveLength(1);
    expect(triples).toEqual(["a b", "a c", "b a", "c a", "d e", "e d"]);
  });
});
