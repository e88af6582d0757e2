"""What connects to a record through the register, one or two steps out.

Nodes are signals, dossiers, persons, businesses, vessels and vehicles, phones, identity
documents, places and routes; edges say how they connect, in the kinds the analysts name:
named together in a signal, same phone, same document, same employer, same vessel (or flight),
same place (within two weeks: two signals), same route (the border section's country of
departure, countries of transit and island of arrival), in dossier.
Everything is read through the need-to-know selectors: a signal in a dossier hidden from the
analyst, and whatever is known only from it, is never a node, not even an unlabelled one or a
count. A node with many neighbours of one kind (a common place, a big employer) shows the first
few and a "more" node with the count, which expands a page at a time. A fixed number of queries
per step, and a bounded number of rows whatever a hub's size.

Node ids carry no personal data, so they may travel in a URL: a phone, business, vessel or
place (or document) is named by the id of the first row the analyst may see that holds it
(the same row for the same phone every time), never by its number or name.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext as _

from casework import network_queries
from casework.need_to_know import dossiers_visible_to
from casework.network_queries import Queries
from casework.person_facts import attach_visible_facts
from casework.selectors import signals_visible_to
from register.models import Person, User
from signals.countries import country_name
from signals.models import SignalPerson
from signals.vocab import DocumentType, Island, VehicleKind

HUB = 12  # neighbours of one kind shown per node before the rest collapse into "more"
PAGE = 50  # neighbours shown by expanding a "more" node, the rest in a further "more"
# A picture stays readable, and a page quick, up to a few hundred records: a walk takes no
# further step once it holds this many (the analyst expands the records she wants instead).
BUDGET = 250
NEAR_DAYS = 14  # two signals at the same place this many days apart or less are linked
# The most queries one level of a walk asks, whatever it meets (a step out is two levels,
# record -> signals -> records; a level's frontier may hold both, as signals near in time are
# found beside records): from records, one per kind (dossier, person, business, vessel,
# phone, document, place, route); from signals, the signals, their dossiers, places, routes,
# persons (three: mentions, persons, what she may see of them), phones, documents,
# businesses, vessels, and those near in time.
QUERIES_PER_LEVEL = 8 + 12

# Edge kinds, in the words of the analysts (the page's legend names them).
IN_DOSSIER = "in_dossier"
NAMED_TOGETHER = "named_together"  # a person and the signal that names her with others
SAME_PHONE = "same_phone"
SAME_DOCUMENT = "same_document"  # the same identity document number
SAME_EMPLOYER = "same_employer"
SAME_VESSEL = "same_vessel"
SAME_PLACE = "same_place"
SAME_PLACE_WITHIN_TWO_WEEKS = "same_place_within_two_weeks"  # signal to signal
SAME_ROUTE = "same_route"  # a signal and its route (departure, transit, island of arrival)
EDGE_KINDS = (IN_DOSSIER, NAMED_TOGETHER, SAME_PHONE, SAME_DOCUMENT, SAME_EMPLOYER, SAME_VESSEL,
              SAME_PLACE, SAME_PLACE_WITHIN_TWO_WEEKS, SAME_ROUTE)

# A record's kind -> the edge that leads from it to the signals that hold or name it.
RECORD_EDGES = {"dossier": IN_DOSSIER, "person": NAMED_TOGETHER, "business": SAME_EMPLOYER,
                "vehicle": SAME_VESSEL, "phone": SAME_PHONE, "document": SAME_DOCUMENT}
# What each kind of node is read from, for the audit trail ("who saw this row").
TRAIL = {"signal": "signals.signal", "dossier": "register.dossier",
         "person": "register.person", "business": "signals.signalbusiness",
         "vehicle": "signals.signalvehicle", "phone": "signals.signalperson",
         "document": "signals.signalperson"}


@dataclass
class Network:
    nodes: dict = field(default_factory=dict)  # id -> {"id", "kind", "label", ...}
    edges: dict = field(default_factory=dict)  # (source, target) -> kind

    level: int = 0  # how many steps from the center the walk is
    stopped_at: int | None = None  # the level at which BUDGET stopped the walk, if it did

    def add(self, node_id: str, kind: str, label: str, **extra) -> None:
        self.nodes.setdefault(node_id, {"id": node_id, "kind": kind, "label": label,
                                        "level": self.level, **extra})

    def link(self, source: str, target: str, kind: str) -> None:
        if source != target and (target, source) not in self.edges:
            self.edges.setdefault((source, target), kind)

    def as_dict(self) -> dict:
        return {"nodes": list(self.nodes.values()),
                "edges": [{"source": s, "target": t, "kind": k}
                          for (s, t), k in self.edges.items()],
                **({"stopped_at_step": (self.stopped_at + 1) // 2}
                   if self.stopped_at is not None else {})}

    def ids(self) -> list[str]:
        """What the analyst saw, for the audit trail: the records (not places or counts), in
        the trail's own form, so "who saw this person" finds it."""
        return [f"{TRAIL[kind]}:{key}" for kind, _sep, key in
                (node.partition(":") for node in self.nodes) if kind in TRAIL]


def signal_node(pk) -> str:
    return f"signal:{pk}"


def more_node(source: str, edge: str, shown: int) -> str:
    """The "N more" node of `source`'s neighbours by `edge` after the first `shown`."""
    return f"more:{source}:{edge}:{shown}"


def id_in(text: str, digits: int = 18) -> int | None:
    """The number a node id ends in, or None: ASCII digits only (str.isdigit takes "²", which
    int() refuses) and few enough for a bigint, so an odd id is a 404, never a 500."""
    return int(text) if re.fullmatch(rf"[0-9]{{1,{digits}}}", text) else None


def parse_more(node: str) -> tuple[str, str, int] | None:
    """(source, edge, shown) of a "more" node id, or None. `shown` has at most six digits: a
    walk pages through a hub 50 at a time, and a larger offset would only make a huge LIMIT."""
    kind, _sep, rest = node.partition(":")
    source, _sep, tail = rest.rpartition(":")
    source, _sep, edge = source.rpartition(":")
    shown = id_in(tail, digits=6)
    if kind != "more" or shown is None or edge not in EDGE_KINDS or ":" not in source:
        return None
    return source, edge, shown


def route_label(departure: str, island: str, transit: str) -> str:
    """"Venezuela → Curaçao → Bonaire": where from, through where, to which island."""
    try:
        through = [str(code) for code in json.loads(transit or "[]")]
    except ValueError:
        through = []
    return " → ".join([country_name(departure), *(country_name(c) for c in through),
                       str(dict(Island.choices).get(island, island))])


def place_key():
    """The place of a signal as the walk compares it (island apart): trimmed, lower case. The
    same expression as the index signals_same_place, so the lookup is an index range scan."""
    return Lower(Trim("location"))


class Walk:
    """One analyst's walk through the register, a step at a time (casework/network_centers.py
    starts it from a record or a "more" node). Each step asks a fixed number of questions for
    the whole frontier (casework/network_queries.py), whatever its size."""

    def __init__(self, user: User, start: int = 0, stop: int = HUB):
        self.user = user
        self.queries = Queries(signals_visible_to(user))
        self.network = Network()
        self.start, self.stop = start, stop  # which neighbours of each node this walk shows

    def step(self, frontier: set[str], only_edge: str = "") -> set[str]:
        """Every neighbour of the frontier's nodes (by `only_edge`, if given); returns the
        nodes new in this step."""
        before = set(self.network.nodes)
        by_kind = defaultdict(set)
        for node in frontier:
            kind, _sep, key = node.partition(":")
            if (pk := id_in(key)) is not None:
                by_kind[kind].add(pk)
        # Records lead to the signals they appear in; signals to the records in them.
        for kind, edge in RECORD_EDGES.items():
            if kind in ("dossier", "person"):
                self._from_records(kind, edge, {f"{kind}:{pk}": pk for pk in by_kind[kind]})
            else:
                self._from_rows(kind, edge, by_kind[kind])
        self._from_places(by_kind["place"])
        self._from_routes(by_kind["route"])
        signals = self.queries.signals(by_kind["signal"])
        if only_edge == SAME_PLACE_WITHIN_TWO_WEEKS:
            self._near_in_time(signals)
        else:
            self._around_signals(signals)
        return set(self.network.nodes) - before

    # -- records to signals ------------------------------------------------------------------

    def add_signals(self, signals) -> None:
        for signal in signals:
            self.network.add(signal_node(signal.id), "signal", signal.reference,
                             island=signal.island, observed=signal.observed_on.isoformat())

    def _link_signals(self, edge: str, rows, nodes: dict) -> None:
        """Link each record (`nodes[key]`) to the signal of each of its ranked rows
        (key, signal, total), and to a "more" node for those past this walk's window."""
        totals = {}
        for key, signal, total in rows:
            self.add_signals([signal])
            self.network.link(nodes[key], signal_node(signal.id), edge)
            totals[nodes[key]] = total
        self._more(edge, totals)

    def _more(self, edge: str, totals: dict, shown: int | None = None) -> None:
        """For each source with more neighbours by `edge` than this walk shows (up to
        `shown`, its window's end unless told), one "N more" node that expands the rest."""
        shown = self.stop if shown is None else shown
        for source, total in totals.items():
            if total > shown:
                more = more_node(source, edge, shown)
                count = total - shown
                # Past COUNTED a hub is not counted to the end (that would cost what it holds).
                label = (_("at least %(count)d more") if total >= network_queries.COUNTED
                         else _("%(count)d more")) % {"count": count}
                self.network.add(more, "more", label, count=count)
                self.network.link(source, more, edge)

    def _from_records(self, kind: str, edge: str, nodes: dict) -> None:
        """A dossier or person: the signals that hold or name it (the caller saw that the
        analyst may see the record; the signals are checked here)."""
        keys = {key: node for node, key in nodes.items()}
        self._link_signals(edge, self.queries.signals_naming(kind, keys, self.start,
                                                             self.stop), keys)

    def _from_rows(self, kind: str, edge: str, row_ids) -> None:
        """A business, vessel, phone or document, named by the id of a row that holds it:
        the signals whose rows hold the same key."""
        self._link_signals(edge, self.queries.signals_naming_rows(kind, row_ids, self.start,
                                                                  self.stop),
                           {pk: f"{kind}:{pk}" for pk in row_ids})

    def _from_places(self, signal_ids) -> None:
        """A place, named by the id of a signal there: the signals at the same place."""
        self._link_signals(SAME_PLACE, self.queries.signals_at_place_of(
            signal_ids, self.start, self.stop), {pk: f"place:{pk}" for pk in signal_ids})

    def _from_routes(self, signal_ids) -> None:
        """A route, named by the id of a signal on it: the signals on the same route."""
        self._link_signals(SAME_ROUTE, self.queries.signals_on_route_of(
            signal_ids, self.start, self.stop), {pk: f"route:{pk}" for pk in signal_ids})

    # -- signals to records ------------------------------------------------------------------

    def _around_signals(self, signals) -> None:
        """Each signal's dossier (if visible), persons, businesses, vehicles, phones,
        documents, place, and the signals at the same place within two weeks."""
        if not signals:
            return
        dossiers = dict(dossiers_visible_to(self.user).filter(
            pk__in={s.dossier_id for s in signals if s.dossier_id}).values_list("pk", "number"))
        self.add_signals(signals)
        places = self.queries.first_signals_at({(s.island, s.place) for s in signals
                                                if s.place})
        routes = self.queries.first_signals_on({s.route for s in signals if s.route})
        islands = dict(Island.choices)
        for signal in signals:
            node = signal_node(signal.id)
            if signal.dossier_id in dossiers:
                self.network.add(f"dossier:{signal.dossier_id}", "dossier",
                                 dossiers[signal.dossier_id])
                self.network.link(node, f"dossier:{signal.dossier_id}", IN_DOSSIER)
            if (signal.island, signal.place) in places:
                place = f"place:{places[(signal.island, signal.place)]}"
                self.network.add(place, "place",
                                 f"{islands[signal.island]}, {signal.location.strip()}")
                self.network.link(node, place, SAME_PLACE)
            if signal.route in routes:
                route = f"route:{routes[signal.route]}"
                self.network.add(route, "route", route_label(*signal.route))
                self.network.link(node, route, SAME_ROUTE)
        signal_ids = [s.id for s in signals]
        self._mentions(signal_ids)
        self._named_rows("business", SAME_EMPLOYER, signal_ids, ("name",),
                         lambda name: name)
        vessel_kinds = dict(VehicleKind.choices)
        self._named_rows("vehicle", SAME_VESSEL, signal_ids, ("name", "registration", "kind"),
                         lambda name, registration, kind:
                         name or registration or vessel_kinds.get(kind, kind))
        self._near_in_time(signals)

    def _mentions(self, signal_ids) -> None:
        mentions = list(SignalPerson.objects.filter(signal_id__in=signal_ids,
                                                    person__isnull=False)
                        .values_list("signal_id", "person_id"))
        persons = {p.pk: p for p in Person.objects.filter(pk__in={m[1] for m in mentions})}
        attach_visible_facts(self.user, persons.values())
        for signal_id, person_id in mentions:
            person = f"person:{person_id}"
            self.network.add(person, "person", persons[person_id].shown_name)
            self.network.link(person, signal_node(signal_id), NAMED_TOGETHER)
        self._named_rows("phone", SAME_PHONE, signal_ids, ("phone",), lambda phone: phone)
        types = dict(DocumentType.choices)
        self._named_rows("document", SAME_DOCUMENT, signal_ids,
                         ("document_type", "document_number"), lambda kind, number:
                         f"{types.get(kind, _('Identity document'))} {number.strip()}")

    def _named_rows(self, kind, edge, signal_ids, label_fields, label_of) -> None:
        """Each row of `kind` in the signals, as the node of its key (named by the first
        row she may see that holds it), linked to the signal."""
        for signal_id, *label, first in self.queries.rows_with_first(kind, signal_ids,
                                                                    label_fields):
            node = f"{kind}:{first}"
            self.network.add(node, kind, label_of(*label))
            self.network.link(node, signal_node(signal_id), edge)

    def _near_in_time(self, signals) -> None:
        """Signals at the same place (island and place) observed at most NEAR_DAYS apart,
        each signal's own page of them, oldest first."""
        found = defaultdict(list)
        totals = {}
        for source, other, total in self.queries.near_in_time(signals, NEAR_DAYS, self.start,
                                                              self.stop):
            found[source].append(other)
            totals[signal_node(source)] = total
        for source, others in found.items():
            self.add_signals(others)
            for other in others:
                self.network.link(signal_node(source), signal_node(other.id),
                                  SAME_PLACE_WITHIN_TWO_WEEKS)
        self._more(SAME_PLACE_WITHIN_TWO_WEEKS, totals)
