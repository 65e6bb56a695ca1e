// Typeahead of the search box (server/web/search-page.ts): the ARIA 1.2
// combobox pattern with a listbox popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/).
// The form works without this script (GET /search?q=); the script only adds
// suggestions from /api/search as the reader types. Typing is debounced and a
// new request aborts the previous one, so a slow answer never overwrites a
// newer one.
(function () {
  "use strict";
  var DEBOUNCE_MS = 180;
  var MIN_CHARS = 2;

  function parse(json, fallback) {
    try {
      return JSON.parse(json || "");
    } catch (e) {
      return fallback;
    }
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, k) {
      return values[k] === undefined ? "" : String(values[k]);
    });
  }

  function setup(form) {
    var input = form.querySelector('input[name="q"]');
    if (!input) return;
    var base = form.getAttribute("data-base") || "";
    var lang = form.getAttribute("data-lang") || "fr";
    var limit = Number(form.getAttribute("data-limit")) || 8;
    var texts = parse(form.getAttribute("data-texts"), {});
    var types = parse(form.getAttribute("data-types"), {});
    var schemes = parse(form.getAttribute("data-schemes"), {});
    var status = form.querySelector('[role="status"]');
    var countries = null;
    try {
      countries = new Intl.DisplayNames([lang], { type: "region" });
    } catch (e) {
      countries = null;
    }

    var listbox = document.createElement("ul");
    listbox.id = input.id + "-listbox";
    listbox.className = "suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", (form.querySelector('label[for="' + input.id + '"]') || {}).textContent || "");
    listbox.hidden = true;
    input.parentNode.appendChild(listbox);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var timer = 0;
    var controller = null;
    var seq = 0;
    var options = []; // [{ el, href }]
    var active = -1;

    function announce(text) {
      if (status) status.textContent = text;
    }

    /** Where a hit leads: refx URIs by path (any host works), others through /describe. */
    function hrefOf(uri) {
      if (base && uri.indexOf(base + "/") === 0) return uri.slice(base.length);
      return "/describe?uri=" + encodeURIComponent(uri);
    }

    function resultsHref(q) {
      var href = "/search?q=" + encodeURIComponent(q);
      var keep = form.querySelector('input[name="lang"]');
      return keep ? href + "&lang=" + encodeURIComponent(keep.value) : href;
    }

    function open() {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      // On a small screen the suggestions would fall below the fold (or under the
      // on-screen keyboard): bring the field to the top so they can be seen.
      var rect = listbox.getBoundingClientRect();
      if (rect.bottom > window.innerHeight && input.getBoundingClientRect().top > 8) {
        input.scrollIntoView({ block: "start" });
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      setActive(-1);
    }

    function setActive(i) {
      if (active >= 0 && options[active]) options[active].el.setAttribute("aria-selected", "false");
      active = i;
      if (i < 0 || !options[i]) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      var el = options[i].el;
      el.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", el.id);
      // Keep the option visible in a scrolled list without moving the page.
      var top = el.offsetTop;
      var bottom = top + el.offsetHeight;
      if (top < listbox.scrollTop) listbox.scrollTop = top;
      else if (bottom > listbox.scrollTop + listbox.clientHeight) listbox.scrollTop = bottom - listbox.clientHeight;
    }

    function go(i) {
      if (!options[i]) return;
      window.location.assign(options[i].href);
    }

    function div(cls, text) {
      var d = document.createElement("div");
      d.className = cls;
      d.textContent = text;
      return d;
    }

    function addOption(parts, href) {
      var li = document.createElement("li");
      li.id = listbox.id + "-" + options.length;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      parts.forEach(function (p) { li.appendChild(p); });
      var index = options.length;
      // mousedown, not click: the input keeps focus, so blur does not close the list first.
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
      li.addEventListener("click", function () { go(index); });
      listbox.appendChild(li);
      options.push({ el: li, href: href });
    }

    function render(q, hits) {
      listbox.textContent = "";
      options = [];
      active = -1;
      hits.forEach(function (h) {
        var type = h.types && h.types[0] ? types[h.types[0].id] || h.types[0].name : "";
        var country = h.country ? (countries && countries.of(h.country)) || h.country : "";
        var meta = [type, h.city, country].filter(Boolean).join(" · ");
        if (h.status === "closed") meta += (meta ? " · " : "") + texts.closed;
        var ids = [];
        Object.keys(h.identifiers || {}).forEach(function (s) {
          h.identifiers[s].forEach(function (v) { ids.push((schemes[s] || s) + " " + v); });
        });
        var parts = [div("hit-name", h.name)];
        if (meta) parts.push(div("hit-meta", meta));
        if (ids.length) parts.push(div("hit-ids", ids.join(" · ")));
        addOption(parts, hrefOf(h.id));
      });
      if (hits.length) addOption([div("more", fill(texts.more, { q: q }))], resultsHref(q));
      if (hits.length) {
        open();
        announce(fill(texts.count, { n: hits.length }));
      } else {
        close();
        announce(fill(texts.none, { q: q }));
      }
    }

    function fetchHits(q) {
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var mine = ++seq;
      announce(texts.searching || "");
      var url = "/api/search?target=all&limit=" + limit + "&q=" + encodeURIComponent(q);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
        .then(function (res) {
          if (res.status === 503) throw { loading: true };
          if (!res.ok) throw { status: res.status };
          return res.json();
        })
        .then(function (body) {
          // An older answer that arrives late is dropped (abort is not always in time).
          if (mine !== seq || input.value.trim() !== q) return;
          render(q, body.results || []);
        })
        .catch(function (err) {
          if ((err && err.name === "AbortError") || mine !== seq) return;
          close();
          announce(err && err.loading ? texts.loading : fill(texts.error, { status: (err && err.status) || texts.network }));
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < MIN_CHARS) {
        if (controller) controller.abort();
        seq++;
        close();
        listbox.textContent = "";
        options = [];
        announce("");
        return;
      }
      timer = setTimeout(function () { fetchHits(q); }, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (ev) {
      var expanded = !listbox.hidden && options.length > 0;
      switch (ev.key) {
        case "ArrowDown":
          if (!options.length) return;
          ev.preventDefault();
          if (!expanded) open();
          setActive(active + 1 >= options.length ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!options.length) return;
          ev.preventDefault();
          if (!expanded) open();
          setActive(active <= 0 ? options.length - 1 : active - 1);
          break;
        case "Enter":
          // With an option chosen, open it; otherwise the form submits to /search.
          if (expanded && active >= 0) {
            ev.preventDefault();
            go(active);
          }
          break;
        case "Escape":
          if (expanded) {
            ev.preventDefault();
            close();
          } else if (input.value) {
            ev.preventDefault();
            input.value = "";
            announce("");
          }
          break;
        case "Tab":
          close();
          break;
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
    input.addEventListener("focus", function () {
      if (options.length && input.value.trim().length >= MIN_CHARS) open();
    });
  }

  document.querySelectorAll("form[data-typeahead]").forEach(setup);
})();
