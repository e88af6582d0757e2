"""The words read from attachments are searchable by analysts within need to know, fall under
retention and the data-subject search, and attachments preview in the page, audited."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from casework.dossiers import dossier_open, dossier_restrict
from casework.triage import triage_take_in
from register.models import AuditEvent
from register.services.privacy import retention_review_apply, retention_review_create
from register.subject_search import SubjectQuery, find_subject
from signals.attachment_text import read_attachment_text
from signals.models import AttachmentText, Signal
from tests.personas import persona
from tests.signals.builders import file_signal
from tests.signals.scans import SCANNED_NAME, scan_pdf, scan_png

GIVEN, FAMILY = SCANNED_NAME


def scanned_signal(name="formulier.png", content_type="image/png", content=None):
    """A signal whose only mention of the person is a photographed paper form, read by OCR."""
    signal = file_signal(persona("reporter_kmar"),
                         files=[(name, content_type, content or scan_png())])
    attachment = signal.attachments.get()
    assert read_attachment_text(attachment.pk) == "done"
    return signal, attachment


def search(client, query):
    return client.post(reverse("casework:search"), {"query": query})


def hide_in_a_dossier_of_kpcn(signal):
    kpcn = persona("analyst_kpcn")
    triage_take_in(actor=kpcn, signal=signal)
    dossier = dossier_open(actor=kpcn, signals=[Signal.objects.get(pk=signal.pk)],
                           title="Secret")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    return dossier


def test_a_word_from_a_scan_finds_its_signal_and_says_which_file_and_where(db, as_user):
    signal, _ = scanned_signal("Formulier haven.png")
    response = search(as_user("analyst_om"), FAMILY.lower())
    found = response.context["results"]["signals"]
    assert [s.reference for s in found] == [signal.reference]
    assert found[0].found_because == [
        f"text in attachment Formulier haven.png of signal {signal.reference}"]
    page = response.content.decode()
    assert f"Naam: {GIVEN} {FAMILY}" in page, "a piece of the text around the words"
    assert response.context["results"]["persons"] == []


def test_words_in_any_order_and_by_their_beginning_find_it_but_other_words_do_not(db, as_user):
    signal, _ = scanned_signal()
    analyst = as_user("analyst_om")
    assert [s.reference for s in search(analyst, f"{FAMILY} {GIVEN[:4]}").context[
        "results"]["signals"]] == [signal.reference]
    assert search(analyst, f"{GIVEN} Fernández").context["results"]["signals"] == []
    assert search(analyst, "ntero").context["results"]["signals"] == [], "word beginnings only"


def test_an_attachment_in_a_hidden_dossier_never_matches(db, as_user):
    signal, _ = scanned_signal()
    dossier = hide_in_a_dossier_of_kpcn(signal)
    response = search(as_user("analyst_om"), f"{GIVEN} {FAMILY}")
    results = response.context["results"]
    assert results["signals"] == [] and results["dossiers"] == []
    page = response.content.decode()
    assert signal.reference not in page and dossier.number not in page
    assert "Naam:" not in page and "attachment" not in page, "no piece of the text, no reason"
    granted = search(as_user("analyst_kpcn"), f"{GIVEN} {FAMILY}").context["results"]
    assert [s.reference for s in granted["signals"]] == [signal.reference]


def test_hidden_attachments_do_not_crowd_visible_ones_out_of_the_results(db, as_user,
                                                                          monkeypatch):
    monkeypatch.setattr("casework.search.LIMIT", 1)
    visible, _ = scanned_signal()
    hidden, _ = scanned_signal()
    hide_in_a_dossier_of_kpcn(hidden)
    found = search(as_user("analyst_om"), FAMILY).context["results"]["signals"]
    assert [s.reference for s in found] == [visible.reference]


def test_the_analysts_signal_page_shows_the_text_and_a_preview_link(db, as_user):
    signal, attachment = scanned_signal()
    page = as_user("analyst_om").get(reverse("signals:detail", args=[signal.reference]))
    html = page.content.decode()
    assert f"{GIVEN} {FAMILY}" in html
    assert reverse("signals:attachment_preview", args=[signal.reference, attachment.pk]) in html
    reporter_page = as_user("reporter_kmar").get(
        reverse("signals:detail", args=[signal.reference])).content.decode()
    assert FAMILY not in reporter_page, "the reporter sees the status, not the contents"


def test_the_preview_shows_pages_as_images_drawn_by_the_server_and_is_audited(db, as_user):
    signal, attachment = scanned_signal("scan.pdf", "application/pdf", scan_pdf())
    analyst = as_user("analyst_om")
    page = analyst.get(reverse("signals:attachment_preview",
                               args=[signal.reference, attachment.pk]))
    image_url = reverse("signals:attachment_preview_page",
                        args=[signal.reference, attachment.pk, 1])
    assert image_url in page.content.decode()
    assert "scan" not in image_url and str(attachment.pk) in image_url
    image = analyst.get(image_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert "sandbox" in image["Content-Security-Policy"]
    assert "default-src 'none'" in image["Content-Security-Policy"]
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in image["Cache-Control"]
    assert analyst.get(reverse("signals:attachment_preview_page",
                               args=[signal.reference, attachment.pk, 2])).status_code == 404
    events = AuditEvent.objects.filter(action="signals.attachment.previewed",
                                       object_id=str(attachment.pk))
    assert events.count() == 2
    assert {e.object_ref for e in events} == {signal.reference}
    assert events.filter(actor=persona("analyst_om"), detail__page=1).exists()


def test_a_photo_is_previewed_as_a_new_image_without_its_metadata(db, as_user):
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make; a GPS position would be kept the same way
    Image.new("RGB", (2400, 1200), "white").save(photo, format="JPEG", exif=exif)
    signal = file_signal(persona("reporter_kmar"),
                         files=[("foto.jpg", "image/jpeg", photo.getvalue())])
    attachment = signal.attachments.get()
    image = as_user("analyst_om").get(reverse(
        "signals:attachment_preview_page", args=[signal.reference, attachment.pk, 1]))
    assert image.status_code == 200
    with Image.open(io.BytesIO(image.content)) as drawn:
        assert drawn.format == "PNG" and max(drawn.size) == 1200
        assert not drawn.getexif()
    assert b"PhoneMaker" not in image.content


@pytest.mark.parametrize("route", ["signals:attachment_preview",
                                   "signals:attachment_preview_page"])
def test_the_preview_is_refused_outside_need_to_know(db, as_user, route):
    signal = file_signal(persona("reporter_kmar"),
                         files=[("scan.png", "image/png", scan_png())])
    attachment = signal.attachments.get()
    args = [signal.reference, attachment.pk] + ([1] if route.endswith("page") else [])
    url = reverse(route, args=args)
    assert as_user("reporter_kmar").get(url).status_code == 403, "not for reporters"
    hide_in_a_dossier_of_kpcn(signal)
    assert as_user("analyst_om").get(url).status_code == 404
    other = file_signal(persona("reporter_kmar"))
    assert as_user("analyst_kpcn").get(reverse(route, args=[other.reference, *args[1:]])
                                       ).status_code == 404, "only through its own signal"
    assert not AuditEvent.objects.filter(action="signals.attachment.previewed").exists()
    assert as_user("analyst_kpcn").get(url).status_code == 200


def test_retention_removes_the_text_with_the_attachment(db, django_capture_on_commit_callbacks):
    signal, attachment = scanned_signal()
    Signal.objects.filter(pk=signal.pk).update(
        last_processed_at=timezone.now() - dt.timedelta(days=365 * 6))
    with django_capture_on_commit_callbacks(execute=True):
        retention_review_apply(actor=persona("manager"), review=retention_review_create(),
                               keep=set())
    assert not AttachmentText.objects.filter(attachment_id=attachment.pk).exists()
    assert find_subject(SubjectQuery(given_names=GIVEN, family_name=FAMILY)) == []


def test_the_data_subject_search_finds_a_name_only_in_an_attachments_text(db):
    signal, attachment = scanned_signal()
    other = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Marisol", "family_name": "Pérez"}])
    findings = find_subject(SubjectQuery(given_names=GIVEN.upper(), family_name=FAMILY))
    in_text = [f for f in findings if f.object_type == "signals.attachment"]
    assert [(f.reference, f.object_id) for f in in_text] == [(signal.reference,
                                                              str(attachment.pk))]
    assert f"{GIVEN} {FAMILY}" in in_text[0].name
    assert other.reference not in {f.reference for f in in_text}
    partial = find_subject(SubjectQuery(given_names=GIVEN, family_name="Quint"))
    assert all(f.object_type != "signals.attachment" for f in partial), "whole words only"
