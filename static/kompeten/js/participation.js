// Participation screens: the rotating check-in QR code and self-refreshing pages.
// Hooks (no inline scripts, the CSP forbids them):
//   <img data-qr-src="URL" data-qr-window="30">  reloads the code as each 30-second window turns
//   <span data-qr-countdown>                      shows the seconds left in the current window
//   <element data-reload-after="3">               reloads the page after N seconds (planner running)
(function () {
  "use strict";

  function startQr(img) {
    const src = img.dataset.qrSrc;
    const windowSeconds = parseInt(img.dataset.qrWindow || "30", 10);
    const countdown = document.querySelector("[data-qr-countdown]");
    let left = windowSeconds;

    function refresh() {
      fetch(src + (src.indexOf("?") >= 0 ? "&" : "?") + "t=" + Date.now(), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          const next = parseInt(response.headers.get("X-Refresh-In") || String(windowSeconds), 10);
          left = isNaN(next) ? windowSeconds : next;
          return response.text();
        })
        .then(function (svg) {
          img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
        })
        .catch(function () {
          left = 5; // retry soon when the network hiccups
        });
    }

    refresh();
    setInterval(function () {
      left -= 1;
      if (countdown) countdown.textContent = String(Math.max(left, 0));
      if (left <= 0) refresh();
    }, 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("img[data-qr-src]").forEach(startQr);
    const reload = document.querySelector("[data-reload-after]");
    if (reload) {
      const seconds = parseInt(reload.getAttribute("data-reload-after") || "5", 10);
      setTimeout(function () { window.location.reload(); }, seconds * 1000);
    }
  });
})();
