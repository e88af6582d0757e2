// Progressive enhancement only: without this file "Select all on this page" still works,
// because the server reads that box and takes every row the page showed.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var form = all.form;
    var rows = function () { return form.querySelectorAll("input[name=selected]"); };
    all.addEventListener("change", function () {
      rows().forEach(function (row) { row.checked = all.checked; });
    });
    rows().forEach(function (row) {
      row.addEventListener("change", function () {
        // One row unticked: the selection is no longer "all on this page".
        if (!row.checked) { all.checked = false; }
      });
    });
  });
});
