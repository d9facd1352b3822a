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
  // On a phone the header's menu folds behind its button; on a wider screen (or after the
  // phone turns) it is open and the button hidden. Without this file it is always open.
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) {
      return;
    }
    var phone = window.matchMedia("(max-width: 40rem)");
    function setOpen(open) {
      menu.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function fit() {
      toggle.hidden = !phone.matches;
      setOpen(!phone.matches);
    }
    toggle.addEventListener("click", function () {
      setOpen(menu.hidden);
    });
    phone.addEventListener("change", fit);
    fit();
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
