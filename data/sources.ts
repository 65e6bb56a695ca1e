// The referentials refx loads: who publishes each, under which licence, where
// its official file is, and how refx recognises that file in a data directory.
// The layout of a data directory follows ../shared/data (one folder a source).

export type SourceId =
  | "uai"          // MESR: principaux établissements d'enseignement supérieur
  | "education"    // MEN: annuaire de l'éducation
  | "rnsr"         // MESR: structures de recherche publiques actives
  | "wikidata"     // Wikidata items of establishments
  | "ror"          // Research Organization Registry dump, schema v2
  | "sirene-ul"    // INSEE Sirene: StockUniteLegale
  | "sirene-etab"; // INSEE Sirene: StockEtablissement

export interface SourceInfo {
  id: SourceId;
  title: string;
  publisher: string;
  licence: string;
  licenceLabel: string;
  landingPage: string;
  /** Official download: a direct file URL, or for ROR the Zenodo API that names the latest dump. */
  downloadUrl: string;
  /** File name the downloader writes, relative to the data directory. */
  downloadPath: string;
  /** Recognises this source's file by its path relative to the data directory. */
  filePattern: RegExp;
}

const LO2 = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";
const CC0 = "https://creativecommons.org/publicdomain/zero/1.0/";
const ODS_EXPORT = (host: string, dataset: string) =>
  `https://${host}/api/explore/v2.1/catalog/datasets/${dataset}/exports/csv?delimiter=%3B&lang=fr`;

export const SOURCES: readonly SourceInfo[] = [
  {
    id: "uai",
    title: "Principaux établissements d'enseignement supérieur",
    publisher: "Ministère de l'Enseignement supérieur et de la Recherche (MESR)",
    licence: LO2, licenceLabel: "Licence Ouverte 2.0",
    landingPage: "https://data.enseignementsup-recherche.gouv.fr/explore/dataset/fr-esr-principaux-etablissements-enseignement-superieur/",
    downloadUrl: ODS_EXPORT("data.enseignementsup-recherche.gouv.fr", "fr-esr-principaux-etablissements-enseignement-superieur"),
    downloadPath: "uai/fr-esr-principaux-etablissements-enseignement-superieur.csv",
    filePattern: /(^|\/)fr-esr-principaux-etablissements-enseignement-superieur[^/]*\.csv$/,
  },
  {
    id: "education",
    title: "Annuaire de l'éducation",
    publisher: "Ministère de l'Éducation nationale (MEN)",
    licence: LO2, licenceLabel: "Licence Ouverte 2.0",
    landingPage: "https://data.education.gouv.fr/explore/dataset/fr-en-annuaire-education/",
    downloadUrl: ODS_EXPORT("data.education.gouv.fr", "fr-en-annuaire-education"),
    downloadPath: "education/fr-en-annuaire-education.csv",
    filePattern: /(^|\/)fr-en-annuaire-education[^/]*\.csv$/,
  },
  {
    id: "rnsr",
    title: "Structures de recherche publiques actives (RNSR)",
    publisher: "Ministère de l'Enseignement supérieur et de la Recherche (MESR)",
    licence: LO2, licenceLabel: "Licence Ouverte 2.0",
    landingPage: "https://data.enseignementsup-recherche.gouv.fr/explore/dataset/fr-esr-structures-recherche-publiques-actives/",
    downloadUrl: ODS_EXPORT("data.enseignementsup-recherche.gouv.fr", "fr-esr-structures-recherche-publiques-actives"),
    downloadPath: "rnsr/fr-esr-structures-recherche-publiques-actives.csv",
    filePattern: /(^|\/)fr-esr-structures-recherche-publiques-actives[^/]*\.csv$/,
  },
  {
    id: "wikidata",
    title: "Wikidata: establishments of higher education and research",
    publisher: "Wikimedia Foundation / Wikidata contributors",
    licence: CC0, licenceLabel: "CC0 1.0",
    landingPage: "https://www.wikidata.org/",
    // The SPARQL query that lists the items (data/download.ts) goes here; their JSON comes from the entity API.
    downloadUrl: "https://query.wikidata.org/sparql",
    downloadPath: "wikidata/wikidata-establishments.json",
    filePattern: /(^|\/)wikidata\/[^/]+\.json$/,
  },
  {
    id: "ror",
    title: "Research Organization Registry (ROR) data dump, schema v2",
    publisher: "Research Organization Registry",
    licence: CC0, licenceLabel: "CC0 1.0",
    landingPage: "https://ror.org/",
    downloadUrl: "https://zenodo.org/api/communities/ror-data/records?q=&sort=newest&size=1",
    downloadPath: "ror/ror-records-v2.json",
    filePattern: /(^|\/)ror\/[^/]*\.json$/,
  },
  {
    id: "sirene-ul",
    title: "Sirene: stock des unités légales",
    publisher: "Institut national de la statistique et des études économiques (INSEE)",
    licence: LO2, licenceLabel: "Licence Ouverte 2.0",
    landingPage: "https://www.data.gouv.fr/fr/datasets/base-sirene-des-entreprises-et-de-leurs-etablissements-siren-siret/",
    downloadUrl: "https://files.data.gouv.fr/insee-sirene/StockUniteLegale_utf8.zip",
    downloadPath: "sirene/StockUniteLegale_utf8.zip",
    filePattern: /(^|\/)StockUniteLegale[^/]*\.(csv|zip)$/,
  },
  {
    id: "sirene-etab",
    title: "Sirene: stock des établissements",
    publisher: "Institut national de la statistique et des études économiques (INSEE)",
    licence: LO2, licenceLabel: "Licence Ouverte 2.0",
    landingPage: "https://www.data.gouv.fr/fr/datasets/base-sirene-des-entreprises-et-de-leurs-etablissements-siren-siret/",
    downloadUrl: "https://files.data.gouv.fr/insee-sirene/StockEtablissement_utf8.zip",
    downloadPath: "sirene/StockEtablissement_utf8.zip",
    filePattern: /(^|\/)StockEtablissement[^/]*\.(csv|zip)$/,
  },
];

export function sourceInfo(id: SourceId): SourceInfo {
  const s = SOURCES.find((x) => x.id === id);
  if (!s) throw new Error(`unknown source ${id}`);
  return s;
}

/** Named graph of a source's triples (with its provenance). */
export function graphUri(base: string, id: SourceId | "links"): string {
  return `${base}/graph/${id}`;
}
