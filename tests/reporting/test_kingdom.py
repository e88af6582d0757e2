"""The Kingdom's combined picture: the other countries' MoU art. 4 exchange files imported
(JSON and CSV, the format this register exports), one error per bad line, nothing
half-written."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from register.models import AuditEvent
from reporting.content import report_context
from reporting.figures import Period
from reporting.kingdom import ExchangeFileInvalid, kingdom_import, read_exchange_file
from reporting.models import KingdomFigures
from tests.personas import persona
from tests.reporting.builders import YEAR

ROW = {"format": "cn-thb-mou-art4/1", "country": "Aruba", "year": YEAR - 1, "victims": 12,
       "suspects": "<5", "investigations": 3, "prosecutions": 2, "verdicts": 1,
       "convictions": 1}
HEADER = "format,country,year,victims,suspects,investigations,prosecutions,verdicts,convictions"


def csv_file(*lines):
    return "\n".join([HEADER, *lines]).encode()


def test_our_own_export_reads_back_as_the_caribbean_netherlands(register_year, as_user):
    exported = as_user("coordinator").get(reverse("reporting:exchange",
                                                  args=[YEAR, "json"])).content
    (row,) = read_exchange_file("mou.json", exported)
    assert (row.country, row.year, row.figures["victims"]) == ("BQ", YEAR, 7)
    as_csv = as_user("coordinator").get(reverse("reporting:exchange",
                                                args=[YEAR, "csv"])).content
    assert read_exchange_file("mou.csv", as_csv) == [row]


def test_a_json_list_and_a_csv_of_several_countries_are_read(db):
    rows = read_exchange_file("k.json", json.dumps([ROW, {**ROW, "country": "Curaçao"}])
                              .encode())
    assert [r.country for r in rows] == ["AW", "CW"]
    rows = read_exchange_file("k.csv", csv_file(
        f"cn-thb-mou-art4/1,Sint Maarten,{YEAR},4,<5,0,0,0,0",
        f"cn-thb-mou-art4/1,NL,{YEAR},950,210,180,150,120,95"))
    assert [(r.country, r.figures["victims"], r.figures["suspects"]) for r in rows] == [
        ("SX", 4, "<5"), ("NL", 950, 210)]


def test_every_bad_line_gets_its_own_error_naming_line_and_field(db):
    with pytest.raises(ExchangeFileInvalid) as refused, translation.override("en"):
        read_exchange_file("k.csv", csv_file(
            f"cn-thb-mou-art4/1,Aruba,{YEAR},12,<5,3,2,1,1",
            f"cn-thb-mou-art4/1,Bonaire,{YEAR},12,<5,3,2,1,1",
            f"cn-thb-mou-art4/1,Aruba,{YEAR - 1},-3,many,3,2,1,1",
            "cn-thb-mou-art4/1,Aruba,1899,1,1,1,1,1,1",
            "other/2,Aruba",
            f"cn-thb-mou-art4/1,Aruba,{YEAR},1,1,1,1,1,1"))
    errors = refused.value.errors
    assert errors == [
        "Line 3: the country must be Aruba, Curaçao, Sint Maarten, the Netherlands or the "
        "Caribbean Netherlands.",
        "Line 4: victims must be a whole number from 0, or <5 where it was suppressed.",
        "Line 4: suspects must be a whole number from 0, or <5 where it was suppressed.",
        f"Line 5: the year must be a year from 2000 to {YEAR}.",
        "Line 6: wrong number of columns.",
        "Line 7: this country and year appear twice in the file.",
    ]


def test_bad_files_are_refused_whole(db):
    for name, content in [("k.txt", b"x"), ("k.json", b"{"), ("k.json", b"[]"),
                          ("k.csv", b""), ("k.json", b"\xff\xfe"),
                          ("k.json", json.dumps({**ROW, "comment": "x"}).encode()),
                          ("k.json", json.dumps({**ROW, "victims": True}).encode()),
                          ("k.json", json.dumps(["row"]).encode())]:
        with pytest.raises(ExchangeFileInvalid):
            read_exchange_file(name, content)


def test_a_file_with_one_bad_line_stores_nothing(db):
    with pytest.raises(ExchangeFileInvalid):
        kingdom_import(actor=persona("coordinator"), name="k.json",
                       content=json.dumps([ROW, {**ROW, "country": "Mars"}]).encode())
    assert not KingdomFigures.objects.exists()
    assert not AuditEvent.objects.filter(action="reporting.kingdom.imported").exists()


def test_a_new_file_for_a_country_and_year_replaces_its_figures_and_is_audited(db):
    coordinator = persona("coordinator")
    kingdom_import(actor=coordinator, name="k.json", content=json.dumps(ROW).encode())
    kingdom_import(actor=coordinator, name="k.json",
                   content=json.dumps({**ROW, "victims": 14}).encode())
    assert KingdomFigures.objects.get().figures["victims"] == 14
    event = AuditEvent.objects.filter(action="reporting.kingdom.imported").last()
    assert event.detail == {"rows": [f"AW:{YEAR - 1}"]}


def test_the_coordinator_imports_a_file_and_sees_the_countries_side_by_side(register_year,
                                                                           as_user):
    coordinator = as_user("coordinator")
    upload = SimpleUploadedFile("aruba.json", json.dumps({**ROW, "year": YEAR}).encode())
    page = coordinator.post(reverse("reporting:kingdom"), {"file": upload})
    assert page.status_code == 302
    page = coordinator.get(page["Location"], HTTP_ACCEPT_LANGUAGE="en")
    this_year = page.context["table"][-1]
    by_country = {row["code"]: row["values"] for row in this_year["countries"]}
    assert by_country["AW"] == [12, "<5", 3, 2, 1, 1]
    assert by_country["BQ"][0] == 7  # the register's own figures
    assert by_country["CW"] is None
    assert "No file imported" in page.content.decode()


def test_a_bad_upload_shows_the_errors_at_the_file_field(db, as_user):
    upload = SimpleUploadedFile("k.csv", csv_file(f"cn-thb-mou-art4/1,Mars,{YEAR},1,1,1,1,1,1"))
    page = as_user("coordinator").post(reverse("reporting:kingdom"), {"file": upload},
                                       HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.context["form"].errors["file"] == [
        "Line 2: the country must be Aruba, Curaçao, Sint Maarten, the Netherlands or the "
        "Caribbean Netherlands."]
    assert not KingdomFigures.objects.exists()


def test_the_annual_report_shows_the_kingdom_once_figures_were_imported(register_year):
    assert report_context("annual", Period.year(YEAR))["kingdom"] is None
    kingdom_import(actor=persona("coordinator"), name="k.json",
                   content=json.dumps({**ROW, "year": YEAR}).encode())
    kingdom = report_context("annual", Period.year(YEAR))["kingdom"]
    assert [row["values"] is not None for row in kingdom[0]["countries"]] == [
        True, False, False, False, True]
