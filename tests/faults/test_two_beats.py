"""Two beat processes (one too many, as after a botched deploy) with a due schedule: the
period's report is claimed once and made once, however often the schedule is run."""

import datetime as dt

import redis
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from register.models import AuditEvent
from reporting.models import Report, ReportSchedule
from tests.faults.redis_server import needs_redis_server, private_redis
from tests.faults.waiting import wait_for
from tests.workers import celery_beat, celery_worker, needs_shared_database

pytestmark = [needs_shared_database, needs_redis_server]
SENT = "Sending due task due-reports (reporting.tasks.run_due_reports)"


def test_two_beats_with_a_due_schedule_make_the_periods_report_once(
        transactional_db, settings, tmp_path):
    # Only this schedule is due (the migrations' schedules may or may not be there).
    PeriodicTask.objects.update(enabled=False)
    ReportSchedule.objects.update(enabled=False)
    ReportSchedule.objects.update_or_create(kind="quarterly", defaults={"enabled": True})
    every_second = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="due-reports", task="reporting.tasks.run_due_reports",
                                interval=every_second)
    logs = [tmp_path / "beat-1.log", tmp_path / "beat-2.log"]

    def both_beats_sent_twice() -> bool:
        return all(log.exists() and log.read_text().count(SENT) >= 2 for log in logs)

    with (private_redis() as broker,
          # Two processes take tasks, so two runs of the schedule can claim at the same time.
          celery_worker(broker_url=broker.url, concurrency=2)):
        with (celery_beat(broker_url=broker.url, log=logs[0]),
              celery_beat(broker_url=broker.url, log=logs[1])):
            wait_for(both_beats_sent_twice, seconds=40, what="both beats to run the schedule")
            wait_for(lambda: Report.objects.filter(status="done").exists(), seconds=40,
                     what="the report to be made")
        # The beats are stopped; what they sent meanwhile is taken and may make nothing more.
        wait_for(lambda: unfinished(broker.url) == 0, seconds=20,
                 what="the worker to finish what the beats sent")

    report = Report.objects.get()
    assert report.scheduled and report.kind == "quarterly"
    assert report.period_end < dt.date.today()
    assert (report.status, report.attempts) == ("done", 1)
    assert len(list((settings.MEDIA_ROOT / "reports").iterdir())) == 1
    assert AuditEvent.objects.filter(action="reporting.report.scheduled").count() == 1
    assert AuditEvent.objects.filter(action="reporting.report.made").count() == 1


def unfinished(url: str) -> int:
    """Tasks waiting in the queues or taken and not yet acknowledged (acks_late)."""
    client = redis.Redis.from_url(url)
    try:
        return sum(client.llen(queue) for queue in ("celery", "pdf")) + client.hlen("unacked")
    finally:
        client.close()
