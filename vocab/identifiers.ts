// Identifier schemes refx knows: how each is written, normalised, stored as a
// property, and turned into an entity URI. One table, so that loaders, lookup
// and reconciliation agree on what "a UAI" or "a ROR id" is.
import { PREFIXES } from "./namespaces.ts";

export type Scheme = "uai" | "rnsr" | "siren" | "siret" | "wikidata" | "ror" | "grid" | "isni" | "idref";

export interface SchemeInfo {
  scheme: Scheme;
  label: string;
  /** The Wikidata property for this identifier: refx stores every identifier
   * as a literal of this property, the vocabulary researchers already query. */
  wikidataProperty: string;
  /** Canonical form, as the registry writes it. */
  pattern: RegExp;
  /** Where a person reads the record, `{id}` replaced. */
  registryUrl: string;
  /** Does this scheme mint its own refx entities (true), or reuse the registry's URIs? */
  ownEntities: boolean;
}

export const SCHEMES: Record<Scheme, SchemeInfo> = {
  uai: {
    scheme: "uai", label: "UAI", wikidataProperty: "P3202", pattern: /^[0-9]{7}[A-Z]$/,
    registryUrl: "https://data.enseignementsup-recherche.gouv.fr/explore/dataset/fr-esr-principaux-etablissements-enseignement-superieur/table/?q=uai:{id}",
    ownEntities: true,
  },
  rnsr: {
    scheme: "rnsr", label: "RNSR", wikidataProperty: "P3016", pattern: /^[0-9]{9}[A-Z]$/,
    registryUrl: "https://appliweb.dgri.education.fr/rnsr/PresenteStruct.jsp?numNatStruct={id}&PUBLIC=OK",
    ownEntities: true,
  },
  siren: {
    scheme: "siren", label: "SIREN", wikidataProperty: "P1616", pattern: /^[0-9]{9}$/,
    registryUrl: "https://annuaire-entreprises.data.gouv.fr/entreprise/{id}", ownEntities: true,
  },
  siret: {
    scheme: "siret", label: "SIRET", wikidataProperty: "P3215", pattern: /^[0-9]{14}$/,
    registryUrl: "https://annuaire-entreprises.data.gouv.fr/etablissement/{id}", ownEntities: true,
  },
  wikidata: {
    scheme: "wikidata", label: "Wikidata", wikidataProperty: "", pattern: /^Q[1-9][0-9]*$/,
    registryUrl: "https://www.wikidata.org/wiki/{id}", ownEntities: false,
  },
  ror: {
    scheme: "ror", label: "ROR", wikidataProperty: "P6782", pattern: /^0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$/,
    registryUrl: "https://ror.org/{id}", ownEntities: false,
  },
  grid: {
    scheme: "grid", label: "GRID", wikidataProperty: "P2427", pattern: /^grid\.[0-9]+\.[0-9a-f]+$/,
    registryUrl: "https://www.grid.ac/institutes/{id}", ownEntities: false,
  },
  isni: {
    scheme: "isni", label: "ISNI", wikidataProperty: "P213", pattern: /^[0-9]{15}[0-9X]$/,
    registryUrl: "https://isni.org/isni/{id}", ownEntities: false,
  },
  idref: {
    scheme: "idref", label: "IdRef", wikidataProperty: "P269", pattern: /^[0-9]{8}[0-9X]$/,
    registryUrl: "https://www.idref.fr/{id}", ownEntities: false,
  },
};

export const SCHEME_NAMES = Object.keys(SCHEMES) as Scheme[];

/** The schemes whose entities refx mints URIs for, `<base>/id/<scheme>/<id>` (`ownEntities`): UAI, RNSR, SIREN, SIRET. */
export const MINTED_SCHEMES: readonly Scheme[] = SCHEME_NAMES.filter((s) => SCHEMES[s].ownEntities);

/** `<scheme>/<id>`, the path of a minted entity URI after `/id/`. */
const MINTED_PATH = new RegExp(`^(${MINTED_SCHEMES.join("|")})\\/([^/#?]+)$`);

export function isScheme(s: string): s is Scheme {
  return Object.hasOwn(SCHEMES, s);
}

/**
 * Brings an identifier as sources write it to its canonical form, or undefined
 * when it is not one: sources wrap ids in URLs ("https://ror.org/02dga6j42"),
 * space them ("0000 0001 0666 5255") or lower-case them.
 */
export function normaliseId(scheme: Scheme, raw: string | undefined | null): string | undefined {
  if (raw == null) return undefined;
  let v = String(raw).trim();
  if (!v) return undefined;
  switch (scheme) {
    case "ror":
      v = v.replace(/^https?:\/\/(www\.)?ror\.org\//i, "").toLowerCase();
      break;
    case "wikidata":
      v = v.replace(/^https?:\/\/(www\.)?wikidata\.org\/(entity|wiki)\//i, "").toUpperCase();
      break;
    case "isni":
      v = v.replace(/^https?:\/\/(www\.)?isni\.org\/(isni\/)?/i, "").replace(/[\s-]/g, "").toUpperCase();
      break;
    case "idref":
      v = v.replace(/^https?:\/\/(www\.)?idref\.fr\//i, "").replace(/\/.*$/, "").toUpperCase();
      break;
    case "grid":
      v = v.replace(/^https?:\/\/(www\.)?grid\.ac\/institutes\//i, "").toLowerCase();
      break;
    case "siren":
    case "siret":
      v = v.replace(/[\s.]/g, "");
      break;
    default:
      v = v.replace(/\s/g, "").toUpperCase();
  }
  return SCHEMES[scheme].pattern.test(v) ? v : undefined;
}

/** Every refx entity URI lives under `<base>/id/`. */
export function entityUri(base: string, scheme: Scheme, id: string): string {
  switch (scheme) {
    case "wikidata":
      return PREFIXES.wd + id;
    case "ror":
      return "https://ror.org/" + id;
    default:
      if (SCHEMES[scheme].ownEntities) return `${base}/id/${scheme}/${id}`;
      throw new Error(`${scheme} identifiers are attributes, not entities of their own`);
  }
}

/** Reads an entity URI back into its scheme and id (undefined for anything else). */
export function parseEntityUri(base: string, uri: string): { scheme: Scheme; id: string } | undefined {
  if (uri.startsWith(PREFIXES.wd)) return { scheme: "wikidata", id: uri.slice(PREFIXES.wd.length) };
  if (uri.startsWith("https://ror.org/")) return { scheme: "ror", id: uri.slice("https://ror.org/".length) };
  const m = uri.startsWith(base + "/id/") ? MINTED_PATH.exec(uri.slice(base.length + 4)) : null;
  return m ? { scheme: m[1] as Scheme, id: decodeURIComponent(m[2]) } : undefined;
}

/**
 * The schemes whose identifiers are entities, most French first: a cluster of
 * linked entities is known by its first member in this order (the "all"
 * service's record, the hub of a links star, data/links.ts).
 */
export const CLUSTER_PREFERENCE: readonly Scheme[] = [...MINTED_SCHEMES, "wikidata", "ror"];

/** An entity URI's place in CLUSTER_PREFERENCE; anything else after them all. */
export function clusterRank(base: string, uri: string): number {
  const scheme = parseEntityUri(base, uri)?.scheme;
  const rank = scheme ? CLUSTER_PREFERENCE.indexOf(scheme) : -1;
  return rank < 0 ? CLUSTER_PREFERENCE.length : rank;
}

export function identifierProperty(scheme: Scheme): string {
  const p = SCHEMES[scheme].wikidataProperty;
  if (!p) throw new Error(`${scheme} has no identifier property: its entities are the identifier`);
  return PREFIXES.wdt + p;
}
