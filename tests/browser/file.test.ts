// The /file page in a real browser, on the shipped sample: a CSV written
// here (BOM, ";", CRLF, a quoted cell holding the delimiter) is chosen, its
// columns picked, the job followed to 100 %, an ambiguous row given its
// second candidate and another rejected, then the enriched CSV and the RDF
// downloaded and checked row by row. Errors (no header, an empty column, a
// file the server refuses) are shown in the alert region; a 10,000-row file
// keeps the page responsive with a paginated review. No request leaves the
// test server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { parse } from "csv-parse/sync";
import { Parser, type Quad } from "n3";
import type { Page, Route } from "playwright-core";
import { writeBatchFile } from "../../scripts/batch-bench-data.ts";
import { BASE, tempDir } from "../helpers.ts";
import { HAS_CHROMIUM, launch, screenshot, startSampleServer, type BrowserSession, type SampleServer } from "./helpers.ts";

const require = createRequire(import.meta.url);
const dir = tempDir("refx-file-page-");
let server: SampleServer;
let session: BrowserSession;
let bigFile = "";

const OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs";
const HEADER = ["Code interne", "Établissement", "Commune", "Pays"];
// Names from data/sample/README.md, as people type them.
const ROWS = [
  ["A1", "Université Paris 1 Panthéon-Sorbonne", "Paris", "France"], // matched
  ["A2", "Universite Grenoble", "Grenoble", "France"], // ambiguous: UGA, UJF, Grenoble INP → the user picks UJF
  ["A3", "Zorglub Institute of Nowhere", "Atlantis", ""], // no match
  ["A4", "Conservatoire national des arts et métiers; CNAM", "Paris", "France"], // matched; the cell holds the delimiter
  ["A5", "Sorbonne", "Paris", "France"], // ambiguous → the user says none
  ["A6", "Univ. Paris", "Paris", "France"], // ambiguous → left undecided
  ["A7", "ENS", "Paris", "France"], // matched
];

function writeCsv(name: string, text: string | Buffer): string {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

const cell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const sampleFile = () => writeCsv("etablissements.csv", "\uFEFF" + [HEADER, ...ROWS].map((r) => r.map(cell).join(";")).join("\r\n") + "\r\n");

async function choose(page: Page, path: string) {
  await page.setInputFiles("#file-input", path);
}

/** The text of the alert region once it says something. */
async function alertText(page: Page): Promise<string> {
  await page.waitForFunction(() => (document.getElementById("file-alert")?.textContent ?? "").trim() !== "");
  return (await page.textContent("#file-alert"))!.trim();
}

async function downloadText(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path!, "utf8") };
}

describe.skipIf(!HAS_CHROMIUM)("the /file page", () => {
  beforeAll(async () => {
    server = await startSampleServer();
    session = await launch(server.url);
    bigFile = join(dir.path, "batch-10000.csv");
    writeBatchFile(bigFile, 10_000);
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
    dir.remove();
  });

  it("reconciles a CSV, reviews an ambiguous row, downloads the enriched CSV and its RDF", async () => {
    const page = await session.newPage();
    await page.goto(`${server.url}/file`);
    expect(await page.textContent("h1")).toBe("Réconcilier un fichier");
    expect(await page.isDisabled("#column")).toBe(true);

    await choose(page, sampleFile());
    await page.waitForFunction(() => !(document.getElementById("column") as HTMLSelectElement).disabled);
    // The header is read in the page: BOM dropped, ";" found, the quoted ";" kept inside its cell.
    expect(await page.textContent("#file-info")).toBe("4 colonnes, séparateur « ; », encodage UTF-8.");
    expect(await page.$$eval("#column option", (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(HEADER);
    expect(await page.$$eval("#city option", (os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(["", ...HEADER]);
    await page.selectOption("#column", "Établissement");
    await page.selectOption("#city", "Commune");
    await page.selectOption("#country", "Pays");
    await page.selectOption("#id-column", "");
    expect(await page.isDisabled("#id-scheme")).toBe(true);
    await page.selectOption("#target", "uai");

    const created = page.waitForResponse((r) => r.url() === `${server.url}/api/jobs` && r.request().method() === "POST");
    await page.click("#file-start");
    const job = await (await created).json();
    expect(job).toMatchObject({ column: "Établissement", target: "uai", format: "json" });
    expect(["queued", "running"]).toContain(job.status);
    // The progress bar reaches 100 % of the 7 rows, and says so in words.
    await page.waitForFunction(() => (document.getElementById("job-progress-text")?.textContent ?? "").startsWith("7 / 7"));
    expect(await page.textContent("#job-progress-text")).toBe("7 / 7 lignes (100 %)");
    const bar = await page.$eval("#job-progress", (p) => ({ value: (p as HTMLProgressElement).value, max: (p as HTMLProgressElement).max, label: p.getAttribute("aria-labelledby") }));
    expect(bar).toEqual({ value: 7, max: 7, label: "job-progress-label" });
    await page.waitForSelector("#file-review:not([hidden])");
    expect(await page.isHidden("#job-cancel")).toBe(true);
    expect(await page.textContent("#file-status")).toBe("Terminé : 7 lignes, 3 liées automatiquement, 3 ambiguës, 1 sans correspondance.");

    // The three ambiguous rows, each with its candidates and "none".
    expect(await page.$$eval("#review-list > li", (lis) => lis.map((li) => li.getAttribute("data-row")))).toEqual(["2", "5", "6"]);
    const row2 = page.locator('#review-list > li[data-row="2"]');
    expect(await row2.locator("legend").textContent()).toBe("Ligne 2 : Universite Grenoble (Grenoble, France)");
    const names = await row2.locator(".candidate-name").allTextContents();
    expect(names).toEqual(["Université Grenoble Alpes", "Université Joseph Fourier", "Institut polytechnique de Grenoble"]);
    expect(await row2.locator("a").first().getAttribute("href")).toBe("/id/uai/0383546Y");
    // Choose by label, as a person would: the second candidate; "none" for row 5; row 6 stays undecided.
    await row2.getByRole("radio", { name: /Université Joseph Fourier/ }).check();
    await page.locator('#review-list > li[data-row="5"]').getByRole("radio", { name: "Aucun de ces établissements" }).check();
    expect(await page.textContent("#review-summary")).toBe("3 lignes ambiguës, 2 décidées.");
    expect(await page.isHidden("#review-pages")).toBe(true); // one page: no page buttons
    await screenshot(page, "file-review");

    // The enriched CSV: the user's columns as sent, the decision, and every identifier of the kept establishment.
    const csv = await downloadText(page, "#download-csv");
    expect(csv.name).toBe("etablissements-refx.csv");
    expect(await page.textContent("#download-status")).toBe("Fichier etablissements-refx.csv téléchargé (7 lignes, 4 liées).");
    const [header, ...rows] = parse(csv.text, { delimiter: ";" }) as string[][];
    expect(header).toEqual([
      ...HEADER, "refx_id", "refx_score", "refx_match", "refx_candidates",
      "refx_status", "refx_uri", "refx_name", "refx_uai", "refx_rnsr", "refx_siren", "refx_siret", "refx_wikidata", "refx_ror", "refx_grid", "refx_isni", "refx_idref",
    ]);
    expect(rows).toHaveLength(ROWS.length);
    const col = (r: string[], name: string) => r[header.indexOf(name)];
    rows.forEach((r, i) => expect(r.slice(0, 4)).toEqual(ROWS[i]));
    const expected: [id: string, match: string, status: string, name: string, siren: string][] = [
      ["0751717J", "auto", "found", "Université Paris 1 Panthéon-Sorbonne", "197517170"],
      ["0381838S", "chosen", "found", "Université Joseph Fourier", "193818382"],
      ["", "none", "empty", "", ""],
      ["0753471R", "auto", "found", "Conservatoire national des arts et métiers", "197534712"],
      ["", "rejected", "empty", "", ""],
      ["", "ambiguous", "empty", "", ""],
      ["0753455Y", "auto", "found", "École normale supérieure", "197534555"],
    ];
    rows.forEach((r, i) => {
      const [id, match, status, name, siren] = expected[i];
      expect([col(r, "refx_id"), col(r, "refx_match"), col(r, "refx_status"), col(r, "refx_name"), col(r, "refx_siren")], `row ${i + 1}`).toEqual([id, match, status, name, siren]);
      expect(col(r, "refx_uri")).toBe(id ? `${BASE}/id/uai/${id}` : "");
      expect(col(r, "refx_uai")).toBe(id);
    });
    // The chosen row keeps its candidate's score; candidates stay listed on every ambiguous row, for the record.
    expect(Number(col(rows[1], "refx_score"))).toBeGreaterThan(50);
    expect(col(rows[1], "refx_candidates")).toMatch(/^0383546Y Université Grenoble Alpes \([\d.]+\) \| 0381838S Université Joseph Fourier/);
    expect(col(rows[5], "refx_candidates").split(" | ")).toHaveLength(3);
    expect(col(rows[2], "refx_candidates")).toBe("");

    // The RDF: Turtle that parses, each row an entity; the chosen row is linked to the chosen establishment, the rejected one to nothing.
    const rdf = await downloadText(page, "#download-rdf");
    expect(rdf.name).toBe("etablissements-refx.ttl");
    const quads: Quad[] = new Parser({ format: "Turtle" }).parse(rdf.text);
    const sameAs = (row: number) => quads.filter((q) => q.subject.value.endsWith(`#row-${row}`) && q.predicate.value === OWL_SAME_AS).map((q) => q.object.value);
    expect(sameAs(2)).toContain(`${BASE}/id/uai/0381838S`);
    expect(sameAs(2)).not.toContain(`${BASE}/id/uai/0383546Y`);
    expect(sameAs(1)).toContain(`${BASE}/id/uai/0751717J`);
    expect(sameAs(3)).toEqual([]);
    expect(sameAs(5)).toEqual([]);
    expect(sameAs(6)).toEqual([]);
    expect(quads.some((q) => q.predicate.value === "http://purl.org/dc/terms/title" && q.object.value === "etablissements.csv")).toBe(true);

    expect(session.outside).toEqual([]);
    expect(session.errors).toEqual([]);
    await page.close();
  });

  it("says what is wrong: no header, an open quote, an empty name column, a server refusal; keyboard order; no serious axe violation at phone width", async () => {
    const phone = await session.context.browser()!.newContext({ viewport: { width: 375, height: 800 }, locale: "fr-FR" });
    await phone.route("**/*", (route) => (route.request().url().startsWith(server.url) ? route.continue() : (session.outside.push(route.request().url()), route.abort())));
    const page = await phone.newPage();
    await page.goto(`${server.url}/file`);
    expect(await page.getAttribute("#file-alert", "role")).toBe("alert");

    // A file without a header: its first line is data.
    await choose(page, writeCsv("sans-entete.csv", "0751717J;Université Paris 1;Paris\n0753455Y;ENS;Paris\n"));
    expect(await alertText(page)).toBe("La première ligne ne ressemble pas à un en-tête (« 0751717J » est une donnée, pas un nom de colonne) : ajoutez une ligne avec les noms des colonnes.");
    expect(await page.isDisabled("#column")).toBe(true);

    // An empty file; a quote never closed.
    await choose(page, writeCsv("vide.csv", ""));
    await page.waitForFunction(() => /vide/.test(document.getElementById("file-alert")?.textContent ?? ""));
    expect(await alertText(page)).toMatch(/^Le fichier est vide/);
    await choose(page, writeCsv("guillemet.csv", 'nom;ville\n"ENS;Paris\nSorbonne;Paris\n'));
    await page.waitForFunction(() => /guillemet/.test(document.getElementById("file-alert")?.textContent ?? ""));
    expect(await alertText(page)).toMatch(/^Un guillemet ouvert au début d'une cellule n'est jamais fermé/);

    // The wrong column: the one chosen for names is empty.
    await choose(page, writeCsv("colonnes.csv", "nom,remarque\nENS,\nSorbonne,\n"));
    await page.waitForFunction(() => (document.getElementById("file-alert")?.textContent ?? "") === "" && !(document.getElementById("column") as HTMLSelectElement).disabled);
    expect(await page.textContent("#file-info")).toBe("2 colonnes, séparateur « , », encodage UTF-8.");
    await page.selectOption("#column", "remarque");
    await page.click("#file-start");
    expect(await alertText(page)).toBe("La colonne « remarque » est vide dans les 2 premières lignes : ce n'est sans doute pas la colonne des noms.");
    expect(await page.isHidden("#file-progress")).toBe(true);

    // A good file: columns guessed from their names; the form is reachable in order with the keyboard.
    await choose(page, sampleFile());
    await page.waitForFunction(() => (document.getElementById("file-alert")?.textContent ?? "") === "" && !(document.getElementById("column") as HTMLSelectElement).disabled);
    expect(await page.inputValue("#column")).toBe("Établissement");
    expect(await page.inputValue("#city")).toBe("Commune");
    expect(await page.inputValue("#country")).toBe("Pays");
    await page.focus("#file-input");
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      order.push(await page.evaluate(() => document.activeElement?.id ?? ""));
    }
    expect(order).toEqual(["column", "city", "country", "id-column", "target", "file-start"]);

    // A refusal only the server knows: its job queue is full (4 jobs); its message is shown as it wrote it.
    const queued: string[] = [];
    for (let i = 0; i < 4; i++) {
      const fd = new FormData();
      fd.append("column", "nom");
      fd.append("file", new Blob([readFileSync(bigFile)]), "big.csv");
      const r = await fetch(`${server.url}/api/jobs`, { method: "POST", body: fd });
      expect(r.status).toBe(202);
      queued.push(((await r.json()) as { id: string }).id);
    }
    const refused = page.waitForResponse((r) => r.url() === `${server.url}/api/jobs`);
    await page.keyboard.press("Enter"); // focus is on the start button
    expect((await refused).status()).toBe(429);
    expect(await alertText(page)).toBe("Le serveur a refusé (429) : 4 jobs are already queued or running; retry when one is done");
    expect(await page.isHidden("#file-progress")).toBe(true);
    await screenshot(page, "file-error-phone");
    for (const id of queued) expect((await fetch(`${server.url}/api/jobs/${id}`, { method: "DELETE" })).status).toBe(204);

    // The same file now runs; the review list at phone width passes axe without serious violations.
    await page.click("#file-start");
    await page.waitForSelector("#file-review:not([hidden]) #review-list > li");
    expect(await page.textContent("#file-alert")).toBe("");
    await screenshot(page, "file-review-phone");
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => `${e.tagName}#${e.id}.${e.className}`),
    );
    expect(wide).toEqual([]);
    await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
    const axe = await page.evaluate(async () => (window as any).axe.run(document, { resultTypes: ["violations"] }));
    const serious = axe.violations.filter((v: { impact: string }) => v.impact === "critical" || v.impact === "serious");
    expect(serious.map((v: { id: string; nodes: { target: string[] }[] }) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    await phone.close();
    expect(session.outside).toEqual([]);
  });

  it("keeps a 10,000-row file responsive: real progress, a paginated review", async () => {
    const big = bigFile;
    const page = await session.newPage();
    await page.goto(`${server.url}/file?lang=en`);
    // Long tasks (> 50 ms on the main thread) are recorded while the file runs.
    await page.evaluate(() => {
      (window as any).longTasks = [];
      new PerformanceObserver((list) => (window as any).longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask", buffered: true });
    });
    await choose(page, big);
    await page.waitForFunction(() => !(document.getElementById("column") as HTMLSelectElement).disabled);
    expect(await page.inputValue("#column")).toBe("nom");
    expect(await page.inputValue("#id-column")).toBe("code_uai");
    expect(await page.inputValue("#id-scheme")).toBe("uai");
    // A run cancelled midway: the job is gone from the server, the page says so and can start again.
    // The cancelled run's status poll is held in flight and answered only after the next run has started:
    // that run must not be taken for the cancelled one (it once was, and the page never finished).
    let holding = true;
    const held: Route[] = [];
    await page.route(/\/api\/jobs\/[^/]+$/, (route) => (holding && route.request().method() === "GET" ? void held.push(route) : route.continue()));
    const first = page.waitForResponse((r) => r.url() === `${server.url}/api/jobs` && r.request().method() === "POST");
    await page.click("#file-start");
    const cancelledId = ((await (await first).json()) as { id: string }).id;
    await expect.poll(() => held.length).toBeGreaterThan(0);
    await page.click("#job-cancel");
    await page.waitForFunction(() => document.getElementById("file-status")?.textContent === "Reconciliation cancelled.");
    expect((await fetch(`${server.url}/api/jobs/${cancelledId}`)).status).toBe(404);
    expect(await page.textContent("#file-alert")).toBe("");
    expect(await page.isHidden("#file-review")).toBe(true);
    await page.waitForFunction(() => !(document.getElementById("file-start") as HTMLButtonElement).disabled);

    const readings = new Set<string>();
    const watch = setInterval(() => page.textContent("#job-progress-text").then((t) => t && /rows \(\d+%\)$/.test(t) && readings.add(t), () => {}), 50);
    holding = false;
    const second = page.waitForResponse((r) => r.url() === `${server.url}/api/jobs` && r.request().method() === "POST");
    await page.click("#file-start");
    await second;
    // Now the cancelled run's poll comes back (404: its job is gone).
    for (const route of held) await route.continue();
    await page.waitForSelector("#file-review:not([hidden])", { timeout: 200_000 });
    clearInterval(watch);
    expect(await page.textContent("#job-progress-text")).toBe("10,000 / 10,000 rows (100%)");
    const status = (await page.textContent("#file-status"))!;
    const ambiguous = Number(/(\d[\d,]*) ambiguous/.exec(status)![1].replace(/,/g, ""));
    expect(ambiguous).toBeGreaterThan(100);
    // Only one page of rows is in the document; the pages cover every ambiguous row.
    expect(await page.locator("#review-list > li").count()).toBe(20);
    const pages = Math.ceil(ambiguous / 20);
    expect(await page.textContent("#review-page")).toBe(`Page 1 of ${pages}`);
    expect(await page.textContent("#review-summary")).toBe(`${ambiguous.toLocaleString("en-GB")} ambiguous rows, 0 decided.`);
    expect(await page.isDisabled("#review-prev")).toBe(true);
    const firstOfPage1 = await page.getAttribute("#review-list > li", "data-row");
    await page.click("#review-next");
    expect(await page.textContent("#review-page")).toBe(`Page 2 of ${pages}`);
    expect(await page.getAttribute("#review-list > li", "data-row")).not.toBe(firstOfPage1);
    // Focus moved to the new page's first choice, for keyboard and screen-reader users.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("radio");
    await page.locator("#review-list > li").first().getByRole("radio").first().check();
    expect(await page.textContent("#review-summary")).toBe(`${ambiguous.toLocaleString("en-GB")} ambiguous rows, 1 decided.`);
    const longest = Math.max(0, ...(await page.evaluate(() => (window as any).longTasks as number[])));
    console.log(`10,000 rows: ${ambiguous} ambiguous, progress read ${[...readings].join(", ")}; longest main-thread task ${Math.round(longest)} ms`);
    // The bar moved through the run, not from nothing to done.
    expect([...readings].some((t) => !t.endsWith("(100%)"))).toBe(true);
    // Alone it measures 130-330 ms; CI runs other test files on the same two cores, which stretches every task.
    expect(longest).toBeLessThan(2500);

    const csv = await downloadText(page, "#download-csv");
    const rows = parse(csv.text, { delimiter: ";", columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(10_000);
    expect(rows.filter((r) => r.refx_match === "ambiguous")).toHaveLength(ambiguous - 1);
    expect(rows.filter((r) => r.refx_match === "chosen")).toHaveLength(1);
    expect(rows.filter((r) => r.refx_match === "auto").every((r) => r.refx_status === "found" && r.refx_uai === r.refx_id)).toBe(true);
    expect(session.outside).toEqual([]);
    await page.close();
    // Two runs of 10,000 rows through the job API, with the browser and other test files sharing two cores.
  }, 240_000);
});
