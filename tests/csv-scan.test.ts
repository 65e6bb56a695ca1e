// The fast CSV reader of the Sirene stocks (data/csv.ts, scanCsv): quoting as
// RFC 4180 and csv-parse read it, the prefilter on raw lines, and the errors.
import { afterAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { LoadError } from "../data/errors.ts";
import { scanCsv } from "../data/csv.ts";
import { tempDir } from "./helpers.ts";

const tmp = tempDir();
afterAll(() => tmp.remove());

/** `prefilter` is shown each record's raw bytes read as latin1 text (exact for the ASCII a prefilter looks at). */
async function scan(name: string, text: string, prefilter?: (raw: string) => boolean) {
  const file = join(tmp.path, name);
  writeFileSync(file, text);
  const rows: { line: number; a: string; b: string; c: string }[] = [];
  const onBytes = prefilter && (() => (b: Uint8Array, s: number, e: number) => prefilter(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1", s, e)));
  const result = await scanCsv(file, { delimiter: ",", required: ["a", "b"], prefilter: onBytes }, (r) => rows.push({ line: r.line, a: r.get("a"), b: r.get("b"), c: r.get("c") }));
  return { rows, result };
}

describe("scanCsv", () => {
  it("reads quoted cells with delimiters, doubled quotes and line breaks, CRLF and a BOM", async () => {
    const { rows, result } = await scan("q.csv", '\uFEFFa,b,c\r\n1,"x, y",z\r\n2,"say ""hi""",\r\n3,"two\nlines",w\n\n4,,"last"');
    expect(result).toEqual({ rows: 4, rejected: 0 });
    expect(rows).toEqual([
      { line: 2, a: "1", b: "x, y", c: "z" },
      { line: 3, a: "2", b: 'say "hi"', c: "" },
      { line: 4, a: "3", b: "two\nlines", c: "w" },
      { line: 7, a: "4", b: "", c: "last" },
    ]);
  });

  it("decodes UTF-8 cells of the records it keeps, whatever the prefilter saw", async () => {
    const big = "é".repeat(700_000); // past the first 1 MB read, so a character may straddle two reads
    const { rows } = await scan("utf8.csv", `a,b,c\n1,École,"Université, Paris"\n2,${big},ü\n`, (raw) => raw.length > 0);
    expect(rows.map((r) => [r.b.length, r.c])).toEqual([[5, "Université, Paris"], [700_000, "ü"]]);
    expect(rows[0].b).toBe("École");
    expect(rows[1].b).toBe(big);
  });

  it("hands over only the records the prefilter accepts, and counts the others", async () => {
    const { rows, result } = await scan("p.csv", "a,b\n1,keep\n2,drop\n3,\"keep, too\"\n", (raw) => raw.includes("keep"));
    expect(result).toEqual({ rows: 3, rejected: 1 });
    expect(rows.map((r) => r.a)).toEqual(["1", "3"]);
  });

  it("names the line of a row with a wrong number of cells", async () => {
    const err = await scan("bad.csv", "a,b\n1,2\n3,4,5\n").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as LoadError).line).toBe(3);
    expect((err as LoadError).message).toMatch(/bad row: 3 cells where the header has 2 columns/);
  });

  it("refuses an unclosed quote, an unknown header and an empty file", async () => {
    await expect(scan("open.csv", 'a,b\n1,"never closed\n2,3\n')).rejects.toThrow(/quoted field is never closed/);
    await expect(scan("hdr.csv", "x,y\n1,2\n")).rejects.toThrow(/unknown columns: the header lacks 'a', 'b'/);
    await expect(scan("semi.csv", "a;b\n1;2\n")).rejects.toThrow(/wrong delimiter/);
    await expect(scan("empty.csv", "")).rejects.toThrow(/empty/);
  });
});
