"""The disclosure ledger: `record_disclosure` is called wherever personal data leaves the
register (a printed dossier summary, a list export, an answer to a data-subject request, a
share with another country of the Kingdom, a brief for a partner), in the same transaction as
the audit event of the act itself.

The privacy officer (the auditor role) lists and exports the ledger; the data-subject search
shows the disclosures of what it found (`disclosures_about`).
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import DisclosedObject, Disclosure, User
from register.models.disclosures import Channel, KingdomCountry, LegalGround
from register.services.audit import audit_record


def disclosed(object_type: str, object_id, reference: str = "") -> tuple[str, str, str]:
    """One object in a disclosure: ("signals.signal", 12, "MH-2026-00012")."""
    return object_type, str(object_id), reference


def record_disclosure(*, actor: User, objects: Iterable[tuple[str, str, str]], channel: str,
                      recipient_organisation: str, legal_ground: str,
                      recipient_person: str = "", country: str = "", purpose: str = "",
                      kept_until: dt.date | None = None,
                      approved_by: User | None = None,
                      disclosed_by: User | None = None) -> Disclosure:
    """Record that `objects` (triples from `disclosed`) left the register.

    Refuses (ValidationError at the field) a disclosure without a recipient, with an unknown
    ground, channel or country, or with a keeping date in the past. A share with another
    country of the Kingdom needs a second person's approval (`approved_by`, not the one who
    discloses: `disclosed_by`, by default the actor; the actor is who is audited). Writes
    the ledger row, its objects and an audit event in one transaction."""
    objects = list(dict.fromkeys(objects))
    disclosed_by = disclosed_by or actor
    errors = {}
    if not recipient_organisation.strip():
        errors["recipient_organisation"] = _("Say to which organisation the data goes.")
    if legal_ground not in LegalGround.values:
        errors["legal_ground"] = _("Choose the legal ground of the disclosure.")
    if channel not in Channel.values:
        errors["channel"] = _("Unknown way of disclosing.")
    if country and country not in KingdomCountry.values:
        errors["country"] = _("Choose a country of the Kingdom.")
    if kept_until is not None and kept_until < timezone.localdate():
        errors["kept_until"] = _("The date until which the data may be kept cannot be in the "
                                 "past.")
    if channel == Channel.KINGDOM_SHARE and (
            approved_by is None or approved_by.pk == disclosed_by.pk or not country):
        errors["approved_by"] = _("Sharing with another country of the Kingdom needs a "
                                  "second analyst's approval.")
    if not objects:
        errors["objects"] = _("Nothing was disclosed.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            channel=channel, recipient_organisation=recipient_organisation.strip()[:200],
            recipient_person=recipient_person.strip()[:200], country=country,
            legal_ground=legal_ground, purpose=purpose.strip()[:300], kept_until=kept_until,
            disclosed_by=disclosed_by, approved_by=approved_by, disclosed_at=timezone.now())
        DisclosedObject.objects.bulk_create(
            DisclosedObject(disclosure=disclosure, object_type=kind, object_id=pk,
                            reference=reference[:40])
            for kind, pk, reference in objects)
        audit_record(actor=actor, action="register.disclosure.recorded", obj=disclosure,
                     result_ids=[f"{kind}:{pk}" for kind, pk, _ref in objects],
                     detail={"channel": channel, "ground": legal_ground, "country": country,
                             "objects": len(objects)})
    return disclosure


def disclosures_about(objects: Iterable[tuple[str, str]],
                      references: Iterable[str] = ()) -> QuerySet[Disclosure]:
    """The disclosures holding any of `objects` ((type, id) pairs) or anything of the signals
    and dossiers with `references`."""
    match = Q(pk__in=[])
    for kind, pk in set(objects):
        match |= Q(object_type=kind, object_id=str(pk))
    references = {r for r in references if r}
    if references:
        match |= Q(reference__in=references)
    ids = DisclosedObject.objects.filter(match).values("disclosure_id")
    return Disclosure.objects.filter(pk__in=ids).select_related("disclosed_by", "approved_by")
