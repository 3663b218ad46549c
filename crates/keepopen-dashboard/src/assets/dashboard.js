// The dashboard's additions: a rescan's progress, live. Served from
// /static like the rest (the Content-Security-Policy allows no inline
// script), and only ever adding to pages that work without it.
(function () {
  "use strict";
  var out = document.getElementById("rescan");
  if (!out || !window.EventSource) { return; }
  var elapsed = document.getElementById("elapsed");
  var source = new EventSource(out.getAttribute("data-events"));
  function show(e) {
    var s = JSON.parse(e.data);
    out.textContent = s.state + ": " + s.message;
    out.setAttribute("data-state", s.state);
    if (elapsed) { elapsed.textContent = Math.round(s.elapsed_ms / 1000) + " s"; }
    if (s.state === "done" || s.state === "failed") { source.close(); }
  }
  ["queued", "scanning", "writing", "done", "failed"].forEach(function (name) {
    source.addEventListener(name, show);
  });
})();
