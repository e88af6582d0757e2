import re

import pytest
from django.urls import reverse

from register.models import AuditEvent
from signals.models import Attachment, Signal, StagedUpload
from tests.personas import persona
from tests.signals.builders import PDF_BYTES, PNG_BYTES, form_data, upload

NEW = reverse("signals:new")


def token_of(response) -> str:
    return re.search(r'name="form_token" value="(\w+)"', response.content.decode()).group(1)


@pytest.fixture
def reporter(as_user):
    return as_user("reporter_kmar")


@pytest.fixture
def token(reporter):
    return token_of(reporter.get(NEW))


def errors_of(response) -> list[str]:
    return re.findall(r'<ul class="errorlist"[^>]*>\s*<li>(.*?)</li>', response.content.decode())


def test_the_form_is_prefilled_with_the_reporters_own_details(reporter):
    page = reporter.get(NEW).content.decode()
    assert 'value="Reporter Persona"' in page
    assert 'value="+599 700 1234"' in page
    assert 'value="reporter_kmar@example.invalid"' in page


def test_a_valid_signal_is_saved_whole_and_the_reporter_gets_a_receipt(reporter, token):
    response = reporter.post(NEW, form_data(token))
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("signals:receipt", args=[signal.reference])
    assert re.fullmatch(r"MH-\d{4}-\d{6}", signal.reference)
    assert signal.channel == "web"
    assert signal.status == "received"
    assert signal.submitted_by == persona("reporter_kmar")
    assert signal.reporter_organisation.code == "kmar"
    assert sorted(signal.form_codes) == ["people_smuggling", "sexual_exploitation"]
    assert signal.indicator_codes == ["debt_bondage"]
    persons = list(signal.persons.all())
    assert [(p.role, p.family_name, p.alias) for p in persons] == [
        ("victim", "García Londoño", ""), ("suspect", "", "Papi")]
    assert persons[0].estimated_age == 24 and persons[0].nationality == "CO"
    assert signal.businesses.get().name == "Bar Demo"
    assert signal.vehicles.get().name == "La Demo"
    receipt = reporter.get(response["Location"]).content.decode()
    assert signal.reference in receipt


def test_references_count_up_within_a_year(reporter, as_user):
    first = reporter.post(NEW, form_data(token_of(reporter.get(NEW))))
    second = reporter.post(NEW, form_data(token_of(reporter.get(NEW))))
    numbers = [int(r["Location"].split("/")[2].split("-")[2]) for r in (first, second)]
    assert numbers[1] == numbers[0] + 1


def test_a_double_submit_creates_one_signal(reporter, token):
    first = reporter.post(NEW, form_data(token))
    second = reporter.post(NEW, form_data(token))
    assert Signal.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"forms": []}, "Tick at least one form"),
        ({"observed_on": "2999-01-01"}, "cannot be in the future"),
        ({"observed_on": "31-31-2025"}, "Enter a valid date"),
        ({"island": "curacao"}, "Select a valid choice"),
        ({"description": ""}, "This field is required"),
        ({"reporter_email": "not-an-address"}, "Enter a valid email address"),
        ({"reporter_phone": "call me"}, "Enter a phone number"),
        ({"persons-0-family_name": "", "persons-0-given_names": ""}, "Give a name or alias"),
        ({"persons-0-date_of_birth": "2999-01-01", "persons-0-estimated_age": ""},
         "date of birth cannot be in the future"),
        ({"persons-0-estimated_age": "300"}, "less than or equal to 120"),
        ({"persons-0-nationality": "XX"}, "Select a valid choice"),
        ({"persons-0-document_number": "P123"}, "Choose the kind of document"),
        ({"businesses-0-name": "", "businesses-0-address": "Kaya Grandi 1"},
         "This field is required"),
        ({"vehicles-0-name": "", "vehicles-0-kind": "car"}, "Give a name, a registration"),
    ],
)
def test_wrong_input_is_refused_at_the_field_and_nothing_is_saved(
    reporter, token, changes, message
):
    response = reporter.post(NEW, form_data(token, **changes))
    assert response.status_code == 200
    assert any(message in error for error in errors_of(response)), errors_of(response)
    assert 'class="error-summary"' in response.content.decode()
    assert Signal.objects.count() == 0


def test_nothing_typed_is_lost_when_the_form_is_refused(reporter, token):
    response = reporter.post(NEW, form_data(token, forms=[], description="Kept description"))
    page = response.content.decode()
    assert "Kept description" in page
    assert 'value="García Londoño"' in page
    assert 'value="Papi"' in page
    assert 'value="Bar Demo"' in page
    assert 'value="La Demo"' in page
    assert 'value="Rincon"' in page
    assert re.search(r'value="debt_bondage"[^>]*checked', page)


def test_adding_a_person_keeps_the_input_and_shows_no_errors_yet(reporter, token):
    response = reporter.post(NEW, form_data(token, action="add_persons", description=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert "errorlist" not in page
    assert 'name="persons-TOTAL_FORMS" value="3"' in page
    assert 'name="persons-2-family_name"' in page
    assert 'value="García Londoño"' in page
    assert Signal.objects.count() == 0


def test_an_empty_person_row_is_ignored(reporter, token):
    data = form_data(token, **{"persons-TOTAL_FORMS": "3", "persons-2-sex": "unknown"})
    reporter.post(NEW, data)
    assert Signal.objects.get().persons.count() == 2


def test_a_removed_person_is_not_saved(reporter, token):
    reporter.post(NEW, form_data(token, **{"persons-1-DELETE": "on"}))
    assert list(Signal.objects.get().persons.values_list("role", flat=True)) == ["victim"]


def test_a_signal_need_not_be_about_persons(reporter, token):
    data = form_data(token, **{"persons-TOTAL_FORMS": "0", "businesses-TOTAL_FORMS": "0",
                               "vehicles-TOTAL_FORMS": "0"})
    assert reporter.post(NEW, data).status_code == 302
    assert Signal.objects.get().persons.count() == 0


def test_attachments_are_stored_outside_the_web_root_under_a_random_name(reporter, token,
                                                                        settings):
    data = form_data(token, attachments=[upload("passport scan Luz.pdf", PDF_BYTES),
                                         upload("photo.png", PNG_BYTES)])
    reporter.post(NEW, data)
    attachments = list(Attachment.objects.order_by("original_name"))
    assert [(a.original_name, a.content_type) for a in attachments] == [
        ("passport scan Luz.pdf", "application/pdf"), ("photo.png", "image/png")]
    for attachment in attachments:
        assert "Luz" not in attachment.file.name
        assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
        assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name(reporter, token):
    response = reporter.post(NEW, form_data(token, attachments=[upload("report.pdf", b"MZ\x90")]))
    assert any("report.pdf is not a PDF, JPEG or PNG file" in e for e in errors_of(response))
    assert Signal.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(reporter, token, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = upload("big.pdf", PDF_BYTES + b"0" * 2048)
    response = reporter.post(NEW, form_data(token, attachments=[big]))
    assert any("big.pdf is larger than" in e for e in errors_of(response))
    assert Signal.objects.count() == 0


def test_a_good_file_is_kept_while_the_user_corrects_the_form(reporter, token):
    refused = reporter.post(NEW, form_data(token, forms=[],
                                           attachments=[upload("statement.pdf", PDF_BYTES)]))
    assert "statement.pdf" in refused.content.decode()
    assert StagedUpload.objects.count() == 1
    reporter.post(NEW, form_data(token))
    signal = Signal.objects.get()
    assert [a.original_name for a in signal.attachments.all()] == ["statement.pdf"]
    assert StagedUpload.objects.count() == 0


def test_a_kept_file_can_be_removed_before_submitting(reporter, token):
    reporter.post(NEW, form_data(token, forms=[], attachments=[upload("wrong.pdf", PDF_BYTES)]))
    staged = StagedUpload.objects.get()
    reporter.post(NEW, form_data(token, discard_upload=[str(staged.pk)]))
    assert Signal.objects.get().attachments.count() == 0
    assert StagedUpload.objects.count() == 0


def test_another_users_kept_files_cannot_be_attached(reporter, token, as_user):
    colleague = as_user("reporter_kmar_colleague")
    colleague.post(NEW, form_data(token, forms=[], attachments=[upload("x.pdf", PDF_BYTES)]))
    reporter.post(NEW, form_data(token))
    assert Signal.objects.get().attachments.count() == 0


def test_immediate_danger_shows_the_emergency_number_on_the_receipt(reporter, token, settings):
    settings.EMERGENCY_NUMBER = "911"
    response = reporter.post(NEW, form_data(token, immediate_danger="on"), follow=True)
    page = response.content.decode()
    assert Signal.objects.get().immediate_danger is True
    assert "911" in page and 'class="notice urgent"' in page


def test_no_emergency_notice_without_immediate_danger(reporter, token):
    page = reporter.post(NEW, form_data(token), follow=True).content.decode()
    assert 'class="notice urgent"' not in page


def test_a_failure_half_way_leaves_no_signal_and_no_files(reporter, token, monkeypatch,
                                                          settings):
    def broken_audit(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("signals.services.audit_record", broken_audit)
    reporter.raise_request_exception = True
    with pytest.raises(RuntimeError):
        reporter.post(NEW, form_data(token, attachments=[upload("a.pdf", PDF_BYTES)]))
    assert Signal.objects.count() == 0
    assert Attachment.objects.count() == 0
    attachments_dir = settings.MEDIA_ROOT / "attachments"
    assert not [p for p in attachments_dir.rglob("*") if p.is_file()]


def test_filing_writes_an_audit_event_without_personal_data(reporter, token):
    reporter.post(NEW, form_data(token))
    signal = Signal.objects.get()
    event = AuditEvent.objects.get(action="signals.signal.created")
    assert event.object_id == str(signal.pk)
    assert event.actor == persona("reporter_kmar")
    assert event.organisation_code == "kmar"
    assert event.request_id
    assert "García" not in str(event.detail) and "Papi" not in str(event.detail)


def test_a_paper_signal_is_entered_by_an_analyst_for_the_original_reporter(as_user, personas):
    analyst = as_user("analyst_kpcn")
    url = reverse("signals:new_paper")
    token = token_of(analyst.get(url))
    szw = personas["reporter_szw"].organisation
    analyst.post(url, form_data(token, reporter_name="Inspector on paper",
                                reporter_organisation=str(szw.pk)))
    signal = Signal.objects.get()
    assert signal.channel == "paper"
    assert signal.reporter_name == "Inspector on paper"
    assert signal.reporter_organisation == szw
    assert signal.submitted_by == personas["analyst_kpcn"]


def test_a_paper_signal_needs_the_reporters_organisation(as_user):
    analyst = as_user("analyst_kpcn")
    url = reverse("signals:new_paper")
    response = analyst.post(url, form_data(token_of(analyst.get(url))))
    assert response.status_code == 200
    assert Signal.objects.count() == 0


def test_a_reporter_cannot_enter_paper_signals(reporter):
    assert reporter.get(reverse("signals:new_paper")).status_code == 403


def test_a_reporter_sees_only_their_own_signals_with_status(reporter, as_user, token):
    reporter.post(NEW, form_data(token))
    colleague = as_user("reporter_kmar_colleague")
    colleague.post(NEW, form_data(token_of(colleague.get(NEW)), description="Colleague's"))
    mine, theirs = (Signal.objects.get(submitted_by=persona(n))
                    for n in ("reporter_kmar", "reporter_kmar_colleague"))
    page = reporter.get(reverse("signals:mine")).content.decode()
    assert mine.reference in page
    assert '<td class="status">' in page
    assert theirs.reference not in page
    assert reporter.get(reverse("signals:detail", args=[theirs.reference])).status_code == 404
    assert reporter.get(reverse("signals:receipt", args=[theirs.reference])).status_code == 404


def test_attachments_download_only_for_analysts(reporter, token, as_user):
    reporter.post(NEW, form_data(token, attachments=[upload("a.pdf", PDF_BYTES)]))
    signal = Signal.objects.get()
    attachment = signal.attachments.get()
    url = reverse("signals:attachment", args=[signal.reference, attachment.pk])
    response = as_user("analyst_om").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert reporter.get(url).status_code == 403, "the reporter sees status, not contents"
    assert as_user("reporter_szw").get(url).status_code == 403
    event = AuditEvent.objects.get(action="signals.attachment.downloaded")
    assert event.object_ref == signal.reference


def test_a_reporter_sees_the_status_not_the_contents_of_their_own_signal(reporter, token):
    reporter.post(NEW, form_data(token))
    signal = Signal.objects.get()
    page = reporter.get(reverse("signals:detail", args=[signal.reference])).content.decode()
    assert signal.reference in page and '<dd class="status">' in page
    assert "García" not in page and "Women living above a bar" not in page


def test_kept_files_never_exceed_the_attachment_limit(reporter, token, settings):
    settings.ATTACHMENTS_PER_SIGNAL = 2
    for _ in range(3):
        reporter.post(NEW, form_data(token, forms=[], attachments=[
            upload("a.pdf", PDF_BYTES), upload("b.pdf", PDF_BYTES)]))
    assert StagedUpload.objects.count() == 2


def test_a_request_larger_than_a_full_set_of_attachments_is_refused_unread(reporter, token):
    response = reporter.generic("POST", NEW, b"x", CONTENT_TYPE="application/octet-stream",
                                CONTENT_LENGTH=str(10**10))
    assert response.status_code == 413
