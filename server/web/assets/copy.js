// Copy buttons of /openrefine: a button `data-copy="<input id>"` copies that
// input's value. Buttons are hidden in the HTML and shown here, so a page
// without JavaScript shows only what works there (a selectable field).
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function say(key, url) {
    if (!status) return;
    var text = (status.getAttribute(key) || "").replace("{url}", url);
    // Emptied first so that copying the same URL twice is announced twice.
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 30);
  }

  function fallbackCopy(input) {
    input.focus();
    input.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = input.value;
      var done = function () { say("data-copied", url); };
      var failed = function () { if (fallbackCopy(input)) done(); else say("data-failed", url); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(done, failed);
      else failed();
    });
  });
  // A click in a field selects the whole URL, ready for Ctrl+C.
  document.querySelectorAll("input.service-url").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
