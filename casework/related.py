"""Signals that may belong together, and dossiers a signal may belong to.

Each link is found by an indexed lookup: the same register person, business, phone or vessel,
or the same island and place within a fortnight.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from casework.need_to_know import dossiers_visible_to
from casework.selectors import signals_visible_to
from register.models import Dossier, User
from register.names import normalise
from signals.models import Signal, SignalBusiness, SignalPerson, SignalVehicle

NEARBY_DAYS = 14
LIMIT = 20


@dataclass
class Related:
    signal: Signal
    reasons: list[str] = field(default_factory=list)


def related_signals(signal: Signal, *, user: User) -> list[Related]:
    found: dict[int, Related] = {}

    def add(ids, reason):
        for pk in ids:
            if pk != signal.pk:
                found.setdefault(pk, Related(signal=None)).reasons.append(reason)

    persons = [m.person_id for m in signal.persons.all() if m.person_id]
    if persons:
        add(SignalPerson.objects.filter(person_id__in=persons)
            .values_list("signal_id", flat=True)[:LIMIT], _("same person"))
    phones = [m.phone_key for m in signal.persons.all() if m.phone_key]
    if phones:
        add(SignalPerson.objects.filter(phone_key__in=phones)
            .values_list("signal_id", flat=True)[:LIMIT], _("same phone number"))
    businesses = [b.name_key for b in signal.businesses.all() if b.name_key]
    registrations = [b.registration_number for b in signal.businesses.all()
                     if b.registration_number]
    if businesses:
        add(SignalBusiness.objects.filter(name_key__in=businesses)
            .values_list("signal_id", flat=True)[:LIMIT], _("same business"))
    if registrations:
        add(SignalBusiness.objects.filter(registration_number__in=registrations)
            .values_list("signal_id", flat=True)[:LIMIT], _("same business registration"))
    vehicles = [v.key for v in signal.vehicles.all() if v.key]
    if vehicles:
        add(SignalVehicle.objects.filter(key__in=vehicles)
            .values_list("signal_id", flat=True)[:LIMIT], _("same vessel or vehicle"))
    if signal.location:
        window = dt.timedelta(days=NEARBY_DAYS)
        place = normalise(signal.location)
        nearby = (Signal.objects.filter(island=signal.island,
                                        observed_on__range=(signal.observed_on - window,
                                                            signal.observed_on + window))
                  .exclude(location="").values_list("pk", "location")[:LIMIT * 5])
        add([pk for pk, location in nearby if normalise(location) == place],
            _("same place within two weeks"))
    visible = signals_visible_to(user).filter(pk__in=found).select_related("dossier")
    for other in visible:
        found[other.pk].signal = other
    return sorted((r for r in found.values() if r.signal is not None),
                  key=lambda r: (-len(r.reasons), -r.signal.received_at.timestamp()))


def suggested_dossiers(related: list[Related], *, user: User) -> QuerySet[Dossier]:
    ids = {r.signal.dossier_id for r in related if r.signal.dossier_id}
    return dossiers_visible_to(user).filter(pk__in=ids)
