"""Follow-up asked of a partner: the task its portfolio holders see, what they do with it, the
reminders, the disclosure and the figures."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework.dossiers import dossier_open, follow_up_add
from casework.follow_up_tasks import overdue_first, tasks_for
from casework.models import FollowUpTask
from casework.task_work import (
    task_accept,
    task_decline,
    task_progress_add,
    task_record_outcome,
    task_reminders_send,
)
from register.models import AuditEvent, Disclosure, FollowUpAction, Notification, Organisation
from register.services.notifications import notification_mail_send
from reporting.figures import Period, mou_period_figures, task_figures
from tests.personas import persona
from tests.signals.builders import PDF_BYTES, file_signal

TODAY = dt.date(2026, 12, 3)


def a_dossier(title="Harbour road site", files=()):
    signal = file_signal(persona("reporter_kmar"), files=files,
                         persons=[{"role": "victim", "family_name": "Quintero"}])
    return dossier_open(actor=persona("analyst_om"), signals=[signal], title=title)


def ask_kpcn(dossier=None, *, due_on=None, kind="criminal_investigation", attachments=()):
    return follow_up_add(actor=persona("analyst_om"), dossier=dossier or a_dossier(),
                         kind=kind, organisation=Organisation.objects.get(code="kpcn"),
                         due_on=due_on, brief="Check the workers' passports at the site.",
                         attachments=attachments).task


def test_a_planned_follow_up_for_another_organisation_becomes_a_task_for_its_holders(db):
    task = ask_kpcn()
    assert task.state == "asked"
    assert list(tasks_for(persona("holder_kpcn"))) == [task]
    assert list(tasks_for(persona("holder_om"))) == []
    # Only a portfolio holder sees tasks, not a colleague with another role.
    assert list(tasks_for(persona("analyst_kpcn"))) == []
    note = Notification.objects.get(user=persona("holder_kpcn"))
    assert note.event == "casework.task.new"
    assert note.url == reverse("tasks:detail", args=[task.pk])
    assert not Notification.objects.filter(user=persona("holder_om")).exists()


def test_follow_up_for_the_analysts_own_organisation_or_already_done_is_no_task(db):
    dossier = a_dossier()
    own = follow_up_add(actor=persona("analyst_om"), dossier=dossier, kind="prosecution",
                        organisation=persona("analyst_om").organisation)
    done = follow_up_add(actor=persona("analyst_om"), dossier=dossier,
                         kind="criminal_investigation",
                         organisation=Organisation.objects.get(code="kpcn"), outcome="done",
                         happened_on=TODAY - dt.timedelta(days=1))
    assert not FollowUpTask.objects.filter(action__in=[own, done]).exists()


def test_asking_a_partner_without_a_brief_is_refused_at_the_field_and_nothing_is_written(db):
    dossier = a_dossier()
    with pytest.raises(ValidationError) as refused:
        follow_up_add(actor=persona("analyst_om"), dossier=dossier,
                      kind="criminal_investigation",
                      organisation=Organisation.objects.get(code="kpcn"), brief="  ")
    assert "brief" in refused.value.message_dict
    assert not FollowUpAction.objects.filter(dossier=dossier).exists()


def test_only_attachments_of_the_dossiers_own_signals_can_be_shared(db):
    elsewhere = file_signal(persona("reporter_szw"), files=[("x.pdf", "application/pdf",
                                                             PDF_BYTES)])
    dossier = a_dossier()
    with pytest.raises(ValidationError) as refused:
        ask_kpcn(dossier, attachments=[elsewhere.attachments.get()])
    assert "attachments" in refused.value.message_dict
    assert not FollowUpTask.objects.exists()


def test_sharing_the_brief_and_files_is_recorded_as_a_disclosure_to_the_partner(db):
    dossier = a_dossier(files=[("statement.pdf", "application/pdf", PDF_BYTES)])
    attachment = dossier.signals.get().attachments.get()
    task = ask_kpcn(dossier, attachments=[attachment])
    disclosure = Disclosure.objects.get()
    assert disclosure.recipient_organisation == task.action.responsible_organisation.name
    assert (disclosure.legal_ground, disclosure.channel) == ("covenant", "brief")
    assert {(o.object_type, o.object_id) for o in disclosure.items.all()} == {
        ("casework.followuptask", str(task.pk)), ("signals.attachment", str(attachment.pk))}
    event = AuditEvent.objects.get(action="register.disclosure.recorded")
    assert set(event.result_ids) == {f"casework.followuptask:{task.pk}",
                                     f"signals.attachment:{attachment.pk}"}
    assert AuditEvent.objects.filter(action="casework.task.created",
                                     object_id=str(task.pk)).exists()


def test_the_holder_accepts_records_progress_and_the_outcome_and_the_figure_counts_it(db):
    task = ask_kpcn(due_on=timezone.localdate() + dt.timedelta(days=20))
    holder = persona("holder_kpcn")
    task_accept(actor=holder, task=task)
    task_progress_add(actor=holder, task=task, text="Team assigned.")
    day = timezone.localdate()
    before = mou_period_figures(Period.year(day.year)).investigations
    task_record_outcome(actor=holder, task=task, outcome="done", happened_on=day,
                        explanation="Investigation opened",
                        document=SimpleUploadedFile("d.pdf", PDF_BYTES, "application/pdf"))
    task.refresh_from_db()
    action = task.action
    assert (task.state, action.outcome, action.happened_on) == ("accepted", "done", day)
    assert task.decision_document and task.decision_document_type == "application/pdf"
    assert mou_period_figures(Period.year(day.year)).investigations == before + 1
    told = Notification.objects.filter(user=persona("analyst_om")).values_list("event",
                                                                               flat=True)
    assert set(told) >= {"casework.task.accepted", "casework.task.outcome"}
    actions = set(AuditEvent.objects.filter(object_id=str(task.pk),
                                            object_type="casework.followuptask")
                  .values_list("action", flat=True))
    assert {"casework.task.accepted", "casework.task.progress_added",
            "casework.task.outcome_recorded"} <= actions


def test_progress_and_outcome_wait_until_the_task_is_accepted(db):
    task = ask_kpcn()
    with pytest.raises(ValidationError):
        task_progress_add(actor=persona("holder_kpcn"), task=task, text="Started")
    with pytest.raises(ValidationError):
        task_record_outcome(actor=persona("holder_kpcn"), task=task, outcome="done",
                            happened_on=timezone.localdate())
    assert task.action.outcome == "planned"


def test_a_decision_document_that_is_not_a_pdf_or_image_is_refused_at_its_field(db):
    task = ask_kpcn()
    task_accept(actor=persona("holder_kpcn"), task=task)
    with pytest.raises(ValidationError) as refused:
        task_record_outcome(actor=persona("holder_kpcn"), task=task, outcome="done",
                            happened_on=timezone.localdate(),
                            document=SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    assert "document" in refused.value.message_dict
    task.action.refresh_from_db()
    assert task.action.outcome == "planned"


def test_declining_needs_a_reason_and_cancels_the_follow_up(db):
    task = ask_kpcn()
    with pytest.raises(ValidationError) as refused:
        task_decline(actor=persona("holder_kpcn"), task=task, reason=" ")
    assert "reason" in refused.value.message_dict
    task_decline(actor=persona("holder_kpcn"), task=task, reason="Not our island.")
    task.refresh_from_db()
    assert (task.state, task.action.outcome) == ("declined", "cancelled")
    with pytest.raises(ValidationError):
        task_accept(actor=persona("holder_kpcn"), task=task)


def test_the_task_list_shows_overdue_tasks_first(db):
    today = timezone.localdate()
    dossier = a_dossier()
    later = ask_kpcn(dossier, due_on=today + dt.timedelta(days=3))
    overdue = ask_kpcn(dossier, due_on=today - dt.timedelta(days=2))
    undated = ask_kpcn(dossier)
    done = ask_kpcn(dossier, due_on=today - dt.timedelta(days=9))
    task_accept(actor=persona("holder_kpcn"), task=done)
    task_record_outcome(actor=persona("holder_kpcn"), task=done, outcome="done",
                        happened_on=today)
    assert list(overdue_first(tasks_for(persona("holder_kpcn")))) == [overdue, later, undated,
                                                                     done]


def test_reminders_tell_holders_of_tasks_due_within_a_week_and_escalate_overdue_once_a_day(db):
    dossier = a_dossier()
    soon = ask_kpcn(dossier, due_on=TODAY + dt.timedelta(days=5))
    late = ask_kpcn(dossier, due_on=TODAY - dt.timedelta(days=1))
    far = ask_kpcn(dossier, due_on=TODAY + dt.timedelta(days=30))
    Notification.objects.all().delete()
    assert task_reminders_send(today=TODAY) == 2
    holder = Notification.objects.filter(user=persona("holder_kpcn"))
    assert sorted(holder.values_list("event", flat=True)) == ["casework.task.due_soon",
                                                              "casework.task.overdue"]
    escalated = Notification.objects.get(user=persona("analyst_om"))
    assert escalated.event == "casework.task.escalated"
    assert escalated.params == {"org": "KPCN", "ref": dossier.number,
                                "date": late.action.due_on.isoformat()}
    # A second run the same day (a second beat, a retried job) tells nobody again, nor the
    # next day for the task due soon; the overdue one comes back a week later, and the one
    # that was due soon once it is past its date.
    assert task_reminders_send(today=TODAY) == 0
    assert task_reminders_send(today=TODAY + dt.timedelta(days=1)) == 0
    Notification.objects.all().delete()
    assert task_reminders_send(today=TODAY + dt.timedelta(days=7)) == 2
    assert set(Notification.objects.filter(user=persona("holder_kpcn")).values_list(
        "event", flat=True)) == {"casework.task.overdue"}
    soon.refresh_from_db()
    far.refresh_from_db()
    assert (soon.reminded_on, far.reminded_on) == (TODAY + dt.timedelta(days=7), None)


def test_a_done_or_declined_task_is_never_reminded(db):
    task = ask_kpcn(due_on=TODAY - dt.timedelta(days=3))
    task_decline(actor=persona("holder_kpcn"), task=task, reason="Not ours.")
    assert task_reminders_send(today=TODAY) == 0


def test_the_quarterly_figures_count_asked_accepted_done_on_time_and_overdue_per_partner(db):
    today = timezone.localdate()
    dossier = a_dossier()
    on_time = ask_kpcn(dossier, due_on=today + dt.timedelta(days=10))
    overdue = ask_kpcn(dossier, due_on=today - dt.timedelta(days=1))
    ask_kpcn(dossier, due_on=today + dt.timedelta(days=10))
    for task in (on_time, overdue):
        task_accept(actor=persona("holder_kpcn"), task=task)
    task_record_outcome(actor=persona("holder_kpcn"), task=on_time, outcome="done",
                        happened_on=today)
    quarter = (today.month - 1) // 3 + 1
    rows = task_figures(Period.quarter(today.year, quarter), today=today)
    assert rows == [("kpcn", 3, 2, 1, 1)]


def test_the_quarterly_report_shows_follow_up_per_partner_by_name_with_small_counts_hidden(db):
    from reporting.content import report_context

    today = timezone.localdate()
    ask_kpcn(due_on=today - dt.timedelta(days=1))
    quarter = (today.month - 1) // 3 + 1
    context = report_context("quarterly", Period.quarter(today.year, quarter))
    assert context["follow_up_by_partner"] == [{
        "organisation": Organisation.objects.get(code="kpcn").name, "asked": "<5",
        "accepted": 0, "on_time": 0, "overdue": "<5"}]


def test_the_holder_is_mailed_of_a_new_task_over_smtp_without_the_brief_or_the_dossier(
        db, settings, smtp_inbox):
    settings.SITE_URL = "https://register.example.test"
    task = ask_kpcn()
    note = Notification.objects.get(user=persona("holder_kpcn"), event="casework.task.new")
    assert note.mail == "immediate"
    assert notification_mail_send(note.pk) is True
    [message] = smtp_inbox.messages
    assert "holder_kpcn@example.invalid" in message
    assert "https://register.example.test/notifications/" in message
    assert task.action.dossier.number not in message
    assert "passports" not in message and "Quintero" not in message


def test_asking_a_partner_without_portfolio_holders_tells_the_register_manager(db, client):
    persona("holder_kpcn").role_grants.all().delete()
    task = ask_kpcn()
    assert task.holders_told == 0
    note = Notification.objects.get(user=persona("manager"))
    assert note.event == "casework.task.no_holder"
    assert note.params == {"org": "KPCN", "ref": task.action.dossier.number}
    assert note.url == reverse("manage_users")
    assert not Notification.objects.filter(event="casework.task.new").exists()


def test_asking_a_partner_with_portfolio_holders_leaves_the_register_manager_alone(db):
    assert ask_kpcn().holders_told == 1
    assert not Notification.objects.filter(user=persona("manager")).exists()


def test_the_analyst_is_told_when_the_partner_has_no_portfolio_holder_yet(as_user):
    persona("holder_kpcn").role_grants.all().delete()
    dossier = a_dossier()
    page = as_user("analyst_om").post(
        reverse("casework:follow_up_add", args=[dossier.number]),
        {"kind": "criminal_investigation", "organisation": Organisation.objects.get(code="kpcn").pk,
         "outcome": "planned", "brief": "Check the workers' passports at the site."},
        follow=True)
    assert "no portfolio holder yet" in page.content.decode()
    assert FollowUpTask.objects.filter(action__dossier=dossier).count() == 1
