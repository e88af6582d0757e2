"""An analyst prints a dossier's summary for a case conference: a PDF/A under the
classification marking, with what the dossier holds, audited as a disclosure."""

import io

import pypdf
from django.test import override_settings
from django.urls import reverse

from casework.dossiers import dossier_open, dossier_restrict, follow_up_add
from register.middleware import SESSION_CONFIRMED
from register.models import AuditEvent
from tests.personas import persona
from tests.register.test_sessions_and_account_management import age_session
from tests.signals.builders import file_signal

PRINT = {"recipient_organisation": "Openbaar Ministerie BES", "legal_ground": "prosecutor",
         "purpose": "Case conference", "kept_until": "2099-12-31"}
VICTIM = {"role": "victim", "given_names": "Luz Marina", "family_name": "Kanariewitz"}


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def a_dossier():
    kpcn = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), persons=[VICTIM], location="Rincon")
    dossier = dossier_open(actor=kpcn, signals=[signal], title="Construction site Rincon")
    follow_up_add(actor=kpcn, dossier=dossier, kind="victim_care",
                  organisation=kpcn.organisation)
    return dossier, signal


@override_settings(REPORT_CLASSIFICATION="Departementaal vertrouwelijk")
def test_the_summary_holds_the_dossier_under_the_marking_and_the_moment_of_printing(
        db, as_user):
    dossier, signal = a_dossier()
    response = as_user("analyst_kpcn").post(reverse("reporting:dossier_summary",
                                                    args=[dossier.number]), PRINT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    xmp = pypdf.PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert xmp is not None and "pdfaid:part" in xmp.stream.get_data().decode()  # PDF/A
    text = text_of(pdf).replace("\n", "")  # a narrow cell wraps a reference after its dash
    for expected in ("DEPARTEMENTAAL VERTROUWELIJK", dossier.number, "Construction site Rincon",
                     signal.reference, "Kanariewitz", "Rincon", "Printed"):
        assert expected in text, expected


def test_printing_is_audited_with_everything_the_summary_holds(db, as_user):
    dossier, signal = a_dossier()
    as_user("analyst_kpcn").post(reverse("reporting:dossier_summary", args=[dossier.number]),
                                 PRINT)
    event = AuditEvent.objects.get(action="register.dossier.printed")
    person = signal.persons.get().person
    assert event.object_id == str(dossier.pk)
    assert set(event.result_ids) == {f"signals.signal:{signal.pk}",
                                     f"register.person:{person.pk}"}


def test_a_restricted_dossier_cannot_be_printed_by_an_analyst_it_is_hidden_from(db, as_user):
    dossier, _signal = a_dossier()
    dossier_restrict(actor=persona("analyst_kpcn"), dossier=dossier,
                     analysts=[persona("analyst_kpcn")])
    response = as_user("analyst_om").post(reverse("reporting:dossier_summary",
                                                  args=[dossier.number]), PRINT)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="register.dossier.printed").exists()


def test_printing_asks_for_the_password_again_after_five_minutes(db, as_user):
    dossier, _signal = a_dossier()
    client = as_user("analyst_kpcn")
    age_session(client, SESSION_CONFIRMED, 301)
    response = client.post(reverse("reporting:dossier_summary", args=[dossier.number]), PRINT)
    assert response["Location"].startswith(reverse("reauthenticate"))


def test_the_dossier_page_offers_the_printed_summary(db, as_user):
    dossier, _signal = a_dossier()
    page = as_user("analyst_kpcn").get(reverse("casework:dossier", args=[dossier.number]))
    assert reverse("reporting:dossier_summary", args=[dossier.number]) in page.content.decode()
