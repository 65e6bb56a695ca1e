// The SPARQL editor page: YASGUI (served from /assets/vendor/yasgui) bound to
// this server's /sparql and nothing else. YASGUI's defaults reach other hosts
// (dbpedia as the endpoint, LOV for class and property completion, prefix.cc
// when configured), and its config is deep-merged into those defaults (arrays
// index by index), so the defaults themselves are changed before the editor
// is built. Configuration comes from the page (#sparql-config), never from
// the URL or localStorage: a shared link or an old session cannot point the
// editor at another endpoint.
(function () {
  "use strict";
  const configEl = document.getElementById("sparql-config");
  const host = document.getElementById("yasgui");
  const status = document.getElementById("sparql-status");
  const Yasgui = window.Yasgui;
  if (!configEl || !host || !status) return;
  const cfg = JSON.parse(configEl.textContent || "{}");
  const say = (key, values) => {
    let text = cfg.messages[key] || key;
    // split/join, not replace: a server message may hold "$&", which replace() would expand.
    for (const [k, v] of Object.entries(values || {})) text = text.split(`{${k}}`).join(String(v));
    status.textContent = text;
  };
  if (typeof Yasgui !== "function") {
    status.textContent = "YASGUI did not load: use /sparql?query=… or reload the page.";
    return;
  }

  const endpoint = new URL(cfg.endpoint, location.href).href;
  const Yasqe = Yasgui.Yasqe;
  // Only the completer that works on the query's own text: the others fetch from LOV or prefix.cc.
  Yasqe.defaults.autocompleters = ["variables"];
  Yasqe.defaults.prefixCcApi = null;
  Yasqe.defaults.value = cfg.initial;
  Yasqe.defaults.persistenceId = null;
  // Tab leaves the editor instead of trapping keyboard users in it; Enter still indents.
  Yasqe.defaults.extraKeys = Object.assign({}, Yasqe.defaults.extraKeys, { Tab: false, "Shift-Tab": false });
  Yasqe.defaults.requestConfig.endpoint = endpoint;
  Yasqe.defaults.requestConfig.method = "POST";
  Yasgui.defaults.endpointCatalogueOptions.getData = () => [{ endpoint }];

  const yasgui = new Yasgui(host, {
    requestConfig: { endpoint },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
    tabName: cfg.messages.queryTab,
    yasqe: { editorHeight: "22rem", collapsePrefixesOnLoad: true, screenReaderLabel: cfg.messages.editorLabel },
    yasr: { prefixes: cfg.prefixes, persistenceId: null },
  });

  // YASGUI builds each tab's editor and result controls lazily, some without a name (the editor's
  // textarea, the result table's page-size select): they are named as they appear.
  const NAMES = [
    [".CodeMirror textarea", cfg.messages.editorLabel],
    ["select.tableSizer", cfg.messages.pageSize],
  ];
  const nameControls = () => {
    for (const [selector, name] of NAMES) {
      for (const el of host.querySelectorAll(selector)) if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", name);
    }
  };
  nameControls();
  new MutationObserver(nameControls).observe(host, { childList: true, subtree: true });

  yasgui.on("query", () => say("running"));
  yasgui.on("queryResponse", (_y, tab) => {
    // YASGUI emits before handing the response to the result view: read it on the next turn.
    setTimeout(() => {
      const results = tab.getYasr() && tab.getYasr().results;
      if (!results) return;
      const ms = results.getResponseTime() ?? "?";
      if (results.hasError()) {
        const err = results.getError() || {};
        say("failed", { message: serverMessage(err.text || err.statusText || String(err.status || "")) });
        return;
      }
      const bindings = results.getBindings && results.getBindings();
      if (Array.isArray(bindings)) say("rows", { n: bindings.length, ms });
      else say("answered", { ms });
    }, 0);
  });

  /** The endpoint answers errors as {"error", "message"}: show the message, not the JSON. */
  function serverMessage(text) {
    try {
      const body = JSON.parse(text);
      if (body && typeof body.message === "string") return body.message;
    } catch {
      // not JSON: a proxy's page or a network error, shown as it is
    }
    return text;
  }

  // Examples open in a tab of their own, so choosing one never overwrites the query being written.
  let exampleTabId;
  const exampleTab = () => {
    let tab = exampleTabId ? yasgui.getTab(exampleTabId) : undefined;
    if (tab) yasgui.selectTabId(exampleTabId);
    else {
      tab = yasgui.addTab(true, { name: cfg.messages.exampleTab });
      exampleTabId = tab.getId();
    }
    return tab;
  };

  const tools = document.getElementById("sparql-tools");
  const select = document.getElementById("sparql-example");
  const load = document.getElementById("sparql-load");
  if (tools && select && load) {
    tools.hidden = false;
    const loadExample = () => {
      const example = cfg.examples.find((e) => e.id === select.value);
      if (!example) return;
      const tab = exampleTab();
      tab.getYasqe().setValue(example.text);
      say("loaded", { title: example.title });
    };
    load.addEventListener("click", loadExample);
    const newTab = document.getElementById("sparql-new-tab");
    if (newTab) newTab.addEventListener("click", () => yasgui.addTab(true));
    select.addEventListener("change", loadExample);
  }
})();
