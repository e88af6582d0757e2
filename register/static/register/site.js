// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary so screen-reader and keyboard users hear what to fix.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); return; }
  var added = document.querySelector("[data-focus-first]");
  if (added) {
    var field = added.querySelector("input:not([type=hidden]), select, textarea");
    if (field) { field.focus(); }
  }
});

// A form opened on the dossier page by htmx: focus its first field, as on its own page.
document.addEventListener("htmx:afterSwap", function (event) {
  var field = event.detail.target.querySelector(
    "[data-focus-first] input:not([type=hidden]), [data-focus-first] select, [data-focus-first] textarea");
  if (field) { field.focus(); }
});
