"""A report made by a real Celery worker through the real broker, as in production."""

import time

from reporting.models import Report
from reporting.tasks import make_report
from tests.workers import celery_worker, needs_shared_database

pytestmark = needs_shared_database


def test_a_real_worker_makes_a_requested_report(transactional_db):
    with celery_worker():
        report = Report.objects.create(kind="annual", period_start="2026-01-01",
                                       period_end="2026-12-31", language="en")
        make_report.delay(str(report.pk))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status in ("done", "failed"):
                break
            time.sleep(0.5)
        assert report.status == "done", report.error
        assert report.size > 1000
