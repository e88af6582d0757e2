"""Searching the register. The form is posted, so search terms never appear in a URL."""

import re

from django.db.models import Q
from django.shortcuts import render

from register.access import role_required
from register.models import Role
from register.names import digits, name_key, prefixes
from register.selectors.dossiers import (
    dossiers_visible_to,
    identifiers_visible_to,
    persons_visible_to,
)
from register.services.audit import audit_record
from register.services.persons import phone_key
from signals.person_facts import attach_visible_facts
from signals.selectors import signals_visible_to
from signals.triage_forms import SearchForm

LIMIT = 50


@role_required(Role.ANALYST)
def search(request):
    form = SearchForm(request.POST or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = run_search(request.user, form.cleaned_data["query"])
        audit_record(actor=request.user, action="register.search.performed",
                     result_ids=[f"{obj._meta.label_lower}:{obj.pk}"
                                 for rows in results.values() for obj in rows])
    return render(request, "signals/search.html", {"form": form, "results": results})


def run_search(user, query: str) -> dict:
    query = query.strip()
    signals = signals_visible_to(user)
    dossiers = dossiers_visible_to(user)
    persons = persons_visible_to(user)
    reference = query.upper()
    if re.fullmatch(r"[A-Z]{2}-\d{4}-\d{6}", reference):
        return {"signals": list(signals.filter(reference=reference)), "dossiers": [],
                "persons": []}
    if re.fullmatch(r"DS-\d{4}-\d{4,}", reference):
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
    matching = by_name.values("person_id") if key else identifiers.none().values("person_id")
    found_persons = persons.filter(
        Q(pk__in=matching) | Q(pk__in=identifiers.filter(exact).values("person_id"))
    )[:LIMIT]
    signal_match = (Q(businesses__name_key__contains=key) | Q(vehicles__key__contains=key)
                    | Q(persons__name_key__contains=key)) if key else Q(pk=None)
    if phone:
        signal_match |= Q(persons__phone_key=phone)
    if len(document) >= 5:
        signal_match |= Q(vehicles__key=document) | Q(businesses__registration_number=query)
    return {
        "persons": attach_visible_facts(user, found_persons),
        "signals": list(signals.filter(signal_match).distinct().order_by("-received_at")[:LIMIT]),
        "dossiers": list(dossiers.filter(title__icontains=query)[:LIMIT]),
    }
