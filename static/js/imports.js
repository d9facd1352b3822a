// Progress of a background import: poll the run's small JSON endpoint and update the bar;
// the state lives in the ImportRun row, so leaving and coming back shows the same progress.
(function () {
  "use strict";

  function formatSeconds(seconds) {
    if (seconds === null || seconds === undefined) return "";
    if (seconds < 60) return ", about " + seconds + " s left";
    return ", about " + Math.round(seconds / 60) + " min left";
  }

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
        if (text) {
          var what;
          if (data.phase === "writing") {
            what = "Writing " + data.phase_done + " of " + data.phase_total + " rows";
          } else if (data.phase === "checking") {
            what = "Checking " + (data.phase_done === null ? data.rows_done : data.phase_done) +
              " of " + (data.phase_total === null ? data.rows_total : data.phase_total) + " rows";
          } else if (data.state === "queued") {
            what = "Waiting for a worker";
          } else {
            what = data.rows_done + " of " + data.rows_total + " rows";
          }
          text.textContent = what + formatSeconds(data.seconds_left) +
            ". You can leave this page and come back.";
        }
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
