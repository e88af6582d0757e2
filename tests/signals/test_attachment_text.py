"""The words in attachments are read in the worker: a PDF's text layer, else OCR (Tesseract
in Dutch, English and Spanish) of scans and photos; stored once, failures recorded, nothing
of the file in any log line."""

import logging
import re
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from signals import attachment_text
from signals.attachment_text import attachments_without_text
from signals.models import Attachment, AttachmentText
from signals.tasks import read_missing_attachment_texts
from tests.faults.redis_server import broker_at, needs_redis_server, private_redis
from tests.faults.waiting import wait_for
from tests.personas import persona
from tests.signals.builders import file_signal, form_data
from tests.signals.scans import (
    SCANNED_NAME,
    TEXT_PDF_WORDS,
    scan_pdf,
    scan_png,
    text_pdf,
    typed_and_scanned_pdf,
    upload,
)
from tests.workers import celery_worker, needs_shared_database

CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}


def signal_with(name: str, content: bytes):
    """A signal filed through the intake service with one attachment (its text not read)."""
    content_type = CONTENT_TYPES[name.rsplit(".", 1)[1]]
    signal = file_signal(persona("reporter_kmar"), files=[(name, content_type, content)])
    return signal.attachments.get()


def read(attachment: Attachment) -> AttachmentText:
    attachment_text.read_attachment_text(attachment.pk)
    return AttachmentText.objects.get(attachment=attachment)


def test_the_text_of_a_pdf_with_a_text_layer_is_read_without_ocr(db):
    text = read(signal_with("verklaring.pdf", text_pdf()))
    assert (text.status, text.method, text.pages) == ("done", "pdf_text", 1)
    assert TEXT_PDF_WORDS in " ".join(text.text.split())
    assert " ernesto valderrama " in text.search_text


def test_a_photographed_form_is_read_by_ocr(db):
    text = read(signal_with("formulier.png", scan_png()))
    assert (text.status, text.method, text.pages) == ("done", "ocr", 1)
    assert " ".join(SCANNED_NAME) in text.text


def test_a_scanned_pdf_without_a_text_layer_goes_through_ocr(db):
    text = read(signal_with("scan.pdf", scan_pdf()))
    assert (text.status, text.method, text.pages) == ("done", "ocr", 1)
    assert " ".join(SCANNED_NAME) in text.text


def test_a_scanned_page_among_typed_pages_goes_through_ocr_and_the_typed_ones_do_not(
        db, monkeypatch):
    read_pages = []
    real = attachment_text.external_tools.pdf_pages_as_png

    def pages_as_png(pdf, **options):
        read_pages.append((options["first"], options["last"]))
        return real(pdf, **options)

    monkeypatch.setattr(attachment_text.external_tools, "pdf_pages_as_png", pages_as_png)
    text = read(signal_with("verklaring-met-formulier.pdf", typed_and_scanned_pdf()))
    assert (text.status, text.method, text.pages) == ("done", "ocr", 2)
    words = " ".join(text.text.split())
    assert TEXT_PDF_WORDS in words and " ".join(SCANNED_NAME) in words
    assert words.index(TEXT_PDF_WORDS) < words.index(" ".join(SCANNED_NAME))
    assert read_pages == [(2, 2)]  # only the scanned page was rendered for OCR


def test_a_corrupt_file_ends_as_failed_and_the_worker_goes_on(db):
    broken = read(signal_with("kapot.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50))
    assert (broken.status, broken.text, broken.search_text) == ("failed", "", "")
    not_an_image = read(signal_with("foto.jpg", b"\xff\xd8\xff" + b"\x01" * 40))
    assert not_an_image.status == "failed"


def test_reading_twice_stores_the_text_once(db):
    attachment = signal_with("verklaring.pdf", text_pdf())
    assert attachment_text.read_attachment_text(attachment.pk) == "done"
    assert attachment_text.read_attachment_text(attachment.pk) is None
    assert AttachmentText.objects.filter(attachment=attachment).count() == 1


def test_a_missing_ocr_program_is_not_recorded_as_a_broken_file(db, monkeypatch):
    """The sweep must try again once Tesseract is installed, so nothing is stored."""
    attachment = signal_with("formulier.png", scan_png())

    def missing(argv, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", argv[0])

    monkeypatch.setattr("signals.external_tools.subprocess.run", missing)
    with pytest.raises(FileNotFoundError):
        attachment_text.read_attachment_text(attachment.pk)
    assert not AttachmentText.objects.exists()


def test_neither_the_text_nor_the_file_name_reaches_a_log_line(db, caplog):
    caplog.set_level(logging.DEBUG)
    read(signal_with("Marisol Quintero paspoort.png", scan_png()))
    read(signal_with("Ernesto kapot.pdf", b"%PDF-1.7\n" + b"\x00" * 100))
    logged = caplog.text
    assert "Attachment" in logged, "the reading is logged, by id"
    for secret in (*SCANNED_NAME, "Ernesto", "paspoort", "Caracola", "kapot"):
        assert secret not in logged


def test_an_anonymised_signals_attachment_is_not_read(db):
    attachment = signal_with("formulier.png", scan_png())
    attachment.signal.__class__.objects.filter(pk=attachment.signal_id).update(
        anonymised_at=timezone.now())
    assert attachment_text.read_attachment_text(attachment.pk) is None
    assert not AttachmentText.objects.exists()


def test_the_sweep_queues_only_attachments_never_read_and_not_just_filed(db, monkeypatch):
    waiting = signal_with("formulier.png", scan_png())
    Attachment.objects.filter(pk=waiting.pk).update(
        received_at=timezone.now() - timedelta(hours=1))
    done = signal_with("verklaring.pdf", text_pdf())
    Attachment.objects.filter(pk=done.pk).update(
        received_at=timezone.now() - timedelta(hours=1))
    read(done)
    signal_with("net.pdf", text_pdf())  # just filed: its task is on its way
    queued = []
    monkeypatch.setattr("signals.tasks.read_attachment.delay", queued.append)
    assert read_missing_attachment_texts() == 1
    assert queued == [str(waiting.pk)]


def test_the_command_reads_what_is_missing(db, capsys):
    attachment = signal_with("verklaring.pdf", text_pdf())
    call_command("read_attachment_texts")
    assert "done: 1" in capsys.readouterr().out
    assert AttachmentText.objects.get(attachment=attachment).status == "done"


def token_of(response) -> str:
    return re.search(r'name="form_token" value="(\w+)"', response.content.decode()).group(1)


def test_filing_a_signal_queues_each_file_once_committed_also_one_kept_from_a_refused_form(
        db, as_user, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr("signals.tasks.read_attachment.apply_async",
                        lambda args, **options: queued.append(args))
    reporter = as_user("reporter_kmar")
    token = token_of(reporter.get(reverse("signals:new")))
    with django_capture_on_commit_callbacks(execute=True):
        reporter.post(reverse("signals:new"), form_data(
            token, forms=[], attachments=[upload("kept.pdf", text_pdf())]))
    assert queued == [], "a refused form's kept file is not an attachment yet"
    with django_capture_on_commit_callbacks(execute=True):
        response = reporter.post(reverse("signals:new"), form_data(
            token, attachments=[upload("scan.png", scan_png())]))
    assert response.status_code == 302
    assert sorted(queued) == sorted((str(pk),) for pk in Attachment.objects.values_list(
        "pk", flat=True))
    assert len(queued) == 2


@needs_shared_database
@needs_redis_server
def test_a_real_worker_reads_a_scan_filed_through_the_form(transactional_db, as_user):
    with private_redis() as redis, broker_at(redis.url), celery_worker(broker_url=redis.url):
        reporter = as_user("reporter_kmar")
        token = token_of(reporter.get(reverse("signals:new")))
        started = time.monotonic()
        response = reporter.post(reverse("signals:new"), form_data(
            token, attachments=[upload("formulier.png", scan_png())]))
        assert response.status_code == 302
        assert time.monotonic() - started < 5, "the request never waits for the OCR"
        text = wait_for(lambda: AttachmentText.objects.filter(status="done").first(),
                        seconds=60, what="the worker to read the scan")
    assert " ".join(SCANNED_NAME) in text.text


def test_a_file_that_takes_the_task_past_its_time_limit_ends_as_failed(db, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from signals.tasks import read_attachment

    attachment = signal_with("formulier.png", scan_png())

    def too_slow(argv, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr("signals.external_tools.subprocess.run", too_slow)
    assert read_attachment.run(str(attachment.pk)) == "failed"
    assert AttachmentText.objects.get(attachment=attachment).status == "failed"
    assert list(attachments_without_text(older_than=timedelta(0), limit=5)) == []
