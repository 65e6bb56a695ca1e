// MESR "Principaux établissements d'enseignement supérieur": one row per
// establishment, `;`-separated, with the cross-identifiers that make it the
// backbone of the links (SIRET, SIREN, Wikidata, ROR, IdRef, GRID, ISNI).
import { statSync } from "node:fs";
import { entityUri, normaliseId } from "../../vocab/identifiers.ts";
import { DCTERMS, ORG, RDF, RDFS, SCHEMA, SKOS, ADMS, ADMS_STATUS_WITHDRAWN } from "../../vocab/namespaces.ts";
import { readCsv, splitList } from "../csv.ts";
import type { TripleSink } from "../triples.ts";
import { academy, address, crossIdentifier, names, outcome, ownIdentifier, skip, warn, website } from "./common.ts";
import type { LoadContext, LoadOutcome } from "./types.ts";

const REQUIRED = ["uai", "uo_lib", "siret", "siren", "identifiant_wikidata", "identifiant_ror", "type_d_etablissement"] as const;

/** The ESR file's establishment types, as schema.org classes. */
function classOf(type: string): string {
  return /universit/i.test(type) ? SCHEMA.CollegeOrUniversity : SCHEMA.EducationalOrganization;
}

export async function loadUai(ctx: LoadContext, sink: TripleSink): Promise<LoadOutcome> {
  const out = outcome();
  const total = statSync(ctx.file).size;
  for await (const row of readCsv(ctx.file, { delimiter: ";", required: REQUIRED, onBytes: (b) => ctx.onProgress?.(b, total) })) {
    out.rows++;
    const uai = normaliseId("uai", row.get("uai"));
    if (!uai) {
      warn(out, ctx.file, row.line, `no valid UAI in '${row.get("uai")}': row skipped`);
      skip(out, "no valid UAI");
      continue;
    }
    const e = entityUri(ctx.base, "uai", uai);
    out.entities++;
    sink.iri(e, RDF.type, SCHEMA.Organization);
    sink.iri(e, RDF.type, ORG.FormalOrganization);
    sink.iri(e, RDF.type, classOf(row.get("type_d_etablissement")));
    sink.lit(e, SCHEMA.additionalType, row.get("type_d_etablissement"), "fr");
    sink.lit(e, SCHEMA.additionalType, row.get("typologie_d_universites_et_assimiles"), "fr");
    sink.lit(e, DCTERMS.type, row.get("secteur_d_etablissement"), "fr");
    ownIdentifier(sink, e, "uai", uai, "MESR");

    const english = row.get("uo_lib_en");
    const others = synonyms(row.get("champ_recherche")).filter((s) => s !== english);
    names(sink, e, row.get("uo_lib"), "fr", [row.get("uo_lib_officiel"), row.get("nom_court"), ...others]);
    sink.lit(e, SKOS.prefLabel, english, "en");
    sink.lit(e, SCHEMA.alternateName, row.get("sigle"));
    website(sink, e, row.get("url"));
    website(sink, e, row.get("url_en"));
    sink.iri(e, RDFS.seeAlso, row.get("wikipedia") || undefined);

    const siret = crossIdentifier(sink, ctx.base, e, "siret", row.get("siret"));
    const siren = crossIdentifier(sink, ctx.base, e, "siren", row.get("siren")) ?? siret?.slice(0, 9);
    if (siret) ctx.refs.sirets.add(siret);
    if (siren) {
      ctx.refs.sirens.add(siren);
      if (!row.get("siren")) crossIdentifier(sink, ctx.base, e, "siren", siren);
    }
    crossIdentifier(sink, ctx.base, e, "wikidata", row.get("identifiant_wikidata"));
    crossIdentifier(sink, ctx.base, e, "ror", row.get("identifiant_ror"));
    crossIdentifier(sink, ctx.base, e, "idref", row.get("identifiant_idref"));
    crossIdentifier(sink, ctx.base, e, "grid", row.get("identifiant_grid"));
    crossIdentifier(sink, ctx.base, e, "isni", row.get("identifiant_isni"));

    // Former UAI codes name the establishments this one took over (mergers,
    // renumbering): kept as their own entities, replaced by this one.
    for (const old of splitList(row.get("anciens_codes_uai"))) {
      const o = normaliseId("uai", old);
      if (!o || o === uai) continue;
      const oe = entityUri(ctx.base, "uai", o);
      sink.iri(e, DCTERMS.replaces, oe);
      sink.iri(oe, DCTERMS.isReplacedBy, e);
      sink.lit(oe, DCTERMS.identifier, o);
    }

    sink.date(e, SCHEMA.foundingDate, row.get("date_creation"));
    if (row.get("date_fermeture")) {
      sink.date(e, SCHEMA.dissolutionDate, row.get("date_fermeture"));
      sink.iri(e, ADMS.status, ADMS_STATUS_WITHDRAWN);
    }

    const [lat, long] = row.get("coordonnees").split(",");
    const foreign = row.get("pays_etranger_acheminement");
    address(sink, e, {
      street: row.get("adresse_uai"),
      postcode: row.get("code_postal_uai"),
      city: row.get("com_nom").replace(/\s+/g, " "),
      region: row.get("reg_nom"),
      country: !foreign || /^france$/i.test(foreign) ? "FR" : undefined,
      lat,
      long,
    });
    academy(sink, ctx.base, e, row.get("aca_id"), row.get("aca_nom"));
  }
  return out;
}

/** `champ_recherche` packs the names search engines use: "NomLong:x|NomCourt:y|Synonymes:a;b". */
export function synonyms(cell: string): string[] {
  const found: string[] = [];
  for (const part of cell.split("|")) {
    const m = /^(NomLong|NomCourt|Synonymes)\s*:\s*(.*)$/.exec(part.trim());
    if (m) found.push(...m[2].split(";").map((s) => s.trim()).filter(Boolean));
  }
  return found;
}
