// Triples every loader writes the same way: identifiers, names, addresses.
import { entityUri, identifierProperty, normaliseId, type Scheme } from "../../vocab/identifiers.ts";
import { ADMS, DCTERMS, GEO, OWL, RDF, SCHEMA, SKOS, XSD } from "../../vocab/namespaces.ts";
import type { TripleSink } from "../triples.ts";
import type { LoadOutcome } from "./types.ts";

/** The entity's own identifier: dcterms:identifier, the scheme's property, and an ADMS identifier node. */
export function ownIdentifier(sink: TripleSink, uri: string, scheme: Scheme, id: string, agency: string): void {
  sink.lit(uri, DCTERMS.identifier, id);
  if (scheme !== "wikidata") sink.lit(uri, identifierProperty(scheme), id);
  const node = `${uri}#id`;
  sink.iri(uri, ADMS.identifier, node);
  sink.iri(node, RDF.type, ADMS.Identifier);
  sink.lit(node, SKOS.notation, id);
  sink.lit(node, ADMS.schemaAgency, agency);
}

/**
 * Another identifier a source gives for `uri`: stored as a literal of its
 * property, and, for schemes whose records are entities (UAI, SIREN, SIRET,
 * RNSR, Wikidata, ROR), as an owl:sameAs link to that entity. Returns the
 * normalised id, or undefined when `raw` is not a valid identifier.
 */
export function crossIdentifier(sink: TripleSink, base: string, uri: string, scheme: Scheme, raw: string | undefined): string | undefined {
  const id = normaliseId(scheme, raw);
  if (!id) return undefined;
  if (scheme !== "wikidata") sink.lit(uri, identifierProperty(scheme), id);
  if (scheme === "uai" || scheme === "rnsr" || scheme === "siren" || scheme === "siret" || scheme === "wikidata" || scheme === "ror") {
    const other = entityUri(base, scheme, id);
    if (other !== uri) sink.iri(uri, OWL.sameAs, other);
  }
  return id;
}

export function names(sink: TripleSink, uri: string, pref: string | undefined, lang: string, alt: Iterable<string | undefined> = []): void {
  sink.lit(uri, SKOS.prefLabel, pref, lang);
  sink.lit(uri, SCHEMA.name, pref, lang);
  const seen = new Set([pref?.trim().toLowerCase()]);
  for (const a of alt) {
    const k = a?.trim().toLowerCase();
    if (!k || seen.has(k)) continue;
    seen.add(k);
    sink.lit(uri, SKOS.altLabel, a, lang);
  }
}

export interface Address {
  street?: string;
  postcode?: string;
  city?: string;
  region?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
  lat?: number | string;
  long?: number | string;
}

export function address(sink: TripleSink, uri: string, a: Address): void {
  const node = `${uri}#address`;
  if (a.street || a.postcode || a.city || a.region || a.country) {
    sink.iri(uri, SCHEMA.address, node);
    sink.iri(node, RDF.type, SCHEMA.PostalAddress);
    sink.lit(node, SCHEMA.streetAddress, a.street);
    sink.lit(node, SCHEMA.postalCode, a.postcode);
    sink.lit(node, SCHEMA.addressLocality, a.city);
    sink.lit(node, SCHEMA.addressRegion, a.region);
    sink.lit(node, SCHEMA.addressCountry, a.country?.toUpperCase());
  }
  const lat = toCoordinate(a.lat, 90);
  const long = toCoordinate(a.long, 180);
  if (lat !== undefined && long !== undefined) {
    sink.lit(uri, GEO.lat, lat, XSD.decimal);
    sink.lit(uri, GEO.long, long, XSD.decimal);
  }
}

function toCoordinate(v: number | string | undefined, limit: number): string | undefined {
  if (v === undefined || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(String(v).trim());
  return Number.isFinite(n) && Math.abs(n) <= limit ? String(n) : undefined;
}

/** An http(s) URL as an IRI, or undefined: sources hold "www.x.fr", blanks and typos. */
export function webUrl(raw: string | undefined): string | undefined {
  let v = raw?.trim();
  if (!v) return undefined;
  if (!/^https?:\/\//i.test(v)) v = "http://" + v;
  try {
    const u = new URL(v);
    return u.hostname.includes(".") && !/\s/.test(v) ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function website(sink: TripleSink, uri: string, raw: string | undefined): void {
  sink.iri(uri, SCHEMA.url, webUrl(raw));
}

/** Academies (rectorats) group establishments by region: `<base>/id/academie/A01` is Paris. */
export function academy(sink: TripleSink, base: string, uri: string, code: string, name: string): void {
  if (!/^A\d{2}$/.test(code)) return;
  const a = `${base}/id/academie/${code}`;
  sink.iri(uri, SCHEMA.containedInPlace, a);
  sink.iri(a, RDF.type, SCHEMA.Organization);
  sink.lit(a, SKOS.prefLabel, name ? `Académie de ${name}` : undefined, "fr");
  sink.lit(a, DCTERMS.identifier, code);
}

export function outcome(): LoadOutcome {
  return { rows: 0, entities: 0, skipped: {}, warnings: [] };
}

export function skip(o: LoadOutcome, reason: string): void {
  o.skipped[reason] = (o.skipped[reason] ?? 0) + 1;
}

/** Keeps at most 20 warnings with their line, and counts the rest, so a bad file cannot flood the log. */
export function warn(o: LoadOutcome, file: string, line: number, message: string): void {
  if (o.warnings.length < 20) o.warnings.push(`${file}:${line}: ${message}`);
  else skip(o, "further warnings");
}
