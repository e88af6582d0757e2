"""Real Celery workers and beats in other processes, on the test's own database and broker."""

import os
import subprocess
import sys
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

needs_shared_database = pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="a worker in another process needs a database and broker it can share: "
           "PostgreSQL and Redis (SQLite's test database lives in this process's memory)")


def process_env(broker_url: str | None = None, env: dict | None = None) -> dict:
    """The environment of a process working on this test's database, broker and files."""
    db = connection.settings_dict
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "register.settings_test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                            f"{db['PORT'] or 5432}/{db['NAME']}",
            # A worker started by a test writes files where that test reads them.
            "REDIS_URL": broker_url or settings.REDIS_URL,
            "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT), **(env or {})}


@contextmanager
def _process(argv: list[str], env: dict, log: Path | None):
    with ExitStack() as files:
        output = files.enter_context(open(log, "wb")) if log else subprocess.DEVNULL
        env = {**env, "PYTHONUNBUFFERED": "1"}  # the test reads the log while it runs
        process = subprocess.Popen([sys.executable, "-m", "celery", *argv], env=env,
                                   stdout=output, stderr=subprocess.STDOUT if log else output)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@contextmanager
def celery_worker(*, broker_url: str | None = None, queues: str = "pdf,celery",
                  app: str = "register", env: dict | None = None, log: Path | None = None,
                  concurrency: int = 1):
    """A worker in its own process (solo pool: killing it kills the task it runs; with
    `concurrency` above 1, that many forked processes run tasks at the same time).

    Tests that run in parallel give each worker a broker of its own (`broker_url`, see
    tests/faults/redis_server.py), so no worker takes another test's tasks; `app` may name a
    test app that wraps the register's (tests/faults/slow_worker.py)."""
    pool = ["--pool", "solo"] if concurrency == 1 else [
        "--pool", "prefork", "--concurrency", str(concurrency)]
    with _process(["-A", app, "worker", "-Q", queues, *pool,
                   "--loglevel", "INFO" if log else "WARNING", "--without-heartbeat",
                   "--without-mingle", "--without-gossip"],
                  process_env(broker_url, env), log) as process:
        yield process


@contextmanager
def celery_beat(*, broker_url: str, log: Path, env: dict | None = None):
    """A beat in its own process, reading the schedules from the test's database."""
    with _process(["-A", "register", "beat", "--loglevel", "INFO",
                   "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
                   "--max-interval", "1"], process_env(broker_url, env), log) as process:
        yield process
