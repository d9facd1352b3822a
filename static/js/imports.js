// Progress of a background import: poll the run's small JSON endpoint and update the bar;
// the state lives in the ImportRun row, so leaving and coming back shows the same progress.
(function () {
  "use strict";

  function poll(section) {
    var url = section.getAttribute("data-progress-url");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(function () { poll(section); }, 3000); return; }
        var bar = document.getElementById("import-progress");
        var text = document.getElementById("import-progress-text");
        var state = document.getElementById("import-state");
        if (bar) { bar.max = Math.max(data.rows_total, 1); bar.value = data.rows_done; }
        // The server words the sentence, in the reader's language.
        if (text && data.text) { text.textContent = data.text; }
        if (state) { state.textContent = data.state_label; }
        if (data.finished) { window.location.reload(); return; }
        window.setTimeout(function () { poll(section); }, 1000);
      })
      .catch(function () { window.setTimeout(function () { poll(section); }, 3000); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-progress-url]");
    if (section && section.getAttribute("data-finished") === "false" &&
        document.getElementById("import-progress")) {
      poll(section);
    }
  });
})();
