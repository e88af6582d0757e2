"""Writing and checking the audit trail.

Every service calls `audit_record` inside its own transaction. Appends are serialised so the
hash chain has one order: on PostgreSQL by a transaction-level advisory lock, taken by the
database function that appends the event in one round trip; on SQLite by its single writer
(transactions there begin IMMEDIATE).
"""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from register import request_context
from register.models import AuditEvent, User
from register.models.audit import GENESIS_HASH, HASHED_FIELDS, chain_hash, event_payload

_CHAIN_LOCK = 0x41554454  # "AUDT": the advisory lock key that orders appends (see 0014)

# What a detail may hold as text: codes, field names, ids, dates, usernames, references. No
# white space, so no sentence, description, reason or full name can pass; no "@" or "+", so
# no e-mail address or phone number; short, so no text can hide in one either. The trail is
# append-only and retention can never purge what is written into it.
_CODE = re.compile(r"[\w.:/-]{0,64}")


class FreeTextInAuditDetail(ValueError):
    """A service tried to put text into an audit event's detail: a programming error."""


def audit_code(value) -> str:
    """A value for a detail that may come from a user (a search filter): kept if it is a code,
    else replaced by a marker that says only that text was given."""
    text = "" if value is None else str(value)
    return text if _CODE.fullmatch(text) else ":text:"


def audit_filters(data, names) -> dict:
    """A search's filters as a detail: only the named filters, each value kept only where it
    is a code (see audit_code)."""
    return {name: audit_code(data.get(name)) for name in names if data.get(name)}


def check_detail(value, path: str = "detail") -> None:
    if value is None or isinstance(value, bool | int | float):
        return
    if isinstance(value, str):
        if not _CODE.fullmatch(value):
            raise FreeTextInAuditDetail(
                f"{path} holds text; audit details hold field names, codes and ids only")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_detail(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            check_detail(str(key), f"{path} key")
            check_detail(item, f"{path}.{key}")
        return
    raise FreeTextInAuditDetail(f"{path} is a {type(value).__name__}; give a code or an id")


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    result_ids: Iterable[str | int] = (),
    detail: dict | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one event. `detail` holds codes and field names only, never personal data:
    `check_detail` refuses text, so this one writer of the trail keeps every action code to
    that rule."""
    event = _event(actor, action, obj, object_type, object_id, result_ids, detail, username)
    if connection.vendor == "postgresql":
        _append_on_postgresql(event)
        return event
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last or GENESIS_HASH
        event.hash = event.compute_hash(event.prev_hash)
        event.save(force_insert=True)
    return event


def _event(actor, action, obj=None, object_type="", object_id="", result_ids=(), detail=None,
           username="") -> AuditEvent:
    check_detail(detail or {})
    context = request_context.current()
    object_ref = ""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_ref = getattr(obj, "audit_ref", "")
    known = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        at=timezone.now(),
        actor=known,
        actor_username=known.get_username() if known else username[:150],
        organisation_code=known.organisation.code if known else "",
        roles=",".join(sorted(known.role_codes)) if known else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_ref=object_ref,
        request_id=context.request_id,
        ip=context.ip,
        result_ids=[str(i) for i in result_ids],
        detail=detail or {},
    )
    return event


def audit_watermark() -> int:
    """The id of the newest event once every append in flight has committed: whatever an event
    up to this id records is visible to the queries that follow. (Each append holds the
    chain's lock until its transaction commits, so taking the lock waits for them; on SQLite
    the single writer does the same.) The report rollup (reporting.rollup) keeps it to tell
    whether anything changed since it was counted."""
    if connection.vendor == "postgresql":
        return _watermark_on_postgresql()
    return AuditEvent.objects.aggregate(newest=models.Max("id"))["newest"] or 0


def _watermark_on_postgresql() -> int:
    with connection.cursor() as cursor:
        # A session lock taken and let go at once: held only while the newest id is read,
        # even when the caller is inside a long transaction.
        cursor.execute("SELECT pg_advisory_lock(%s)", [_CHAIN_LOCK])
        try:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM register_auditevent")
            newest = cursor.fetchone()[0]
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_CHAIN_LOCK])
    return newest


def _lock_chain_on_postgresql() -> None:
    """Held to the end of the transaction, as the append function holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def audit_record_many(*, actor: User | None, action: str,
                      objects: list[tuple[models.Model, dict | None]]) -> list[AuditEvent]:
    """Append one event per (object, detail), together: the chain's lock taken and its newest
    hash read once, the events hashed here in order and inserted in one statement (the bulk
    import files a block of signals this way). The same events, chained the same way, as
    `audit_record` one by one; the lock is held to the end of the caller's transaction."""
    events = [_event(actor, action, obj, detail=detail) for obj, detail in objects]
    if not events:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _lock_chain_on_postgresql()
        previous = (AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
                    or GENESIS_HASH)
        for event in events:
            event.prev_hash = previous
            event.hash = previous = event.compute_hash(previous)
        AuditEvent.objects.bulk_create(events)
    return events


_APPEND = ("SELECT * FROM register_audit_append(%s::timestamptz, %s::bigint, %s::text, "
           "%s::text, %s::text, %s::text, %s::text, %s::text, %s::text, %s::text, %s::inet, "
           "%s::jsonb, %s::jsonb, %s::bytea)")


def _append_on_postgresql(event: AuditEvent) -> None:
    """One round trip (migration register 0014): the function takes the chain's lock
    (_CHAIN_LOCK), reads the newest hash and inserts the event with
    chain_hash(previous hash, payload), computed in the database from the payload made here."""
    values = [field.get_db_prep_save(getattr(event, field.attname), connection)
              for field in (AuditEvent._meta.get_field(name) for name in HASHED_FIELDS)]
    with connection.cursor() as cursor:
        cursor.execute(_APPEND, [*values, event.payload()])
        event.pk, event.prev_hash, event.hash = cursor.fetchone()
    event._state.adding = False
    event._state.db = connection.alias


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str
    code: str  # for the audit event that records the break: a code, not the sentence


def audit_chain_breaks(*, chunk_size: int = 5000) -> Iterator[ChainBreak]:
    """Walk the chain in order and yield where it breaks (changed, removed or reordered).

    The chain alone cannot tell that its newest events were cut off, or that someone with the
    database rewrote all of it; the checkpoint kept outside the database can.
    """
    checkpoint = read_checkpoint()
    if checkpoint:
        anchored = AuditEvent.objects.filter(pk=checkpoint["id"]).values_list(
            "hash", flat=True).first()
        if anchored != checkpoint["hash"]:
            yield ChainBreak(checkpoint["id"], "the checkpoint kept outside the database no "
                                               "longer matches: events were removed or "
                                               "rewritten", "checkpoint_mismatch")
    expected_prev = GENESIS_HASH
    for pk, values, prev_hash, stored_hash in _events_in_order(chunk_size):
        if prev_hash != expected_prev:
            yield ChainBreak(pk, "previous-hash mismatch: an event before it was removed, "
                                 "inserted or reordered", "previous_hash_mismatch")
        elif chain_hash(prev_hash, event_payload(*values)) != stored_hash:
            yield ChainBreak(pk, "content changed after it was written", "content_changed")
        expected_prev = stored_hash


def _events_in_order(chunk_size: int) -> Iterator[tuple]:
    # Keyset pagination keeps memory flat over tens of millions of events; plain tuples, not
    # model instances, keep the walk at disk speed.
    last_id = 0
    columns = ("id", *HASHED_FIELDS, "prev_hash", "hash")
    while True:
        chunk = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")
                     .values_list(*columns)[:chunk_size])
        if not chunk:
            return
        for row in chunk:
            yield row[0], row[1:-2], row[-2], row[-1]
        last_id = chunk[-1][0]


def read_checkpoint() -> dict | None:
    path = Path(settings.AUDIT_CHECKPOINT_PATH)
    if not path.exists():
        return None
    return json.loads(path.read_text())


def write_checkpoint() -> dict | None:
    """Remember the newest event's id and hash outside the database (after a clean check)."""
    last = AuditEvent.objects.order_by("-id").values("id", "hash").first()
    if last is None:
        return None
    path = Path(settings.AUDIT_CHECKPOINT_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = {"id": last["id"], "hash": last["hash"], "at": timezone.now().isoformat()}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(checkpoint))
    temporary.replace(path)
    return checkpoint
