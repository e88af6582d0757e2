"""Searching the register: one query over signals, persons and dossiers, within need to know."""

import re

from django.db.models import Q

from casework.need_to_know import (
    dossiers_visible_to,
    identifiers_visible_to,
    persons_visible_to,
    through_visible_dossier,
)
from casework.person_facts import attach_visible_facts
from casework.selectors import signals_visible_to
from register.names import digits, name_key, phone_key, prefixes
from register.numbering import dossier_number_pattern, signal_reference_pattern
from signals.models import SignalBusiness, SignalPerson, SignalVehicle

LIMIT = 50


def run_search(user, query: str) -> dict:
    """What this user may see that the query finds: a reference or dossier number exactly,
    else persons by name, phone or document, signals by their parts, dossiers by title."""
    query = query.strip()
    signals = signals_visible_to(user)
    dossiers = dossiers_visible_to(user)
    persons = persons_visible_to(user)
    reference = query.upper()
    if re.fullmatch(signal_reference_pattern(), reference):
        return {"signals": list(signals.filter(reference=reference)), "dossiers": [],
                "persons": []}
    if re.fullmatch(dossier_number_pattern(), reference):
        return {"signals": [], "dossiers": list(dossiers.filter(number=reference)),
                "persons": []}
    key, phone, document = name_key(query), phone_key(query), digits(query)
    identifiers = identifiers_visible_to(user)
    by_name = identifiers.filter(kind="name")
    for start in prefixes(key, 3):
        by_name = by_name.filter(value__contains=start)
    exact = Q(pk=None)
    if phone:
        exact |= Q(kind="phone", value=phone)
    if len(document) >= 5:
        exact |= Q(kind="document", value=document)
    # At most a few pages of candidates, fetched apart: a common family name matches thousands
    # of persons and the page shows fifty, and an OR of two subqueries reads every person.
    candidates = set(identifiers.filter(exact).values_list("person_id", flat=True)[:LIMIT])
    if key:
        candidates |= set(by_name.values_list("person_id", flat=True).distinct()[:LIMIT * 4])
    found_persons = persons.filter(pk__in=candidates).order_by("pk")[:LIMIT]
    # Each part finds signal ids through its own index. Signals are numbered as they arrive,
    # so the newest fifty of all parts are among the newest of each part: a common name
    # matching thousands of mentions costs no more than a rare one.
    parts = []
    if key:
        parts += [SignalPerson.objects.filter(name_key__contains=key),
                  SignalBusiness.objects.filter(name_key__contains=key),
                  SignalVehicle.objects.filter(key__contains=key)]
    if phone:
        parts.append(SignalPerson.objects.filter(phone_key=phone))
    if len(document) >= 5:
        parts += [SignalVehicle.objects.filter(key=document),
                  SignalBusiness.objects.filter(registration_number=query)]
    newest = set()
    for part in parts:
        # Need to know before the limit, so hidden signals cannot crowd out visible ones.
        newest.update(part.filter(through_visible_dossier(user, "signal__dossier"))
                      .order_by("-signal_id").values_list("signal_id", flat=True)[:LIMIT])
    found_signals = signals.filter(pk__in=newest)
    return {
        "persons": attach_visible_facts(user, found_persons),
        "signals": list(found_signals.order_by("-received_at")[:LIMIT]),
        "dossiers": list(dossiers.filter(title__icontains=query)[:LIMIT]),
    }
