// The streamed reading of a SPARQL JSON answer (data/sparql-json.ts): bindings
// come out one at a time however the text is cut, braces and quotes inside
// strings included.
import { describe, expect, it } from "vitest";
import { streamBindings } from "../data/sparql-json.ts";

/** A Response whose body arrives in pieces of `size` bytes. */
function answer(text: string, size: number): Response {
  const bytes = Buffer.from(text, "utf8");
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += size) c.enqueue(new Uint8Array(bytes.subarray(i, i + size)));
      c.close();
    },
  });
  return new Response(body);
}

const bindings = [
  { s: { type: "uri", value: "http://x/a" }, o: { type: "literal", value: 'Caf\u00e9 "{de} la [gare]" \\ fin', "xml:lang": "fr" } },
  { s: { type: "uri", value: "http://x/b" } },
  { s: { type: "bnode", value: "b0" }, o: { type: "typed-literal", value: "1971", datatype: "http://www.w3.org/2001/XMLSchema#gYear" } },
];
const json = JSON.stringify({ head: { link: [], vars: ["s", "o"] }, results: { distinct: false, ordered: true, bindings } }, null, 1);

describe("streamBindings", () => {
  it.each([1, 3, 7, 64, 100_000])("gives the variables, then every binding, cut every %i bytes", async (size) => {
    const out: unknown[] = [];
    for await (const item of streamBindings(answer(json, size))) out.push(item);
    expect(out).toEqual([["s", "o"], ...bindings]);
  });

  it("refuses an answer cut inside its bindings, and one that gives its bindings before its variables", async () => {
    const read = async (text: string) => {
      for await (const _ of streamBindings(answer(text, 5)));
    };
    await expect(read(json.slice(0, json.indexOf("http://x/b")))).rejects.toThrow(/ended inside its bindings/);
    await expect(read(JSON.stringify({ results: { bindings }, head: { vars: ["s"] } }))).rejects.toThrow(/before its variables/);
  });
});
