"""Reading a partner's file row by row, whatever its size, and refusing a malformed one.

A file is recognised by its content, never its name: an .xlsx is a zip holding a workbook, a
CSV is UTF-8 text. Every row comes out as a list of strings (a cell that is a date becomes
its ISO date, a whole number loses its ".0"), so that a row read from the .xlsx and from the
report written from it (a CSV) have the same content and the same key.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

XLSX, CSV = "xlsx", "csv"
# The uncompressed parts of a workbook together, against a zip bomb: a small file that
# unpacks to gigabytes of XML.
UNPACKED_MAX_BYTES = 400 * 1024 * 1024
# One cell: the description may hold 20,000 characters; a little room for the rest.
CELL_MAX_CHARS = 25_000
# A report protects a cell that a spreadsheet would run as a formula with a leading
# apostrophe (report.safe_cell); reading takes it off again, so the row keeps its key.
_PROTECTED = re.compile(r"^'(?=[=+\-@\t\r])")


class ImportFileError(Exception):
    """The file cannot be imported at all; the message says why, for the analyst."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    kind: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)


def sniff_kind(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if head.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8")):
        raise ImportFileError(_("This is not an Excel workbook (.xlsx) or a CSV file. An old "
                                "Excel file (.xls) must first be saved as .xlsx."))
    if b"\x00" in head:
        raise ImportFileError(_("This is not a text file: a CSV file must be text in UTF-8."))
    return CSV


def check_size(size: int) -> None:
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(limit)s.")
                              % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)})


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return _PROTECTED.sub("", text)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(_("The file has more than %(limit)s rows; split it into smaller "
                             "files.") % {"limit": f"{settings.IMPORT_MAX_ROWS:,}"})


def _header(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    if not any(cells):
        raise ImportFileError(_("The first row must name the columns; it is empty."))
    if len(cells) > settings.IMPORT_MAX_COLUMNS:
        raise ImportFileError(_("The file has more than %(limit)s columns.")
                              % {"limit": settings.IMPORT_MAX_COLUMNS})
    seen = set()
    for number, name in enumerate(cells, start=1):
        if not name:
            raise ImportFileError(_("Column %(number)s has no name in the first row.")
                                  % {"number": number})
        if name.casefold() in seen:
            raise ImportFileError(_("The column “%(name)s” appears twice.")
                                  % {"name": name[:50]})
        seen.add(name.casefold())
    return cells


def _rows(numbered: Iterator[tuple[int, list[str]]], width: int):
    count = 0
    for number, cells in numbered:
        if not any(cells):
            continue  # blank lines between records are common in hand-kept sheets
        count += 1
        if count > settings.IMPORT_MAX_ROWS:
            raise _too_many_rows()
        if len(cells) > width and any(cells[width:]):
            raise ImportFileError(_("Row %(row)s has values beyond the named columns.")
                                  % {"row": number})
        for cell in cells:
            if len(cell) > CELL_MAX_CHARS:
                raise ImportFileError(_("Row %(row)s holds a cell longer than %(limit)s "
                                        "characters.") % {"row": number,
                                                          "limit": f"{CELL_MAX_CHARS:,}"})
        yield number, (cells + [""] * width)[:width]


# --- Excel ------------------------------------------------------------------------------------

def _check_workbook_zip(handle) -> str:
    """The first sheet's part name, after the zip checks: intact, a workbook, not a bomb,
    no merged cells (a merged cell's value belongs to several rows or columns at once)."""
    try:
        archive = zipfile.ZipFile(handle)
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise ImportFileError(_("This zip file is not an Excel workbook (.xlsx)."))
        if sum(info.file_size for info in archive.infolist()) > UNPACKED_MAX_BYTES:
            raise ImportFileError(_("The workbook unpacks to more than %(limit)s.")
                                  % {"limit": filesizeformat(UNPACKED_MAX_BYTES)})
        if bad := archive.testzip():
            raise ImportFileError(_("The workbook is damaged (%(part)s).") % {"part": bad[:60]})
        sheets = sorted(n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
        for sheet in sheets:
            with archive.open(sheet) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if b"<mergeCell " in tail + chunk or b":mergeCell " in tail + chunk:
                        raise ImportFileError(_(
                            "The workbook has merged cells. Unmerge them (each value in its "
                            "own row and column) and upload it again."))
                    tail = chunk[-20:]
        return sheets[0] if sheets else ""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as error:
        raise ImportFileError(_("The workbook is damaged: it cannot be opened as .xlsx.")) \
            from error


def _xlsx_table(handle) -> Table:
    import openpyxl  # a large import, needed only here
    from openpyxl.utils.exceptions import InvalidFileException

    _check_workbook_zip(handle)
    handle.seek(0)
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError,
            OSError) as error:
        raise ImportFileError(_("The workbook is damaged: it cannot be opened as .xlsx.")) \
            from error
    sheet = workbook.worksheets[0]
    if (sheet.max_row or 0) > settings.IMPORT_MAX_ROWS + 1:
        # The sheet's own dimension says so: refused before a row is read.
        workbook.close()
        raise _too_many_rows()

    def numbered() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, row in enumerate(sheet.iter_rows(), start=1):
                cells = []
                for cell in row:
                    if getattr(cell, "data_type", None) == "f":
                        raise ImportFileError(_(
                            "Cell %(cell)s holds a formula. Replace formulas by their values "
                            "(copy, paste values) and upload the file again.")
                            % {"cell": getattr(cell, "coordinate", number)})
                    cells.append(_cell_text(cell.value))
                yield number, cells
        except ImportFileError:
            raise
        except Exception as error:  # openpyxl's XML errors are of many kinds
            raise ImportFileError(_("The workbook is damaged: a row cannot be read.")) \
                from error
        finally:
            workbook.close()

    rows = numbered()
    try:
        _number, first = next(rows)
    except StopIteration:
        raise ImportFileError(_("The workbook's first sheet is empty.")) from None
    header = _header(first)
    return Table(XLSX, header, _rows(rows, len(header)))


# --- CSV --------------------------------------------------------------------------------------

def _csv_table(handle) -> Table:
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="strict", newline="")
    try:
        sample = text.read(64 * 1024)
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as “CSV UTF-8” "
                                "and upload it again.")) from None
    if "\x00" in sample:
        raise ImportFileError(_("This is not a text file: a CSV file must be text in UTF-8."))
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = max(",;\t", key=first_line.count)
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter, strict=True)

    def numbered() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                yield reader.line_num, [_cell_text(cell) for cell in cells]
        except UnicodeDecodeError:
            raise ImportFileError(_("Line %(line)s is not UTF-8 text. Save the file as "
                                    "“CSV UTF-8” and upload it again.")
                                  % {"line": reader.line_num + 1}) from None
        except csv.Error as error:
            raise ImportFileError(_("Line %(line)s cannot be read as CSV (a quote not closed, "
                                    "or a cell too long).") % {"line": reader.line_num}) \
                from error

    rows = numbered()
    try:
        _number, first = next(rows)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    header = _header(first)
    return Table(CSV, header, _rows(rows, len(header)))


@contextmanager
def open_table(handle, kind: str):
    """The table in an open binary file of the given kind; rows are read as they are used."""
    handle.seek(0)
    if kind == XLSX:
        yield _xlsx_table(handle)
    else:
        yield _csv_table(io.BufferedReader(_Unclosable(handle)))


class _Unclosable(io.RawIOBase):
    """The caller's file, which TextIOWrapper must not close when it is dropped."""

    def __init__(self, inner):
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._inner.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def seekable(self) -> bool:
        return True

    def seek(self, offset, whence=0):
        return self._inner.seek(offset, whence)

    def tell(self):
        return self._inner.tell()


def check_file(handle, size: int) -> tuple[str, list[str], int]:
    """Read the whole file once, as the import will: (kind, header, number of rows), or
    ImportFileError. Nothing is kept but the header."""
    check_size(size)
    handle.seek(0)
    kind = sniff_kind(handle.read(8))
    with open_table(handle, kind) as table:
        count = sum(1 for _ in table.rows)
    if count == 0:
        raise ImportFileError(_("The file has column names but no rows."))
    return kind, table.header, count
