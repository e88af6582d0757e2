"""The import's report: the file's own columns with the result of each row, as CSV.

A refused row can be corrected in it and the report uploaded again as it is: its result
columns are never mapped, and rows imported before keep their key, so they are skipped.
"""

import csv
import io

from django.utils.translation import gettext as _

from casework.imports.fields import REPORT_COLUMNS
from casework.imports.rows import ERROR, EXISTING, NEW

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A cell a spreadsheet shows as text (reading.py takes the apostrophe off again)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def result_label(status: str, imported: bool = False) -> str:
    if status == ERROR:
        return _("refused")
    if status == EXISTING:
        return _("already imported")
    return _("imported") if imported else _("new")


class ReportWriter:
    """Writes rows to a binary file as UTF-8 CSV with a byte order mark (Excel reads it)."""

    def __init__(self, handle, header: list[str]):
        self._text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="",
                                      write_through=True)
        self._writer = csv.writer(self._text)
        self._writer.writerow([safe_cell(c) for c in header if c not in REPORT_COLUMNS]
                              + list(REPORT_COLUMNS))
        self._own = [i for i, c in enumerate(header) if c not in REPORT_COLUMNS]

    def row(self, cells: list[str], status: str, message: str = "", reference: str = "",
            imported: bool = False) -> None:
        self._writer.writerow([safe_cell(cells[i]) for i in self._own]
                              + [result_label(status, imported), safe_cell(message),
                                 reference])

    def close(self) -> None:
        self._text.flush()
        self._text.detach()


__all__ = ["ERROR", "EXISTING", "NEW", "ReportWriter", "safe_cell"]
