"""Notifications reach people in the app and, as each chose, by e-mail: at once or in a daily
digest. The e-mails go over SMTP (a real local server here) and hold one neutral sentence and
a link to log in, never a reference or a name."""

import datetime as dt
import smtplib

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.urls import reverse

from casework.triage import question_answer, triage_ask
from register.models import AuditEvent, Notification, NotificationPreference, Role, User
from register.services.notifications import (
    notification_digests_send,
    notification_mail_send,
    notify,
)
from register.tasks import MAIL_ERRORS, mail_notification
from tests.personas import persona
from tests.register.test_site_url import Inbox, free_port
from tests.signals.builders import file_signal

CANARY = "Kanariewitz"


def send_immediate_mails() -> int:
    """What the worker does for each immediate notification it is handed."""
    return sum(notification_mail_send(pk) for pk in Notification.objects.filter(
        mail="immediate", mailed_at__isnull=True).values_list("pk", flat=True))


def analysts():
    return User.objects.filter(is_active=True, role_grants__role=Role.ANALYST)


def test_a_signal_with_someone_in_immediate_danger_mails_every_analyst_at_once(
        db, settings, smtp_inbox, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://register.example.test"
    with django_capture_on_commit_callbacks():
        signal = file_signal(persona("reporter_kmar"), immediate_danger=True,
                             persons=[{"role": "victim", "family_name": CANARY}],
                             description=f"{CANARY} is locked in")
    told = set(Notification.objects.filter(event="signals.signal.immediate_danger")
               .values_list("user__username", flat=True))
    assert told == set(analysts().values_list("username", flat=True)) and told
    assert send_immediate_mails() == len(told)
    assert len(smtp_inbox.messages) == len(told)
    for message in smtp_inbox.messages:
        assert signal.reference not in message and CANARY not in message
        assert "https://register.example.test/notifications/" in message
        # In the register's language (Dutch) for users who chose none.
        assert "direct gevaar" in message


def test_a_signal_without_danger_tells_no_analyst(db):
    file_signal(persona("reporter_kmar"))
    assert not Notification.objects.filter(event="signals.signal.immediate_danger").exists()


def test_the_mail_is_in_the_language_the_reader_chose(db, smtp_inbox):
    reader = persona("analyst_om")
    reader.language = "en"
    reader.save(update_fields=["language"])
    file_signal(persona("reporter_kmar"), immediate_danger=True)
    notification_mail_send(Notification.objects.get(user=reader).pk)
    assert "immediate danger" in smtp_inbox.messages[0]


def test_a_mail_is_sent_once_however_often_the_task_runs(db, smtp_inbox):
    notify(users=[persona("analyst_kpcn")], event="signals.signal.immediate_danger",
           params={"ref": "MH-1"})
    notification = Notification.objects.get()
    assert notification_mail_send(notification.pk) is True
    assert notification_mail_send(notification.pk) is False
    assert len(smtp_inbox.messages) == 1


def test_the_reporter_is_told_of_a_question_and_the_analyst_of_the_answer(db):
    reporter, analyst = persona("reporter_kmar"), persona("analyst_kpcn")
    signal = file_signal(reporter)
    question = triage_ask(actor=analyst, signal=signal, question=f"Where is {CANARY}?")
    asked = Notification.objects.get(user=reporter)
    assert asked.event == "signals.signal.question_asked" and asked.mail == "immediate"
    assert asked.url == reverse("signals:detail", args=[signal.reference])
    assert CANARY not in asked.render("en")
    question_answer(actor=reporter, question=question, answer="At the harbour")
    answered = Notification.objects.get(user=analyst)
    assert answered.event == "signals.signal.question_answered"
    assert answered.mail == "digest"  # the default for an answer: the daily overview


def test_a_user_who_chose_the_app_only_gets_no_mail(db, smtp_inbox):
    analyst = persona("analyst_kpcn")
    NotificationPreference.objects.create(user=analyst, event="signals.signal.immediate_danger",
                                          delivery="app")
    notify(users=[analyst], event="signals.signal.immediate_danger", params={"ref": "MH-1"})
    notification = Notification.objects.get()
    assert notification.mail == ""
    assert notification_mail_send(notification.pk) is False
    assert notification_digests_send() == 0
    assert smtp_inbox.messages == []


def test_the_daily_digest_counts_each_kind_in_one_mail_and_never_twice(db, smtp_inbox):
    analyst = persona("analyst_kpcn")
    for ref in ("D-1", "D-2"):
        notify(users=[analyst], event="casework.dossier.assigned", params={"ref": ref})
    notify(users=[analyst], event="casework.signal.assigned", params={"ref": "MH-9"})
    assert notification_digests_send() == 1
    assert notification_digests_send() == 0
    (message,) = smtp_inbox.messages
    assert "3 nieuwe notificaties" in message
    assert "(2)" in message and "(1)" in message
    assert "D-1" not in message and "MH-9" not in message
    assert not Notification.objects.filter(mailed_at__isnull=True).exists()


class Refusing(Inbox):
    async def handle_DATA(self, server, session, envelope):
        return "451 Try again later"


def test_a_refused_mail_stays_unsent_for_the_retry(db, settings):
    server = Controller(Refusing(), hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
        notify(users=[persona("analyst_kpcn")], event="signals.signal.immediate_danger",
               params={"ref": "MH-1"})
        notification = Notification.objects.get()
        with pytest.raises(smtplib.SMTPException):
            notification_mail_send(notification.pk)
    finally:
        server.stop()
    notification.refresh_from_db()
    assert notification.mailed_at is None
    # The task retries exactly such errors (and an unreachable server), with a growing wait.
    assert set(mail_notification.autoretry_for) == set(MAIL_ERRORS)
    assert smtplib.SMTPException in MAIL_ERRORS and mail_notification.retry_backoff


def test_a_finished_report_tells_its_recipients_through_the_same_pipeline(db):
    from reporting.models import Report
    from reporting.services import _tell_recipients

    report = Report.objects.create(kind="annual", period_start=dt.date(2026, 1, 1),
                                   period_end=dt.date(2026, 12, 31),
                                   requested_by=persona("coordinator"))
    _tell_recipients(report)
    notification = Notification.objects.get()
    assert notification.user == persona("coordinator")
    assert notification.event == "reporting.report.ready" and notification.mail == "immediate"
    assert notification_mail_send(notification.pk)
    assert mail.outbox[0].to == [persona("coordinator").email]
    assert "/notifications/" in mail.outbox[0].body and not mail.outbox[0].attachments


def test_the_settings_page_saves_each_choice_and_the_language(db, as_user):
    client = as_user("analyst_kpcn")
    page = client.get(reverse("notification_settings"))
    assert "immediate danger" in page.content.decode()
    response = client.post(reverse("notification_settings"), {
        "language": "pap", "event:signals.signal.immediate_danger": "digest",
        "event:casework.signal.assigned": "app", "event:casework.dossier.assigned": "immediate",
        "event:controls.control.planned": "app", "event:signals.signal.question_asked": "app",
        "event:signals.signal.question_answered": "app", "event:reporting.report.ready": "app",
        "event:casework.share.requested": "immediate", "event:casework.share.decided": "app",
        "event:casework.task.escalated": "app", "event:casework.task.accepted": "app",
        "event:casework.task.declined": "app", "event:casework.task.outcome": "app"})
    assert response.status_code == 302
    analyst = persona("analyst_kpcn")
    assert analyst.language == "pap"
    chosen = dict(analyst.notification_preferences.values_list("event", "delivery"))
    assert chosen["signals.signal.immediate_danger"] == "digest"
    assert chosen["casework.dossier.assigned"] == "immediate"
    assert AuditEvent.objects.filter(action="register.notification_preferences.changed",
                                     actor=analyst).exists()


def test_a_bad_choice_is_refused_at_its_field_and_nothing_is_saved(db, as_user):
    client = as_user("analyst_kpcn")
    response = client.post(reverse("notification_settings"), {
        "language": "xx", "event:signals.signal.immediate_danger": "sometimes"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "language" in form.errors
    assert "event:signals.signal.immediate_danger" in form.errors
    assert not NotificationPreference.objects.exists()
    assert persona("analyst_kpcn").language == ""


def test_a_reporter_is_not_offered_the_analysts_events(db, as_user):
    page = as_user("reporter_kmar").get(reverse("notification_settings")).content.decode()
    assert "event:signals.signal.question_asked" in page
    assert "event:signals.signal.immediate_danger" not in page


def test_the_sweep_finds_immediate_mails_the_broker_never_got(db):
    from django.utils import timezone

    from register.services.notifications import MAIL_GRACE, notification_mails_sweep

    notify(users=[persona("analyst_kpcn")], event="signals.signal.immediate_danger",
           params={"ref": "MH-1"})
    notify(users=[persona("analyst_om")], event="casework.signal.assigned", params={"ref": "X"})
    lost = Notification.objects.get(event="signals.signal.immediate_danger")
    assert notification_mails_sweep() == []  # still within the grace period
    later = timezone.now() + MAIL_GRACE + dt.timedelta(minutes=1)
    assert notification_mails_sweep(later) == [lost.pk]  # the digest one waits for the digest
    notification_mail_send(lost.pk)
    assert notification_mails_sweep(later) == []


def test_choosing_the_site_language_also_sets_the_language_of_the_users_mails(
        db, as_user, smtp_inbox):
    client = as_user("analyst_kpcn")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    reader = persona("analyst_kpcn")
    assert reader.language == "en"
    file_signal(persona("reporter_kmar"), immediate_danger=True)
    notification_mail_send(Notification.objects.get(user=reader).pk)
    assert "immediate danger" in smtp_inbox.messages[0]


def test_an_unknown_language_changes_nobodys_mail_language(db, as_user):
    as_user("analyst_kpcn").post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert persona("analyst_kpcn").language == ""
