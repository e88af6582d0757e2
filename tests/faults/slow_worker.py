"""The register's Celery app with PDF rendering slowed down, for a worker a test kills mid-render.

Only tests start a worker with this app (`celery -A tests.faults.slow_worker`); the delay in
seconds comes from TEST_RENDER_DELAY. The report's progress shows 50 while it waits."""

import os
import time

from celery.signals import task_prerun

from register.celery import app

__all__ = ["app"]


@task_prerun.connect
def _slow_rendering(**kwargs) -> None:
    from reporting import services

    if getattr(services.render_pdf, "slowed", False):
        return
    render, delay = services.render_pdf, float(os.environ.get("TEST_RENDER_DELAY", "60"))

    def slow(html, *args, **kwargs):
        time.sleep(delay)
        return render(html, *args, **kwargs)

    slow.slowed = True
    services.render_pdf = slow
