"""Where a walk through the network starts: a record the analyst may see (a dossier, person,
signal, business, vessel, phone, place or route, by its node id), or a "more" node, whose
expansion is the next page of its source's neighbours. A node the analyst may not see is None
(a 404)."""

from casework.need_to_know import dossiers_visible_to, persons_visible_to
from casework.network import (
    BUDGET,
    PAGE,
    Network,
    Walk,
    id_in,
    parse_more,
    place_key,
    route_label,
)
from casework.network_queries import Queries
from casework.person_facts import attach_visible_facts
from casework.selectors import signals_visible_to
from register.models import Dossier, Person, User
from signals.models import SignalBusiness, SignalPerson, SignalVehicle

# kind -> (model, key field, label) of the rows a business, vessel, phone or identity document
# node is named by
ROWS = {
    "business": (SignalBusiness, "name_key", lambda row: row.name),
    "vehicle": (SignalVehicle, "key",
                lambda row: row.name or row.registration or row.get_kind_display()),
    "phone": (SignalPerson, "phone_key", lambda row: row.phone),
    "document": (SignalPerson, "document_key",
                 lambda row: f"{row.get_document_type_display()} {row.document_number.strip()}"),
}


def node_id_of(obj: Dossier | Person) -> str:
    return f"{'dossier' if isinstance(obj, Dossier) else 'person'}:{obj.pk}"


def center_of(user: User, node_id: str) -> dict | None:
    """The node {"id", "kind", "label"} if the user may see it, with the id the walk gives it
    (the first visible row of a phone, business, vessel or place); else None."""
    kind, _sep, key = node_id.partition(":")
    pk = id_in(key)
    if pk is None:
        return None
    signals = signals_visible_to(user)
    if kind == "dossier":
        dossier = dossiers_visible_to(user).filter(pk=pk).first()
        return dossier and {"id": node_id, "kind": kind, "label": dossier.number}
    if kind == "person":
        person = persons_visible_to(user).filter(pk=pk).first()
        if person is None:
            return None
        attach_visible_facts(user, [person])
        return {"id": node_id, "kind": kind, "label": person.shown_name}
    if kind == "signal":
        signal = signals.filter(pk=pk).first()
        return signal and {"id": node_id, "kind": kind, "label": signal.reference}
    if kind == "route":
        queries = Queries(signals)
        found = queries.signals([pk])
        route = found[0].route if found else None
        if route is None:
            return None
        first = queries.first_signals_on({route})[route]
        return {"id": f"route:{first}", "kind": kind, "label": route_label(*route)}
    # A place, phone, business or vessel is one node, named by the same first row the walk
    # names it by (casework/network_queries.py), whichever row the id came in with.
    if kind == "place":
        signal = signals.annotate(place=place_key()).filter(pk=pk).exclude(place="").first()
        if signal is None:
            return None
        place = (signal.island, signal.place)
        first = Queries(signals).first_signals_at({place})[place]
        return {"id": f"place:{first}", "kind": kind,
                "label": f"{signal.get_island_display()}, {signal.location.strip()}"}
    if kind in ROWS:
        model, key_field, label_of = ROWS[kind]
        row = (model.objects.filter(pk=pk, signal__in=signals).exclude(**{key_field: ""})
               .first())
        if row is None:
            return None
        key = getattr(row, key_field)
        first = Queries(signals).first_rows(kind, {key})[key]
        return {"id": f"{kind}:{first}", "kind": kind, "label": label_of(row)}
    return None


def network_of(user: User, center: Dossier | Person | dict, depth: int = 1) -> Network:
    """The network around a record the user may see (the caller checked that: a model
    instance from a need-to-know selector, or a node from center_of)."""
    if not isinstance(center, dict):
        center = center_of(user, node_id_of(center))
    walk = Walk(user)
    walk.network.add(center["id"], center["kind"], center["label"], center=True)
    frontier = {center["id"]}
    for level in range(1, depth * 2 + 1):  # a step out is record -> signal -> record
        if len(walk.network.nodes) >= BUDGET:
            walk.network.stopped_at = level
            break
        walk.network.level = level
        frontier = walk.step(frontier)
        if not frontier:
            break
    return walk.network


def expansion_of(user: User, node_id: str) -> Network | None:
    """What expanding a node adds: a record's neighbours one step out, or for a "more" node
    the next page of its source's neighbours (and a "more" node for the rest, if any). None
    if the user may not see the node."""
    more = parse_more(node_id)
    if more is None:
        center = center_of(user, node_id)
        return center and network_of(user, center, depth=1)
    source_id, edge, shown = more
    source = center_of(user, source_id)
    # Any offset is fine: the counts behind it are over rows the analyst may see. (A signal's
    # "same place within two weeks" neighbours may stop before HUB; their "more" starts there.)
    if source is None or source["id"] != source_id:
        return None
    walk = Walk(user, start=shown, stop=shown + PAGE)
    walk.network.add(source["id"], source["kind"], source["label"], center=True)
    walk.network.level = 1
    walk.step({source["id"]}, only_edge=edge)
    return walk.network
