// A live counter: an element showing a figure the server recounts (the QR screen's attendance).
// Hook (no inline scripts, the CSP forbids them):
//   <span data-live-count="URL" data-live-every="4">…</span>
// Every N seconds the script fetches URL (JSON with a "text" field) and shows that text.
// A failed fetch keeps the last figure and tries again at the next tick.
(function () {
  "use strict";

  function start(element) {
    const url = element.getAttribute("data-live-count");
    const seconds = Math.max(parseInt(element.getAttribute("data-live-every") || "4", 10) || 4, 1);
    let busy = false;

    function tick() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          if (typeof data.text === "string" && data.text !== element.textContent) {
            element.textContent = data.text;
          }
        })
        .catch(function () { /* keep the last figure */ })
        .finally(function () { busy = false; });
    }

    setInterval(tick, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-count]").forEach(start);
  });
})();
