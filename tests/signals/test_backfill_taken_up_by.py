"""Signals already in triage when "taken up by" arrived get their holder from the audit trail."""

import datetime as dt
import importlib

from django.apps import apps

from register.models import AuditEvent
from register.services.audit import audit_record
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

# The data step of the migration, run on today's schema: migrating a SQLite test database back
# and forth inside the test's transaction is not possible, and the step only writes two columns
# that 0006 added and that still exist.
BACKFILL = importlib.import_module("signals.migrations.0007_backfill_taken_up_by")


def backfill():
    BACKFILL.backfill_taken_up_by(apps, None)


def started(signal, who):
    """What opening a received signal recorded before triage had to be taken up."""
    audit_record(actor=persona(who), action="signals.signal.triage_started", obj=signal)
    return AuditEvent.objects.filter(action="signals.signal.triage_started",
                                     object_id=str(signal.pk)).latest("pk")


def test_signals_in_triage_or_waiting_for_an_answer_are_held_by_who_started_triage(db):
    in_triage, question, received, triaged, held = (
        file_signal(persona("reporter_kmar")) for _ in range(5))
    Signal.objects.filter(pk__in=[in_triage.pk, held.pk]).update(status="in_triage")
    Signal.objects.filter(pk=question.pk).update(status="question")
    Signal.objects.filter(pk=triaged.pk).update(status="in_register")
    started(in_triage, "analyst_om")
    latest = started(in_triage, "analyst_kpcn")  # the latest start says who holds it
    asked = started(question, "analyst_kpcn_colleague")
    started(triaged, "analyst_kpcn")
    started(held, "analyst_om")
    already = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    Signal.objects.filter(pk=held.pk).update(taken_up_by=persona("analyst_kpcn"),
                                             taken_up_at=already)
    events = AuditEvent.objects.count()

    backfill()

    holders = dict(Signal.objects.values_list("pk", "taken_up_by__username"))
    moments = dict(Signal.objects.values_list("pk", "taken_up_at"))
    assert (holders[in_triage.pk], moments[in_triage.pk]) == ("analyst.kpcn", latest.at)
    assert (holders[question.pk], moments[question.pk]) == ("analyst.kpcn.colleague", asked.at)
    # Received: nobody has it yet. Triaged: done, nobody works on it any more.
    assert (holders[received.pk], moments[received.pk]) == (None, None)
    assert (holders[triaged.pk], moments[triaged.pk]) == (None, None)
    # Taken up since 0006 went live: that stays.
    assert (holders[held.pk], moments[held.pk]) == ("analyst.kpcn", already)
    assert AuditEvent.objects.count() == events  # only read; the trail is append-only


def test_a_signal_in_triage_without_a_start_event_stays_with_nobody(db):
    signal = file_signal(persona("reporter_kmar"))
    Signal.objects.filter(pk=signal.pk).update(status="in_triage")
    backfill()
    signal.refresh_from_db()
    assert (signal.taken_up_by, signal.taken_up_at) == (None, None)
