"""The network of a dossier or a person: drawn, and as a list of nodes and links. Opening it
is audited with the signals, dossiers and persons it showed."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from casework.need_to_know import dossiers_visible_to, persons_visible_to
from casework.network import network_of
from casework.network_drawing import layout
from register.access import analyst_only
from register.services.audit import audit_record

KINDS = {"dossier": _("Dossier"), "signal": _("Signal"), "person": _("Person"),
         "business": _("Business"), "vehicle": _("Vessel or vehicle"), "phone": _("Phone"),
         "place": _("Place"), "more": _("More")}
LINKS = {"in_dossier": _("in dossier"), "mentioned_in": _("mentioned in"),
         "named_in": _("named in"), "phone_in": _("phone in"), "place_of": _("place of")}


def depth_of(request) -> int:
    """One step out unless two are asked for; anything else is one."""
    return 2 if request.GET.get("depth") == "2" else 1


def _page(request, center, obj, audit_action: str):
    depth = depth_of(request)
    network = network_of(request.user, center, depth)
    audit_record(actor=request.user, action=audit_action, obj=obj,
                 result_ids=network.ids(), detail={"depth": depth})
    data = network.as_dict()
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    links = [{"source": labels[e["source"]], "target": labels[e["target"]],
              "kind": LINKS.get(e["kind"], e["kind"])} for e in data["edges"]]
    nodes = [{**node, "kind_label": KINDS.get(node["kind"], node["kind"])}
             for node in sorted(data["nodes"], key=lambda n: (n["level"], n["kind"], n["label"]))]
    return render(request, "casework/network.html", {
        # The center's label from the network: for a person, what need to know lets show.
        "center": next(n["label"] for n in nodes if n["level"] == 0), "depth": depth,
        "nodes": nodes, "links": links,
        "drawing": layout(data)})


@analyst_only
def dossier_network(request, number: str):
    dossier = dossiers_visible_to(request.user).filter(number=number).first()
    if dossier is None:
        raise Http404
    return _page(request, dossier, dossier, "register.dossier.network_viewed")


@analyst_only
def person_network(request, person_id: int):
    person = persons_visible_to(request.user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return _page(request, person, person, "register.person.network_viewed")
