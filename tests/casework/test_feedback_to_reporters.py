"""The reporter, and their organisation's portfolio holders, see what became of each signal
they filed, without personal data; a question from the analysts reaches the reporter."""

import datetime as dt

from django.urls import reverse

from casework.dossiers import dossier_add_signals, dossier_open, dossier_update, follow_up_add
from casework.triage import triage_ask, triage_decline
from register.models import AuditEvent, Notification, Organisation
from signals.feedback import feedback_for
from tests.personas import persona
from tests.signals.builders import file_signal

SECRET = "Quintero Arrieta"


def a_signal(reporter="reporter_kmar"):
    return file_signal(persona(reporter), persons=[{"role": "victim", "family_name": SECRET}],
                       description=f"{SECRET} works without pay.")


def test_a_new_signal_is_received_and_a_declined_one_says_only_the_reason_shared(db):
    signal = a_signal()
    assert feedback_for(signal).stage == "received"
    triage_decline(actor=persona("analyst_kpcn"), signal=signal, reason="Internal: duplicate",
                   reason_for_reporter="Already known to the police.")
    signal.refresh_from_db()
    feedback = feedback_for(signal)
    assert (feedback.stage, feedback.reason) == ("declined", "Already known to the police.")


def test_a_signal_combined_into_a_dossier_says_with_how_many_and_who_follows_up(db):
    signal, second, third = a_signal(), a_signal("reporter_szw"), a_signal("reporter_szw")
    analyst = persona("analyst_om")
    dossier = dossier_open(actor=analyst, signals=[signal], title="Case")
    signal.refresh_from_db()
    assert (feedback_for(signal).stage, feedback_for(signal).combined_with) == ("in_register",
                                                                               0)
    dossier_add_signals(actor=analyst, dossier=dossier, signals=[second, third])
    follow_up_add(actor=analyst, dossier=dossier, kind="criminal_investigation",
                  organisation=Organisation.objects.get(code="kpcn"), brief="Please look.")
    signal.refresh_from_db()
    feedback = feedback_for(signal)
    assert feedback.stage == "follow_up"
    assert feedback.combined_with == 2
    assert feedback.follow_up_by == [Organisation.objects.get(code="kpcn").name]
    dossier_update(actor=analyst, dossier=dossier,
                   values={"status": "closed", "closed_reason": "Done"})
    signal.refresh_from_db()
    assert feedback_for(signal).stage == "closed"


def test_the_reporter_sees_the_feedback_on_their_signal_page_without_anyone_elses_data(
        db, as_user):
    signal = a_signal()
    analyst = persona("analyst_om")
    dossier = dossier_open(actor=analyst, signals=[signal, a_signal("reporter_szw")],
                           title="Harbour road")
    follow_up_add(actor=analyst, dossier=dossier, kind="shelter",
                  organisation=Organisation.objects.get(code="kpcn"), brief="Shelter please.",
                  due_on=dt.date.today() + dt.timedelta(days=3))
    page = as_user("reporter_kmar").get(reverse("signals:detail", args=[signal.reference]))
    body = page.content.decode()
    assert "Combined with 1 other signal." in body
    assert "Follow-up under way by: " in body
    assert "Harbour road" not in body and dossier.number not in body
    assert "Shelter please." not in body


def test_the_portfolio_holders_see_the_feedback_on_their_organisations_signals_only(
        db, as_user):
    ours, theirs = a_signal(), a_signal("reporter_szw")
    Organisation.objects.filter(code="kmar")  # the holder below is of KMar
    from register.services.accounts import user_create
    user_create(actor=None, username="holder.kmar", organisation=Organisation.objects.get(
        code="kmar"), roles=["portfolio_holder"], password=None, email="h@example.invalid")
    page = as_user("holder_kmar").get(reverse("tasks:feedback"))
    body = page.content.decode()
    assert ours.reference in body and theirs.reference not in body
    assert SECRET not in body
    listed = AuditEvent.objects.get(action="signals.signal.feedback_listed")
    assert listed.result_ids == [str(ours.pk)] or listed.result_ids == [ours.pk]


def test_the_reporter_is_told_in_the_app_when_the_analysts_ask_a_question(db, as_user):
    signal = a_signal()
    reporter = as_user("reporter_kmar")
    before = reporter.get(reverse("home")).content.decode()
    assert "0 new notifications" in before
    triage_ask(actor=persona("analyst_kpcn"), signal=signal, question="Which site?")
    note = Notification.objects.get(user=persona("reporter_kmar"))
    assert note.event == "signals.signal.question_asked"
    assert note.url == reverse("signals:detail", args=[signal.reference])
    assert signal.reference in note.text and "Which site?" not in note.text
    assert "1 new notification" in reporter.get(reverse("home")).content.decode()


def test_the_api_declines_with_the_reason_the_reporter_is_told(api_as):
    signal = a_signal()
    done = api_as("analyst_kpcn").post(
        reverse("signal-decline", args=[signal.reference]),
        {"text": "Internal: known case", "reason_for_reporter": "Already known."},
        format="json")
    assert done.status_code == 200
    signal.refresh_from_db()
    assert (signal.not_taken_up_reason, signal.reason_for_reporter) == ("Internal: known case",
                                                                        "Already known.")
