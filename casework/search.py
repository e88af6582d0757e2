"""Searching the register: one query over signals, persons, dossiers, businesses, vessels,
phones, identity documents and places, within need to know."""

import re
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.fixed_queries import NOTHING as NO_ROW
from casework.fixed_queries import in_or_nothing
from casework.need_to_know import (
    dossiers_visible_to,
    identifiers_visible_to,
    persons_visible_to,
    through_visible_dossier,
)
from casework.network_centers import ROWS
from casework.person_facts import attach_visible_facts
from casework.search_documents import documents_found
from casework.search_places import places_found
from casework.selectors import signals_visible_to
from register.models import Dossier, DossierPerson
from register.names import digits, name_key, phone_key, prefixes
from register.numbering import dossier_number_pattern, signal_reference_pattern
from signals.attachment_text import snippet, words_of
from signals.models import AttachmentText, SignalBusiness, SignalPerson, SignalVehicle

LIMIT = 50
NETWORK_OF = {"business": "casework:business_network", "vehicle": "casework:vessel_network",
              "phone": "casework:phone_network"}

# Why a result was found, said to the analyst beside it.
REASONS = {
    "name": _("name"), "phone": _("phone number"), "document": _("identity document"),
    "person_name": _("name of a person in it"), "business": _("business named in it"),
    "vehicle": _("vessel or vehicle named in it"), "registration": _("registration number"),
    "title": _("working title"), "document_number": _("document number"),
}


NOTHING = {"signals": [], "dossiers": [], "persons": [], "records": [], "documents": [],
           "places": []}


def run_search(user, query: str) -> dict:
    """What this user may see that the query finds: a reference or dossier number exactly,
    else persons by name, phone or document, signals by their parts, dossiers by title."""
    query = query.strip()
    signals = signals_visible_to(user)
    dossiers = dossiers_visible_to(user)
    persons = persons_visible_to(user)
    reference = query.upper()
    if re.fullmatch(signal_reference_pattern(), reference):
        return {**NOTHING, "signals": list(signals.filter(reference=reference))}
    if re.fullmatch(dossier_number_pattern(), reference):
        return {**NOTHING, "dossiers": list(dossiers.filter(number=reference))}
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
    why = defaultdict(set)  # (model label, pk) -> why it was found
    for person_id, kind in identifiers.filter(exact).values_list("person_id", "kind")[:LIMIT]:
        why["register.person", person_id].add(str(REASONS[kind]))
    # Every lookup is asked for every query (an inapplicable one finds nothing, at once), so a
    # search makes the same queries whatever was typed and whatever it finds.
    for person_id in (by_name.filter(_if(key)).values_list("person_id", flat=True)
                      .distinct()[:LIMIT * 4]):
        why["register.person", person_id].add(str(REASONS["name"]))
    candidates = {pk for (label, pk) in why if label == "register.person"}
    found_persons = list(persons.filter(in_or_nothing("pk", candidates)).order_by("pk")[:LIMIT])
    # Each part finds signal ids through its own index. Signals are numbered as they arrive,
    # so the newest fifty of all parts are among the newest of each part: a common name
    # matching thousands of mentions costs no more than a rare one.
    named, numbered = _if(key), _if(len(document) >= 5)
    parts = [(SignalPerson.objects.filter(named, name_key__contains=key), "person_name"),
             (SignalBusiness.objects.filter(named, name_key__contains=key), "business"),
             (SignalVehicle.objects.filter(named, key__contains=key), "vehicle"),
             (SignalPerson.objects.filter(_if(phone), phone_key=phone), "phone"),
             (SignalVehicle.objects.filter(numbered, key=document), "registration"),
             (SignalBusiness.objects.filter(numbered, registration_number=query),
              "registration")]
    for part, reason in parts:
        # Need to know before the limit, so hidden signals cannot crowd out visible ones.
        for signal_id in (part.filter(through_visible_dossier(user, "signal__dossier"))
                          .order_by("-signal_id").values_list("signal_id", flat=True)[:LIMIT]):
            why["signals.signal", signal_id].add(str(REASONS[reason]))
    documents = documents_found(user, query)
    for document in documents:
        for mention in document["mentions"]:
            why["signals.signal", mention["signal"].pk].add(str(REASONS["document_number"]))
    in_attachments = _attachment_texts(user, query)
    for signal_id in in_attachments:
        why.setdefault(("signals.signal", signal_id), set())  # the file is named below
    newest = {pk for (label, pk) in why if label == "signals.signal"}
    # Who holds each signal and works on each dossier shows in every list, here too.
    found_signals = list(signals.filter(in_or_nothing("pk", newest))
                         .select_related("dossier", "taken_up_by")
                         .order_by("-received_at")[:LIMIT])
    _say_which_attachments(found_signals, in_attachments, words_of(query), why)
    # The dossiers they are in, and the dossiers whose title holds the words.
    roles = list(DossierPerson.objects.filter(in_or_nothing("person", found_persons),
                                              dossier__in=dossiers)
                 .select_related("dossier").order_by("dossier__number"))
    for role in roles:
        why["register.dossier", role.dossier_id].add(
            _("%(person)s is in it") % {"person": f"P-{role.person_id}"})
    for signal in found_signals:
        if signal.dossier_id:
            why["register.dossier", signal.dossier_id].add(
                _("%(reference)s is in it") % {"reference": signal.reference})
    containing = {pk for (label, pk) in why if label == "register.dossier"}
    found_dossiers = list(dossiers.filter(Q(title__icontains=query) | Q(pk__in=containing))
                          .order_by("-updated_at")[:LIMIT])
    _attach_assigned(found_dossiers)
    for dossier in found_dossiers:
        if query.lower() in dossier.title.lower():
            why["register.dossier", dossier.pk].add(str(REASONS["title"]))
    persons_found = attach_visible_facts(user, found_persons)
    for person in persons_found:
        person.found_because = sorted(why["register.person", person.pk])
        person.visible_roles = [r for r in roles if r.person_id == person.pk]
    for signal in found_signals:
        signal.found_because = sorted(why["signals.signal", signal.pk])
    for dossier in found_dossiers:
        dossier.found_because = sorted(why["register.dossier", dossier.pk])
    return {"persons": persons_found, "signals": found_signals, "dossiers": found_dossiers,
            "records": _records([s.pk for s in found_signals], key, phone, document),
            "documents": documents, "places": places_found(user, query)}


def _if(applies) -> Q:
    """No condition where the lookup applies; else one that finds nothing without reading."""
    return Q() if applies else NO_ROW


def _attach_assigned(dossiers: list) -> None:
    """Each dossier's assigned analysts as `assigned`, in one query even when none is found
    (a prefetch asks nothing for no dossiers, so the query count would depend on the name)."""
    through = Dossier.assigned_analysts.through
    assigned = defaultdict(list)
    for row in (through.objects.filter(in_or_nothing("dossier_id", [d.pk for d in dossiers]))
                .select_related("user").order_by("user__last_name", "user__first_name", "pk")):
        assigned[row.dossier_id].append(row.user)
    for dossier in dossiers:
        dossier.assigned = assigned[dossier.pk]


def _records(signal_ids: list[int], key: str, phone: str, document: str) -> list[dict]:
    """The businesses, vessels and phones the words name in the signals found, each once, with
    the way into its network: by the id of a row that holds it, never its name or number.
    Read from the signals found (already within need to know), so it costs one query per kind
    whatever the size of the register."""
    named, numbered = _if(key), _if(len(document) >= 5)
    lookups = [("business", named & Q(name_key__contains=key), "name"),
               ("vehicle", named & Q(key__contains=key), "name"),
               ("business", numbered & Q(registration_number=document), "registration"),
               ("vehicle", numbered & Q(key=document), "registration"),
               ("phone", _if(phone) & Q(phone_key=phone), "phone")]
    records, seen = [], set()
    for kind, match, reason in lookups:
        model, field, label_of = ROWS[kind]
        for row in (model.objects.filter(match, in_or_nothing("signal_id", signal_ids))
                    .exclude(**{field: ""}).order_by("pk")[:LIMIT]):
            if (kind, getattr(row, field)) not in seen:
                seen.add((kind, getattr(row, field)))
                records.append({"kind": kind, "label": label_of(row),
                                "url": reverse(NETWORK_OF[kind], args=[row.pk]),
                                "found_because": [str(REASONS[reason])],
                                "audit_id": f"{model._meta.label_lower}:{row.pk}"})
    return records


def _attachment_texts(user, query: str) -> dict[int, list]:
    """Signal id -> ids of its attachments whose text holds every word of the query (each
    as the beginning of a word), newest signals first, within need to know."""
    words = words_of(query)
    texts = AttachmentText.objects.filter(status=AttachmentText.Status.DONE)
    if not words or max(map(len, words)) < 3:
        texts = texts.filter(NO_ROW)  # too short for the index: nothing, at the same cost
    for word in words:
        texts = texts.filter(search_text__contains=f" {word}")
    # Need to know before the limit, so hidden signals cannot crowd out visible ones.
    found = defaultdict(list)
    for signal_id, attachment_id in (
            texts.filter(through_visible_dossier(user, "attachment__signal__dossier"),
                         attachment__signal__anonymised_at__isnull=True)
            .order_by("-attachment__signal_id")
            .values_list("attachment__signal_id", "attachment_id")[:LIMIT]):
        found[signal_id].append(attachment_id)
    return found


def _say_which_attachments(found_signals, in_attachments, words, why) -> None:
    """Why: "text in attachment scan.pdf of signal MH-2026-000123", and a short piece of the
    text around the words. Only for signals on the page, so at most fifty texts are read."""
    wanted = [pk for signal in found_signals for pk in in_attachments.get(signal.pk, ())]
    texts = {row.attachment_id: row for row in AttachmentText.objects.filter(
        in_or_nothing("attachment_id", wanted)).select_related("attachment")}
    for signal in found_signals:
        signal.attachment_matches = []
        for attachment_id in in_attachments.get(signal.pk, ()):
            row = texts[attachment_id]
            why["signals.signal", signal.pk].add(
                _("text in attachment %(name)s of signal %(reference)s")
                % {"name": row.attachment.original_name, "reference": signal.reference})
            signal.attachment_matches.append(
                {"name": row.attachment.original_name, "snippet": snippet(row.text, words)})
