"""Writing signals. A signal is saved whole, with its audit event, or not at all."""

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import BirthPrecision, Organisation, Role, User
from register.names import digits, name_key, phone_key, phonetic_key
from register.numbering import next_in_year, reserve_in_year, signal_reference
from register.services.audit import audit_record, audit_record_many
from register.services.notifications import notify
from register.tasks_queue import enqueue_each_on_commit
from signals.attachments import check_staging_quota, sha256_of
from signals.models import (
    Attachment,
    AttachmentText,
    ReferenceCounter,
    Signal,
    SignalBusiness,
    SignalForm,
    SignalIndicator,
    SignalPerson,
    SignalVehicle,
    StagedUpload,
)
from signals.vocab import AgeBand, Channel, Sector

PERSON_FIELDS = (
    "role", "family_name", "given_names", "alias", "sex", "date_of_birth",
    "date_of_birth_precision", "estimated_age",
    "nationality", "document_type", "document_number", "phone", "notes",
)
BUSINESS_FIELDS = ("name", "registration_number", "address")
VEHICLE_FIELDS = ("kind", "name", "registration", "description")


@dataclass
class SignalInput:
    reporter_name: str
    reporter_organisation: Organisation
    observed_on: dt.date
    island: str
    description: str
    forms: list[str]
    reporter_phone: str = ""
    reporter_email: str = ""
    location: str = ""
    sector: str = ""
    immediate_danger: bool = False
    indicators: list[str] = field(default_factory=list)
    persons: list[dict] = field(default_factory=list)
    businesses: list[dict] = field(default_factory=list)
    vehicles: list[dict] = field(default_factory=list)
    border_place: str = ""
    border_position: str = ""
    departure_country: str = ""
    transit_countries: list[str] = field(default_factory=list)
    group_size: int | None = None
    border_outcome: str = ""

    def fingerprint(self) -> str:
        """A hash of what was sent, to tell a true retry from a reused idempotency key."""
        data = asdict(self)
        data["reporter_organisation"] = self.reporter_organisation.pk
        payload = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


@dataclass
class NewAttachment:
    name: str
    content_type: str
    file: File


class IdempotencyConflict(Exception):
    """The idempotency key was used before for a different signal."""


def _next_reference(received_at: dt.datetime) -> str:
    return signal_reference(*next_in_year(ReferenceCounter,
                                          timezone.localtime(received_at).year))


def _existing_submission(actor: User, key: str | None) -> Signal | None:
    if not key:
        return None
    return Signal.objects.filter(submitted_by=actor, idempotency_key=key).first()


def signal_submit(
    *,
    actor: User,
    channel: str,
    data: SignalInput,
    attachments: list[NewAttachment] = (),
    staged: list[StagedUpload] = (),
    idempotency_key: str | None = None,
) -> tuple[Signal, bool]:
    """File a signal. Returns (signal, created); a repeated key returns the first signal.

    Raises IdempotencyConflict when the key was used for different content.
    """
    fingerprint = data.fingerprint()
    existing = _existing_submission(actor, idempotency_key)
    if existing is None:
        try:
            return _create(actor, channel, data, attachments, staged, idempotency_key,
                           fingerprint), True
        except IntegrityError:
            # A concurrent request with the same key won the race; answer with its signal.
            existing = _existing_submission(actor, idempotency_key)
            if existing is None:
                raise
    if channel == Channel.API and existing.request_fingerprint != fingerprint:
        raise IdempotencyConflict(existing.reference)
    return existing, False


def _create(actor, channel, data, attachments, staged, idempotency_key, fingerprint) -> Signal:
    written: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            signal = _unsaved_signal(actor, channel, data, fingerprint, now,
                                     _next_reference(now), idempotency_key)
            signal.save(force_insert=True)
            _create_parts([(signal, data)])
            stored = []
            for item in attachments:
                stored.append(_attach(signal, item.name, item.content_type, item.file))
                written.append(stored[-1].file.name)
            for upload in staged:
                with upload.file.open("rb") as handle:
                    stored.append(
                        _attach(signal, upload.original_name, upload.content_type, File(handle))
                    )
                written.append(stored[-1].file.name)
            _read_after_commit(stored)
            staged_files = [upload.file.name for upload in staged]
            StagedUpload.objects.filter(pk__in=[upload.pk for upload in staged]).delete()
            audit_record(
                actor=actor,
                action="signals.signal.created",
                obj=signal,
                detail={
                    "channel": channel,
                    "persons": len(data.persons),
                    "businesses": len(data.businesses),
                    "vehicles": len(data.vehicles),
                    "attachments": len(written),
                },
            )
            if signal.immediate_danger:
                _alarm_analysts(signal)
    except BaseException:
        # The database rolled back; files already written must go too.
        storage = Attachment._meta.get_field("file").storage
        for name in written:
            storage.delete(name)
        raise
    staging = StagedUpload._meta.get_field("file").storage
    transaction.on_commit(lambda: [staging.delete(name) for name in staged_files])
    return signal


def _unsaved_signal(actor, channel, data: SignalInput, fingerprint: str, now, reference: str,
                    idempotency_key: str | None = None) -> Signal:
    return Signal(
        reference=reference,
        channel=channel,
        received_at=now,
        submitted_by=actor,
        idempotency_key=idempotency_key or None,
        request_fingerprint=fingerprint,
        reporter_name=data.reporter_name,
        reporter_organisation=data.reporter_organisation,
        reporter_phone=data.reporter_phone,
        reporter_email=data.reporter_email,
        observed_on=data.observed_on,
        last_processed_at=now,
        island=data.island,
        location=data.location,
        # One code for "not known": a blank sector was a second bar on the dashboard.
        sector=data.sector or Sector.UNKNOWN,
        description=data.description,
        immediate_danger=data.immediate_danger,
        border_place=data.border_place,
        border_position=data.border_position,
        departure_country=data.departure_country,
        transit_countries=list(data.transit_countries),
        group_size=data.group_size,
        border_outcome=data.border_outcome,
    )


def _create_parts(made: list[tuple[Signal, SignalInput]]) -> None:
    """The forms, indicators, persons, businesses and vehicles of saved signals: one insert
    per table, however many signals."""
    SignalForm.objects.bulk_create(
        SignalForm(signal=signal, code=code)
        for signal, data in made for code in dict.fromkeys(data.forms))
    SignalIndicator.objects.bulk_create(
        SignalIndicator(signal=signal, code=code)
        for signal, data in made for code in dict.fromkeys(data.indicators))
    SignalPerson.objects.bulk_create(
        _person(signal, i, p, data.observed_on)
        for signal, data in made for i, p in enumerate(data.persons))
    SignalBusiness.objects.bulk_create(
        SignalBusiness(signal=signal, position=i, name_key=name_key(b.get("name", "")),
                       **_pick(b, BUSINESS_FIELDS))
        for signal, data in made for i, b in enumerate(data.businesses))
    SignalVehicle.objects.bulk_create(
        SignalVehicle(signal=signal, position=i, key=vehicle_key(v), **_pick(v, VEHICLE_FIELDS))
        for signal, data in made for i, v in enumerate(data.vehicles))


def signals_file_many(*, actor: User, channel: str, inputs: list[SignalInput]) -> list[Signal]:
    """File many signals at once, without attachments or idempotency keys (the bulk import:
    casework/imports). Call inside a transaction. The same rows and audit events as
    `signal_submit` makes one by one, in a fixed number of statements: one block of
    consecutive references reserved, one insert per table, the audit events appended
    together. The reference counter and the audit chain are locked only for those last
    statements, so other intake waits for them, not for the building of the block."""
    if not inputs:
        return []
    now = timezone.now()
    fingerprints = [data.fingerprint() for data in inputs]
    year, first = reserve_in_year(ReferenceCounter, len(inputs),
                                  timezone.localtime(now).year)
    signals = [_unsaved_signal(actor, channel, data, fingerprint, now,
                               signal_reference(year, first + offset))
               for offset, (data, fingerprint) in enumerate(zip(inputs, fingerprints,
                                                                 strict=True))]
    Signal.objects.bulk_create(signals)
    _create_parts(list(zip(signals, inputs, strict=True)))
    audit_record_many(actor=actor, action="signals.signal.created", objects=[
        (signal, {"channel": channel, "persons": len(data.persons),
                  "businesses": len(data.businesses), "vehicles": len(data.vehicles),
                  "attachments": 0})
        for signal, data in zip(signals, inputs, strict=True)])
    for signal in signals:
        if signal.immediate_danger:
            _alarm_analysts(signal)
    return signals


def _alarm_analysts(signal: Signal) -> None:
    """Someone in immediate danger: every analyst is told at once (in the app and, unless
    they chose otherwise, by e-mail). The register keeps no duty roster, so every active
    analyst is on duty for this."""
    analysts = User.objects.filter(is_active=True, is_system_account=False,
                                   role_grants__role=Role.ANALYST)
    notify(users=analysts, event="signals.signal.immediate_danger",
           params={"ref": signal.reference},
           url=reverse("signals:detail", args=[signal.reference]))


def _attach(signal: Signal, name: str, content_type: str, content: File) -> Attachment:
    attachment = Attachment(
        signal=signal,
        original_name=name[:200],
        content_type=content_type,
        size=content.size,
        sha256=sha256_of(content),
        received_at=signal.received_at,
    )
    attachment.file.save("upload", content, save=False)
    attachment.save()
    return attachment


def _read_after_commit(attachments: list[Attachment]) -> None:
    """The worker reads each file's text once the signal is committed (never in the request:
    OCR takes seconds a page). A broker that is down does not fail the filing; the sweep
    (signals.tasks.read_missing_attachment_texts) finds the file later."""
    from signals.tasks import read_attachment  # the tasks module imports this one

    enqueue_each_on_commit(read_attachment, [(str(a.pk),) for a in attachments])


def attachment_read_again(*, actor: User, attachment: Attachment) -> None:
    """An analyst asks the worker to read a file whose text could not be read (a tool failed,
    a time limit passed, Tesseract's languages were missing): the failure is forgotten, so
    the worker (and, should the broker be down, the sweep) reads it as a new file."""
    with transaction.atomic():
        # Locked, so a worker storing the text meanwhile cannot be undone halfway.
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        failed = AttachmentText.objects.filter(attachment=locked,
                                               status=AttachmentText.Status.FAILED)
        if not failed.exists():
            raise ValidationError(_("Only a file whose text could not be read is read again."))
        failed.delete()
        audit_record(actor=actor, action="signals.attachment.read_again", obj=locked,
                     detail={"signal": locked.signal.reference})
        _read_after_commit([locked])


def _person(signal: Signal, position: int, values: dict, observed_on: dt.date) -> SignalPerson:
    person = SignalPerson(signal=signal, position=position, **_pick(values, PERSON_FIELDS))
    person.name_key = name_key(person.given_names, person.family_name, person.alias)
    person.phonetic_key = phonetic_key(person.given_names, person.family_name, person.alias)
    person.phone_key = phone_key(person.phone)
    person.document_key = digits(person.document_number)
    person.age_band = AgeBand.for_age(age_at(person, observed_on))
    return person


def unsaved_mention(values: dict, observed_on: dt.date) -> SignalPerson:
    """A person as a signal would store them, not saved: the bulk import's preview asks
    casework's matching about the persons of rows not yet imported."""
    return _person(None, 0, values, observed_on)


def vehicle_key(values: dict) -> str:
    """A vessel is recognised by its registration, else by its name."""
    return digits(values.get("registration") or "") or name_key(values.get("name") or "")


def age_at(person: SignalPerson, on: dt.date) -> int | None:
    if person.date_of_birth:
        born = person.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return person.estimated_age


def _pick(values: dict, fields: tuple[str, ...]) -> dict:
    picked = {}
    for name in fields:
        value = values.get(name)
        if value is None and name not in {"date_of_birth", "estimated_age"}:
            value = ""
        if name == "date_of_birth_precision":
            # A partner that knows only the year says so; otherwise the day is known.
            value = value or BirthPrecision.DAY
        picked[name] = value
    return picked


def _discard_staged(upload: StagedUpload) -> None:
    upload.file.delete(save=False)
    upload.delete()


def staged_upload_keep(*, actor: User, form_token: str, name: str, content_type: str,
                       file: File) -> StagedUpload:
    """Keep a valid file from a form that failed validation, for the next submission, as far
    as the user's quota for kept files allows (ValidationError past it)."""
    with transaction.atomic():
        check_staging_quota(owner=actor, upload=file)
        upload = StagedUpload(owner=actor, form_token=form_token, original_name=name[:200],
                              content_type=content_type, size=file.size)
        upload.file.save("upload", file, save=False)
        upload.save()
    return upload


def staged_upload_discard(*, actor: User, upload_ids: list[str]) -> None:
    for upload in StagedUpload.objects.filter(owner=actor, pk__in=upload_ids):
        _discard_staged(upload)


def staged_uploads_purge(*, older_than: dt.datetime) -> int:
    count = 0
    for upload in StagedUpload.objects.filter(created_at__lt=older_than):
        _discard_staged(upload)
        count += 1
    return count
