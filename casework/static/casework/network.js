// The network page drawn with cytoscape (served from node_modules as a static file, see
// register/browser_libraries.py), on top of the server's SVG drawing and list, which stay for
// use without script and for printing. Clicking a record, or choosing it with the arrow keys
// and pressing Enter, fetches what connects to it from the neighbours endpoint (the same
// need-to-know selectors, audited there) and adds it; a "more" record adds the next page.
// The data comes from a json_script element: no inline script, so the CSP stays strict.
(function () {
  "use strict";
  var source = document.getElementById("network-data");
  var section = document.getElementById("network-graph-section");
  var container = document.getElementById("network-graph");
  var status = document.getElementById("network-status");
  if (!source || !section || !container || !window.cytoscape || !window.fetch) return;
  var data = JSON.parse(source.textContent);

  // Cytoscape adds an inline <style> unless an element with this id exists; the CSP would
  // refuse it, and site.css already gives the container its position.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    var marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    document.head.appendChild(marker);
  }

  // Colour, shape and a label for every kind, so colour is never the only cue.
  var KINDS = {
    dossier: ["#154273", "round-rectangle"], signal: ["#5a5a5a", "diamond"],
    person: ["#8b0000", "ellipse"], business: ["#6b4e00", "rectangle"],
    vehicle: ["#6b4e00", "triangle"], phone: ["#2f6b2f", "hexagon"],
    document: ["#4b2e83", "vee"],
    place: ["#2f6b2f", "star"], route: ["#154273", "pentagon"],
    more: ["#ffffff", "ellipse"]
  };
  var LINES = {
    in_dossier: ["#154273", "solid"], named_together: ["#8b0000", "solid"],
    same_phone: ["#2f6b2f", "dashed"], same_document: ["#4b2e83", "dashed"],
    same_employer: ["#6b4e00", "solid"],
    same_vessel: ["#6b4e00", "dashed"], same_place: ["#2f6b2f", "dotted"],
    same_place_within_two_weeks: ["#000000", "dashed"],
    same_route: ["#154273", "dotted"]
  };

  function element(node) {
    return {group: "nodes", data: {id: node.id, kind: node.kind, label: node.label,
                                   title: (data.kinds[node.kind] || node.kind) + ": " + node.label},
            classes: node.center ? "center" : ""};
  }
  function edge(link) {
    return {group: "edges", data: {id: link.source + ">" + link.target, source: link.source,
                                   target: link.target, kind: link.kind}};
  }

  var style = [
    {selector: "node", style: {"label": "data(label)", "font-size": 11, "color": "#1a1a1a",
      "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "ellipsis",
      "text-max-width": 140, "width": 22, "height": 22, "border-width": 1,
      "border-color": "#1a1a1a"}},
    {selector: "node.center", style: {"width": 32, "height": 32, "border-width": 3}},
    {selector: "node:selected", style: {"border-width": 4, "border-color": "#ffb612",
      "underlay-color": "#ffb612", "underlay-opacity": 0.4, "underlay-padding": 6}},
    {selector: "edge", style: {"width": 1.5, "curve-style": "bezier"}}
  ];
  Object.keys(KINDS).forEach(function (kind) {
    style.push({selector: "node[kind = '" + kind + "']",
                style: {"background-color": KINDS[kind][0], "shape": KINDS[kind][1]}});
  });
  Object.keys(LINES).forEach(function (kind) {
    style.push({selector: "edge[kind = '" + kind + "']",
                style: {"line-color": LINES[kind][0], "line-style": LINES[kind][1]}});
  });

  section.hidden = false;
  document.body.classList.add("network-drawn");
  var cy = window.cytoscape({
    container: container, style: style, wheelSensitivity: 0.3,
    elements: data.nodes.map(element).concat(data.edges.map(edge)),
    layout: {name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 9000; }}
  });
  container.dataset.ready = "true";
  var expanded = {};

  function say(text) { status.textContent = text; }
  function template(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return String(values[key]); });
  }

  function add(graph, around) {
    var added = 0;
    cy.batch(function () {
      graph.nodes.forEach(function (node) {
        if (cy.getElementById(node.id).empty()) {
          var el = cy.add(element(node));
          el.removeClass("center");
          if (around) el.position({x: around.position("x") + (Math.random() - 0.5) * 80,
                                   y: around.position("y") + (Math.random() - 0.5) * 80});
          added += 1;
        }
      });
      graph.edges.forEach(function (link) {
        var id = link.source + ">" + link.target;
        var back = link.target + ">" + link.source;
        if (cy.getElementById(id).empty() && cy.getElementById(back).empty()) cy.add(edge(link));
      });
    });
    cy.layout({name: "cose", animate: false, randomize: false, fit: true}).run();
    return added;
  }

  function expand(node) {
    var id = node.id();
    if (expanded[id] || node.hasClass("center")) return;
    expanded[id] = true;
    say(template(data.messages.loading, {label: node.data("label")}));
    fetch(data.neighbours + "?node=" + encodeURIComponent(id),
          {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (graph) {
        var isMore = node.data("kind") === "more";
        var from = isMore ? node.neighborhood("node").first() : node;
        if (isMore) node.remove();
        var added = add(graph, from.nonempty() ? from : null);
        container.dataset.nodes = String(cy.nodes().length);
        say(template(added ? data.messages.added : data.messages.nothing,
                     {count: added, label: node.data("label")}));
      })
      .catch(function () {
        expanded[id] = false;
        say(data.messages.failed);
      });
  }

  cy.on("tap", "node", function (event) { expand(event.target); });

  // Keyboard: the arrow keys move between records in reading order, Enter expands.
  var order = [];
  var at = -1;
  function ordered() {
    return cy.nodes().sort(function (a, b) {
      return a.position("y") - b.position("y") || a.position("x") - b.position("x");
    });
  }
  container.addEventListener("keydown", function (event) {
    if (["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "Enter"].indexOf(event.key) < 0) return;
    event.preventDefault();
    if (event.key === "Enter") {
      var chosen = cy.nodes(":selected").first();
      if (chosen.nonempty()) expand(chosen);
      return;
    }
    order = ordered();
    var current = cy.nodes(":selected").first();
    at = current.nonempty() ? order.indexOf(current) : -1;
    at = (at + (event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : -1) + order.length)
      % order.length;
    cy.nodes().unselect();
    order[at].select();
    say(order[at].data("title"));
  });
  container.dataset.nodes = String(cy.nodes().length);
})();
