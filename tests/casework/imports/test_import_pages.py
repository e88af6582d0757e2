"""The import pages: upload, columns, preview with match suggestions, confirm, report."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.imports.service import import_run
from casework.models import SignalImport
from register.models import AuditEvent
from signals.models import Signal
from tests.casework.imports.files import BAD, GOOD, HEADER, broken_zip, csv_bytes, xlsx_bytes
from tests.personas import persona
from tests.signals.builders import file_signal

pytestmark = pytest.mark.django_db


def upload(client, content, name="kmar.xlsx"):
    return client.post(reverse("casework:imports"), {
        "organisation": "kmar", "file": SimpleUploadedFile(name, content)})


def test_an_analyst_uploads_checks_and_imports_a_workbook(as_user, personas):
    client = as_user("analyst_kpcn")
    response = upload(client, xlsx_bytes([*GOOD, BAD]))
    batch = SignalImport.objects.get()
    assert response["Location"] == reverse("casework:import_mapping", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'value="person1_nationality" selected' in page  # proposed from the column name
    response = client.post(response["Location"],
                           {f"column_{i}": name for i, name in enumerate(HEADER)})
    assert response["Location"] == reverse("casework:import_preview", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "2 new, 0 already imported, 1 with errors" in page
    assert "person1_nationality: Not an ISO 3166 country code." in page
    assert not Signal.objects.exists()  # nothing before the analyst confirms
    response = client.post(reverse("casework:import_confirm", args=[batch.pk]))
    assert response["Location"] == reverse("casework:import", args=[batch.pk])
    import_run(batch_id=batch.pk)  # what the worker does
    assert Signal.objects.count() == 2
    page = client.get(reverse("casework:import", args=[batch.pk])).content.decode()
    assert "2 imported, 0 skipped as already imported, 1 refused." in page
    report = client.get(reverse("casework:import_report", args=[batch.pk]))
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].endswith("import_result,import_error,import_reference")
    assert AuditEvent.objects.filter(action="casework.import.report_downloaded").exists()


def test_the_preview_shows_each_persons_match_suggestions(as_user, personas):
    known = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "family_name": "Pérez", "given_names": "Ana", "nationality": "VE",
         "date_of_birth": dt.date(1990, 4, 12), "phone": "+599 717 4455"}])
    from casework.triage import triage_take_in

    triage_take_in(actor=persona("analyst_kpcn"), signal=known)
    client = as_user("analyst_kpcn")
    header = [*HEADER, "person1_date_of_birth", "person1_phone"]
    upload(client, csv_bytes([[*GOOD[0], "12-04-1990", "+599 717 4455"]], header=header),
           name="kmar.csv")
    batch = SignalImport.objects.get()
    client.post(reverse("casework:import_mapping", args=[batch.pk]),
                {f"column_{i}": name for i, name in enumerate(header)})
    page = client.get(reverse("casework:import_preview", args=[batch.pk])).content.decode()
    person = known.persons.get().person
    assert reverse("casework:person", args=[person.pk]) in page
    event = AuditEvent.objects.filter(action="casework.import.previewed").latest("pk")
    assert f"register.person:{person.pk}" in event.result_ids


def test_a_malformed_file_is_refused_at_the_field_and_nothing_is_kept(as_user, personas):
    response = upload(as_user("analyst_kpcn"), broken_zip(xlsx_bytes(GOOD)))
    assert response.status_code == 400
    assert "damaged" in response.content.decode()
    assert not SignalImport.objects.exists()


def test_the_mapping_is_proposed_again_for_the_organisations_next_file(as_user, personas):
    client = as_user("analyst_kpcn")
    header = ["Nr", "Dag", "Eiland", "Soort", "Tekst"]
    rows = [["1", "2018-01-01", "saba", "other", "Seen"]]
    upload(client, csv_bytes(rows, header=header), name="a.csv")
    first = SignalImport.objects.get()
    client.post(reverse("casework:import_mapping", args=[first.pk]), {
        "column_0": "external_id", "column_1": "observed_on", "column_2": "island",
        "column_3": "forms", "column_4": "description"})
    upload(client, csv_bytes(rows, header=header), name="b.csv")
    second = SignalImport.objects.latest("pk")
    assert second.mapping == {"Nr": "external_id", "Dag": "observed_on", "Eiland": "island",
                              "Soort": "forms", "Tekst": "description"}


def test_a_mapping_without_the_required_fields_is_refused(as_user, personas):
    client = as_user("analyst_kpcn")
    upload(client, csv_bytes(GOOD), name="kmar.csv")
    batch = SignalImport.objects.get()
    response = client.post(reverse("casework:import_mapping", args=[batch.pk]),
                           {"column_0": "external_id"})
    assert response.status_code == 400
    assert "No column is mapped to observed_on" in response.content.decode()


def test_another_analyst_does_not_learn_the_import_exists(as_user, personas):
    upload(as_user("analyst_kpcn"), csv_bytes(GOOD), name="kmar.csv")
    batch = SignalImport.objects.get()
    other = as_user("analyst_om")
    for name in ("import", "import_mapping", "import_preview", "import_report"):
        assert other.get(reverse(f"casework:{name}", args=[batch.pk])).status_code == 404
    assert other.post(reverse("casework:import_confirm", args=[batch.pk])).status_code == 404


def test_an_import_is_confirmed_once(as_user, personas):
    client = as_user("analyst_kpcn")
    upload(client, csv_bytes(GOOD), name="kmar.csv")
    batch = SignalImport.objects.get()
    client.post(reverse("casework:import_mapping", args=[batch.pk]),
                {f"column_{i}": name for i, name in enumerate(HEADER)})
    client.get(reverse("casework:import_preview", args=[batch.pk]))
    client.post(reverse("casework:import_confirm", args=[batch.pk]))
    client.post(reverse("casework:import_confirm", args=[batch.pk]))
    assert AuditEvent.objects.filter(action="casework.import.confirmed").count() == 1
    import_run(batch_id=batch.pk)
    assert import_run(batch_id=batch.pk) is None  # a second delivery finds nothing to do
    assert Signal.objects.count() == 2
