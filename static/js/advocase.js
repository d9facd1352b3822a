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
  // On a phone the long filter form folds away until asked for (it is open without JavaScript).
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(max-width: 40rem)").matches) {
      return;
    }
    document.querySelectorAll("details[data-collapse-on-phone='true']").forEach(function (details) {
      details.open = false;
    });
  });
})();
