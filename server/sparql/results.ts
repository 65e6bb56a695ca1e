// SPARQL results written from SPARQL JSON: used when refx has to cut a result
// set at the size limit or when Comunica evaluated it, so every path answers
// the same four formats. Oxigraph writes the others itself.
import type { ResultsFormat } from "../http/negotiation.ts";

export interface JsonTerm {
  type: "uri" | "literal" | "bnode" | "triple";
  value: string | { subject: JsonTerm; predicate: JsonTerm; object: JsonTerm };
  "xml:lang"?: string;
  datatype?: string;
}

export interface JsonResults {
  head: { vars?: string[]; link?: string[] };
  results?: { bindings: Record<string, JsonTerm>[] };
  boolean?: boolean;
}

const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";

export function writeResults(r: JsonResults, format: ResultsFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(r);
    case "xml":
      return toXml(r);
    case "csv":
      return toCsv(r);
    case "tsv":
      return toTsv(r);
  }
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function xmlTerm(t: JsonTerm): string {
  if (typeof t.value !== "string") {
    const v = t.value;
    return `<triple><subject>${xmlTerm(v.subject)}</subject><predicate>${xmlTerm(v.predicate)}</predicate><object>${xmlTerm(v.object)}</object></triple>`;
  }
  if (t.type === "uri") return `<uri>${xmlEscape(t.value)}</uri>`;
  if (t.type === "bnode") return `<bnode>${xmlEscape(t.value)}</bnode>`;
  const attr = t["xml:lang"] ? ` xml:lang="${xmlEscape(t["xml:lang"])}"` : t.datatype && t.datatype !== XSD_STRING ? ` datatype="${xmlEscape(t.datatype)}"` : "";
  return `<literal${attr}>${xmlEscape(t.value)}</literal>`;
}

function toXml(r: JsonResults): string {
  const head = (r.head.vars ?? []).map((v) => `<variable name="${xmlEscape(v)}"/>`).join("");
  const out = [`<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>${head}</head>`];
  if (r.boolean !== undefined) {
    out.push(`<boolean>${r.boolean}</boolean>`);
  } else {
    out.push("<results>");
    for (const b of r.results?.bindings ?? []) {
      out.push("<result>");
      for (const [name, term] of Object.entries(b)) out.push(`<binding name="${xmlEscape(name)}">${xmlTerm(term)}</binding>`);
      out.push("</result>");
    }
    out.push("</results>");
  }
  out.push("</sparql>");
  return out.join("");
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvValue(t: JsonTerm | undefined): string {
  if (!t) return "";
  if (typeof t.value !== "string") return ntTerm(t);
  return t.type === "bnode" ? `_:${t.value}` : t.value;
}

function toCsv(r: JsonResults): string {
  if (r.boolean !== undefined) return `${r.boolean}\r\n`;
  const vars = r.head.vars ?? [];
  const lines = [vars.map(csvCell).join(",")];
  for (const b of r.results?.bindings ?? []) lines.push(vars.map((v) => csvCell(csvValue(b[v]))).join(","));
  return lines.join("\r\n") + "\r\n";
}

const ntEscape = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t");

/** A term in N-Triples syntax (TSV cells, RDF-star triples in CSV). */
export function ntTerm(t: JsonTerm): string {
  if (typeof t.value !== "string") return `<< ${ntTerm(t.value.subject)} ${ntTerm(t.value.predicate)} ${ntTerm(t.value.object)} >>`;
  if (t.type === "uri") return `<${t.value}>`;
  if (t.type === "bnode") return `_:${t.value}`;
  const lex = `"${ntEscape(t.value)}"`;
  if (t["xml:lang"]) return `${lex}@${t["xml:lang"]}`;
  if (t.datatype && t.datatype !== XSD_STRING) return `${lex}^^<${t.datatype}>`;
  return lex;
}

function toTsv(r: JsonResults): string {
  if (r.boolean !== undefined) return `${r.boolean}\n`;
  const vars = r.head.vars ?? [];
  const lines = [vars.map((v) => `?${v}`).join("\t")];
  for (const b of r.results?.bindings ?? []) lines.push(vars.map((v) => (b[v] ? ntTerm(b[v]) : "")).join("\t"));
  return lines.join("\n") + "\n";
}
