// MEN "Annuaire de l'éducation": schools, collèges and lycées by UAI,
// `;`-separated with a BOM. Post-bac lycées are cited in thesis juries and
// ESR lists, so the whole directory is loaded, not only higher education.
import { statSync } from "node:fs";
import { entityUri, normaliseId } from "../../vocab/identifiers.ts";
import { ADMS, ADMS_STATUS_WITHDRAWN, DCTERMS, ORG, RDF, SCHEMA } from "../../vocab/namespaces.ts";
import { readCsv } from "../csv.ts";
import type { TripleSink } from "../triples.ts";
import { academy, address, crossIdentifier, names, outcome, ownIdentifier, skip, warn, website } from "./common.ts";
import type { LoadContext, LoadOutcome } from "./types.ts";

const REQUIRED = ["Identifiant_de_l_etablissement", "Nom_etablissement", "Type_etablissement", "Nom_commune", "Code_postal"] as const;

export async function loadEducation(ctx: LoadContext, sink: TripleSink): Promise<LoadOutcome> {
  const out = outcome();
  const total = statSync(ctx.file).size;
  for await (const row of readCsv(ctx.file, { delimiter: ";", required: REQUIRED, onBytes: (b) => ctx.onProgress?.(b, total) })) {
    out.rows++;
    const uai = normaliseId("uai", row.get("Identifiant_de_l_etablissement"));
    if (!uai) {
      warn(out, ctx.file, row.line, `no valid UAI in '${row.get("Identifiant_de_l_etablissement")}': row skipped`);
      skip(out, "no valid UAI");
      continue;
    }
    const e = entityUri(ctx.base, "uai", uai);
    out.entities++;
    sink.iri(e, RDF.type, SCHEMA.Organization);
    sink.iri(e, RDF.type, ORG.FormalOrganization);
    sink.iri(e, RDF.type, SCHEMA.School);
    sink.lit(e, SCHEMA.additionalType, row.get("Type_etablissement"), "fr");
    sink.lit(e, SCHEMA.additionalType, row.get("libelle_nature"), "fr");
    sink.lit(e, DCTERMS.type, row.get("Statut_public_prive"), "fr");
    ownIdentifier(sink, e, "uai", uai, "MEN");
    names(sink, e, row.get("Nom_etablissement"), "fr");
    website(sink, e, row.get("Web"));
    sink.lit(e, SCHEMA.telephone, row.get("Telephone"));
    sink.lit(e, SCHEMA.email, row.get("Mail"));

    // SIREN_SIRET holds a SIRET for most rows, a SIREN for a few.
    const legal = row.get("SIREN_SIRET").replace(/\s/g, "");
    const siret = crossIdentifier(sink, ctx.base, e, "siret", legal.length === 14 ? legal : undefined);
    const siren = crossIdentifier(sink, ctx.base, e, "siren", legal.length === 9 ? legal : undefined) ?? siret?.slice(0, 9);
    if (siret) ctx.refs.sirets.add(siret);
    if (siren) ctx.refs.sirens.add(siren);

    sink.date(e, SCHEMA.foundingDate, row.get("date_ouverture"));
    if (/^ferm/i.test(row.get("etat"))) sink.iri(e, ADMS.status, ADMS_STATUS_WITHDRAWN);
    address(sink, e, {
      street: [row.get("Adresse_1"), row.get("Adresse_2")].filter(Boolean).join(", "),
      postcode: row.get("Code_postal"),
      city: row.get("Nom_commune"),
      region: row.get("Libelle_region"),
      country: "FR",
      lat: row.get("latitude"),
      long: row.get("longitude"),
    });
    // The directory numbers academies "24"; the ESR file writes the same one "A24".
    const code = row.get("Code_academie");
    if (/^\d{1,2}$/.test(code)) academy(sink, ctx.base, e, `A${code.padStart(2, "0")}`, row.get("Libelle_academie"));
  }
  return out;
}
