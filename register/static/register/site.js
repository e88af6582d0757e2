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
