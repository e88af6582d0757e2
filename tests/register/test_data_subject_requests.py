import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from register.models import AuditEvent, SubjectRequest
from register.services.privacy import (
    subject_request_decide,
    subject_request_search,
    subject_requests_remind,
)
from tests.personas import persona
from tests.signals.builders import file_signal

STORED_SPELLINGS = [
    # (role, given names, family name, alias, date of birth, document) as partners wrote them
    ("victim", "María José", "Rodríguez Pérez", "", dt.date(1994, 3, 7), ""),
    ("suspect", "Maria Jose", "RODRIGUEZ", "", None, ""),
    ("witness", "", "Rodriges Perez", "", dt.date(1994, 7, 3), ""),
    ("other", "", "", "La Mari", None, "V-1234567"),
    ("victim", "Perez", "Maria", "", dt.date(1994, 1, 1), ""),
]


@pytest.fixture
def stored(db):
    reporters = ["reporter_kmar", "reporter_szw", "reporter_kmar_colleague"]
    signals = []
    for i, (role, given, family, alias, born, document) in enumerate(STORED_SPELLINGS):
        signals.append(file_signal(persona(reporters[i % 3]), persons=[{
            "role": role, "given_names": given, "family_name": family, "alias": alias,
            "date_of_birth": born, "document_type": "passport" if document else "",
            "document_number": document}]))
    file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Luz", "family_name": "Quintero",
         "date_of_birth": dt.date(1980, 2, 2)}])
    return signals


def request_for(**values) -> SubjectRequest:
    defaults = {"received_on": dt.date(2026, 11, 1), "requester_name": "Requester",
                "subject_family_name": "Rodríguez Pérez", "subject_given_names": "María José",
                "subject_date_of_birth": dt.date(1994, 3, 7),
                "subject_document_number": "V-1234567", "created_by": persona("manager")}
    defaults.update(values)
    return SubjectRequest.objects.create(**defaults)


def test_the_search_finds_the_subject_under_every_role_and_spelling(stored):
    with translation.override("en"):
        findings = subject_request_search(actor=persona("manager"), request=request_for())
    found = {f.reference for f in findings}
    assert found == {signal.reference for signal in stored}
    assert {f.role for f in findings} >= {"Possible victim", "Possible suspect", "Witness"}
    swapped = next(f for f in findings if f.date_of_birth == dt.date(1994, 7, 3))
    assert any("swapped" in reason for reason in swapped.reasons)


def test_the_search_does_not_find_other_people(stored):
    findings = subject_request_search(actor=persona("manager"), request=request_for(
        subject_family_name="Quintana", subject_given_names="Pedro",
        subject_date_of_birth=dt.date(1950, 5, 5), subject_document_number=""))
    assert findings == []


def test_the_search_is_audited_with_what_it_returned(stored):
    request = request_for()
    findings = subject_request_search(actor=persona("manager"), request=request)
    event = AuditEvent.objects.get(action="register.subject_request.searched")
    assert event.object_ref == f"DSR-{request.pk}"
    assert len(event.result_ids) == len(findings)
    assert "Rodr" not in str(event.payload())


def test_the_deadline_is_four_weeks_with_a_warning_in_week_three(db):
    request = request_for(received_on=dt.date(2026, 11, 1))
    assert request.due_on == dt.date(2026, 11, 29)
    assert not request.needs_warning(dt.date(2026, 11, 14))
    assert request.needs_warning(dt.date(2026, 11, 15))
    assert request.days_left(dt.date(2026, 11, 15)) == 14


def test_managers_are_reminded_of_requests_in_week_three_without_personal_data(db):
    late = request_for(received_on=dt.date(2026, 11, 1))
    request_for(received_on=dt.date(2026, 11, 10))
    with translation.override("nl"):  # the language a scheduled task runs in
        assert subject_requests_remind(today=dt.date(2026, 11, 16)) == [late.pk]
    body = mail.outbox[0].body
    assert f"#{late.pk}" in body and "Rodr" not in body
    # The managers read a date in their language, not an ISO string (default language: Dutch).
    assert "29 november 2026" in body and "2026-11-29" not in body


def test_an_answered_request_needs_no_warning(db):
    request = request_for(identity_verified_on=dt.date(2026, 11, 2),
                          identity_verified_by=persona("manager"))
    subject_request_decide(actor=persona("manager"), request=request, outcome="informed",
                           ground="", decided_on=dt.date(2026, 11, 20), notes="")
    assert not request.needs_warning(dt.date(2026, 11, 25))
    event = AuditEvent.objects.get(action="register.subject_request.decided")
    assert event.detail == {"outcome": "informed", "ground": "", "days_taken": 19}


def test_an_outcome_needs_a_verified_identity_or_a_refusal_on_that_ground(db):
    request = request_for()
    with pytest.raises(ValidationError):
        subject_request_decide(actor=persona("manager"), request=request, outcome="informed",
                               ground="", decided_on=dt.date(2026, 11, 3), notes="")
    subject_request_decide(actor=persona("manager"), request=request, outcome="refused",
                           ground="identity", decided_on=dt.date(2026, 11, 3), notes="")


def test_a_refusal_needs_its_ground(db):
    request = request_for(identity_verified_on=dt.date(2026, 11, 2))
    with pytest.raises(ValidationError):
        subject_request_decide(actor=persona("manager"), request=request, outcome="refused",
                               ground="", decided_on=dt.date(2026, 11, 3), notes="")


def test_the_manager_records_a_request_and_sees_what_is_held(as_user, stored):
    manager = as_user("manager")
    response = manager.post(reverse("manage_request_new"), {
        "received_on": "2026-11-01", "requester_name": "Lawyer X",
        "subject_family_name": "Rodriguez", "subject_given_names": "Maria Jose",
        "subject_date_of_birth": "1994-03-07"})
    request = SubjectRequest.objects.get()
    page = manager.get(response["Location"]).content.decode()
    for signal in stored[:3]:
        assert signal.reference in page
    manager.post(reverse("manage_request", args=[request.pk]), {
        "identity-verified_on": "2026-11-02", "identity-method": "Passport at the desk"})
    manager.post(reverse("manage_request", args=[request.pk]), {
        "decision-outcome": "partly", "decision-refusal_ground": "police_task",
        "decision-decided_on": "2026-11-20", "decision-notes": ""})
    request.refresh_from_db()
    assert request.identity_verified_by == persona("manager")
    assert (request.outcome, request.refusal_ground) == ("partly", "police_task")


def test_a_future_received_date_is_refused(as_user):
    response = as_user("manager").post(reverse("manage_request_new"), {
        "received_on": "2999-01-01", "requester_name": "X", "subject_family_name": "Y"})
    assert b"The date cannot be in the future" in response.content
    assert not SubjectRequest.objects.exists()


@pytest.mark.parametrize(("asked", "stored"), [
    (("Maria", "Rodriguez"), ("Maria", "Rodrigues")),
    (("Katherine", "Smith"), ("Catherine", "Smyth")),
    (("José", "Gonsales"), ("Jose", "Gonzalez")),
    (("Youssef", "Ali"), ("Yusuf", "Ali")),
    (("Li", "Ng"), ("Li", "Ng")),
    (("Wei", "Zhang"), ("张", "伟")),
])
def test_spelling_variants_are_found_on_the_name_alone(db, asked, stored):
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "witness", "given_names": stored[0], "family_name": stored[1]}])
    file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Pedro", "family_name": "Quintana"}])
    findings = subject_request_search(actor=persona("manager"), request=request_for(
        subject_given_names=asked[0], subject_family_name=asked[1],
        subject_date_of_birth=None, subject_document_number=""))
    assert [f.reference for f in findings] == [signal.reference]
