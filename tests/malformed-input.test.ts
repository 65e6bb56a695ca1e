// A malformed file names its file and line, and the data being served stays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LoadError } from "../data/errors.ts";
import { loadDataDir } from "../data/load.ts";
import { RefStore } from "../data/store.ts";
import { BASE, tempDir } from "./helpers.ts";

const RNSR_HEADER =
  "numero_national_de_structure;libelle;sigle;annee_de_creation;type_de_structure;code_de_type_de_structure;code_de_niveau_de_structure;site_web;adresse;code_postal;commune;nom_du_responsable;prenom_du_responsable;titre_du_responsable;label_numero;tutelles;sigles_des_tutelles;code_de_nature_de_tutelle;nature_de_tutelle;uai_des_tutelles;siret_des_tutelles;code_de_type_de_tutelle;type_de_tutelle;numero_de_structure_enfant;numero_de_structure_parent;numero_de_structure_historique;type_de_succession;code_de_type_de_succession;annee_d_effet_historique;code_domaine_scientifique;domaine_scientifique;code_panel_erc;panel_erc;fiche_rnsr";
const cols = RNSR_HEADER.split(";").length;
const rnsrRow = (id: string, label: string, acronym: string) => {
  const cells = new Array(cols).fill("");
  cells[0] = id;
  cells[1] = label;
  cells[2] = acronym;
  cells[14] = "UMR 9999;UMR 9999";
  cells[15] = "Université de Testville;Centre national de la recherche scientifique";
  cells[16] = "UTV;CNRS";
  cells[19] = "0999999A;0753639Y";
  cells[20] = "19999999900011;18008901303720";
  cells[21] = "TUTE;TUTE";
  return cells.map((c) => (c.includes(";") ? `"${c}"` : c)).join(";");
};

const GOOD_RNSR = [RNSR_HEADER, rnsrRow("200099999A", "LABORATOIRE D'ESSAI", "LABESS"), rnsrRow("200099998B", "INSTITUT DE TEST", "IDT")].join("\n") + "\n";

const ROR = JSON.stringify(
  [
    { id: "https://ror.org/05testa01", names: [{ value: "Testville University", types: ["ror_display", "label"], lang: "en" }], types: ["education"], status: "active", external_ids: [], links: [], locations: [], relationships: [] },
    { id: "https://ror.org/05testb02", names: [{ value: "Institut de Test", types: ["ror_display"], lang: "fr" }], types: ["facility"], status: "active", external_ids: [], links: [], locations: [], relationships: [] },
  ],
  null,
  2,
);

function writeDir(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const RNSR_PATH = "rnsr/fr-esr-structures-recherche-publiques-actives.csv";
const ROR_PATH = "ror/ror-records-v2.json";

describe("malformed input", () => {
  const tmp = tempDir();
  const store = new RefStore();
  let good: string;

  beforeAll(async () => {
    good = writeDir(join(tmp.path, "good"), { [RNSR_PATH]: GOOD_RNSR, [ROR_PATH]: ROR });
    await loadDataDir(store, { dataDir: good, base: BASE, cacheDir: false });
  });
  afterAll(() => tmp.remove());

  const labCount = () => Number(store.select(`SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s <http://schema.org/alternateName> ?a . FILTER(?a IN ("LABESS", "IDT")) }`)[0].n);

  async function failingLoad(name: string, files: Record<string, string>): Promise<LoadError> {
    const dir = writeDir(join(tmp.path, name), { [RNSR_PATH]: GOOD_RNSR, [ROR_PATH]: ROR, ...files });
    const before = store.size;
    const err = await loadDataDir(store, { dataDir: dir, base: BASE, cacheDir: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    // The previous data is still served, whole.
    expect(store.size).toBe(before);
    expect(labCount()).toBe(2);
    return err as LoadError;
  }

  it("serves the good data first", () => {
    expect(labCount()).toBe(2);
  });

  it("names file and line of a CSV row with too many cells", async () => {
    const bad = GOOD_RNSR + rnsrRow("200099997C", "LABO CASSE", "LC") + ";extra;cells\n";
    const err = await failingLoad("extra-cells", { [RNSR_PATH]: bad });
    expect(err.file).toMatch(/fr-esr-structures-recherche-publiques-actives\.csv$/);
    expect(err.line).toBe(4);
    expect(err.message).toMatch(/bad row/);
  });

  it("recognises a file written with the wrong delimiter", async () => {
    const commas = GOOD_RNSR.replace(/;/g, ",");
    const err = await failingLoad("wrong-delimiter", { [RNSR_PATH]: commas });
    expect(err.line).toBe(1);
    expect(err.message).toMatch(/wrong delimiter: expected ';'/);
  });

  it("refuses a header with unknown columns", async () => {
    const renamed = GOOD_RNSR.replace("numero_national_de_structure", "numero").replace(";libelle;", ";intitule;");
    const err = await failingLoad("unknown-columns", { [RNSR_PATH]: renamed });
    expect(err.line).toBe(1);
    expect(err.message).toMatch(/unknown columns: the header lacks 'numero_national_de_structure', 'libelle'/);
  });

  it("names the line where a truncated JSON file ends", async () => {
    const truncated = ROR.slice(0, ROR.length - 40);
    const err = await failingLoad("truncated-json", { [ROR_PATH]: truncated });
    expect(err.file).toMatch(/ror-records-v2\.json$/);
    expect(err.line).toBe(truncated.split("\n").length);
    expect(err.message).toMatch(/malformed JSON/);
  });

  it("names the line of a JSON syntax error", async () => {
    const broken = ROR.replace('"Institut de Test"', '"Institut de Test",,');
    const err = await failingLoad("json-syntax", { [ROR_PATH]: broken });
    const expected = broken.split("\n").findIndex((l) => l.includes(",,")) + 1;
    expect(err.line).toBe(expected);
  });

  it("refuses JSON that is not what the source publishes", async () => {
    const err = await failingLoad("json-shape", { [ROR_PATH]: JSON.stringify({ items: [] }) });
    expect(err.message).toMatch(/unexpected JSON structure|malformed JSON/);
  });

  it("refuses an empty CSV file", async () => {
    const err = await failingLoad("empty", { [RNSR_PATH]: "" });
    expect(err.message).toMatch(/empty/);
  });

  it("the good directory still loads afterwards", async () => {
    const again = new RefStore();
    await loadDataDir(again, { dataDir: good, base: BASE, cacheDir: false });
    expect(again.size).toBe(store.size);
    expect(readFileSync(join(good, RNSR_PATH), "utf8")).toBe(GOOD_RNSR);
  });
});
