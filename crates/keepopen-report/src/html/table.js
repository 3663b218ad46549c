// Sorting and filtering for the repositories table. The table works without
// it: this only adds. No fetches, no third-party code.
(function () {
  "use strict";
  var table = document.getElementById("repositories");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  form.hidden = false;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var rec = document.getElementById("filter-recommendation");
  var count = document.getElementById("filter-count");
  function apply() {
    var q = text.value.trim().toLowerCase();
    var r = rec.value;
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!q || row.textContent.toLowerCase().indexOf(q) >= 0) &&
        (!r || row.getAttribute("data-recommendation") === r);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " repositories shown";
  }
  text.addEventListener("input", apply);
  rec.addEventListener("change", apply);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    var b = th.querySelector("button");
    if (!b) { return; }
    b.addEventListener("click", function () {
      var numeric = th.classList.contains("n");
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) {
        c.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[i].getAttribute("data-sort") || a.cells[i].textContent;
        var y = b.cells[i].getAttribute("data-sort") || b.cells[i].textContent;
        if (numeric) { return dir * ((parseFloat(x) || 0) - (parseFloat(y) || 0)); }
        return dir * x.localeCompare(y);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
