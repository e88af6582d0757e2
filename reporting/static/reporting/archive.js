// The report archive follows its reports while one is queued or being made: every few
// seconds it fetches the table's rows again and says what changed in the status region
// (aria-live), so nobody has to reload. It stops once nothing is pending. Without script
// the page offers a plain link to reload instead.
(function () {
  "use strict";
  var INTERVAL = 3000;
  var status = document.getElementById("report-progress");
  if (!status || !window.fetch || !window.DOMParser) return;

  function rows() { return document.getElementById("report-rows"); }

  function poll() {
    fetch(status.dataset.rowsUrl, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString("<table>" + html + "</table>", "text/html");
        var fresh = parsed.getElementById("report-rows");
        var current = rows();
        if (!fresh || !current) return;
        current.replaceWith(document.importNode(fresh, true));
        if (status.textContent.trim() !== fresh.dataset.status) {
          status.textContent = fresh.dataset.status;
        }
        if (fresh.dataset.busy === "true") window.setTimeout(poll, INTERVAL);
      })
      .catch(function () {
        // The session ended or the server is away: keep the page as it is; a reload works.
      });
  }

  var current = rows();
  if (current && current.dataset.busy === "true") window.setTimeout(poll, INTERVAL);
}());
