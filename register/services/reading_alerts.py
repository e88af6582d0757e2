"""Unusual reading, found in the audit trail once a day and raised to the auditors.

Three patterns, each an alert per account and day holding ids and counts only:
- volume: more distinct persons and dossiers opened than the threshold of the account's role
  (settings.READING_DAILY_THRESHOLDS) and more than READING_USUAL_FACTOR times the account's
  usual day (its mean over the previous 28 days on which it opened any);
- night: anything opened between READING_NIGHT_START and READING_NIGHT_END (local time);
- name searches: READING_NAME_SEARCHES or more searches on a day without opening a dossier or
  a person (looking people up without a case).
"""

import datetime as dt
from collections import Counter, defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import AuditEvent, ReadingAlert, Role, User
from register.services.audit import audit_record
from register.services.notifications import notify

OPENED = ("register.person.viewed", "register.dossier.viewed")
READ = (*OPENED, "signals.signal.viewed")
SEARCHED = ("register.search.performed",)
USUAL_DAYS = 28


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1),
                                                          dt.time.min))


def _at_night(moment: dt.datetime) -> bool:
    hour = timezone.localtime(moment).hour
    start, end = settings.READING_NIGHT_START, settings.READING_NIGHT_END
    return hour >= start or hour < end if start > end else start <= hour < end


def _threshold(roles: str) -> int | None:
    limits = [settings.READING_DAILY_THRESHOLDS[r] for r in roles.split(",")
              if r in settings.READING_DAILY_THRESHOLDS]
    return max(limits) if limits else None


def _opened_per_day(actor_id: int, start: dt.datetime, end: dt.datetime) -> list[int]:
    per_day: dict[dt.date, set] = defaultdict(set)
    for at, action, object_id in AuditEvent.objects.filter(
            actor_id=actor_id, action__in=OPENED, at__gte=start, at__lt=end).values_list(
            "at", "action", "object_id"):
        per_day[timezone.localdate(at)].add((action, object_id))
    return [len(v) for v in per_day.values()]


def reading_alerts_compute(day: dt.date | None = None) -> list[ReadingAlert]:
    """The alerts of one day (default: yesterday); a day computed twice adds nothing. The
    auditors are told in the app when there are new ones."""
    day = day or timezone.localdate() - dt.timedelta(days=1)
    start, end = _day_bounds(day)
    events = AuditEvent.objects.filter(at__gte=start, at__lt=end, actor__isnull=False,
                                       action__in=(*READ, *SEARCHED))
    opened: dict[int, set] = defaultdict(set)
    night: Counter = Counter()
    searches: Counter = Counter()
    roles: dict[int, str] = {}
    for actor_id, action, object_id, at, held in events.values_list(
            "actor_id", "action", "object_id", "at", "roles").iterator():
        roles[actor_id] = held
        if action in OPENED:
            opened[actor_id].add((action, object_id))
        if action in READ and _at_night(at):
            night[actor_id] += 1
        if action in SEARCHED:
            searches[actor_id] += 1
    found: list[tuple[int, str, int, int, int]] = []
    for actor_id, objects in opened.items():
        threshold = _threshold(roles[actor_id])
        if threshold is None or len(objects) <= threshold:
            continue
        history = _opened_per_day(actor_id, start - dt.timedelta(days=USUAL_DAYS), start)
        usual = round(sum(history) / len(history)) if history else 0
        if not usual or len(objects) > settings.READING_USUAL_FACTOR * usual:
            found.append((actor_id, ReadingAlert.Kind.VOLUME, len(objects), threshold, usual))
    for actor_id, count in night.items():
        found.append((actor_id, ReadingAlert.Kind.NIGHT, count, 1, 0))
    for actor_id, count in searches.items():
        if count >= settings.READING_NAME_SEARCHES and not opened.get(actor_id):
            found.append((actor_id, ReadingAlert.Kind.NAME_SEARCHES, count,
                          settings.READING_NAME_SEARCHES, 0))
    created = []
    for actor_id, kind, count, threshold, usual in found:
        try:
            with transaction.atomic():
                alert = ReadingAlert.objects.create(user_id=actor_id, day=day, kind=kind,
                                                    count=count, threshold=threshold,
                                                    usual=usual)
                audit_record(actor=None, action="register.reading_alert.raised", obj=alert,
                             detail={"kind": kind, "count": count, "account": actor_id})
        except IntegrityError:
            continue  # computed before
        created.append(alert)
    if created:
        auditors = User.objects.filter(is_active=True, role_grants__role=Role.AUDITOR)
        notify(users=auditors, event="register.reading.unusual",
               params={"count": str(len(created)), "date": day.isoformat()},
               url=reverse("reading_alerts"))
    return created


def reading_alert_review(*, actor: User, alert: ReadingAlert, finding: str, note: str) -> None:
    """An auditor closes an alert with what was found. Nobody reviews an alert about their own
    reading, and a review stands: a second one is refused, not written over."""
    errors = {}
    if finding not in ReadingAlert.Finding.values:
        errors["finding"] = _("Choose what you found.")
    if not note.strip():
        errors["note"] = _("Say in a few words what you checked, without names of persons.")
    if alert.user_id == actor.pk:
        errors["finding"] = _("Another auditor reviews an alert about your own reading.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        updated = ReadingAlert.objects.filter(pk=alert.pk, reviewed_at__isnull=True).update(
            finding=finding, review_note=note.strip(), reviewed_by=actor,
            reviewed_at=timezone.now())
        if not updated:
            raise ValidationError({"finding": _("This alert was already reviewed.")})
        audit_record(actor=actor, action="register.reading_alert.reviewed", obj=alert,
                     detail={"finding": finding})
