"""What connects to a record through the register, one or two steps out.

Nodes are signals, dossiers, persons, businesses, vessels and vehicles, phones and places;
edges say how they connect, in the kinds the analysts name: named together in a signal, same
phone, same employer, same vessel, same place (within two weeks: two signals), in dossier.
Everything is read through the need-to-know selectors: a signal in a dossier hidden from the
analyst, and whatever is known only from it, is never a node, not even an unlabelled one or a
count. A node with many neighbours of one kind (a common place, a big employer) shows the first
few and a "more" node with the count, which expands a page at a time. A fixed number of queries
per step, and a bounded number of rows whatever a hub's size.

Node ids carry no personal data, so they may travel in a URL: a phone, business, vessel or
place is named by the id of the first row the analyst may see that holds it (the same row for
the same phone every time), never by its number or name.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import Lower, RowNumber, Trim
from django.utils.translation import gettext as _

from casework.need_to_know import dossiers_visible_to
from casework.person_facts import attach_visible_facts
from casework.selectors import signals_visible_to
from register.models import User
from signals.models import SignalBusiness, SignalPerson, SignalVehicle

HUB = 12  # neighbours of one kind shown per node before the rest collapse into "more"
PAGE = 50  # neighbours shown by expanding a "more" node, the rest in a further "more"
# A picture stays readable, and a page quick, up to a few hundred records: a walk takes no
# further step once it holds this many (the analyst expands the records she wants instead).
BUDGET = 250
NEAR_DAYS = 14  # two signals at the same place this many days apart or less are linked

# Edge kinds, in the words of the analysts (the page's legend names them).
IN_DOSSIER = "in_dossier"
NAMED_TOGETHER = "named_together"  # a person and the signal that names her with others
SAME_PHONE = "same_phone"
SAME_EMPLOYER = "same_employer"
SAME_VESSEL = "same_vessel"
SAME_PLACE = "same_place"
SAME_PLACE_WITHIN_TWO_WEEKS = "same_place_within_two_weeks"  # signal to signal
EDGE_KINDS = (IN_DOSSIER, NAMED_TOGETHER, SAME_PHONE, SAME_EMPLOYER, SAME_VESSEL, SAME_PLACE,
              SAME_PLACE_WITHIN_TWO_WEEKS)

# What each kind of node is read from, for the audit trail ("who saw this row").
TRAIL = {"signal": "signals.signal", "dossier": "register.dossier",
         "person": "register.person", "business": "signals.signalbusiness",
         "vehicle": "signals.signalvehicle", "phone": "signals.signalperson"}


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


def place_key():
    """The place of a signal as the walk compares it (island apart): trimmed, lower case. The
    same expression as the index signals_same_place, so the lookup is an index range scan."""
    return Lower(Trim("location"))


def _ranked(rows, partition: list[str], order: list, start: int, stop: int):
    """The rows numbered within each partition, only numbers start+1..stop, each with its
    partition's total: one query and a bounded number of rows whatever a hub's size."""
    return (rows.annotate(rank=Window(RowNumber(), partition_by=[F(p) for p in partition],
                                      order_by=order),
                          total=Window(Count("pk"), partition_by=[F(p) for p in partition]))
            .filter(rank__gt=start, rank__lte=stop))


class Walk:
    """One analyst's walk through the register, a step at a time (casework/network_centers.py
    starts it from a record or a "more" node)."""

    def __init__(self, user: User, start: int = 0, stop: int = HUB):
        self.user = user
        self.signals = signals_visible_to(user)
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
        self._from_dossiers(by_kind["dossier"])
        self._from_persons(by_kind["person"])
        self._from_rows(SignalBusiness, "name_key", "business", SAME_EMPLOYER,
                        by_kind["business"])
        self._from_rows(SignalVehicle, "key", "vehicle", SAME_VESSEL, by_kind["vehicle"])
        self._from_rows(SignalPerson, "phone_key", "phone", SAME_PHONE, by_kind["phone"])
        self._from_places(by_kind["place"])
        if only_edge == SAME_PLACE_WITHIN_TWO_WEEKS:
            self._near_in_time(by_kind["signal"])
        else:
            self._around_signals(by_kind["signal"])
        return set(self.network.nodes) - before

    # -- records to signals ------------------------------------------------------------------

    def add_signals(self, signals) -> None:
        for signal in signals:
            self.network.add(signal_node(signal.pk), "signal", signal.reference,
                             island=signal.island, observed=signal.observed_on.isoformat())

    def _link_signals(self, edge: str, rows, node_of, signal_of=lambda row: row.signal):
        """Link each record (`node_of(row)`) to the signal of each of its ranked rows, and to
        a "more" node for those past this walk's window."""
        totals = {}
        for row in rows:
            signal = signal_of(row)
            self.add_signals([signal])
            self.network.link(node_of(row), signal_node(signal.pk), edge)
            totals[node_of(row)] = row.total
        self._more(edge, totals)

    def _more(self, edge: str, totals: dict, shown: int | None = None) -> None:
        """For each source with more neighbours by `edge` than this walk shows (up to
        `shown`, its window's end unless told), one "N more" node that expands the rest."""
        shown = self.stop if shown is None else shown
        for source, total in totals.items():
            if total > shown:
                more = more_node(source, edge, shown)
                self.network.add(more, "more", _("%(count)d more") % {"count": total - shown},
                                 count=total - shown)
                self.network.link(source, more, edge)

    def _newest(self):
        return [F("signal__received_at").desc(), F("signal_id").desc()]

    def _from_dossiers(self, dossier_ids) -> None:
        if not dossier_ids:
            return
        signals = _ranked(self.signals.filter(dossier_id__in=dossier_ids), ["dossier_id"],
                          [F("received_at").desc(), F("id").desc()], self.start, self.stop)
        self._link_signals(IN_DOSSIER, signals, lambda s: f"dossier:{s.dossier_id}",
                           signal_of=lambda s: s)

    def _from_persons(self, person_ids) -> None:
        if not person_ids:
            return
        mentions = _ranked(SignalPerson.objects.filter(person_id__in=person_ids,
                                                       signal__in=self.signals),
                           ["person_id"], self._newest(), self.start, self.stop)
        self._link_signals(NAMED_TOGETHER, mentions.select_related("signal"),
                           lambda m: f"person:{m.person_id}")

    def _from_rows(self, model, key_field: str, kind: str, edge: str, row_ids) -> None:
        """A business, vessel or phone, named by the id of a row that holds it: the signals
        whose rows hold the same key."""
        if not row_ids:
            return
        nodes = {key: f"{kind}:{pk}" for pk, key in
                 model.objects.filter(pk__in=row_ids, signal__in=self.signals)
                 .exclude(**{key_field: ""}).values_list("pk", key_field)}
        rows = _ranked(model.objects.filter(**{f"{key_field}__in": nodes},
                                            signal__in=self.signals),
                       [key_field], self._newest(), self.start, self.stop)
        self._link_signals(edge, rows.select_related("signal"),
                           lambda row: nodes[getattr(row, key_field)])

    def _from_places(self, signal_ids) -> None:
        """A place, named by the id of a signal there: the signals at the same place."""
        if not signal_ids:
            return
        places = {(island, key): f"place:{pk}" for pk, island, key in
                  self.signals.filter(pk__in=signal_ids).annotate(place=place_key())
                  .exclude(place="").values_list("pk", "island", "place")}
        if not places:
            return
        there = reduce(or_, (Q(island=island, place=key) for island, key in places))
        signals = _ranked(self.signals.annotate(place=place_key()).filter(there),
                          ["island", "place"], [F("received_at").desc(), F("id").desc()],
                          self.start, self.stop)
        self._link_signals(SAME_PLACE, signals, lambda s: places[(s.island, s.place)],
                           signal_of=lambda s: s)

    # -- signals to records ------------------------------------------------------------------

    def _canonical(self, model, key_field: str, kind: str, keys: set) -> dict:
        """key -> node id: the first row the analyst may see that holds the key, so a phone,
        business or vessel is one node (and one URL) whichever signal led to it."""
        if not keys:
            return {}
        return {key: f"{kind}:{first}" for key, first in
                model.objects.filter(**{f"{key_field}__in": keys}, signal__in=self.signals)
                .values(key_field).annotate(first=Min("pk")).values_list(key_field, "first")}

    def _canonical_places(self, places: set) -> dict:
        if not places:
            return {}
        there = reduce(or_, (Q(island=island, place=key) for island, key in places))
        return {(island, key): f"place:{first}" for island, key, first in
                self.signals.annotate(place=place_key()).filter(there)
                .values("island", "place").annotate(first=Min("pk"))
                .values_list("island", "place", "first")}

    def _around_signals(self, signal_ids: set[int]) -> None:
        """Each signal's dossier (if visible), persons, businesses, vehicles, phones, place,
        and the signals at the same place within two weeks."""
        if not signal_ids:
            return
        signals = list(self.signals.filter(pk__in=signal_ids).select_related("dossier")
                       .annotate(place=place_key()))
        visible = set(dossiers_visible_to(self.user).filter(
            pk__in={s.dossier_id for s in signals if s.dossier_id}).values_list("pk", flat=True))
        self.add_signals(signals)
        places = self._canonical_places({(s.island, s.place) for s in signals if s.place})
        for signal in signals:
            node = signal_node(signal.pk)
            if signal.dossier_id in visible:
                self.network.add(f"dossier:{signal.dossier_id}", "dossier",
                                 signal.dossier.number)
                self.network.link(node, f"dossier:{signal.dossier_id}", IN_DOSSIER)
            if (signal.island, signal.place) in places:
                place = places[(signal.island, signal.place)]
                self.network.add(place, "place",
                                 f"{signal.get_island_display()}, {signal.location.strip()}")
                self.network.link(node, place, SAME_PLACE)
        self._mentions(signal_ids)
        self._named_rows(SignalBusiness, "name_key", "business", SAME_EMPLOYER, signal_ids,
                         lambda row: row.name)
        self._named_rows(SignalVehicle, "key", "vehicle", SAME_VESSEL, signal_ids,
                         lambda row: row.name or row.registration or row.get_kind_display())
        self._near_in_time(signal_ids, signals)

    def _mentions(self, signal_ids) -> None:
        mentions = list(SignalPerson.objects.filter(signal_id__in=signal_ids)
                        .select_related("person"))
        persons = {m.person_id: m.person for m in mentions if m.person_id}
        attach_visible_facts(self.user, persons.values())
        phones = self._canonical(SignalPerson, "phone_key", "phone",
                                 {m.phone_key for m in mentions if m.phone_key})
        for mention in mentions:
            node = signal_node(mention.signal_id)
            if mention.person_id:
                person = persons[mention.person_id]
                self.network.add(f"person:{person.pk}", "person", person.shown_name)
                self.network.link(f"person:{person.pk}", node, NAMED_TOGETHER)
            if mention.phone_key in phones:
                self.network.add(phones[mention.phone_key], "phone", mention.phone)
                self.network.link(phones[mention.phone_key], node, SAME_PHONE)

    def _named_rows(self, model, key_field, kind, edge, signal_ids, label_of) -> None:
        rows = list(model.objects.filter(signal_id__in=signal_ids).exclude(**{key_field: ""}))
        nodes = self._canonical(model, key_field, kind, {getattr(r, key_field) for r in rows})
        for row in rows:
            node = nodes[getattr(row, key_field)]
            self.network.add(node, kind, label_of(row))
            self.network.link(node, signal_node(row.signal_id), edge)

    def _near_in_time(self, signal_ids: set[int], signals=None) -> None:
        """Signals at the same place (island and place) observed at most NEAR_DAYS apart:
        one count and one bounded fetch, each an index range scan per signal."""
        if signals is None:
            signals = list(self.signals.filter(pk__in=signal_ids).annotate(place=place_key()))
        signals = [s for s in signals if s.place]
        if not signals:
            return
        near = datetime.timedelta(days=NEAR_DAYS)

        def around(signal):
            return Q(island=signal.island, place=signal.place,
                     observed_on__range=(signal.observed_on - near, signal.observed_on + near))

        there = self.signals.annotate(place=place_key())
        totals = there.aggregate(**{f"n{s.pk}": Count("pk", filter=around(s)) for s in signals})
        # Oldest first, each signal finding itself too; paged in that order.
        candidates = list(there.filter(reduce(or_, map(around, signals)))
                          .order_by("observed_on", "id")[:(self.stop + 1) * len(signals)])
        for signal in signals:
            node = signal_node(signal.pk)
            found = [c for c in candidates if c.pk != signal.pk and c.island == signal.island
                     and c.place == signal.place and abs(c.observed_on - signal.observed_on)
                     <= near]
            shown = found[self.start:self.stop]
            for other in shown:
                self.add_signals([other])
                self.network.link(node, signal_node(other.pk), SAME_PLACE_WITHIN_TWO_WEEKS)
            # The fetch is shared, so a signal may show fewer than its share: the "more" node
            # starts where this one stopped.
            self._more(SAME_PLACE_WITHIN_TWO_WEEKS, {node: totals[f"n{signal.pk}"] - 1},
                       shown=self.start + len(shown))
