"""What the signals app tells the core about the personal data it holds: where a data subject
appears (the data-subject search) and how a signal is anonymised when its time is up."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from register.names import name_similarity, normalise, phonetic_key, prefixes
from register.retention import DueItem
from register.services.audit import audit_record
from register.subject_search import Finding, SubjectQuery, birth_date_reasons
from signals.attachment_text import snippet, words_of
from signals.models import (
    Attachment,
    AttachmentText,
    Signal,
    SignalBusiness,
    SignalPerson,
    SignalQuestion,
    SignalVehicle,
)

MATCH_THRESHOLD = 70
NAME_ALONE = 85  # a name this alike is reported even without a date of birth or document


def find_in_signals(query: SubjectQuery) -> list[Finding]:
    wanted = f"{query.given_names} {query.family_name}".strip()
    candidates = Q()
    for start in prefixes(wanted):
        candidates |= Q(name_key__contains=start)
    for sound in phonetic_key(wanted).split():
        candidates |= Q(phonetic_key__contains=sound)
    if query.date_of_birth:
        born = query.date_of_birth
        candidates |= Q(date_of_birth=born) | Q(date_of_birth__year=born.year)
    document = normalise(query.document_number).replace(" ", "")
    if document:
        candidates |= Q(document_number__iexact=query.document_number.strip())
    if not candidates:
        return []
    findings = []
    persons = (SignalPerson.objects.filter(candidates, signal__anonymised_at__isnull=True)
               .select_related("signal"))
    for person in persons.iterator():
        stored = " ".join(p for p in (person.given_names, person.family_name, person.alias) if p)
        score = name_similarity(wanted, stored, penalise_missing=False) if wanted else 0
        reasons = [_("name %(score)d%% alike") % {"score": score}] if score else []
        points, reason = birth_date_reasons(query.date_of_birth, person.date_of_birth)
        if reason:
            reasons.append(reason)
        same_document = bool(document) and normalise(person.document_number).replace(
            " ", "") == document
        if same_document:
            reasons.append(_("same identity document"))
        total = min(100, int(score * 0.7 + points + (60 if same_document else 0)))
        if total >= MATCH_THRESHOLD or score >= NAME_ALONE or same_document:
            total = max(total, int(score * 0.8))
            findings.append(Finding(
                where=_("person in a signal"), object_type="signals.signalperson",
                object_id=str(person.pk), reference=person.signal.reference,
                role=person.get_role_display(), name=stored,
                date_of_birth=person.date_of_birth, score=total, reasons=reasons))
    return findings


def find_in_attachment_texts(query: SubjectQuery) -> list[Finding]:
    """A name (every word, in any order) or a document number in the text read from an
    attachment: a scanned form or a photographed passport names people too."""
    words = words_of(f"{query.given_names} {query.family_name}")
    document = words_of(query.document_number)
    if not words and not document:
        return []
    texts = AttachmentText.objects.filter(status=AttachmentText.Status.DONE,
                                          attachment__signal__anonymised_at__isnull=True)
    matches = Q(pk__in=[])
    if words:
        name = Q()
        for word in words:  # whole words: a data subject is asked about by full name
            name &= Q(search_text__contains=f" {word} ")
        matches |= name
    if document:
        matches |= Q(search_text__contains=f" {' '.join(document)} ")
    findings = []
    for row in (texts.filter(matches).select_related("attachment__signal")
                .order_by("attachment__signal_id").iterator()):
        in_order = bool(words) and f" {' '.join(words)} " in row.search_text
        has_document = bool(document) and f" {' '.join(document)} " in row.search_text
        reasons = []
        if words and all(f" {word} " in row.search_text for word in words):
            reasons.append(_("the name in the text of an attachment"))
        if has_document:
            reasons.append(_("the identity document in the text of an attachment"))
        findings.append(Finding(
            where=_("text of an attachment"), object_type="signals.attachment",
            object_id=str(row.attachment_id), reference=row.attachment.signal.reference,
            role="", name=snippet(row.text, words or document, width=40),
            date_of_birth=None, score=90 if in_order or has_document else 75, reasons=reasons))
    return findings


def signals_due(cutoff: dt.datetime) -> list[DueItem]:
    return [DueItem("signals.signal", str(pk), reference, last)
            for pk, reference, last in Signal.objects.filter(
                last_processed_at__lt=cutoff, anonymised_at__isnull=True)
            .values_list("pk", "reference", "last_processed_at").iterator()]


def anonymise_signals(*, actor, object_ids: list[str]) -> int:
    """Remove the personal data; keep what the annual figures count (forms, island, sector,
    dates, and per person the role, sex, age band and nationality)."""
    signals = Signal.objects.filter(pk__in=object_ids, anonymised_at__isnull=True)
    ids = list(signals.values_list("pk", flat=True))
    storage = Attachment._meta.get_field("file").storage
    files = list(Attachment.objects.filter(signal_id__in=ids).values_list("file", flat=True))
    with transaction.atomic():
        Attachment.objects.filter(signal_id__in=ids).delete()
        SignalBusiness.objects.filter(signal_id__in=ids).delete()
        SignalVehicle.objects.filter(signal_id__in=ids).delete()
        SignalPerson.objects.filter(signal_id__in=ids).update(
            family_name="", given_names="", alias="", date_of_birth=None, estimated_age=None,
            document_type="", document_number="", phone="", notes="", name_key="",
            phonetic_key="", phone_key="", document_key="")
        SignalQuestion.objects.filter(signal_id__in=ids).update(question="", answer="")
        Signal.objects.filter(pk__in=ids).update(
            reporter_name="", reporter_phone="", reporter_email="", description="",
            location="", not_taken_up_reason="", reason_for_reporter="",
            anonymised_at=timezone.now())
        for signal in Signal.objects.filter(pk__in=ids).only("pk", "reference"):
            audit_record(actor=actor, action="signals.signal.anonymised", obj=signal)
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return len(ids)
