// Exports over real HTTP and the command line (docs/linked-data.md#exports):
// whole graphs streamed in four formats, paged without holding a graph in
// memory; resolved tables back as enriched CSV (re-read with the same rows)
// and 5-star RDF (re-parsed with n3), with licence and provenance.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { Parser, type Quad } from "n3";
import oxigraph from "oxigraph";
import { exportChunks } from "../app/export-stream.ts";
import { ADDED_COLUMNS } from "../app/export-resolved.ts";
import type { RefStore } from "../data/store.ts";
import { BASE, refx, SAMPLE_DATA_DIR, tempDir } from "./helpers.ts";
import { call, serve, type Served } from "./ld-helpers.ts";

const LO2 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
const OWL_SAME = "http://www.w3.org/2002/07/owl#sameAs";

let app: Served;
beforeAll(async () => {
  app = await serve(SAMPLE_DATA_DIR, BASE);
}, 60_000);
afterAll(() => app?.close());

const graphCount = (g: string) => (app.state.served!.store as RefStore).graphSizeOf(g);
const countOf = (text: string, format: string) => {
  const s = new oxigraph.Store();
  s.load(text, { format });
  return s;
};

describe("GET /export/{source}", () => {
  it("streams one graph as N-Triples, Turtle, N-Quads and JSON-LD, each re-parsing to the graph's triples", async () => {
    const g = `${BASE}/graph/ror`;
    const n = graphCount(g);
    const nt = await call(`${app.url}/export/ror?format=nt`);
    expect(nt.status).toBe(200);
    expect(nt.headers.get("content-type")).toMatch(/^application\/n-triples/);
    expect(nt.headers.get("content-disposition")).toBe('attachment; filename="refx-ror.nt"');
    expect(new Parser({ format: "N-Triples" }).parse(nt.text)).toHaveLength(n);

    const ttl = await call(`${app.url}/export/ror`, { headers: { Accept: "text/turtle" } });
    expect(ttl.headers.get("content-type")).toMatch(/^text\/turtle/);
    expect(new Parser({ format: "Turtle" }).parse(ttl.text)).toHaveLength(n);

    const nq = await call(`${app.url}/export/ror?format=nq`);
    const quads = new Parser({ format: "N-Quads" }).parse(nq.text);
    expect(quads).toHaveLength(n);
    expect(quads.every((q) => q.graph.value === g)).toBe(true);

    const jsonld = await call(`${app.url}/export/ror?format=jsonld`);
    expect(Array.isArray(jsonld.json)).toBe(true);
    expect(countOf(jsonld.text, "application/ld+json").size).toBe(n);
  });

  it("streams the whole store, keeping graph names in N-Quads and JSON-LD", async () => {
    const total = (app.state.served!.store as RefStore).size;
    const nq = await call(`${app.url}/export/all?format=nq`);
    const store = countOf(nq.text, "application/n-quads");
    expect(store.size).toBe(total);
    const jsonld = await call(`${app.url}/export/all`, { headers: { Accept: "application/ld+json" } });
    const fromJsonld = countOf(jsonld.text, "application/ld+json");
    expect(fromJsonld.size).toBe(total);
    expect(fromJsonld.match(null, null, null, oxigraph.namedNode(`${BASE}/graph/links`)).length).toBe(graphCount(`${BASE}/graph/links`));
    const links = await call(`${app.url}/export/links?format=nt`);
    expect(new Parser({ format: "N-Triples" }).parse(links.text).every((q) => q.predicate.value === OWL_SAME)).toBe(true);
  });

  it("refuses unknown sources and formats", async () => {
    expect((await call(`${app.url}/export/nothing`)).status).toBe(404);
    const rdfxml = await call(`${app.url}/export/ror?format=rdfxml`);
    expect(rdfxml.status).toBe(406);
    expect(rdfxml.json.message).toMatch(/turtle, ntriples, nquads, jsonld/);
  });

  it("pages through a graph without losing or repeating a triple", async () => {
    const g = `${BASE}/graph/rnsr`;
    for (const format of ["ntriples", "turtle", "nquads", "jsonld"] as const) {
      let text = "";
      let pages = 0;
      for await (const chunk of exportChunks(app.state.served!.store, [g], format, { pageSize: 97, onPage: () => pages++ })) text += chunk;
      expect(pages, format).toBe(Math.ceil(graphCount(g) / 97));
      const mime = { ntriples: "application/n-triples", turtle: "text/turtle", nquads: "application/n-quads", jsonld: "application/ld+json" }[format];
      expect(countOf(text, mime).size, format).toBe(graphCount(g));
      if (format !== "jsonld") expect(new Parser({ format: format === "turtle" ? "Turtle" : format === "nquads" ? "N-Quads" : "N-Triples" }).parse(text), format).toHaveLength(graphCount(g));
    }
  });
});

const TABLE = [
  "name,id,note",
  'Paris 1,0751717J,"a note, with a comma"',
  "LIPN,https://ror.org/03n6dz703,",
  `Same by URI,${BASE}/id/uai/0751717J,`,
  "Wikidata item,Q999763,",
  "unknown,0000000A,",
  "not an id,hello,",
  "empty,,",
].join("\n");

function reread(csv: string): string[][] {
  return parse(csv, { bom: true }) as string[][];
}

describe("POST /export/resolved", () => {
  it("returns the table as CSV with every identifier and the name, and re-reads with the same rows", async () => {
    const r = await call(`${app.url}/export/resolved?column=id&service=all`, { method: "POST", headers: { "Content-Type": "text/csv" }, body: TABLE });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(r.headers.get("x-rows")).toBe("7");
    expect(r.headers.get("x-rows-resolved")).toBe("4");
    const [header, ...rows] = reread(r.text);
    const [inHeader, ...inRows] = reread(TABLE);
    expect(header).toEqual([...inHeader, ...ADDED_COLUMNS]);
    expect(rows.map((row) => row.slice(0, inHeader.length))).toEqual(inRows);
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    const [paris, lipn, byUri, item, unknown, notId, empty] = rows;
    expect(col(paris, "refx_status")).toBe("found");
    expect(col(paris, "refx_name")).toBe("Université Paris 1 Panthéon-Sorbonne");
    expect(col(paris, "refx_uai")).toBe("0751717J");
    expect(col(paris, "refx_ror")).toBe("002t25c44");
    expect(col(paris, "refx_wikidata")).toBe("Q999763");
    expect(col(paris, "refx_siren")).toBe("197517170");
    expect(col(paris, "refx_siret")).toContain("19751717000019");
    expect(col(paris, "refx_uri")).toBe(`${BASE}/id/uai/0751717J`);
    expect(col(lipn, "refx_status")).toBe("found");
    expect(col(lipn, "refx_rnsr")).toMatch(/^[0-9]{9}[A-Z]$/);
    expect(col(byUri, "refx_ror")).toBe("002t25c44");
    expect(col(item, "refx_uai")).toBe("0751717J");
    expect([col(unknown, "refx_status"), col(notId, "refx_status"), col(empty, "refx_status")]).toEqual(["not_found", "invalid", "empty"]);
  });

  it("returns 5-star RDF: one URI a row, linked to every identifier's entity, with licence and provenance; it re-parses with n3 and dereferences", async () => {
    const r = await call(`${app.url}/export/resolved?column=id&service=all&format=ttl`, { method: "POST", headers: { "Content-Type": "text/csv" }, body: TABLE });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^text\/turtle/);
    const quads: Quad[] = new Parser({ format: "Turtle" }).parse(r.text);
    const location = r.headers.get("location")!;
    expect(location).toMatch(/^\/export\/resolved\/[0-9a-f-]{36}$/);
    const doc = BASE + location;
    const has = (s: string, p: string, o?: string) => quads.some((q) => q.subject.value === s && q.predicate.value === p && (o === undefined || q.object.value === o));
    const row1 = `${doc}#row-1`;
    for (const target of [`${BASE}/id/uai/0751717J`, "https://ror.org/002t25c44", "http://www.wikidata.org/entity/Q999763", `${BASE}/id/siren/197517170`, `${BASE}/id/siret/19751717000019`]) {
      expect(has(row1, OWL_SAME, target), target).toBe(true);
    }
    expect(has(row1, "http://www.wikidata.org/prop/direct/P3202", "0751717J")).toBe(true);
    expect(has(row1, `${doc}#note`, "a note, with a comma")).toBe(true);
    expect(has(`${doc}#row-2`, OWL_SAME, "https://ror.org/03n6dz703")).toBe(true);
    expect(has(`${doc}#row-5`, OWL_SAME)).toBe(false);
    for (let i = 1; i <= 7; i++) expect(has(`${doc}#row-${i}`, "http://www.w3.org/ns/csvw#rownum", String(i))).toBe(true);
    expect(has(doc, "http://purl.org/dc/terms/license", LO2)).toBe(true);
    expect(has(doc, "http://www.w3.org/ns/prov#wasDerivedFrom", `${BASE}/graph/uai`)).toBe(true);
    expect(has(doc, "http://www.w3.org/ns/prov#wasGeneratedBy", `${doc}#resolution`)).toBe(true);
    expect(has(doc, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/dcat#Dataset")).toBe(true);

    // The document behind the row URIs dereferences, in RDF or CSV.
    const again = await call(app.url + location, { headers: { Accept: "application/n-triples" } });
    expect(again.status).toBe(200);
    expect(new Parser({ format: "N-Triples" }).parse(again.text)).toHaveLength(quads.length);
    expect((await call(`${app.url}${location}?format=csv`)).text.split("\r\n")[0]).toContain("refx_uai");

    const jsonld = await call(`${app.url}/export/resolved?column=id&format=jsonld`, { method: "POST", headers: { "Content-Type": "text/csv" }, body: TABLE });
    expect(countOf(jsonld.text, "application/ld+json").size).toBeGreaterThan(30);
  });

  it("takes a multipart upload with its own delimiter and a single service", async () => {
    const csv = "uai;ville\r\n0751717J;Paris\r\n0000000A;\r\n";
    const form = new FormData();
    form.append("column", "uai");
    form.append("service", "uai");
    form.append("file", new Blob([csv], { type: "text/csv" }), "etablissements.csv");
    const r = await call(`${app.url}/export/resolved`, { method: "POST", body: form });
    expect(r.status, r.text).toBe(200);
    const lines = r.text.trim().split("\r\n");
    expect(lines[0].startsWith("uai;ville;refx_status")).toBe(true);
    expect(lines[1].startsWith("0751717J;Paris;found;")).toBe(true);
    const rows = parse(r.text, { delimiter: ";" }) as string[][];
    expect(rows.map((x) => x.slice(0, 2))).toEqual([["uai", "ville"], ["0751717J", "Paris"], ["0000000A", ""]]);
    const ttl = await call(`${app.url}/export/resolved?format=ttl`, { method: "POST", body: form });
    expect(ttl.text).toContain("etablissements.csv");
  });

  it("refuses bad requests with a message", async () => {
    const post = (q: string, body: string, type = "text/csv") => call(`${app.url}/export/resolved${q}`, { method: "POST", headers: { "Content-Type": type }, body });
    expect((await post("?column=nope", TABLE)).json.message).toMatch(/no column "nope"/);
    expect((await post("?service=isbn", TABLE)).status).toBe(400);
    expect((await post("", "")).status).toBe(400);
    expect((await post("", '{"a":1}', "application/json")).status).toBe(415);
    expect((await post("?format=rdfxml", TABLE)).status).toBe(200);
    expect((await call(`${app.url}/export/resolved/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
  });
});

describe("the command line", () => {
  it("refx export and refx export-resolved write files", async () => {
    const dir = tempDir();
    try {
      // The command line in this process (scripts/cli.ts main); a failure shows its standard error.
      const cli = async (args: string[]) => {
        const r = await refx(...args, "--data-dir", SAMPLE_DATA_DIR, "--cache-dir", join(dir.path, "cache"), "--base-uri", BASE);
        expect(r.code, r.stderr).toBe(0);
        return r;
      };
      const out = join(dir.path, "ror.nt");
      const { stderr } = await cli(["export", "--source", "ror", "--format", "nt", "-o", out]);
      expect(stderr).toMatch(/exported \d+ triples from 1 graph\(s\) as ntriples/);
      expect(new Parser({ format: "N-Triples" }).parse(readFileSync(out, "utf8"))).toHaveLength(graphCount(`${BASE}/graph/ror`));

      const input = join(dir.path, "table.csv");
      writeFileSync(input, TABLE);
      const ttl = join(dir.path, "table.ttl");
      await cli(["export-resolved", "--input", input, "--column", "id", "--format", "ttl", "-o", ttl]);
      const quads = new Parser().parse(readFileSync(ttl, "utf8"));
      expect(quads.some((q) => q.subject.value.endsWith("#row-1") && q.object.value === "https://ror.org/002t25c44")).toBe(true);
      const { stdout } = await cli(["export-resolved", "--input", input, "--column", "id"]);
      expect(reread(stdout).slice(1).map((r) => r.slice(0, 3))).toEqual(reread(TABLE).slice(1));
    } finally {
      dir.remove();
    }
  }, 60_000);
});

// Exports on ../shared/data: tests/linked-data-shared.test.ts.
