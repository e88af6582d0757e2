"""Building import files in tests: CSV text and small workbooks."""

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

HEADER = ["external_id", "observed_on", "island", "forms", "description", "location",
          "person1_role", "person1_family_name", "person1_given_names", "person1_nationality"]
GOOD = [
    ["KM-2018-001", "2018-03-02", "bonaire", "people_smuggling", "Boat landing at Lac Bay",
     "Lac Bay", "victim", "Pérez", "Ana", "VE"],
    ["KM-2018-002", "2018-05-11", "bonaire", "people_smuggling;labour_exploitation",
     "Workers without papers", "Kralendijk", "suspect", "Ramos", "Luis", "CO"],
]
BAD = ["KM-2019-003", "2019-01-20", "saba", "people_smuggling", "Three persons at the pier",
       "Fort Bay", "victim", "Diaz", "Maria", "XX"]  # XX is no country


def csv_bytes(rows, header=HEADER, delimiter=",", encoding="utf-8") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, build=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if build:
        build(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def broken_zip(content: bytes) -> bytes:
    return content[: len(content) // 2]


def zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()
