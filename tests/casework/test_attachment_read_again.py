"""An analyst has a file whose text could not be read read again by the worker: posted,
audited, within need to know, and only for a file that failed."""

import pytest
from django.urls import reverse

from casework.dossiers import dossier_open, dossier_restrict
from casework.triage import triage_take_in
from register.models import AuditEvent
from signals.attachment_text import read_attachment_text, record_unreadable
from signals.models import AttachmentText, Signal
from tests.personas import persona
from tests.signals.builders import file_signal
from tests.signals.scans import scan_png


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr("signals.tasks.read_attachment.apply_async",
                        lambda args, **options: sent.append(args))
    return sent


def failed_scan():
    signal = file_signal(persona("reporter_kmar"),
                         files=[("formulier.png", "image/png", scan_png())])
    attachment = signal.attachments.get()
    record_unreadable(attachment.pk)  # as when OCR passed its time limit
    return signal, attachment


def read_again_url(signal, attachment):
    return reverse("signals:attachment_read_again", args=[signal.reference, attachment.pk])


def test_the_signal_page_offers_to_read_a_failed_file_again_and_only_that(db, as_user):
    signal, attachment = failed_scan()
    client = as_user("analyst_om")
    page = client.get(reverse("signals:detail", args=[signal.reference])).content.decode()
    assert read_again_url(signal, attachment) in page
    assert "Read formulier.png again" in page
    AttachmentText.objects.filter(attachment=attachment).update(status="done")
    page = client.get(reverse("signals:detail", args=[signal.reference])).content.decode()
    assert read_again_url(signal, attachment) not in page


def test_reading_again_forgets_the_failure_queues_the_worker_and_is_audited(
        db, as_user, queued, django_capture_on_commit_callbacks):
    signal, attachment = failed_scan()
    client = as_user("analyst_om")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(read_again_url(signal, attachment))
    assert response.status_code == 302
    assert response["Location"] == reverse("signals:detail", args=[signal.reference])
    assert not AttachmentText.objects.filter(attachment=attachment).exists()
    assert queued == [(str(attachment.pk),)]
    event = AuditEvent.objects.get(action="signals.attachment.read_again")
    assert event.object_id == str(attachment.pk) and event.actor == persona("analyst_om")
    assert event.detail == {"signal": signal.reference}
    # The worker then reads it as a new file.
    assert read_attachment_text(attachment.pk) == "done"
    page = client.get(response["Location"]).content.decode()
    assert "The file is read again" in page


def test_a_file_that_was_read_is_not_read_again(db, as_user, queued,
                                                  django_capture_on_commit_callbacks):
    signal = file_signal(persona("reporter_kmar"),
                         files=[("formulier.png", "image/png", scan_png())])
    attachment = signal.attachments.get()
    assert read_attachment_text(attachment.pk) == "done"
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user("analyst_om").post(read_again_url(signal, attachment), follow=True)
    assert "Only a file whose text could not be read is read again." in (
        response.content.decode())
    assert AttachmentText.objects.get(attachment=attachment).status == "done"
    assert queued == []
    assert not AuditEvent.objects.filter(action="signals.attachment.read_again").exists()


def test_only_analysts_who_may_see_the_signal_can_and_only_by_post(db, as_user, queued):
    signal, attachment = failed_scan()
    url = read_again_url(signal, attachment)
    assert as_user("analyst_om").get(url).status_code == 405
    assert as_user("reporter_kmar").post(url).status_code == 403
    kpcn = persona("analyst_kpcn")
    triage_take_in(actor=kpcn, signal=signal)
    dossier = dossier_open(actor=kpcn, signals=[Signal.objects.get(pk=signal.pk)],
                           title="Hidden")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    assert as_user("analyst_om").post(url).status_code == 404
    assert AttachmentText.objects.get(attachment=attachment).status == "failed"
    assert as_user("analyst_kpcn").post(url).status_code == 302
    assert not AttachmentText.objects.filter(attachment=attachment).exists()
