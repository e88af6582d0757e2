"""Every time personal data leaves the register it is recorded in the disclosure ledger: what,
to whom, on what legal ground, by whom, when and until when. The privacy officer (auditor)
lists and exports it; the data-subject search shows the disclosures of what it found."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.dossiers import dossier_open
from casework.sharing import share_request_create, share_request_decide
from register.models import AuditEvent, Disclosure, Notification, ShareRequest, SubjectRequest
from register.services.disclosures import disclosed, record_disclosure
from register.services.privacy import subject_request_decide, subject_request_verify_identity
from tests.personas import persona
from tests.signals.builders import file_signal

CANARY = "Kanariewitz"
NEXT_YEAR = (timezone.localdate() + dt.timedelta(days=365)).isoformat()


def a_dossier():
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "family_name": CANARY, "given_names": "Ana"}])
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Ledger case")
    return dossier, signal


PRINT = {"recipient_organisation": "Openbaar Ministerie BES", "recipient_person": "Officer",
         "legal_ground": "prosecutor", "purpose": "Case conference", "kept_until": NEXT_YEAR}


def test_printing_a_summary_asks_to_whom_and_records_the_disclosure(db, as_user):
    dossier, signal = a_dossier()
    client = as_user("analyst_kpcn")
    form = client.get(reverse("reporting:dossier_summary", args=[dossier.number]))
    assert form.status_code == 200 and "legal_ground" in form.content.decode()
    assert not Disclosure.objects.exists()
    response = client.post(reverse("reporting:dossier_summary", args=[dossier.number]), PRINT)
    assert response["Content-Type"] == "application/pdf"
    disclosure = Disclosure.objects.get()
    assert (disclosure.channel, disclosure.legal_ground) == ("print", "prosecutor")
    assert disclosure.recipient_organisation == "Openbaar Ministerie BES"
    assert disclosure.disclosed_by == persona("analyst_kpcn")
    assert disclosure.kept_until.isoformat() == NEXT_YEAR
    person = signal.persons.get().person
    assert {(o.object_type, o.object_id) for o in disclosure.items.all()} == {
        ("register.dossier", str(dossier.pk)), ("signals.signal", str(signal.pk)),
        ("register.person", str(person.pk))}


@pytest.mark.parametrize("field, value", [
    ("legal_ground", ""), ("legal_ground", "because"), ("recipient_organisation", ""),
    ("kept_until", "2001-01-01"), ("purpose", "")])
def test_a_summary_without_a_proper_answer_is_not_printed(db, as_user, field, value):
    dossier, _signal = a_dossier()
    response = as_user("analyst_kpcn").post(
        reverse("reporting:dossier_summary", args=[dossier.number]), {**PRINT, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action="register.dossier.printed").exists()


def test_a_list_export_is_recorded_with_the_rows_that_left(db, as_user):
    _dossier, signal = a_dossier()
    client = as_user("analyst_kpcn")
    response = client.get(reverse("casework:dossiers_export", args=["csv"]))
    assert response.status_code == 200
    disclosure = Disclosure.objects.get(channel="export")
    assert disclosure.recipient_organisation == persona("analyst_kpcn").organisation.name
    assert disclosure.kept_until > timezone.localdate()
    exported = AuditEvent.objects.get(action="register.dossier.exported")
    assert sorted(o.object_id for o in disclosure.items.all()) == sorted(
        exported.result_ids)


def test_answering_a_data_subject_request_is_a_disclosure_and_the_search_shows_it(
        db, as_user):
    dossier, signal = a_dossier()
    as_user("analyst_kpcn").post(reverse("reporting:dossier_summary", args=[dossier.number]),
                                 PRINT)
    manager = persona("manager")
    request = SubjectRequest.objects.create(
        received_on=timezone.localdate(), requester_name="R", subject_family_name=CANARY,
        subject_given_names="Ana", created_by=manager)
    subject_request_verify_identity(actor=manager, request=request,
                                    verified_on=timezone.localdate(), method="passport")
    subject_request_decide(actor=manager, request=request, outcome="informed", ground="",
                           decided_on=timezone.localdate(), notes="")
    answer = Disclosure.objects.get(channel="subject_answer")
    assert answer.legal_ground == "subject_request"
    assert ("signals.signalperson", str(signal.persons.get().pk)) in {
        (o.object_type, o.object_id) for o in answer.items.all()}
    page = as_user("manager").get(reverse("manage_request", args=[request.pk]))
    shown = page.context["disclosures"]
    assert {d.channel for d in shown} == {"print", "subject_answer"}
    assert "Openbaar Ministerie BES" in page.content.decode()


def test_a_refused_request_discloses_nothing(db):
    manager = persona("manager")
    request = SubjectRequest.objects.create(
        received_on=timezone.localdate(), requester_name="R", subject_family_name="Nobody",
        created_by=manager)
    subject_request_decide(actor=manager, request=request, outcome="refused",
                           ground="identity", decided_on=timezone.localdate(), notes="")
    assert not Disclosure.objects.exists()


SHARE = {"country": "curacao", "recipient_organisation": "KPC Curaçao",
         "recipient_person": "", "legal_ground": "police_task",
         "purpose": "Same suspects seen in Willemstad",
         "kept_until": timezone.localdate() + dt.timedelta(days=180)}


def test_sharing_with_the_kingdom_needs_a_second_analyst_before_anything_is_recorded(
        db, as_user):
    dossier, _signal = a_dossier()
    asker, second = persona("analyst_kpcn"), persona("analyst_kpcn_colleague")
    share = share_request_create(actor=asker, dossier=dossier, values=SHARE)
    assert not Disclosure.objects.exists()
    assert Notification.objects.filter(user=second, event="casework.share.requested").exists()
    # The summary to send does not exist before the approval.
    summary = reverse("reporting:share_summary", args=[dossier.number, share.pk])
    assert as_user("analyst_kpcn").get(summary).status_code == 403
    with pytest.raises(ValidationError) as refused:
        share_request_decide(actor=asker, share=share, approve=True)
    assert "decision" in refused.value.message_dict
    assert not Disclosure.objects.exists()
    share_request_decide(actor=second, share=share, approve=True)
    share.refresh_from_db()
    disclosure = share.disclosure
    assert share.status == "approved" and disclosure.channel == "kingdom_share"
    assert (disclosure.disclosed_by, disclosure.approved_by) == (asker, second)
    assert disclosure.country == "curacao"
    assert Notification.objects.filter(user=asker, event="casework.share.decided").exists()
    response = as_user("analyst_kpcn").get(summary)
    assert response["Content-Type"] == "application/pdf"
    with pytest.raises(ValidationError):
        share_request_decide(actor=second, share=share, approve=False, reason="changed mind")


def test_a_share_request_without_a_legal_ground_is_refused_at_the_field(db, as_user):
    dossier, _signal = a_dossier()
    response = as_user("analyst_kpcn").post(
        reverse("casework:share_new", args=[dossier.number]),
        {**SHARE, "legal_ground": "", "kept_until": SHARE["kept_until"].isoformat()})
    assert "legal_ground" in response.context["form"].errors
    assert not ShareRequest.objects.exists()


def test_a_refusal_needs_a_reason_and_records_no_disclosure(db):
    dossier, _signal = a_dossier()
    share = share_request_create(actor=persona("analyst_kpcn"), dossier=dossier, values=SHARE)
    with pytest.raises(ValidationError) as error:
        share_request_decide(actor=persona("analyst_om"), share=share, approve=False)
    assert "reason" in error.value.message_dict
    share_request_decide(actor=persona("analyst_om"), share=share, approve=False,
                         reason="No legal ground for this")
    share.refresh_from_db()
    assert share.status == "refused" and not Disclosure.objects.exists()


def test_the_ledger_refuses_a_kingdom_share_the_discloser_approved_himself(db):
    analyst = persona("analyst_kpcn")
    with pytest.raises(ValidationError) as error:
        record_disclosure(actor=analyst, objects=[disclosed("register.dossier", 1, "D")],
                          channel="kingdom_share", country="aruba",
                          recipient_organisation="KPA", legal_ground="police_task",
                          approved_by=analyst)
    assert "approved_by" in error.value.message_dict
    assert not Disclosure.objects.exists()


def test_the_auditor_lists_and_exports_the_ledger_and_both_are_audited(db, as_user):
    dossier, _signal = a_dossier()
    as_user("analyst_kpcn").post(reverse("reporting:dossier_summary", args=[dossier.number]),
                                 PRINT)
    client = as_user("auditor")
    page = client.get(reverse("disclosures")).content.decode()
    assert "Openbaar Ministerie BES" in page and dossier.number in page
    assert CANARY not in page
    listed = AuditEvent.objects.get(action="register.disclosure.listed")
    assert listed.result_ids == [str(Disclosure.objects.get().pk)]
    response = client.get(reverse("disclosures_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "id" and len(rows) == 2
    assert rows[1][3] == "Openbaar Ministerie BES" and rows[1][6] == "prosecutor"
    assert f"register.dossier:{dossier.pk}" in rows[1][-1]
    assert AuditEvent.objects.filter(action="register.disclosure.exported").exists()


def test_exporting_a_selection_is_recorded_too(db):
    from casework.bulk import bulk_export_dossiers

    dossier, _signal = a_dossier()
    bulk_export_dossiers(actor=persona("analyst_kpcn"), numbers=[dossier.number],
                         extension="xlsx")
    disclosure = Disclosure.objects.get(channel="export")
    assert [(o.object_type, o.object_id, o.reference) for o in disclosure.items.all()] == [
        ("register.dossier", str(dossier.pk), dossier.number)]
