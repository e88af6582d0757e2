"""What connects to a dossier or a person through the register, one or two steps out.

Nodes are signals, dossiers, persons, businesses, vessels and vehicles, phones and places;
edges say how they connect (mentioned in, in dossier, named in, phone, place of). Everything
is read through the need-to-know selectors: a signal in a dossier hidden from the analyst, and
whatever is known only from it, is never a node, not even an unlabelled one. A node with many
neighbours of one kind (a common place, a big employer) shows the first few and a "more" node
with the count, so the picture stays readable. A fixed number of queries per step.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casework.need_to_know import dossiers_visible_to
from casework.person_facts import attach_visible_facts
from casework.selectors import signals_visible_to
from register.models import Dossier, Person, User
from signals.models import SignalBusiness, SignalPerson, SignalVehicle

HUB = 12  # neighbours of one kind shown per node before the rest collapse into "more"


@dataclass
class Network:
    nodes: dict = field(default_factory=dict)  # id -> {"id", "kind", "label", ...}
    edges: dict = field(default_factory=dict)  # (source, target) -> kind

    level: int = 0  # how many steps from the center the walk is

    def add(self, node_id: str, kind: str, label: str, **extra) -> None:
        self.nodes.setdefault(node_id, {"id": node_id, "kind": kind, "label": label,
                                        "level": self.level, **extra})

    def link(self, source: str, target: str, kind: str) -> None:
        if source != target and (target, source) not in self.edges:
            self.edges.setdefault((source, target), kind)

    def as_dict(self) -> dict:
        return {"nodes": list(self.nodes.values()),
                "edges": [{"source": s, "target": t, "kind": k}
                          for (s, t), k in self.edges.items()]}

    def ids(self) -> list[str]:
        """What the analyst saw, for the audit trail: the records (not the derived keys), in
        the trail's own form, so "who saw this person" finds it."""
        labels = {"signal": "signals.signal", "dossier": "register.dossier",
                  "person": "register.person"}
        return [f"{labels[kind]}:{key}" for kind, _sep, key in
                (node.partition(":") for node in self.nodes) if kind in labels]


def _signal_id(pk) -> str:
    return f"signal:{pk}"


class _Walk:
    def __init__(self, user: User):
        self.user = user
        self.signals = signals_visible_to(user)
        self.network = Network()

    def _capped(self, source: str, kind: str, neighbours: list) -> list:
        """The first HUB neighbours of one kind; the rest as one "more" node."""
        if len(neighbours) > HUB:
            more = f"more:{source}:{kind}"
            self.network.add(more, "more", _("%(count)d more") % {"count": len(neighbours) - HUB})
            self.network.link(source, more, kind)
        return neighbours[:HUB]

    def add_signals(self, signals) -> None:
        for signal in signals:
            self.network.add(_signal_id(signal.pk), "signal", signal.reference,
                             island=signal.island, received=signal.received_at.date().isoformat())

    def step(self, frontier: set[str]) -> set[str]:
        """Every neighbour of the frontier's nodes; returns the nodes new in this step."""
        before = set(self.network.nodes)
        by_kind = defaultdict(set)
        for node in frontier:
            kind, _sep, key = node.partition(":")
            by_kind[kind].add(key)
        # Records lead to the signals they appear in; signals to the records in them.
        self._from_dossiers(by_kind["dossier"])
        self._from_persons(by_kind["person"])
        self._from_parts(SignalBusiness, "name_key", "business", by_kind["business"])
        self._from_parts(SignalVehicle, "key", "vehicle", by_kind["vehicle"])
        self._from_phones(by_kind["phone"])
        self._from_places(by_kind["place"])
        self._around_signals({int(k) for k in by_kind["signal"]})
        return set(self.network.nodes) - before

    def _link_signals(self, kind: str, edge: str, rows, key_of, signal_of=lambda row: row.signal):
        """Link each record (`kind`, keyed by `key_of(row)`) to the signals of its rows,
        newest first and capped per record."""
        found = defaultdict(list)
        for row in rows:
            found[key_of(row)].append(row)
        for key, group in found.items():
            for row in self._capped(f"{kind}:{key}", edge, group):
                signal = signal_of(row)
                self.add_signals([signal])
                self.network.link(f"{kind}:{key}", _signal_id(signal.pk), edge)

    def _from_dossiers(self, dossier_ids) -> None:
        signals = (self.signals.filter(dossier_id__in=[int(d) for d in dossier_ids])
                   .order_by("-received_at", "-id"))
        self._link_signals("dossier", "in_dossier", signals, lambda s: s.dossier_id,
                           signal_of=lambda s: s)

    def _from_persons(self, person_ids) -> None:
        mentions = (SignalPerson.objects.filter(person_id__in=[int(p) for p in person_ids],
                                                signal__in=self.signals)
                    .select_related("signal").order_by("-signal__received_at"))
        self._link_signals("person", "mentioned_in", mentions, lambda m: m.person_id)

    def _from_parts(self, model, key_field: str, kind: str, keys) -> None:
        if not keys:
            return
        rows = (model.objects.filter(**{f"{key_field}__in": keys}, signal__in=self.signals)
                .select_related("signal").order_by("-signal__received_at"))
        self._link_signals(kind, "named_in", rows, lambda row: getattr(row, key_field))

    def _from_phones(self, keys) -> None:
        if not keys:
            return
        mentions = (SignalPerson.objects.filter(phone_key__in=keys, signal__in=self.signals)
                    .select_related("signal").order_by("-signal__received_at"))
        self._link_signals("phone", "phone_in", mentions, lambda m: m.phone_key)

    def _from_places(self, places) -> None:
        for place in places:
            island, _sep, location = place.partition("|")
            signals = (self.signals.filter(island=island, location__iexact=location)
                       .order_by("-received_at")[:HUB + 1])
            self._link_signals("place", "place_of", signals, lambda s, p=place: p,
                               signal_of=lambda s: s)

    def _around_signals(self, signal_ids: set[int]) -> None:
        """Each signal's dossier (if visible), persons, businesses, vehicles, phones, place."""
        if not signal_ids:
            return
        signals = list(self.signals.filter(pk__in=signal_ids).select_related("dossier"))
        visible = set(dossiers_visible_to(self.user).filter(
            pk__in={s.dossier_id for s in signals if s.dossier_id}).values_list("pk", flat=True))
        self.add_signals(signals)
        for signal in signals:
            node = _signal_id(signal.pk)
            if signal.dossier_id in visible:
                self.network.add(f"dossier:{signal.dossier_id}", "dossier",
                                 signal.dossier.number)
                self.network.link(node, f"dossier:{signal.dossier_id}", "in_dossier")
            if signal.location:
                place = f"{signal.island}|{signal.location.strip().lower()}"
                self.network.add(f"place:{place}", "place",
                                 f"{signal.get_island_display()}, {signal.location}")
                self.network.link(node, f"place:{place}", "place_of")
        mentions = list(SignalPerson.objects.filter(signal_id__in=signal_ids)
                        .select_related("person"))
        persons = {m.person_id: m.person for m in mentions if m.person_id}
        attach_visible_facts(self.user, persons.values())
        for mention in mentions:
            node = _signal_id(mention.signal_id)
            if mention.person_id:
                person = persons[mention.person_id]
                self.network.add(f"person:{person.pk}", "person", person.shown_name)
                self.network.link(node, f"person:{person.pk}", "mentioned_in")
            if mention.phone_key:
                self.network.add(f"phone:{mention.phone_key}", "phone", mention.phone)
                self.network.link(node, f"phone:{mention.phone_key}", "phone_in")
        for business in SignalBusiness.objects.filter(signal_id__in=signal_ids):
            if business.name_key:
                self.network.add(f"business:{business.name_key}", "business", business.name)
                self.network.link(_signal_id(business.signal_id),
                                  f"business:{business.name_key}", "named_in")
        for vehicle in SignalVehicle.objects.filter(signal_id__in=signal_ids):
            if vehicle.key:
                self.network.add(f"vehicle:{vehicle.key}", "vehicle",
                                 vehicle.name or vehicle.registration or vehicle.get_kind_display())
                self.network.link(_signal_id(vehicle.signal_id), f"vehicle:{vehicle.key}",
                                  "named_in")


def network_of(user: User, center: Dossier | Person, depth: int = 1) -> Network:
    """The network around a dossier or person the user may see (the caller checked that)."""
    walk = _Walk(user)
    if isinstance(center, Dossier):
        start = f"dossier:{center.pk}"
        walk.network.add(start, "dossier", center.number, center=True)
    else:
        attach_visible_facts(user, [center])
        start = f"person:{center.pk}"
        walk.network.add(start, "person", center.shown_name, center=True)
    frontier = {start}
    for level in range(1, depth * 2 + 1):  # a step out is record -> signal -> record
        walk.network.level = level
        frontier = walk.step(frontier)
        if not frontier:
            break
    return walk.network

