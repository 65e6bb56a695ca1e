// The small map of an entity page (server/linked-data/entity-page.ts), drawn
// with the Leaflet build served from /assets/vendor/leaflet/. The page's
// <figure class="entity-map"> already shows the coordinates and a link to
// openstreetmap.org; this script adds the map above them. Tiles come only from
// the template the server names (none by default, server/html/map-tiles.ts);
// without one, or as soon as a tile fails (host unreachable or blocked), a
// notice on the map says that the base map is unavailable and gives the
// position, so the reader never faces a grey box without explanation.
(function () {
  "use strict";

  function notice(fig, container, map) {
    if (container.querySelector(".map-notice")) return;
    var box = document.createElement("div");
    box.className = "map-notice";
    box.setAttribute("role", "status");
    box.appendChild(document.createTextNode(fig.getAttribute("data-no-tiles") + " "));
    var a = document.createElement("a");
    a.href = fig.getAttribute("data-osm");
    a.textContent = fig.getAttribute("data-osm-text");
    box.appendChild(a);
    container.appendChild(box);
    // Leaflet stops pointer events from reaching the page; the link must stay clickable.
    if (window.L && L.DomEvent) L.DomEvent.disableClickPropagation(box);
    // The notice sits at the bottom: move the marker up so it stays in sight above it.
    if (map) map.panBy([0, Math.round(box.offsetHeight / 2 + 8)], { animate: false });
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function draw(fig) {
    var lat = Number(fig.getAttribute("data-lat"));
    var long = Number(fig.getAttribute("data-long"));
    if (!isFinite(lat) || !isFinite(long) || !window.L) return;
    var canvas = document.createElement("div");
    canvas.className = "map-canvas";
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", fig.getAttribute("data-label") || "");
    fig.insertBefore(canvas, fig.firstChild);
    var map = L.map(canvas, { scrollWheelZoom: false }).setView([lat, long], 15);
    // A vector marker: no marker image to fetch.
    L.circleMarker([lat, long], { radius: 9, color: "#0a4a9e", weight: 3, fillColor: "#3b82f6", fillOpacity: 0.6, interactive: false }).addTo(map);
    var template = fig.getAttribute("data-tiles");
    if (!template) {
      notice(fig, canvas, map);
      return;
    }
    var attribution = fig.getAttribute("data-attribution") || "";
    var layer = L.tileLayer(template, { maxZoom: 19, attribution: escapeHtml(attribution) });
    layer.on("tileerror", function () { notice(fig, canvas, map); });
    layer.addTo(map);
  }

  document.querySelectorAll("figure.entity-map").forEach(draw);
})();
