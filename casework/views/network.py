"""The network of a dossier, person, business, phone or vessel: drawn on the server (SVG) and
as a list of nodes and links, which work without JavaScript and print; casework/network.js
draws it with cytoscape on top and expands nodes from `neighbours/`. Expanding without
JavaScript is `?expand=<node id>` on the page. Opening it, and every expansion, is audited
with the ids it showed."""

from urllib.parse import urlencode

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.need_to_know import dossiers_visible_to, persons_visible_to
from casework.network import (
    BUDGET,
    IN_DOSSIER,
    NAMED_TOGETHER,
    SAME_DOCUMENT,
    SAME_EMPLOYER,
    SAME_PHONE,
    SAME_PLACE,
    SAME_PLACE_WITHIN_TWO_WEEKS,
    SAME_ROUTE,
    SAME_VESSEL,
    TRAIL,
    Network,
    parse_more,
)
from casework.network_centers import center_of, expansion_of, network_of, node_id_of
from casework.network_drawing import link_items, record_rows, svg
from register.access import analyst_only
from register.services.audit import audit_record

KINDS = {"dossier": _("Dossier"), "signal": _("Signal"), "person": _("Person"),
         "business": _("Business"), "vehicle": _("Vessel or vehicle"), "phone": _("Phone"),
         "document": _("Identity document"),
         "place": _("Place"), "route": _("Route"), "more": _("More")}
LINKS = {IN_DOSSIER: _("in dossier"), NAMED_TOGETHER: _("named together in a signal"),
         SAME_PHONE: _("same phone"), SAME_DOCUMENT: _("same identity document"),
         SAME_EMPLOYER: _("same employer"),
         SAME_VESSEL: _("same vessel"), SAME_PLACE: _("same place"),
         SAME_PLACE_WITHIN_TWO_WEEKS: _("same place within two weeks"),
         SAME_ROUTE: _("same route")}
# What casework/network.js says in the status region; it fills in %(label)s and %(count)s.
MESSAGES = {"loading": _("Loading what connects to %(label)s…"),
            "added": _("%(count)s records added around %(label)s."),
            "nothing": _("Nothing more connects to %(label)s."),
            "failed": _("The records could not be loaded; the list below still works.")}
EXPANSIONS = 10  # nodes expanded on one page without JavaScript; more is one link too far


def depth_of(request) -> int:
    """One step out unless two are asked for; anything else is one."""
    return 2 if request.GET.get("depth") == "2" else 1


def audit_expansion(user, node_id: str, network: Network, depth: int = 1) -> None:
    kind = node_id.partition(":")[0]
    audit_record(actor=user, action="register.network.expanded",
                 object_type=TRAIL.get(kind, "network"), object_id=node_id,
                 result_ids=network.ids(), detail={"depth": depth, "kind": kind})


def _merge(into: Network, extra: Network) -> None:
    for node_id, node in extra.nodes.items():
        if node_id not in into.nodes:
            into.nodes[node_id] = {**node, "level": node["level"] + 1, "center": False}
    for (source, target), kind in extra.edges.items():
        into.link(source, target, kind)


def _expanded(request, network: Network) -> list[str]:
    """Apply `?expand=` (the list view's links): each node's neighbours, or a "more" node's
    next page, through the same selectors and each audited. A node not in the picture, or
    one the analyst may not see, is ignored."""
    done = []
    for node_id in request.GET.getlist("expand")[:EXPANSIONS]:
        if node_id in done or node_id not in network.nodes:
            continue
        extra = expansion_of(request.user, node_id)
        if extra is None:
            continue
        audit_expansion(request.user, node_id, extra)
        if parse_more(node_id):
            del network.nodes[node_id]
            network.edges = {pair: kind for pair, kind in network.edges.items()
                             if node_id not in pair}
        _merge(network, extra)
        done.append(node_id)
    return done


def _page(request, center: dict, audit: dict):
    depth = depth_of(request)
    network = network_of(request.user, center, depth)
    audit_record(actor=request.user, result_ids=network.ids(), detail={"depth": depth},
                 **audit)
    expanded = _expanded(request, network)
    data = network.as_dict()
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    links = [{"source": labels[e["source"]], "target": labels[e["target"]],
              "kind": LINKS.get(e["kind"], e["kind"])} for e in data["edges"]]
    nodes = [{**node, "kind_label": KINDS.get(node["kind"], node["kind"]),
              "expand_url": None if node["level"] == 0 or node["id"] in expanded
              or len(expanded) >= EXPANSIONS else
              "?" + urlencode({"depth": depth, "expand": [*expanded, node["id"]]}, doseq=True)}
             for node in sorted(data["nodes"], key=lambda n: (n["level"], n["kind"], n["label"]))]
    return render(request, "casework/network.html", {
        # The center's label from the network: for a person, what need to know lets show.
        "center": center["label"], "depth": depth, "expanded": expanded,
        "stopped": network.stopped_at is not None, "budget": BUDGET,
        "records": record_rows(nodes), "links": link_items(links),
        "drawing": svg(data),
        "graph": {**data, "neighbours": reverse("casework:network_neighbours"),
                  "kinds": {k: str(v) for k, v in KINDS.items()},
                  "links": {k: str(v) for k, v in LINKS.items()},
                  "messages": {key: str(text) for key, text in MESSAGES.items()}},
        "legend": [(kind, label) for kind, label in KINDS.items()],
        "link_legend": [(kind, label) for kind, label in LINKS.items()]})


@analyst_only
def dossier_network(request, number: str):
    dossier = dossiers_visible_to(request.user).filter(number=number).first()
    if dossier is None:
        raise Http404
    return _page(request, center_of(request.user, node_id_of(dossier)),
                 {"action": "register.dossier.network_viewed", "obj": dossier})


@analyst_only
def person_network(request, person_id: int):
    person = persons_visible_to(request.user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return _page(request, center_of(request.user, node_id_of(person)),
                 {"action": "register.person.network_viewed", "obj": person})


def _row_network(request, kind: str, row_id: int):
    """A business, phone or vessel, by the id of a row that holds it (never its number or
    name in the URL)."""
    center = center_of(request.user, f"{kind}:{row_id}")
    if center is None:
        raise Http404
    return _page(request, center, {"action": "register.network.viewed",
                                   "object_type": TRAIL[kind], "object_id": row_id})


@analyst_only
def business_network(request, business_id: int):
    return _row_network(request, "business", business_id)


@analyst_only
def phone_network(request, phone_id: int):
    return _row_network(request, "phone", phone_id)


@analyst_only
def vessel_network(request, vessel_id: int):
    return _row_network(request, "vehicle", vessel_id)


@analyst_only
def network_neighbours(request):
    """`?node=<id>`: JSON {"nodes", "edges"} of what expanding the node adds (a record's
    neighbours one step out, or a "more" node's next page), or with `&depth=1|2` the network
    around a record: the JSON of every network page (business, phone and vessel included).
    Node ids carry no personal data. Audited with the ids it returned."""
    node_id = request.GET.get("node", "")
    if "depth" in request.GET and not parse_more(node_id):
        center = center_of(request.user, node_id)
        found = center and network_of(request.user, center, depth_of(request))
    else:
        found = expansion_of(request.user, node_id)
    if found is None:
        raise Http404
    audit_expansion(request.user, node_id, found, depth_of(request))
    return JsonResponse(found.as_dict())
