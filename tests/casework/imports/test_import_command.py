"""The command line import: CSV and XLSX, idempotent, refused rows named, nothing half-made."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext

from casework.models import ImportedRow, ImportMapping, SignalImport
from register.models import AuditEvent
from signals.models import Signal
from signals.vocab import Channel, SignalStatus
from tests.casework.imports.files import BAD, GOOD, csv_bytes, write, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(path, *extra):
    call_command("import_signals", str(path), "--organisation", "kmar", *extra)


def test_a_csv_with_the_api_field_names_imports_without_a_mapping(tmp_path, personas):
    path = write(tmp_path, "kmar.csv", csv_bytes(GOOD))
    run(path, "--user", "analyst.kpcn")
    signals = Signal.objects.order_by("observed_on")
    assert [s.observed_on for s in signals] == [dt.date(2018, 3, 2), dt.date(2018, 5, 11)]
    first = signals[0]
    assert first.channel == Channel.IMPORT
    assert first.status == SignalStatus.RECEIVED  # it enters the inbox
    assert first.reporter_organisation.code == "kmar"
    assert first.persons.get().family_name == "Pérez"
    assert sorted(signals[1].form_codes) == ["labour_exploitation", "people_smuggling"]
    row = first.import_row
    assert (row.row_number, row.imported_by.username, row.key) == (2, "analyst.kpcn",
                                                                     "ext:KM-2018-001")
    assert row.source.original_name == "kmar.csv"
    assert AuditEvent.objects.filter(action="signals.signal.created",
                                     detail__channel="import").count() == 2


def test_an_xlsx_imports_its_dates_and_numbers_as_typed(tmp_path, personas):
    rows = [[*GOOD[0][:1], dt.datetime(2018, 3, 2), *GOOD[0][2:]]]
    path = write(tmp_path, "kmar.xlsx", xlsx_bytes(rows))
    run(path, "--user", "analyst.kpcn")
    assert Signal.objects.get().observed_on == dt.date(2018, 3, 2)


def test_importing_the_same_file_twice_makes_no_duplicate(tmp_path, personas):
    path = write(tmp_path, "kmar.xlsx", xlsx_bytes(GOOD))
    run(path, "--user", "analyst.kpcn")
    run(path, "--user", "analyst.kpcn.colleague")
    assert Signal.objects.count() == 2
    second = SignalImport.objects.order_by("-pk").first()
    assert (second.imported, second.skipped) == (0, 2)


def test_rows_without_a_record_number_are_recognised_by_their_content(tmp_path, personas):
    header = ["observed_on", "island", "forms", "description"]
    rows = [["2019-02-01", "saba", "other", "Seen at the harbour"],
            ["2019-02-01", "saba", "other", "Seen at the harbour"]]  # the same row twice
    path = write(tmp_path, "no-ids.csv", csv_bytes(rows, header=header))
    run(path, "--user", "analyst.kpcn")
    run(path, "--user", "analyst.kpcn")
    assert Signal.objects.count() == 1
    assert ImportedRow.objects.get().key.startswith("sha:")


def test_a_refused_row_is_named_and_the_command_fails_while_good_rows_are_imported(
        tmp_path, personas):
    path = write(tmp_path, "kmar.csv", csv_bytes([*GOOD, BAD]))
    with pytest.raises(CommandError) as error:
        run(path, "--user", "analyst.kpcn")
    assert "row 4: person1_nationality: " in str(error.value)
    assert Signal.objects.count() == 2


def test_the_corrected_report_imports_only_the_corrected_row(tmp_path, personas):
    path = write(tmp_path, "kmar.csv", csv_bytes([*GOOD, BAD]))
    with pytest.raises(CommandError):
        run(path, "--user", "analyst.kpcn")
    report = SignalImport.objects.get().report.read().decode("utf-8-sig")
    assert "import_error" in report.splitlines()[0]
    # The report speaks the importer's language (Dutch by default).
    assert gettext("refused") in report.splitlines()[3].split(",")
    corrected = write(tmp_path, "report.csv",
                      report.replace(",XX,", ",DO,").encode("utf-8-sig"))
    run(corrected, "--user", "analyst.kpcn")
    assert Signal.objects.count() == 3
    assert Signal.objects.filter(persons__nationality="DO").count() == 1
    last = SignalImport.objects.order_by("-pk").first()
    assert (last.imported, last.skipped, last.refused) == (1, 2, 0)


def test_a_dry_run_checks_every_row_and_writes_nothing(tmp_path, personas):
    path = write(tmp_path, "kmar.csv", csv_bytes([*GOOD, BAD]))
    with pytest.raises(CommandError) as error:
        run(path, "--dry-run")
    assert "row 4" in str(error.value)
    assert not Signal.objects.exists()
    assert not SignalImport.objects.exists()


def test_a_mapping_file_maps_the_partners_own_column_names(tmp_path, personas):
    header = ["Registratienr", "Datum", "Eiland", "Vorm", "Omschrijving", "Rol", "Achternaam"]
    rows = [["A-1", "02-03-2018", "Bonaire", "Mensensmokkel", "Landing", "Slachtoffer",
             "Pérez"]]
    path = write(tmp_path, "own.csv", csv_bytes(rows, header=header, delimiter=";"))
    mapping = write(tmp_path, "mapping.json", json.dumps({
        "Registratienr": "external_id", "Datum": "observed_on", "Eiland": "island",
        "Vorm": "forms", "Omschrijving": "description", "Rol": "person1_role",
        "Achternaam": "person1_family_name"}).encode())
    run(path, "--mapping", str(mapping), "--user", "analyst.kpcn")
    signal = Signal.objects.get()
    assert (signal.observed_on, signal.island, signal.form_codes) == (
        dt.date(2018, 3, 2), "bonaire", ["people_smuggling"])
    assert signal.persons.get().role == "victim"
    assert ImportMapping.objects.get(organisation__code="kmar").mapping["Datum"] == "observed_on"


def test_unknown_columns_without_a_mapping_are_refused_by_name(tmp_path, personas):
    path = write(tmp_path, "kmar.csv", csv_bytes(GOOD, header=["nummer", *GOOD[0][1:]]))
    with pytest.raises(CommandError, match="nummer"):
        run(path, "--user", "analyst.kpcn")
    assert not Signal.objects.exists()


def test_a_real_import_needs_an_analyst_as_importer(tmp_path, personas):
    path = write(tmp_path, "kmar.csv", csv_bytes(GOOD))
    with pytest.raises(CommandError, match="--user"):
        run(path, "--user", "reporter.kmar")
    assert not Signal.objects.exists()


def test_taking_in_puts_the_signals_straight_into_the_register(tmp_path, personas):
    path = write(tmp_path, "kmar.csv", csv_bytes(GOOD[:1]))
    run(path, "--user", "analyst.kpcn", "--take-in")
    signal = Signal.objects.get()
    assert signal.status == SignalStatus.IN_REGISTER
    assert signal.persons.get().person is not None
