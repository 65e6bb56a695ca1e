// TripleSink writes N-Triples itself: the text must be what n3's canonical
// N-Triples writer gives for the same terms (escapes, language tags,
// datatypes), which is what it used to hand to the store.
import { describe, expect, it } from "vitest";
import { DataFactory, Writer } from "n3";
import { TripleSink } from "../data/triples.ts";
import { XSD } from "../vocab/namespaces.ts";

const { namedNode, literal, quad } = DataFactory;
const S = "http://refx.test/id/siren/180089013";
const P = "http://schema.org/name";

const VALUES = [
  "École normale supérieure",
  'say "hi" \\ back',
  "two\nlines\tand\r\bcontrol\f\u0001\u001f",
  "del\u007f and \uFFFE \uFFFF",
  "emoji 🎓 and 中文",
  "  trimmed  ",
  "<not an iri>",
];

describe("TripleSink", () => {
  it("writes what n3's N-Triples writer writes for IRIs, plain, tagged and typed literals", () => {
    const sink = new TripleSink();
    const quads = [];
    for (const v of VALUES) {
      sink.lit(S, P, v);
      sink.lit(S, P, v, "FR");
      sink.lit(S, P, v, "http://example.org/type");
      sink.lit(S, P, v, "http://www.w3.org/2001/XMLSchema#string");
      const t = v.trim();
      quads.push(quad(namedNode(S), namedNode(P), literal(t)));
      quads.push(quad(namedNode(S), namedNode(P), literal(t, "fr")));
      quads.push(quad(namedNode(S), namedNode(P), literal(t, namedNode("http://example.org/type"))));
      quads.push(quad(namedNode(S), namedNode(P), literal(t, namedNode("http://www.w3.org/2001/XMLSchema#string"))));
    }
    sink.iri(S, P, "http://refx.test/id/uai/0751717J");
    sink.iri(S, P, 'http://example.org/a"b\\c d');
    sink.iri(S, P, "https://fr.wikipedia.org/wiki/Universit\u00e9_Paris_1");
    quads.push(quad(namedNode(S), namedNode(P), namedNode("http://refx.test/id/uai/0751717J")));
    quads.push(quad(namedNode(S), namedNode(P), namedNode('http://example.org/a"b\\c d')));
    quads.push(quad(namedNode(S), namedNode(P), namedNode("https://fr.wikipedia.org/wiki/Universit\u00e9_Paris_1")));
    sink.lit(S, P, 1971);
    quads.push(quad(namedNode(S), namedNode(P), literal("1971")));
    sink.date(S, P, "2012-01-01");
    sink.date(S, P, "1971");
    sink.date(S, P, "not a date");
    quads.push(quad(namedNode(S), namedNode(P), literal("2012-01-01", namedNode(XSD.date))));
    quads.push(quad(namedNode(S), namedNode(P), literal("1971", namedNode(XSD.gYear))));

    const expected = new Writer({ format: "N-Triples" }).quadsToString(quads);
    expect(sink.chunks().join("")).toBe(expected);
    expect(sink.count).toBe(quads.length);
  });

  it("skips empty values and cuts chunks of 50,000 triples", () => {
    const seen: string[] = [];
    const sink = new TripleSink((t) => seen.push(t));
    sink.lit(S, P, "   ");
    sink.lit(S, P, undefined);
    sink.iri(S, P, "");
    expect(sink.count).toBe(0);
    for (let i = 0; i < 50_001; i++) sink.lit(S, P, String(i));
    expect(seen).toHaveLength(1);
    expect(seen[0].split("\n").filter(Boolean)).toHaveLength(50_000);
    expect(sink.chunks()).toEqual([]);
    expect(seen).toHaveLength(2);
    expect(sink.count).toBe(50_001);
  });
});
