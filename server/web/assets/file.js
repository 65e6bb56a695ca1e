// The /file page: choose a CSV and its columns, run it as a job of the REST
// API, follow its progress, review the ambiguous rows, download the result
// with the choices applied. Everything goes through the public APIs a script
// would use (POST /api/jobs, GET /api/jobs/{id}, its JSON result, POST
// /export/resolved); page text comes from #file-config, data is only ever
// written with textContent.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const cfg = JSON.parse($("file-config").textContent || "{}");
  const csv = globalThis.refxCsv;
  const nf = new Intl.NumberFormat(cfg.lang === "fr" ? "fr-FR" : "en-GB");
  const scoreFormat = new Intl.NumberFormat(cfg.lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: 1 });

  const els = {
    form: $("file-form"), input: $("file-input"), info: $("file-info"), alert: $("file-alert"),
    column: $("column"), city: $("city"), country: $("country"), idColumn: $("id-column"), idScheme: $("id-scheme"), target: $("target"),
    start: $("file-start"),
    progressSection: $("file-progress"), progress: $("job-progress"), progressText: $("job-progress-text"), status: $("file-status"), cancel: $("job-cancel"),
    review: $("file-review"), summary: $("review-summary"), list: $("review-list"), prev: $("review-prev"), next: $("review-next"), pageLabel: $("review-page"),
    download: $("file-download"), csvButton: $("download-csv"), rdfButton: $("download-rdf"), restart: $("file-restart"), downloadStatus: $("download-status"),
  };

  /** A message of the page's language with its {placeholders} filled. */
  function msg(key, values) {
    let text = cfg.messages[key] || key;
    for (const [k, v] of Object.entries(values || {})) text = text.split(`{${k}}`).join(typeof v === "number" ? nf.format(v) : String(v));
    return text;
  }
  const quoted = (s) => (cfg.lang === "fr" ? `« ${s} »` : `"${s}"`);

  function showError(text) {
    els.alert.textContent = text;
    if (text) els.alert.scrollIntoView({ block: "nearest" });
  }

  /** An HTTP answer that is not 2xx, as the server worded it ({"error", "message"}). */
  class ServerError extends Error {}
  async function request(url, init) {
    let res;
    try {
      res = await fetch(url, init);
    } catch (err) {
      throw new ServerError(msg("network", { message: err.message }));
    }
    if (res.ok) return res;
    let message = res.statusText;
    try {
      const body = await res.json();
      if (body && body.message) message = body.message;
    } catch {
      // not JSON: the status text stands
    }
    const error = new ServerError(msg("server", { status: res.status, message }));
    error.status = res.status;
    throw error;
  }

  // ---- 1. the file and its columns -------------------------------------------------------

  let sample; // {header, rows, delimiter, encoding, complete} of the chosen file
  const columnSelects = [els.column, els.city, els.country, els.idColumn];
  const GUESS = {
    column: /^(nom|name|libell|raison|d[ée]nomination|[ée]tablissement|organisation|institution)/i,
    city: /(ville|city|commune|localit)/i,
    country: /(pays|country)/i,
    idColumn: /(uai|siret|siren|rnsr|ror|wikidata|qid|idref|isni|grid)/i,
  };

  function fillColumns(header) {
    for (const select of columnSelects) {
      const keep = select.required ? [] : [new Option(cfg.noColumn, "")];
      select.replaceChildren(...keep);
      header.forEach((name, i) => {
        const blank = name.trim() === "";
        const option = new Option(blank ? `(${i + 1})` : name, name);
        // The API finds columns by name: one without a name cannot be asked for.
        option.disabled = blank;
        select.append(option);
      });
      select.disabled = false;
      const key = select.id === "id-column" ? "idColumn" : select.id;
      const guess = header.findIndex((h) => GUESS[key].test(h.trim()));
      select.value = guess >= 0 ? header[guess] : select.required ? header.find((h) => h.trim()) ?? "" : "";
    }
    // Two selects never start on the same column: the name column wins.
    for (const s of [els.city, els.country, els.idColumn]) if (s.value === els.column.value) s.value = "";
    guessScheme();
    syncScheme();
  }

  function guessScheme() {
    const m = /(uai|siret|siren|rnsr|ror|wikidata|idref|isni|grid)/i.exec(els.idColumn.value);
    if (m) els.idScheme.value = m[1].toLowerCase();
    else if (/qid/i.test(els.idColumn.value)) els.idScheme.value = "wikidata";
  }
  const syncScheme = () => (els.idScheme.disabled = !els.idColumn.value);
  els.idColumn.addEventListener("change", () => {
    guessScheme();
    syncScheme();
  });

  function resetColumns() {
    sample = undefined;
    for (const select of columnSelects) {
      select.replaceChildren(...(select.required ? [] : [new Option(cfg.noColumn, "")]));
      select.disabled = true;
    }
    syncScheme();
  }

  els.input.addEventListener("change", async () => {
    showError("");
    resetColumns();
    const file = els.input.files && els.input.files[0];
    els.info.textContent = file ? msg("reading") : "";
    if (!file) return;
    const got = await csv.readHeader(file);
    if (got.error) {
      els.info.textContent = "";
      showError(msg(got.error, { cell: quoted(got.cell || "") }));
      return;
    }
    sample = got;
    fillColumns(got.header);
    els.info.textContent = msg("detected", {
      columns: got.header.length,
      delimiter: got.delimiter === "\t" ? msg("tab") : quoted(got.delimiter),
      encoding: got.encoding,
    });
  });

  /** What is wrong with the chosen columns, or "". */
  function checkColumns() {
    const file = els.input.files && els.input.files[0];
    if (!file) return msg("chooseFile");
    if (!sample) return els.alert.textContent || msg("chooseFile");
    const name = els.column.value;
    if (!name) return msg("chooseName");
    const index = sample.header.indexOf(name);
    if (sample.rows.length && sample.rows.every((r) => (r[index] || "").trim() === "")) {
      return msg("emptyColumn", { column: quoted(name), n: sample.rows.length });
    }
    const chosen = [els.column, els.city, els.country, els.idColumn].map((s) => s.value).filter(Boolean);
    const twice = chosen.find((c, i) => chosen.indexOf(c) !== i);
    if (twice) return msg("sameColumn", { column: quoted(twice) });
    return "";
  }

  // ---- 2. the job ----------------------------------------------------------------------------

  let job; // {id, cancelled}
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  function showProgress(j) {
    const p = j.progress || {};
    if (p.total === undefined) {
      // Before the server has counted the rows, the bar is indeterminate rather than a made-up 0 %.
      els.progress.removeAttribute("value");
      els.progressText.textContent = msg(j.status === "queued" ? "queued" : "counting");
      return;
    }
    els.progress.max = Math.max(p.total, 1);
    els.progress.value = p.total ? p.rows : 1;
    els.progressText.textContent = msg("rowsDone", { rows: p.rows, total: p.total, percent: p.percent });
  }

  /** Runs one job; `mine` is this run's own record, so that a newer run (started after a cancel) is never taken for it. */
  async function runJob(file, mine) {
    const fd = new FormData();
    fd.append("column", els.column.value);
    if (els.city.value) fd.append("city", els.city.value);
    if (els.country.value) fd.append("country", els.country.value);
    if (els.idColumn.value) fd.append(els.idScheme.value, els.idColumn.value);
    fd.append("target", els.target.value);
    fd.append("format", "json");
    fd.append("file", file, file.name);
    els.status.textContent = msg("sending");
    const created = await (await request("/api/jobs", { method: "POST", body: fd, headers: { Accept: "application/json" } })).json();
    mine.id = created.id;
    if (mine.cancelled) {
      // Cancelled while the file was being sent: the job the server just made goes too.
      request(`/api/jobs/${encodeURIComponent(created.id)}`, { method: "DELETE" }).catch(() => {});
      return undefined;
    }
    showProgress(created);
    let wait = 150;
    for (;;) {
      if (mine.cancelled) return undefined;
      let current;
      try {
        current = await (await request(`/api/jobs/${encodeURIComponent(created.id)}`)).json();
      } catch (err) {
        // A poll in flight when the job was cancelled finds it gone (404): that is the cancellation, not an error.
        if (mine.cancelled) return undefined;
        throw err;
      }
      if (mine.cancelled) return undefined;
      showProgress(current);
      if (current.status === "done") return current;
      if (current.status === "failed") throw new ServerError(msg("failed", { message: current.error || "" }));
      if (current.status === "cancelled") return undefined;
      await sleep(wait);
      wait = Math.min(1000, Math.round(wait * 1.4));
    }
  }

  els.cancel.addEventListener("click", async () => {
    if (!job) return;
    job.cancelled = true;
    els.cancel.disabled = true;
    if (job.id) await request(`/api/jobs/${encodeURIComponent(job.id)}`, { method: "DELETE" }).catch(() => {});
    els.status.textContent = msg("cancelled");
    setBusy(false);
  });

  function setBusy(busy) {
    for (const el of els.form.elements) el.disabled = busy || (el.tagName === "SELECT" && !sample);
    if (!busy) syncScheme();
    els.cancel.disabled = !busy;
    els.cancel.hidden = !busy;
  }

  els.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problem = checkColumns();
    showError(problem);
    if (problem) return;
    const file = els.input.files[0];
    result = undefined;
    els.review.hidden = true;
    els.download.hidden = true;
    els.progressSection.hidden = false;
    els.progress.removeAttribute("value");
    els.progressText.textContent = "";
    setBusy(true);
    const mine = { id: undefined, cancelled: false };
    job = mine;
    try {
      const done = await runJob(file, mine);
      if (!done) return;
      els.status.textContent = msg("fetching");
      const body = await (await request(`/api/jobs/${encodeURIComponent(done.id)}/result`, { headers: { Accept: "application/json" } })).json();
      // The page holds the result now: the server's copy can go.
      request(`/api/jobs/${encodeURIComponent(done.id)}`, { method: "DELETE" }).catch(() => {});
      loadResult(body, file.name);
      els.status.textContent = msg("done", body.summary);
    } catch (err) {
      els.status.textContent = "";
      // Refused before a job existed: there is no progress to show.
      if (!mine.id) els.progressSection.hidden = true;
      showError(err instanceof ServerError ? err.message : String(err));
    } finally {
      // A cancelled run that ends late leaves a newer run alone.
      if (job === mine) {
        job = undefined;
        setBusy(false);
      }
    }
  });

  // ---- 3. review -------------------------------------------------------------------------------

  let result; // {name, target, delimiter, columns, rows, ambiguous: row indexes, choices: Map(row -> candidate index | -1), page}
  const RESULT_COLUMNS = new Set(cfg.resultColumns);

  function loadResult(body, name) {
    const columns = body.columns.filter((c) => !RESULT_COLUMNS.has(c));
    const ambiguous = [];
    body.rows.forEach((r, i) => {
      if (r.refx_status === "ambiguous" && Array.isArray(r.refx_candidates) && r.refx_candidates.length) ambiguous.push(i);
    });
    result = {
      name, target: body.target, delimiter: body.input && body.input.delimiter, column: body.column,
      columns, rows: body.rows, ambiguous, choices: new Map(), page: 0,
    };
    els.review.hidden = false;
    els.download.hidden = false;
    els.downloadStatus.textContent = "";
    renderPage();
  }

  const pages = () => Math.max(1, Math.ceil(result.ambiguous.length / cfg.pageSize));

  /** Where a candidate's record is on this server: its entity page, or /describe for Wikidata and ROR URIs. */
  function entityHref(target, id) {
    if (/^https?:\/\//i.test(id)) {
      const m = /\/id\/(uai|rnsr|siren|siret)\/([^/?#]+)$/.exec(id);
      return m ? `/id/${m[1]}/${m[2]}` : `/describe?uri=${encodeURIComponent(id)}`;
    }
    if (target === "wikidata") return `/describe?uri=${encodeURIComponent(`http://www.wikidata.org/entity/${id}`)}`;
    if (target === "ror") return `/describe?uri=${encodeURIComponent(`https://ror.org/${id}`)}`;
    return `/id/${target}/${encodeURIComponent(id)}`;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c != null) node.append(c); // strings become text nodes
    return node;
  }

  function reviewItem(rowIndex) {
    const row = result.rows[rowIndex];
    const n = rowIndex + 1;
    const context = [els.city.value, els.country.value].filter(Boolean).map((c) => row[c]).filter((v) => v && v.trim());
    const legend = el("legend", {}, msg("row", { n }), " ", el("q", { class: "cell" }, row[result.column] || ""), context.length ? el("span", { class: "muted" }, ` (${context.join(", ")})`) : null);
    const fieldset = el("fieldset", { class: "review-row" }, legend);
    const choice = result.choices.get(rowIndex);
    row.refx_candidates.forEach((c, k) => {
      const id = `pick-${rowIndex}-${k}`;
      fieldset.append(
        el("div", { class: "candidate" },
          el("input", { type: "radio", name: `pick-${rowIndex}`, id, value: String(k), checked: choice === k }),
          el("label", { for: id }, el("span", { class: "candidate-name" }, c.name), " ", el("span", { class: "muted" }, `${c.id} · ${msg("score", { score: scoreFormat.format(c.score) })}`)),
          " ",
          el("a", { href: entityHref(result.target, c.id), target: "_blank", rel: "noopener", "aria-label": msg("seeLabel", { name: c.name }) }, msg("see")),
        ),
      );
    });
    const noneId = `pick-${rowIndex}-none`;
    fieldset.append(
      el("div", { class: "candidate candidate-none" },
        el("input", { type: "radio", name: `pick-${rowIndex}`, id: noneId, value: "-1", checked: choice === -1 }),
        el("label", { for: noneId }, msg("none")),
      ),
    );
    fieldset.addEventListener("change", (event) => {
      result.choices.set(rowIndex, Number(event.target.value));
      renderSummary();
    });
    return el("li", { "data-row": String(n) }, fieldset);
  }

  function renderSummary() {
    els.summary.textContent = result.ambiguous.length
      ? msg("reviewCount", { count: result.ambiguous.length, decided: result.choices.size })
      : msg("noAmbiguous");
    els.pageLabel.textContent = msg("pageOf", { page: result.page + 1, pages: pages() });
  }

  function renderPage() {
    const start = result.page * cfg.pageSize;
    const slice = result.ambiguous.slice(start, start + cfg.pageSize);
    els.list.replaceChildren(...slice.map(reviewItem));
    els.prev.disabled = result.page === 0;
    els.next.disabled = result.page >= pages() - 1;
    $("review-pages").hidden = pages() <= 1;
    renderSummary();
  }

  function turn(delta) {
    result.page = Math.min(pages() - 1, Math.max(0, result.page + delta));
    renderPage();
    // Keyboard and screen-reader users land on the new page's first row, not on a button that may now be disabled.
    const first = els.list.querySelector("input");
    if (first) first.focus();
  }
  els.prev.addEventListener("click", () => turn(-1));
  els.next.addEventListener("click", () => turn(1));

  // ---- 4. download ---------------------------------------------------------------------------

  /** The reconciled table with the choices applied: the user's columns, then the decision columns. */
  function decidedTable() {
    const reserved = new Set(cfg.reservedColumns);
    const own = result.columns.filter((c) => !reserved.has(c));
    const header = [...own, ...cfg.decisionColumns];
    const rows = result.rows.map((r, i) => {
      let id = "";
      let score = "";
      let match = r.refx_status;
      if (r.refx_status === "matched") {
        id = r.refx_id;
        score = r.refx_score;
        match = "auto";
      } else if (r.refx_status === "ambiguous") {
        const choice = result.choices.get(i);
        const c = choice !== undefined && choice >= 0 ? r.refx_candidates[choice] : undefined;
        if (c) {
          id = c.id;
          score = c.score;
          match = "chosen";
        } else if (choice === -1) match = "rejected";
        else score = r.refx_score;
      }
      const candidates = r.refx_status === "ambiguous" ? r.refx_candidates.map((c) => `${c.id} ${c.name} (${c.score})`).join(" | ") : "";
      return [...own.map((c) => r[c] ?? ""), id ?? "", score ?? "", match, candidates];
    });
    // The export reads , ; or tab; a | file comes back with commas.
    const delimiter = [",", ";", "\t"].includes(result.delimiter) ? result.delimiter : ",";
    return csv.csvText(header, rows, delimiter);
  }

  const stem = (name) => (name.replace(/\.[^.]+$/, "").replace(/[^\w.-]+/g, "_").slice(0, 80) || "table") + "-refx";

  async function download(format, button) {
    showError("");
    els.downloadStatus.textContent = msg("preparing");
    button.disabled = true;
    try {
      const fd = new FormData();
      fd.append("file", new Blob([decidedTable()], { type: "text/csv" }), result.name);
      const params = new URLSearchParams({ column: "refx_id", service: result.target, format });
      const res = await request(`/export/resolved?${params}`, { method: "POST", body: fd });
      const blob = await res.blob();
      const name = `${stem(result.name)}.${format === "csv" ? "csv" : "ttl"}`;
      const url = URL.createObjectURL(blob);
      const a = el("a", { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      els.downloadStatus.textContent = msg("downloaded", { name, rows: Number(res.headers.get("X-Rows") || 0), found: Number(res.headers.get("X-Rows-Resolved") || 0) });
    } catch (err) {
      els.downloadStatus.textContent = "";
      showError(err instanceof ServerError ? err.message : String(err));
    } finally {
      button.disabled = false;
    }
  }
  els.csvButton.addEventListener("click", () => download("csv", els.csvButton));
  els.rdfButton.addEventListener("click", () => download("ttl", els.rdfButton));

  els.restart.addEventListener("click", () => {
    result = undefined;
    els.form.reset();
    resetColumns();
    for (const s of [els.review, els.download, els.progressSection]) s.hidden = true;
    els.info.textContent = "";
    showError("");
    els.input.focus();
  });

  resetColumns();
})();
