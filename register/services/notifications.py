"""In-app notifications and their e-mails.

`notify` stores one notification per user and, after the caller's transaction commits, hands
the ones the user wants mailed at once to the worker (register.tasks.mail_notification, which
retries on SMTP errors). Those wanted in the daily digest are collected by
register.tasks.mail_digests. An e-mail holds one neutral sentence per kind of event and a link
to log in: never a reference, a name or anything else that could identify a person.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from register.models import Notification, NotificationPreference, User
from register.models.notifications import EVENTS, Delivery, check_event, events_for
from register.services.audit import audit_record
from register.tasks_queue import enqueue_each_on_commit

# An immediate mail the broker never got (it was down) goes out with the next sweep after this.
MAIL_GRACE = dt.timedelta(minutes=10)


def _deliveries(users: list[User], event: str) -> dict[int, str]:
    chosen = dict(NotificationPreference.objects.filter(
        user__in=[u.pk for u in users], event=event).values_list("user_id", "delivery"))
    default = EVENTS[event].delivery
    return {u.pk: chosen.get(u.pk, default) for u in users}


def notify(*, users: Iterable[User], event: str, params: dict | None = None,
           url: str = "") -> int:
    """Tell users in the app, and by e-mail as each chose. `event` is a code from
    register.models.notifications.EVENTS and `params` its facts (codes, references, ISO
    dates), never a person: the sentence is worded when each reader opens it, in the reader's
    language and date format."""
    params = params or {}
    check_event(event, params)
    users = list({u.pk: u for u in users}.values())
    deliveries = _deliveries(users, event)

    def mail(user: User) -> str:
        delivery = deliveries[user.pk]
        return "" if delivery == Delivery.APP or not user.email else delivery

    created = Notification.objects.bulk_create(
        Notification(user=user, event=event, params=params, url=url, mail=mail(user))
        for user in users)
    from register.tasks import mail_notification

    enqueue_each_on_commit(mail_notification, [
        (n.pk,) for n in created if n.mail == Delivery.IMMEDIATE and n.pk])
    return len(created)


def notifications_read(*, user: User) -> None:
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def login_link() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("notifications")


def _language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def _claim(ids: list[int]) -> list[int]:
    """Mark notifications as mailed before sending; of two runs, only one claims each."""
    now = timezone.now()
    claimed = []
    for pk in ids:
        if Notification.objects.filter(pk=pk, mailed_at__isnull=True).update(mailed_at=now):
            claimed.append(pk)
    return claimed


def _unclaim(ids: list[int]) -> None:
    Notification.objects.filter(pk__in=ids).update(mailed_at=None)


def notification_mail_send(notification_id: int) -> bool:
    """Send one notification's e-mail at once. False when it is mailed already (or not to be
    mailed). An SMTP error gives the claim back and is raised, for the task to retry."""
    notification = (Notification.objects.select_related("user")
                    .filter(pk=notification_id, mail=Delivery.IMMEDIATE).first())
    if notification is None or not _claim([notification.pk]):
        return False
    user = notification.user
    if not user.is_active or not user.email:
        return False
    spec = EVENTS.get(notification.event)
    try:
        with translation.override(_language(user)):
            sentence = str(spec.mail) if spec else _(
                "You have a new notification in the thematic register.")
            send_mail(_("Thematic register: a new notification"),
                      _("%(sentence)s\n\nLog in to read it:\n%(link)s")
                      % {"sentence": sentence, "link": login_link()}, None, [user.email])
    except Exception:
        _unclaim([notification.pk])
        raise
    return True


def notification_mails_sweep(now: dt.datetime | None = None) -> list[int]:
    """Immediate mails the broker never got (it was down when they were made): their ids,
    for the caller to send."""
    now = now or timezone.now()
    return list(Notification.objects.filter(
        mail=Delivery.IMMEDIATE, mailed_at__isnull=True, created_at__lt=now - MAIL_GRACE)
        .values_list("pk", flat=True)[:500])


def notification_digests_send() -> int:
    """The daily digest: one e-mail to each user with notifications waiting for it, counting
    them per kind of event. Returns the number of e-mails sent. A user whose mail fails keeps
    their notifications for the next run; the others are sent regardless."""
    waiting = (Notification.objects.filter(mail=Delivery.DIGEST, mailed_at__isnull=True)
               .values_list("user_id", "pk", "event"))
    by_user: dict[int, list[tuple[int, str]]] = {}
    for user_id, pk, event in waiting:
        by_user.setdefault(user_id, []).append((pk, event))
    sent = 0
    failures = []
    for user in User.objects.filter(pk__in=by_user, is_active=True).exclude(email=""):
        claimed = _claim([pk for pk, _event in by_user[user.pk]])
        if not claimed:
            continue
        kinds = Counter(event for pk, event in by_user[user.pk] if pk in claimed)
        try:
            with translation.override(_language(user)):
                lines = [f"- {EVENTS[event].mail if event in EVENTS else event} ({count})"
                         for event, count in sorted(kinds.items())]
                total = sum(kinds.values())
                send_mail(_("Thematic register: your daily overview"),
                          ngettext("You have %(count)s new notification in the thematic "
                                   "register:", "You have %(count)s new notifications in "
                                   "the thematic register:", total) % {"count": total}
                          + "\n" + "\n".join(lines) + "\n\n"
                          + _("Log in to read them:\n%(link)s") % {"link": login_link()},
                          None, [user.email])
        except Exception as error:
            _unclaim(claimed)
            failures.append(error)
            continue
        sent += 1
    if failures:
        raise failures[0]
    return sent


def mail_language_set(*, actor: User, language: str) -> None:
    """The site language a logged-in user chose is also the language of their e-mails (one
    preference, also on the notification settings page); audited with the code only."""
    if language not in dict(settings.LANGUAGES) or actor.language == language:
        return
    with transaction.atomic():
        actor.language = language
        actor.save(update_fields=["language"])
        audit_record(actor=actor, action="register.notification_preferences.changed",
                     obj=actor, detail={"language": language})


def notification_preferences_save(*, actor: User, choices: dict[str, str],
                                  language: str) -> None:
    """A user's choices per kind of event (only the kinds they can receive) and the language
    of their e-mails; audited with the codes only."""
    allowed = set(events_for(actor))
    unknown = set(choices) - allowed
    if unknown or set(choices.values()) - set(Delivery.values):
        raise ValueError("Unknown event or delivery")
    if language and language not in dict(settings.LANGUAGES):
        raise ValueError("Unknown language")
    with transaction.atomic():
        NotificationPreference.objects.filter(user=actor).exclude(event__in=allowed).delete()
        for event, delivery in choices.items():
            NotificationPreference.objects.update_or_create(
                user=actor, event=event, defaults={"delivery": delivery})
        actor.language = language
        actor.save(update_fields=["language"])
        audit_record(actor=actor, action="register.notification_preferences.changed",
                     obj=actor, detail={"choices": dict(sorted(choices.items())),
                                        "language": language})
