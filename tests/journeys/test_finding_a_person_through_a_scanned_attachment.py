"""A reporter files a signal with a photographed paper form; the worker reads it (OCR); an
analyst searches for the name on the form, finds the signal through its attachment, and
opens the preview. A real Celery worker through a Redis of the test's own."""

import re

from django.utils import translation
from playwright.sync_api import expect

from register.models import AuditEvent
from signals.models import AttachmentText, Signal
from tests.faults.redis_server import broker_at, needs_redis_server, private_redis
from tests.faults.waiting import wait_for
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.signals.builders import yesterday
from tests.signals.scans import SCANNED_NAME, scan_png
from tests.workers import celery_worker, needs_shared_database

pytestmark = [needs_shared_database, needs_redis_server]
GIVEN, FAMILY = SCANNED_NAME


def dutch(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def test_an_analyst_finds_a_person_named_only_on_a_scanned_form_and_previews_it(
        page, live_server, transactional_db, tmp_path, accessible):
    scan = tmp_path / "papieren formulier.png"
    scan.write_bytes(scan_png())
    with private_redis() as redis, broker_at(redis.url), celery_worker(broker_url=redis.url):
        log_in(page, live_server, "reporter.kmar")
        page.get_by_role("link", name="Signaal melden").first.click()
        page.get_by_label("Datum van het signaal").fill(yesterday())
        page.get_by_label("Bonaire").check()
        page.get_by_label("Plaats").fill("Rincon")
        page.get_by_label("Arbeidsuitbuiting", exact=False).check()
        page.get_by_label("Omschrijving van het signaal").fill(
            "Paper form handed in at the police station.")
        page.locator("#id_attachments").set_input_files(str(scan))
        page.get_by_role("button", name="Signaal versturen").last.click()
        expect(page.locator(".reference")).to_have_text(re.compile(r"MH-\d{4}-\d{6}"))
        reference = page.locator(".reference").inner_text()
        attachment = Signal.objects.get(reference=reference).attachments.get()

        wait_for(lambda: AttachmentText.objects.filter(attachment=attachment,
                                                       status="done").exists(),
                 seconds=60, what="the worker to read the scanned form")

    page.context.clear_cookies()
    log_in(page, live_server, "analyst.om")
    page.goto(f"{live_server.url}/register/search/")
    page.locator("#id_query").fill(f"{GIVEN} {FAMILY}")
    page.get_by_role("button", name=dutch("Search"), exact=True).click()
    result = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=reference))
    expect(result).to_contain_text(
        dutch("text in attachment %(name)s of signal %(reference)s")
        % {"name": "papieren formulier.png", "reference": reference})
    expect(result.locator("blockquote")).to_contain_text(f"{GIVEN} {FAMILY}")
    accessible(page)
    assert page.url == f"{live_server.url}/register/search/", "the name is posted, not in a URL"

    result.get_by_role("link", name=reference).click()
    text = page.locator(".attachment-text")
    text.locator("summary").click()
    expect(text.locator("pre")).to_contain_text(f"{GIVEN} {FAMILY}")
    accessible(page)
    page.get_by_role("link", name=dutch("Preview %(name)s") % {
        "name": "papieren formulier.png"}).click()
    image = page.get_by_role("img", name=re.compile("papieren formulier.png"))
    expect(image).to_be_visible()
    # The page image is drawn by the server and shown (not a broken image).
    page.wait_for_function("() => [...document.querySelectorAll('.preview img')].every("
                           "img => img.complete && img.naturalWidth > 0)", timeout=20_000)
    assert str(attachment.pk) in page.url and "formulier" not in page.url
    accessible(page)
    assert AuditEvent.objects.filter(action="signals.attachment.previewed",
                                     object_id=str(attachment.pk),
                                     detail__page=1).exists()
