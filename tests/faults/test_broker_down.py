"""Redis stopped while a user files a signal or asks for a report: no 500, nothing lost,
nothing half-written; a report asked for meanwhile is made, once, when Redis is back.

Each test stops a Redis of its own (on its own port), never the shared one."""

import re
import time
from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from kombu.exceptions import OperationalError

from register.models import AuditEvent
from reporting.models import Report
from reporting.services import QUEUE_GRACE, reports_sweep
from reporting.tasks import make_report
from signals.models import Signal
from tests.faults.redis_server import broker_at, needs_redis_server, private_redis
from tests.faults.waiting import wait_for
from tests.signals.builders import api_payload, form_data
from tests.workers import celery_worker, needs_shared_database

pytestmark = needs_redis_server
# Connection refused is answered at once; a silent broker within the socket timeouts.
PATIENCE = 10


@pytest.fixture
def redis_down():
    """This process publishes to a Redis of the test's own, which has been stopped."""
    with private_redis() as redis, broker_at(redis.url):
        redis.stop(hold_port=True)
        with pytest.raises(OperationalError):
            make_report.delay("the broker is really unreachable")
        yield redis


@needs_shared_database
def test_asking_for_a_report_while_redis_is_down_tells_the_user_and_makes_it_once_redis_is_back(
        transactional_db, as_user, redis_down, settings):
    client = as_user("coordinator")
    started = time.monotonic()
    response = client.post(reverse("reporting:archive"), {
        "kind": "annual", "period_start": "2026-01-01", "period_end": "2026-06-30",
        "language": "en"}, follow=True)
    assert time.monotonic() - started < PATIENCE, "the request does not hang on the broker"
    assert response.status_code == 200
    assert "the report will be made when the service is back" in response.content.decode()
    report = Report.objects.get()
    assert (report.status, report.attempts) == ("queued", 0)
    assert AuditEvent.objects.filter(action="reporting.report.requested").count() == 1

    assert redis_down.start()
    with celery_worker(broker_url=redis_down.url):
        assert reports_sweep() == [], "within its grace a queued report is left to its task"
        Report.objects.update(queued_at=F("queued_at") - QUEUE_GRACE)
        assert [r.pk for r in reports_sweep()] == [report.pk]
        wait_for(lambda: Report.objects.filter(status="done").exists(), seconds=40,
                 what="the worker to make the report")
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("done", 1)
    assert len(list((settings.MEDIA_ROOT / "reports").iterdir())) == 1
    assert Report.objects.count() == 1


def test_filing_a_signal_through_the_api_while_redis_is_down_saves_it_once(
        transactional_db, api_as, redis_down):
    client = api_as("reporter_kmar")
    started = time.monotonic()
    response = client.post(reverse("signal-list"), api_payload(), format="json",
                           HTTP_IDEMPOTENCY_KEY="redis-down-1")
    assert time.monotonic() - started < PATIENCE
    assert response.status_code == 201, response.content
    again = client.post(reverse("signal-list"), api_payload(), format="json",
                        HTTP_IDEMPOTENCY_KEY="redis-down-1")
    assert again.status_code in (200, 201) and again.json()["reference"] == (
        response.json()["reference"])
    assert Signal.objects.count() == 1
    assert Signal.objects.get().persons.count() == 2


def test_filing_a_signal_on_the_web_form_while_redis_is_down_saves_it_once(
        transactional_db, as_user, redis_down):
    client = as_user("reporter_kmar")
    page = client.get(reverse("signals:new")).content.decode()
    token = re.search(r'name="form_token" value="(\w+)"', page).group(1)
    response = client.post(reverse("signals:new"), form_data(token))
    assert response.status_code == 302
    assert client.post(reverse("signals:new"), form_data(token)).status_code in (200, 302)
    signal = Signal.objects.get()
    assert response["Location"] == reverse("signals:receipt", args=[signal.reference])
    assert signal.persons.count() == 2


def test_filing_a_signal_with_files_while_redis_is_down_waits_once_and_the_sweep_finds_them(
        transactional_db, as_user, redis_down):
    from signals.attachment_text import attachments_without_text
    from tests.signals.builders import PDF_BYTES, upload

    client = as_user("reporter_kmar")
    page = client.get(reverse("signals:new")).content.decode()
    token = re.search(r'name="form_token" value="(\w+)"', page).group(1)
    started = time.monotonic()
    response = client.post(reverse("signals:new"), form_data(token, attachments=[
        upload(f"file{n}.pdf", PDF_BYTES) for n in range(10)]))
    assert time.monotonic() - started < PATIENCE, "one wait for the broker, not one per file"
    assert response.status_code == 302
    stored = set(Signal.objects.get().attachments.values_list("pk", flat=True))
    assert len(stored) == 10
    assert set(attachments_without_text(older_than=timedelta(0), limit=10)) == stored
