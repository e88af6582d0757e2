"""A corpus of malformed files: each gets a clear error and nothing is written."""

import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from casework.imports.reading import ImportFileError, check_file
from casework.models import SignalImport
from signals.models import Signal
from tests.casework.imports.files import (
    GOOD,
    HEADER,
    broken_zip,
    csv_bytes,
    write,
    xlsx_bytes,
    zip_without_workbook,
)

pytestmark = pytest.mark.django_db


def _formula(sheet):
    sheet["E2"] = "=CONCATENATE(\"a\",\"b\")"


def _merged(sheet):
    sheet.merge_cells("A2:A3")


def _dimension_claims_a_million_rows() -> bytes:
    """A sheet whose dimension says A1:J1000001: refused before a row is read."""
    content = xlsx_bytes(GOOD)
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:J3" />',
                                    b'<dimension ref="A1:J1000001" />')
                assert b"A1:J1000001" in data
            target.writestr(item, data)
    return out.getvalue()


def _many_rows(count: int) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for _ in range(count):
        sheet.append(GOOD[0])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CORPUS = {
    "empty.csv": (b"", "empty"),
    "broken.xlsx": (broken_zip(xlsx_bytes(GOOD)), "damaged"),
    "not-a-workbook.xlsx": (zip_without_workbook(), "not an Excel workbook"),
    "formula.xlsx": (xlsx_bytes(GOOD, build=_formula), "formula"),
    "merged.xlsx": (xlsx_bytes(GOOD, build=_merged), "merged cells"),
    "million.xlsx": (_dimension_claims_a_million_rows(), "more than"),
    "latin1.csv": (csv_bytes(GOOD, encoding="latin-1"), "UTF-8"),
    "binary.csv": (b"\x00\x01\x02garbage" * 10, "not a text file"),
    "old-excel.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    "pdf.csv": (b"%PDF-1.4 not a table", "not an Excel workbook"),
    "header-only.csv": (csv_bytes([]), "no rows"),
    "no-header.csv": (b",,,\nKM-1,2018-01-01\n", "first row"),
    "twice.csv": (csv_bytes(GOOD, header=["island", *HEADER[1:-1], "Island"]), "twice"),
    "unclosed-quote.csv": (b'observed_on,island\n"2018-01-01,bonaire\n', "quote"),
    "beyond-columns.csv": (b"observed_on,island\n2018-01-01,bonaire,extra\n",
                           "beyond the named columns"),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_malformed_file_gets_a_clear_error(name):
    content, expected = CORPUS[name]
    with pytest.raises(ImportFileError) as error:
        check_file(io.BytesIO(content), len(content))
    assert expected.casefold() in error.value.message.casefold()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_command_writes_nothing_for_a_malformed_file(name, tmp_path, personas, settings):
    settings.LANGUAGE_CODE = "en"
    path = write(tmp_path, name, CORPUS[name][0])
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_signals", str(path), "--organisation", "kmar",
                     "--user", "analyst.kpcn")
    assert not Signal.objects.exists()
    assert not SignalImport.objects.exists()


def test_a_sheet_with_more_rows_than_the_limit_is_refused_while_reading(settings):
    settings.IMPORT_MAX_ROWS = 10
    content = _many_rows(11)
    with pytest.raises(ImportFileError, match="more than 10 rows"):
        check_file(io.BytesIO(content), len(content))


def test_a_file_larger_than_the_limit_is_refused_unread(settings):
    settings.IMPORT_MAX_BYTES = 100
    content = csv_bytes(GOOD)
    with pytest.raises(ImportFileError, match="larger than"):
        check_file(io.BytesIO(content), len(content))


def test_a_csv_with_a_byte_order_mark_and_semicolons_is_read():
    content = b"\xef\xbb\xbf" + csv_bytes(GOOD, delimiter=";")
    kind, header, count = check_file(io.BytesIO(content), len(content))
    assert (kind, header, count) == ("csv", HEADER, 2)
