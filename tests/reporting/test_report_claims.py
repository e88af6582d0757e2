"""Each report is made exactly once and at least once: claims, takeovers, the sweep, and a
request while the broker is unreachable. In-process; tests/faults/ does it with real
processes."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from register.models import AuditEvent
from register.tasks_queue import enqueue_on_commit
from reporting.models import Report
from reporting.services import (
    MAX_ATTEMPTS,
    QUEUE_GRACE,
    RUN_EXPIRES,
    report_claim,
    report_make,
    reports_sweep,
)
from reporting.tasks import make_report
from tests.personas import persona

LONG_AGO = RUN_EXPIRES + dt.timedelta(seconds=1)


def report(**values) -> Report:
    return Report.objects.create(kind="annual", period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 12, 31), language="en", **values)


def running(since: dt.timedelta, attempts: int = 1) -> Report:
    now = timezone.now()
    return report(status="running", progress=50, attempts=attempts, started_at=now - since,
                  queued_at=now - since)


@pytest.fixture
def published(monkeypatch):
    """The tasks this process hands to the broker (none leaves it)."""
    sent = []
    monkeypatch.setattr(make_report, "apply_async",
                        lambda args=(), **options: sent.append(tuple(args)))
    return sent


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(make_report, "apply_async", refuse)


def test_a_redelivered_task_takes_over_a_run_older_than_the_hard_time_limit(db):
    lost = running(since=LONG_AGO)
    assert make_report.apply(args=[str(lost.pk)]).result is True
    lost.refresh_from_db()
    assert (lost.status, lost.attempts, lost.progress) == ("done", 2, 100)


def test_a_redelivered_task_leaves_a_run_that_may_still_be_alive(db):
    alive = running(since=RUN_EXPIRES - dt.timedelta(minutes=1))
    assert make_report.apply(args=[str(alive.pk)]).result is False
    alive.refresh_from_db()
    assert (alive.status, alive.attempts) == ("running", 1)


def test_a_run_that_lost_its_claim_meanwhile_stores_no_pdf(db, monkeypatch, settings):
    taken = report()

    def render_while_another_run_takes_over(html):
        Report.objects.filter(pk=taken.pk).update(started_at=timezone.now())
        return b"%PDF-1.7 made by a run that no longer holds the report"

    monkeypatch.setattr("reporting.services.render_pdf", render_while_another_run_takes_over)
    assert report_make(str(taken.pk)) is False
    taken.refresh_from_db()
    assert (taken.status, taken.file.name) == ("running", "")
    folder = settings.MEDIA_ROOT / "reports"
    assert not folder.exists() or not list(folder.iterdir())
    assert not AuditEvent.objects.filter(action="reporting.report.made").exists()


def test_a_report_done_or_out_of_attempts_is_never_claimed(db):
    assert report_claim(str(report(status="done", attempts=1).pk)) is None
    assert report_claim(str(report(status="failed", attempts=MAX_ATTEMPTS).pk)) is None
    assert report_claim(str(running(since=LONG_AGO, attempts=MAX_ATTEMPTS).pk)) is None


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks between two connections: PostgreSQL (SQLite has one "
                           "writer at a time by construction)")
def test_of_two_takers_of_a_lost_run_only_one_claims_it(transactional_db):
    lost = running(since=LONG_AGO)
    first_holds_the_row, second_started = threading.Event(), threading.Event()
    claims = {}

    def first():
        with transaction.atomic():
            claims["first"] = report_claim(str(lost.pk))
            first_holds_the_row.set()
            second_started.wait(10)
            threading.Event().wait(0.5)  # the second's UPDATE now waits for this row
        connection.close()

    def second():
        first_holds_the_row.wait(10)
        second_started.set()
        claims["second"] = report_claim(str(lost.pk))
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert claims["first"] is not None and claims["second"] is None
    lost.refresh_from_db()
    assert (lost.attempts, lost.started_at) == (2, claims["first"])


def test_a_failure_after_a_takeover_is_final_on_the_last_attempt(db, monkeypatch):
    def broken(html):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("reporting.services.render_pdf", broken)
    lost = running(since=LONG_AGO, attempts=MAX_ATTEMPTS - 1)
    result = make_report.apply(args=[str(lost.pk)])
    lost.refresh_from_db()
    assert result.failed() and (lost.status, lost.attempts) == ("failed", MAX_ATTEMPTS)
    assert [m.to for m in mail.outbox] == [[persona("manager").email]]


def test_the_sweep_queues_again_what_nobody_took_and_what_a_dead_worker_left(db, published):
    now = timezone.now()
    fresh = report()
    forgotten = report(queued_at=now - QUEUE_GRACE - dt.timedelta(seconds=1))
    alive = running(since=dt.timedelta(minutes=1))
    lost = running(since=LONG_AGO)
    retry_lost = report(status="failed", attempts=1, started_at=now - LONG_AGO,
                        queued_at=now - LONG_AGO)
    done = report(status="done", attempts=1, queued_at=now - LONG_AGO)
    again = {r.pk for r in reports_sweep()}
    assert again == {forgotten.pk, lost.pk, retry_lost.pk}
    assert {args for args in published} == {(str(pk),) for pk in again}
    assert not again & {fresh.pk, alive.pk, done.pk}
    assert reports_sweep() == [], "queued again at most once per grace period"


def test_the_sweep_fails_a_run_lost_on_its_last_attempt_and_alerts_once(db, published):
    lost = running(since=LONG_AGO, attempts=MAX_ATTEMPTS)
    assert reports_sweep() == []
    assert reports_sweep() == []
    lost.refresh_from_db()
    assert (lost.status, lost.error) == ("failed", "WorkerLost")
    assert len(mail.outbox) == 1 and lost.audit_ref in mail.outbox[0].body
    assert published == []


def test_a_task_queued_in_a_transaction_that_rolls_back_is_never_published(db, published):
    with pytest.raises(RuntimeError), transaction.atomic():
        publication = enqueue_on_commit(make_report, "never")
        raise RuntimeError
    assert published == [] and publication.sent is None


def test_asking_for_a_report_with_the_broker_down_keeps_it_and_says_so(
        transactional_db, as_user, broker_down):
    response = as_user("coordinator").post(reverse("reporting:archive"), {
        "kind": "annual", "period_start": "2026-01-01", "period_end": "2026-06-30",
        "language": "en"}, follow=True)
    assert response.status_code == 200
    assert "the report will be made when the service is back" in response.content.decode()
    kept = Report.objects.get()
    assert (kept.status, kept.attempts) == ("queued", 0)
    assert AuditEvent.objects.filter(action="reporting.report.requested").count() == 1


def test_asking_for_a_report_with_the_broker_up_says_it_is_being_made(
        transactional_db, as_user, published):
    response = as_user("coordinator").post(reverse("reporting:archive"), {
        "kind": "annual", "period_start": "2026-01-01", "period_end": "2026-06-30",
        "language": "en"}, follow=True)
    assert "The report is being made" in response.content.decode()
    assert published == [(str(Report.objects.get().pk),)]
