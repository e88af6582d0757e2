"""A worker killed with SIGKILL while it renders a report: the report is still made, once.

Each test has a Redis of its own (so parallel test runs never take each other's tasks) and
real worker processes on the test's database. Time passing beyond the task's hard time limit
is simulated by moving the run's claim back in time; nothing else is faked."""

import datetime as dt

from django.core import mail
from django.db.models import F

from register.models import AuditEvent
from reporting.models import Report
from reporting.services import MAX_ATTEMPTS, RUN_EXPIRES, reports_sweep
from reporting.tasks import make_report
from tests.faults.redis_server import broker_at, needs_redis_server, private_redis
from tests.faults.waiting import wait_for
from tests.personas import persona
from tests.workers import celery_worker, needs_shared_database

pytestmark = [needs_shared_database, needs_redis_server]
SLOW = {"app": "tests.faults.slow_worker", "env": {"TEST_RENDER_DELAY": "120"}}


def new_report() -> Report:
    return Report.objects.create(kind="annual", period_start=dt.date(2026, 1, 1),
                                 period_end=dt.date(2026, 12, 31), language="en")


def rendering(report: Report, attempt: int) -> bool:
    report.refresh_from_db()
    return (report.status, report.progress, report.attempts) == ("running", 50, attempt)


def kill_while_rendering(report: Report, broker_url: str, attempt: int = 1) -> None:
    """A worker takes the report, starts rendering, and is killed; it records nothing more."""
    with celery_worker(broker_url=broker_url, **SLOW) as worker:
        wait_for(lambda: rendering(report, attempt), seconds=40,
                 what="the worker to start rendering")
        worker.kill()  # SIGKILL: no handler runs, no acknowledgement, no status change
        worker.wait()


def a_hard_time_limit_passes(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(started_at=F("started_at") - RUN_EXPIRES,
                                               queued_at=F("queued_at") - RUN_EXPIRES)


def pdfs(settings) -> list:
    folder = settings.MEDIA_ROOT / "reports"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_report_whose_worker_is_killed_mid_render_is_taken_over_and_made_once(
        transactional_db, settings):
    with private_redis() as redis, broker_at(redis.url):
        report = new_report()
        make_report.delay(str(report.pk))
        kill_while_rendering(report, redis.url)
        report.refresh_from_db()
        assert (report.status, report.attempts) == ("running", 1)

        assert reports_sweep() == [], "a run younger than the hard time limit is left alone"
        a_hard_time_limit_passes(report)
        with celery_worker(broker_url=redis.url):
            assert [r.pk for r in reports_sweep()] == [report.pk]
            wait_for(lambda: Report.objects.filter(pk=report.pk, status="done").exists(),
                     seconds=40, what="the second worker to make the report")
            assert reports_sweep() == [], "a report made is never queued again"

    report.refresh_from_db()
    assert (report.status, report.attempts, report.progress) == ("done", 2, 100)
    assert pdfs(settings) == [settings.MEDIA_ROOT / report.file.name]
    assert AuditEvent.objects.filter(action="reporting.report.made").count() == 1


def test_a_report_whose_worker_is_killed_on_every_attempt_fails_and_alerts_once(
        transactional_db, settings):
    with private_redis() as redis, broker_at(redis.url):
        report = new_report()
        make_report.delay(str(report.pk))
        for attempt in range(1, MAX_ATTEMPTS + 1):
            kill_while_rendering(report, redis.url, attempt)
            a_hard_time_limit_passes(report)
            taken_over = reports_sweep()
            assert [r.pk for r in taken_over] == ([report.pk] if attempt < MAX_ATTEMPTS else [])

    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == ("failed", MAX_ATTEMPTS,
                                                              "WorkerLost")
    assert pdfs(settings) == []
    assert [m.to for m in mail.outbox] == [[persona("manager").email]]
    assert report.audit_ref in mail.outbox[0].body
    assert reports_sweep() == [] and len(mail.outbox) == 1, "the managers are alerted once"
    assert AuditEvent.objects.filter(action="reporting.report.failed").count() == 1
