// The admin's only script, served by nginx (the pages' CSP allows scripts from this site only,
// never inline). Two jobs:
// - a job page's <progress data-progress-url> follows the job live: it polls the URL (a small
//   session-protected JSON: state, current, total, text) every second while the job runs, and
//   once it has finished shows its final state and reloads the page, so its result and history show;
// - a page with <div class="auto-refresh" data-refresh-seconds="N"> reloads itself every N seconds,
//   unless the user is typing into a form field or the tab is hidden.
(function () {
  "use strict";

  function followProgress(url, bar, label) {
    // The bar is shown for every job that has not finished (and for finished ones that reported progress).
    var failures = 0;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
        .then(function (response) {
          if (!response.ok || (response.headers.get("Content-Type") || "").indexOf("application/json") !== 0) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (job) {
          failures = 0;
          if (bar) {
            if (typeof job.total === "number" && job.total > 0) {
              bar.max = job.total;
              bar.value = Math.min(job.current || 0, job.total);
            }
            bar.textContent = job.text;
          }
          if (label) { label.textContent = job.text; }
          if (job.finished) {
            // Show the end at once (bar full when it counted, the final state), then reload so the
            // result and the attempts appear.
            if (bar && typeof job.total === "number" && job.total > 0 && job.state === "succeeded") { bar.value = bar.max; }
            var badge = document.querySelector(".summary .state");
            if (badge) {
              badge.textContent = job.state;
              badge.className = "state state-" + job.state;
            }
            var finishedAt = document.getElementById("job-finished");
            if (finishedAt && job.finished_at) { finishedAt.textContent = job.finished_at; }
            var cancel = document.querySelector("form.cancel");
            if (cancel) { cancel.parentNode.removeChild(cancel); }
            setTimeout(function () { window.location.reload(); }, 2000);
            return;
          }
          // Every second while it runs; a waiting job (perhaps delayed) is looked at less often.
          setTimeout(poll, job.state === "running" ? 1000 : 3000);
        })
        .catch(function () {
          failures += 1;
          if (failures < 30) { setTimeout(poll, 3000); }
        });
    }
    setTimeout(poll, 1000);
  }

  function start() {
    var bar = document.querySelector("progress[data-progress-url]");
    var label = document.getElementById("job-progress-text");
    if (bar) { followProgress(bar.getAttribute("data-progress-url"), bar, label); }

    var refresher = document.querySelector(".auto-refresh[data-refresh-seconds]");
    if (refresher) {
      var seconds = parseInt(refresher.getAttribute("data-refresh-seconds"), 10);
      if (seconds > 0) {
        setInterval(function () {
          var active = document.activeElement;
          var typing = active && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName);
          if (!typing && document.visibilityState !== "hidden") { window.location.reload(); }
        }, seconds * 1000);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
