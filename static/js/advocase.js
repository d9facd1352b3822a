// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Buttons that ask for confirmation carry data-confirm (inline handlers are forbidden by the CSP).
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
  // After htmx swaps a filtered list, keep the address bar in step so the list can be bookmarked.
  document.addEventListener("htmx:afterSettle", function (event) {
    var region = document.getElementById("results");
    if (region && event.detail.target === region) {
      region.focus({ preventScroll: true });
    }
  });
})();
