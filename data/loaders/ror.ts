// The ROR data dump, schema v2: a JSON array of organisation records, streamed.
// ROR ids are their own URIs (https://ror.org/...), as ROR publishes them.
import { statSync } from "node:fs";
import { normaliseId, type Scheme } from "../../vocab/identifiers.ts";
import { ADMS, ADMS_STATUS_WITHDRAWN, DCTERMS, ORG, RDF, RDFS, SCHEMA, SKOS } from "../../vocab/namespaces.ts";
import { forEachArrayItem } from "../json.ts";
import type { TripleSink } from "../triples.ts";
import { address, crossIdentifier, outcome, ownIdentifier, skip, warn, website } from "./common.ts";
import type { LoadContext, LoadOutcome } from "./types.ts";

interface RorName { value: string; types?: string[]; lang?: string | null }
interface RorRecord {
  id: string;
  names?: RorName[];
  types?: string[];
  status?: string;
  established?: number | null;
  external_ids?: { type: string; all?: string[]; preferred?: string | null }[];
  links?: { type: string; value: string }[];
  locations?: { geonames_id?: number; geonames_details?: { name?: string; country_code?: string; lat?: number; lng?: number; country_subdivision_name?: string } }[];
  relationships?: { type: string; id: string; label?: string }[];
}

const TYPE_CLASS: Record<string, string> = {
  education: SCHEMA.EducationalOrganization,
  facility: SCHEMA.ResearchOrganization,
};

const EXTERNAL: Record<string, Scheme> = { wikidata: "wikidata", grid: "grid", isni: "isni" };

const RELATION: Record<string, string> = {
  parent: ORG.subOrganizationOf,
  child: ORG.hasSubOrganization,
  related: ORG.linkedTo,
  successor: DCTERMS.isReplacedBy,
  predecessor: DCTERMS.replaces,
};

/** A table lookup that a key from the file ("constructor") cannot turn into a prototype member. */
const own = <V>(table: Record<string, V>, key: string): V | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

export async function loadRor(ctx: LoadContext, sink: TripleSink): Promise<LoadOutcome> {
  const out = outcome();
  const total = statSync(ctx.file).size;
  await forEachArrayItem(
    ctx.file,
    (value, index) => {
      out.rows++;
      const r = value as RorRecord;
      const ror = normaliseId("ror", typeof r?.id === "string" ? r.id : undefined);
      if (!ror || !Array.isArray(r.names)) {
        warn(out, ctx.file, index, `record #${index} is not a ROR v2 record (no valid id or names): skipped`);
        skip(out, "not a ROR v2 record");
        return;
      }
      out.entities++;
      describe(ctx, sink, `https://ror.org/${ror}`, ror, r);
    },
    (b) => ctx.onProgress?.(b, total),
  );
  return out;
}

function describe(ctx: LoadContext, sink: TripleSink, e: string, ror: string, r: RorRecord): void {
  sink.iri(e, RDF.type, SCHEMA.Organization);
  for (const t of r.types ?? []) {
    sink.iri(e, RDF.type, own(TYPE_CLASS, t));
    sink.lit(e, SCHEMA.additionalType, t, "en");
  }
  ownIdentifier(sink, e, "ror", ror, "ROR");

  for (const n of r.names ?? []) {
    const types = n.types ?? [];
    const lang = n.lang ?? undefined;
    if (types.includes("acronym")) sink.lit(e, SCHEMA.alternateName, n.value);
    else if (types.includes("ror_display")) {
      sink.lit(e, SCHEMA.name, n.value, lang);
      sink.lit(e, SKOS.prefLabel, n.value, lang);
    } else if (types.includes("label") && lang) sink.lit(e, SKOS.prefLabel, n.value, lang);
    else sink.lit(e, SKOS.altLabel, n.value, lang);
  }

  if (r.status && r.status !== "active") sink.iri(e, ADMS.status, ADMS_STATUS_WITHDRAWN);
  if (typeof r.established === "number") sink.date(e, SCHEMA.foundingDate, String(r.established));

  for (const l of r.links ?? []) {
    if (l.type === "website") website(sink, e, l.value);
    else if (l.type === "wikipedia") sink.iri(e, RDFS.seeAlso, l.value);
  }

  const place = r.locations?.[0]?.geonames_details;
  if (place) {
    address(sink, e, {
      city: place.name,
      region: place.country_subdivision_name,
      country: place.country_code,
      lat: place.lat,
      long: place.lng,
    });
  }

  for (const x of r.external_ids ?? []) {
    const scheme = own(EXTERNAL, x.type);
    if (!scheme) continue;
    // The preferred id is the one to link; every other listed id is kept as a literal.
    const ids = new Set([x.preferred, ...(x.all ?? [])].filter((v): v is string => !!v));
    let linked = false;
    for (const id of ids) {
      if (scheme === "wikidata") {
        if (!linked) linked = !!crossIdentifier(sink, ctx.base, e, "wikidata", id);
      } else crossIdentifier(sink, ctx.base, e, scheme, id);
    }
  }

  for (const rel of r.relationships ?? []) {
    const other = normaliseId("ror", rel.id);
    const p = own(RELATION, rel.type);
    if (other && p) sink.iri(e, p, `https://ror.org/${other}`);
  }
}
