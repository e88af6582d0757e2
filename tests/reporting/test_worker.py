"""A report made by a real Celery worker through the real broker, as in production."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from reporting.models import Report
from reporting.tasks import make_report

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="a worker in another process needs a database and broker it can share: "
           "PostgreSQL and Redis (SQLite's test database lives in this process's memory)")


def test_a_real_worker_makes_a_requested_report(transactional_db):
    db = connection.settings_dict
    env = {**os.environ,
           "DJANGO_SETTINGS_MODULE": "register.settings_test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}",
           "REDIS_URL": settings.REDIS_URL, "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "register", "worker", "-Q", "pdf,celery",
         "--pool", "solo", "--loglevel", "WARNING", "--without-heartbeat",
         "--without-mingle", "--without-gossip"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
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
    finally:
        worker.terminate()
        worker.wait(timeout=30)
