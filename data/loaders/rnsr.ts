// MESR "Structures de recherche publiques actives" (RNSR): one row per lab,
// `;`-separated. Tutelles, their acronyms, UAI and SIRET are parallel lists
// aligned by position; so are successions and their years.
import { statSync } from "node:fs";
import { entityUri, normaliseId } from "../../vocab/identifiers.ts";
import { DCTERMS, ORG, RDF, RDFS, SCHEMA, SKOS } from "../../vocab/namespaces.ts";
import { readCsv, splitAligned, splitList } from "../csv.ts";
import type { TripleSink } from "../triples.ts";
import { address, crossIdentifier, names, outcome, ownIdentifier, skip, warn, website } from "./common.ts";
import type { LoadContext, LoadOutcome } from "./types.ts";

const REQUIRED = ["numero_national_de_structure", "libelle", "sigle", "tutelles", "uai_des_tutelles", "siret_des_tutelles"] as const;

export async function loadRnsr(ctx: LoadContext, sink: TripleSink): Promise<LoadOutcome> {
  const out = outcome();
  const total = statSync(ctx.file).size;
  for await (const row of readCsv(ctx.file, { delimiter: ";", required: REQUIRED, onBytes: (b) => ctx.onProgress?.(b, total) })) {
    out.rows++;
    const rnsr = normaliseId("rnsr", row.get("numero_national_de_structure"));
    if (!rnsr) {
      warn(out, ctx.file, row.line, `no valid RNSR number in '${row.get("numero_national_de_structure")}': row skipped`);
      skip(out, "no valid RNSR number");
      continue;
    }
    const e = entityUri(ctx.base, "rnsr", rnsr);
    out.entities++;
    sink.iri(e, RDF.type, SCHEMA.Organization);
    sink.iri(e, RDF.type, SCHEMA.ResearchOrganization);
    sink.iri(e, RDF.type, ORG.OrganizationalUnit);
    sink.lit(e, SCHEMA.additionalType, row.get("type_de_structure"), "fr");
    ownIdentifier(sink, e, "rnsr", rnsr, "MESR");
    names(sink, e, row.get("libelle"), "fr");
    sink.lit(e, SCHEMA.alternateName, row.get("sigle"));
    // Unit codes ("UMR 7030") are how labs are cited in affiliations.
    for (const code of new Set(splitList(row.get("label_numero"), /;/))) sink.lit(e, SKOS.notation, code);
    sink.date(e, SCHEMA.foundingDate, row.get("annee_de_creation"));
    website(sink, e, row.get("site_web"));
    sink.iri(e, RDFS.seeAlso, row.get("fiche_rnsr") || undefined);
    sink.lit(e, DCTERMS.subject, row.get("domaine_scientifique"), "fr");
    address(sink, e, {
      street: row.get("adresse"),
      postcode: row.get("code_postal"),
      city: cityWithoutCedex(row.get("commune")),
      country: "FR",
    });

    tutelles(ctx, sink, e, row);

    for (const p of splitList(row.get("numero_de_structure_parent"))) {
      const parent = normaliseId("rnsr", p);
      if (!parent) continue;
      sink.iri(e, ORG.subOrganizationOf, entityUri(ctx.base, "rnsr", parent));
      sink.iri(entityUri(ctx.base, "rnsr", parent), ORG.hasSubOrganization, e);
    }
    for (const c of splitList(row.get("numero_de_structure_enfant"))) {
      const child = normaliseId("rnsr", c);
      if (!child) continue;
      sink.iri(e, ORG.hasSubOrganization, entityUri(ctx.base, "rnsr", child));
      sink.iri(entityUri(ctx.base, "rnsr", child), ORG.subOrganizationOf, e);
    }
    successions(ctx, sink, e, row);
  }
  return out;
}

/**
 * Each tutelle points to the establishment's UAI entity (or its SIRET when
 * RNSR gives no UAI). The tutelle's name and acronym as RNSR writes them are
 * kept on that entity: they are the names under which labs cite it.
 */
function tutelles(ctx: LoadContext, sink: TripleSink, lab: string, row: { get(c: string): string }): void {
  const labels = splitAligned(row.get("tutelles"));
  const acronyms = splitAligned(row.get("sigles_des_tutelles"));
  const uais = splitAligned(row.get("uai_des_tutelles"));
  const sirets = splitAligned(row.get("siret_des_tutelles"));
  const roles = splitAligned(row.get("code_de_type_de_tutelle"));
  const n = Math.max(labels.length, uais.length, sirets.length);
  for (let i = 0; i < n; i++) {
    const uai = normaliseId("uai", uais[i]);
    const siret = normaliseId("siret", sirets[i]);
    const t = uai ? entityUri(ctx.base, "uai", uai) : siret ? entityUri(ctx.base, "siret", siret) : undefined;
    if (!t) continue;
    sink.iri(lab, roles[i] === "PART" ? ORG.linkedTo : SCHEMA.parentOrganization, t);
    sink.iri(t, RDF.type, SCHEMA.Organization);
    if (uai) sink.lit(t, DCTERMS.identifier, uai);
    if (uai && siret) crossIdentifier(sink, ctx.base, t, "siret", siret);
    if (siret) {
      ctx.refs.sirets.add(siret);
      ctx.refs.sirens.add(siret.slice(0, 9));
    }
    sink.lit(t, SKOS.altLabel, labels[i], "fr");
    sink.lit(t, SCHEMA.alternateName, acronyms[i]);
  }
}

/** Successions (fusion, scission, renouvellement) as dated W3C ORG change events. */
function successions(ctx: LoadContext, sink: TripleSink, lab: string, row: { get(c: string): string }): void {
  const previous = splitAligned(row.get("numero_de_structure_historique"));
  const kinds = splitAligned(row.get("type_de_succession"));
  const years = splitAligned(row.get("annee_d_effet_historique"));
  previous.forEach((p, i) => {
    const before = normaliseId("rnsr", p);
    if (!before) return;
    const b = entityUri(ctx.base, "rnsr", before);
    const event = `${lab}#change-${before}`;
    sink.iri(event, RDF.type, ORG.ChangeEvent);
    sink.iri(event, ORG.originalOrganization, b);
    sink.iri(event, ORG.resultingOrganization, lab);
    sink.lit(event, DCTERMS.type, kinds[i], "fr");
    sink.date(event, DCTERMS.date, years[i]);
    sink.iri(lab, ORG.resultedFrom, event);
    sink.iri(b, ORG.changedBy, event);
    sink.iri(lab, DCTERMS.replaces, b);
    sink.iri(b, DCTERMS.isReplacedBy, lab);
    sink.lit(b, DCTERMS.identifier, before);
  });
}

/** "NANTES CEDEX 3" -> "NANTES": CEDEX is a mail-sorting suffix, not part of the town. */
export function cityWithoutCedex(city: string): string {
  return city.replace(/\s+cedex(\s+\d+)?\s*$/i, "").trim();
}
