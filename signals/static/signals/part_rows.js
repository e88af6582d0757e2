// Progressive enhancement of the person, business and vehicle rows of the signal form.
// Without this file each row has a "Remove this ..." checkbox: the row is dropped when the form
// is sent. With it, a button removes the row at once (it ticks that same checkbox, so the
// server still decides) and a live region tells screen-reader users what happened.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-part-rows]").forEach(function (group) {
    var announcer = group.querySelector("[data-row-announcer]");
    var rows = Array.prototype.slice.call(group.querySelectorAll("[data-part-row]"));

    function visibleRows() {
      return rows.filter(function (row) { return !row.hidden; });
    }

    rows.forEach(function (row) {
      var field = row.querySelector("[data-remove-field]");
      var box = field && field.querySelector("input[type=checkbox]");
      if (!box) { return; }
      if (box.checked) {  // removed before the page came back with an error elsewhere
        row.hidden = true;
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "remove-row";
      button.textContent = field.getAttribute("data-remove-label");
      field.hidden = true;
      field.parentNode.insertBefore(button, field);
      button.addEventListener("click", function () {
        var shown = visibleRows();
        var next = shown[shown.indexOf(row) + 1];
        var previous = shown[shown.indexOf(row) - 1];
        box.checked = true;
        row.hidden = true;
        // Emptied first, so removing a second row is announced again.
        announcer.textContent = "";
        window.setTimeout(function () {
          announcer.textContent = row.getAttribute("data-removed-message");
        }, 50);
        // Keep the keyboard user in the same place: the next row, else the "add" button
        // (absent when the form is full), else the row before.
        var target = (next && next.querySelector("h3"))
          || group.querySelector("button[name=action]")
          || (previous && previous.querySelector("h3"));
        if (target) { target.focus(); }
      });
    });
  });
});
