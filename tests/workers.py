"""A real Celery worker in another process, on the test's own database and broker."""

import os
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection

needs_shared_database = pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="a worker in another process needs a database and broker it can share: "
           "PostgreSQL and Redis (SQLite's test database lives in this process's memory)")


@contextmanager
def celery_worker():
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "register.settings_test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}",
           # A worker started by a test writes files where that test reads them.
           "REDIS_URL": settings.REDIS_URL, "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "register", "worker", "-Q", "pdf,celery",
         "--pool", "solo", "--loglevel", "WARNING", "--without-heartbeat", "--without-mingle",
         "--without-gossip"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
