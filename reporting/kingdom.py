"""The Kingdom's combined picture (MoU art. 4): the exchange files of Aruba, Curaçao, Sint
Maarten, the Netherlands and the Caribbean Netherlands, in the `cn-thb-mou-art4/1` format this
register exports itself (reporting.views.exchange_rows), read back as JSON or CSV.

Every line of a file is checked before anything is stored: a file with one bad line stores
nothing, and each bad line gets its own error naming the line and the field."""

import csv
import io
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import User
from register.services.audit import audit_record
from reporting.models import KingdomCountry, KingdomFigures

FORMAT = "cn-thb-mou-art4/1"
FIELDS = ("victims", "suspects", "investigations", "prosecutions", "verdicts", "convictions")
MAX_BYTES = 1_000_000
# The country as files name it: its name (as our own export writes it) or its ISO code.
COUNTRIES = {
    "aruba": "AW", "aw": "AW", "curaçao": "CW", "curacao": "CW", "cw": "CW",
    "sint maarten": "SX", "sx": "SX", "the netherlands": "NL", "netherlands": "NL",
    "nl": "NL", "caribbean netherlands": "BQ", "bq": "BQ"}


class ExchangeFileInvalid(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ExchangeRow:
    country: str
    year: int
    figures: dict


def _count(value) -> int | str | None:
    """A count as exchanged: a whole number from 0, or '<n' for a suppressed one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    if text.startswith("<") and text[1:].isdigit() and 1 < int(text[1:]) <= 20:
        return text
    return None


def _row(number: str, item) -> tuple[ExchangeRow | None, list[str]]:
    where = {"line": number}
    if not isinstance(item, dict):
        return None, [_("%(line)s: not a set of named fields.") % where]
    errors = []
    if str(item.get("format", "")).strip() != FORMAT:
        errors.append(_("%(line)s: the format must be %(format)s.") % {**where,
                                                                      "format": FORMAT})
    country = COUNTRIES.get(str(item.get("country", "")).strip().lower())
    if country is None:
        errors.append(_("%(line)s: the country must be Aruba, Curaçao, Sint Maarten, the "
                        "Netherlands or the Caribbean Netherlands.") % where)
    year = str(item.get("year", "")).strip()
    this_year = timezone.localdate().year
    if not (year.isdigit() and 2000 <= int(year) <= this_year):
        errors.append(_("%(line)s: the year must be a year from 2000 to %(last)s.")
                      % {**where, "last": this_year})
    figures = {}
    for name in FIELDS:
        value = _count(item.get(name, ""))
        if value is None:
            errors.append(_("%(line)s: %(field)s must be a whole number from 0, or <5 "
                            "where it was suppressed.") % {**where, "field": name})
        figures[name] = value
    unknown = sorted(set(item) - {"format", "country", "year", *FIELDS})
    if unknown:
        errors.append(_("%(line)s: unknown fields: %(fields)s.") % {
            **where, "fields": ", ".join(str(u)[:40] for u in unknown[:5])})
    if errors:
        return None, errors
    return ExchangeRow(country, int(year), figures), []


def _items(name: str, content: bytes) -> list[tuple[str, object]]:
    if len(content) > MAX_BYTES:
        raise ExchangeFileInvalid([_("The file is larger than 1 MB.")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExchangeFileInvalid([_("The file is not UTF-8 text.")]) from None
    if name.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError as error:
            raise ExchangeFileInvalid([_("Line %(line)s: not valid JSON.") % {
                "line": getattr(error, "lineno", 1)}]) from None
        items = data if isinstance(data, list) else [data]
        return [(_("Item %(n)s") % {"n": n}, item) for n, item in enumerate(items, 1)]
    if name.lower().endswith(".csv"):
        reader = csv.reader(io.StringIO(text))
        try:
            rows = list(reader)
        except csv.Error:
            raise ExchangeFileInvalid([_("The file is not readable as CSV.")]) from None
        if not rows:
            raise ExchangeFileInvalid([_("The file is empty.")])
        header = [cell.strip() for cell in rows[0]]
        items = []
        for number, cells in enumerate(rows[1:], 2):
            if not any(cell.strip() for cell in cells):
                continue
            label = _("Line %(n)s") % {"n": number}
            if len(cells) != len(header):
                items.append((label, _("wrong number of columns")))
            else:
                items.append((label, dict(zip(header, cells, strict=True))))
        return items
    raise ExchangeFileInvalid([_("The file must be .json or .csv.")])


def read_exchange_file(name: str, content: bytes) -> list[ExchangeRow]:
    """Every row of the file, or ExchangeFileInvalid with one error per bad line."""
    items = _items(name, content)
    if not items:
        raise ExchangeFileInvalid([_("The file holds no figures.")])
    rows, errors, seen = [], [], set()
    for label, item in items:
        if isinstance(item, str):
            errors.append(f"{label}: {item}.")
            continue
        row, problems = _row(str(label), item)
        errors.extend(problems)
        if row:
            if (row.country, row.year) in seen:
                errors.append(_("%(line)s: this country and year appear twice in the file.")
                              % {"line": label})
            seen.add((row.country, row.year))
            rows.append(row)
    if errors:
        raise ExchangeFileInvalid(errors)
    return rows


def kingdom_import(*, actor: User, name: str, content: bytes) -> list[ExchangeRow]:
    """Store a file's figures (replacing those of the same country and year), all or none."""
    rows = read_exchange_file(name, content)
    with transaction.atomic():
        for row in rows:
            KingdomFigures.objects.update_or_create(
                country=row.country, year=row.year,
                defaults={"figures": row.figures, "imported_by": actor,
                          "imported_at": timezone.now()})
        audit_record(actor=actor, action="reporting.kingdom.imported",
                     object_type="reporting.kingdomfigures",
                     detail={"rows": [f"{row.country}:{row.year}" for row in rows]})
    return rows


def kingdom_table(years: list[int], own: dict[int, dict]) -> list[dict]:
    """Per year, the five countries side by side: the imported figures, and this register's
    own (as it exports them) for the Caribbean Netherlands unless a file replaced them."""
    stored = {(f.year, f.country): f.figures
              for f in KingdomFigures.objects.filter(year__in=years)}
    table = []
    for year in years:
        countries = []
        for code, label in KingdomCountry.choices:
            figures = stored.get((year, code))
            if figures is None and code == KingdomCountry.CARIBBEAN_NETHERLANDS:
                figures = own.get(year)
            countries.append({"country": label, "code": code, "figures": figures,
                              "values": [figures.get(f, "") for f in FIELDS] if figures
                              else None})
        table.append({"year": year, "countries": countries})
    return table
