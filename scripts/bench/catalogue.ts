// The names every record of a service answers to, read from the store with
// SPARQL (not from the matcher's index): the baseline searches them, and the
// labelled set uses them to drop queries no system could answer (a name that
// two different establishments share) and negatives that turn out to exist.
//
// A record is an entity of the service's URI pattern (`<base>/id/uai/…`,
// `https://ror.org/…`, …) with its own names and those of every URI linked to
// it in the links graph (owl:sameAs closure), as refx's records are; for "all"
// a record is a whole cluster (or an unlinked entity).
import type { RefStore } from "../../data/store.ts";
import { graphUri } from "../../data/sources.ts";
import type { ServiceId } from "../../reconcile/types.ts";
import { parseEntityUri } from "../../vocab/identifiers.ts";
import { OWL, SCHEMA, SKOS } from "../../vocab/namespaces.ts";

export interface CatalogueName {
  value: string;
  /** pref, alt, acronym (schema:alternateName) or unitCode (skos:notation) */
  kind: "pref" | "alt" | "acronym" | "unitCode";
}

export interface CatalogueRecord {
  /** The service's id (UAI, RNSR, SIRET, QID, ROR id); for "all" the first member URI. */
  id: string;
  uri: string;
  /** Every URI of the record's cluster, its own included. */
  members: string[];
  names: CatalogueName[];
  city?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
}

export type Catalogue = Map<ServiceId, CatalogueRecord[]>;

const NAME_KINDS: Record<string, CatalogueName["kind"]> = {
  [SKOS.prefLabel]: "pref",
  [SKOS.altLabel]: "alt",
  [SCHEMA.alternateName]: "acronym",
  [SKOS.notation]: "unitCode",
};

/** One N-Triples term of a TSV result cell, to its lexical value. */
function termValue(t: string): string {
  if (t.startsWith("<")) return t.slice(1, -1);
  if (t.startsWith('"')) {
    const raw = t.slice(1, t.lastIndexOf('"'));
    return raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
  }
  return t;
}

function* rows(store: RefStore, sparql: string): Generator<string[]> {
  for (const row of store.selectNtRows(sparql)) yield row.map(termValue);
}

export function readCatalogue(store: RefStore, base: string): Catalogue {
  const links = graphUri(base, "links");
  const names = new Map<string, CatalogueName[]>();
  const cities = new Map<string, string>();
  const countries = new Map<string, string>();
  const predicates = [...Object.keys(NAME_KINDS), SCHEMA.addressLocality, SCHEMA.addressCountry].map((p) => `<${p}>`).join(" ");
  for (const [s, p, o] of rows(store, `SELECT ?s ?p ?o WHERE { VALUES ?p { ${predicates} } GRAPH ?g { ?s ?p ?o } FILTER(?g != <${links}>) }`)) {
    if (p === SCHEMA.addressLocality || p === SCHEMA.addressCountry) {
      if (s.endsWith("#address")) {
        const e = s.slice(0, -"#address".length);
        const map = p === SCHEMA.addressLocality ? cities : countries;
        if (!map.has(e)) map.set(e, o);
      }
      continue;
    }
    if (s.includes("#")) continue; // ADMS identifier nodes, addresses
    let list = names.get(s);
    if (!list) names.set(s, (list = []));
    list.push({ value: o, kind: NAME_KINDS[p] });
  }
  const cluster = new Map<string, string[]>();
  for (const [a, b] of rows(store, `SELECT ?a ?b WHERE { GRAPH <${links}> { ?a <${OWL.sameAs}> ?b } }`)) {
    const list = cluster.get(a);
    if (list) list.push(b);
    else cluster.set(a, [b]);
  }

  const record = (uri: string, id: string): CatalogueRecord | undefined => {
    const members = [uri, ...(cluster.get(uri) ?? [])];
    const seen = new Set<string>();
    const pooled: CatalogueName[] = [];
    let city: string | undefined;
    let country: string | undefined;
    for (const m of members) {
      for (const n of names.get(m) ?? []) {
        const k = `${n.kind}|${n.value}`;
        if (seen.has(k)) continue;
        seen.add(k);
        pooled.push(n);
      }
      city ??= cities.get(m);
      country ??= countries.get(m);
    }
    return pooled.length ? { id, uri, members, names: pooled, city, country } : undefined;
  };

  const out: Catalogue = new Map([["uai", []], ["rnsr", []], ["siret", []], ["wikidata", []], ["ror", []], ["all", []]]);
  const inAll = new Set<string>();
  for (const uri of new Set([...names.keys(), ...cluster.keys()])) {
    const parsed = parseEntityUri(base, uri);
    if (!parsed) continue;
    const service = parsed.scheme as ServiceId;
    if (out.has(service)) {
      const r = record(uri, parsed.id);
      if (r) out.get(service)!.push(r);
    }
    if (!inAll.has(uri)) {
      const r = record(uri, uri);
      if (r) {
        r.members.forEach((m) => inAll.add(m));
        out.get("all")!.push(r);
      }
    }
  }
  return out;
}
