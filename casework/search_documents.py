"""Identity documents as search results: a document number finds every mention of it in the
signals the analyst may see, however it was written (upper or lower case, with spaces or
dashes), each with its context: the person's role, the signal, its date, island and dossier.

The number is shown in full only when the analyst may see a register person it belongs to;
otherwise all but its last four characters are masked, so the page (a screen share, a
printout) does not carry a whole number of a person the register has not identified."""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from casework.need_to_know import persons_visible_to
from casework.selectors import signals_visible_to
from register.models import User
from register.names import digits
from signals.models import SignalPerson

LIMIT = 50
SHOWN_UNMASKED = 4
MASK = "•"

WHY = _("document number")


def masked(number: str) -> str:
    """'NLAB12345' -> '•••••2345': only the last four characters; of a number of eight or
    fewer, where four would be half of it, only the last one."""
    key = digits(number)
    shown = SHOWN_UNMASKED if len(key) > SHOWN_UNMASKED * 2 else min(len(key), 1)
    return MASK * (len(key) - shown) + key[len(key) - shown:]


def documents_found(user: User, query: str) -> list[dict]:
    """The documents whose number is the query, each with the mentions of it in signals the
    user may see (newest first, at most LIMIT mentions): one query whatever the words."""
    mentions = list(
        SignalPerson.objects.filter(document_key=digits(query))
        .exclude(document_key="")
        .filter(signal__in=signals_visible_to(user))
        .annotate(person_visible=Exists(persons_visible_to(user).filter(pk=OuterRef("person_id"))))
        .select_related("signal__dossier")
        .order_by("-signal_id", "pk")[:LIMIT])
    by_number = defaultdict(list)
    for mention in mentions:
        by_number[mention.document_key].append(mention)
    documents = []
    for number, found in by_number.items():
        identified = any(m.person_visible for m in found)
        documents.append({
            "kind": "document",
            "types": sorted({str(m.get_document_type_display()) for m in found
                             if m.document_type}),
            "number": number if identified else masked(number),
            "mentions": [_context(m) for m in found],
            "found_because": [str(WHY)],
            "audit_ids": [f"{SignalPerson._meta.label_lower}:{m.pk}" for m in found]})
    return documents


def _context(mention: SignalPerson) -> dict:
    signal = mention.signal
    person = mention.person_id if mention.person_visible else None
    return {"role": mention.get_role_display(), "signal": signal,
            "person": person and f"P-{person}", "person_id": person,
            "name": " ".join(p for p in (mention.given_names, mention.family_name) if p)
            if person else ""}
