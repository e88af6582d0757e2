"""The fields a column can be mapped to, and a row's values in the intake API's shape.

The fields are the intake API's own (`observed_on`, `island`, `forms`, ...), plus
`external_id` for the partner's record number; a row names persons, businesses and vehicles
as numbered columns: `person1_family_name`, `person2_role`, `business1_name`,
`vehicle1_kind`. Lists (`forms`, `indicators`) are separated by ";" (or ","). Codes may be
given as the code or as the label in Dutch, English or Papiamentu.
"""

import datetime as dt
import re
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _

from signals.api.serializers import PersonSerializer
from signals.limits import PARTS_PER_SIGNAL
from signals.vocab import (
    BorderOutcome,
    BorderPlace,
    DocumentType,
    ExploitationForm,
    Indicator,
    Island,
    PersonRole,
    Sector,
    Sex,
    VehicleKind,
)

EXTERNAL_ID = "external_id"
SIGNAL_FIELDS = (
    EXTERNAL_ID, "observed_on", "island", "location", "sector", "forms", "indicators",
    "description", "immediate_danger", "reporter_name", "reporter_phone", "reporter_email",
    "border_place", "border_position", "departure_country", "transit_countries", "group_size",
    "border_outcome",
)
REQUIRED = ("observed_on", "island", "forms", "description")
PART_FIELDS = {
    "person": tuple(PersonSerializer.Meta.fields),
    "business": ("name", "registration_number", "address"),
    "vehicle": ("kind", "name", "registration", "description"),
}
PART_LISTS = {"person": "persons", "business": "businesses", "vehicle": "vehicles"}
_PART = re.compile(r"(person|business|vehicle)(\d{1,3})_([a-z_]+)")
# Columns of the import's own report: a corrected report is uploaded again as it is.
REPORT_COLUMNS = ("import_result", "import_error", "import_reference")
# The mapping page offers this many numbered parts; a mapping file may name up to
# PARTS_PER_SIGNAL of each.
OFFERED = {"person": 5, "business": 3, "vehicle": 3}

_CHOICES = {
    "island": Island, "sector": Sector, "forms": ExploitationForm, "indicators": Indicator,
    "person_role": PersonRole, "person_sex": Sex, "person_document_type": DocumentType,
    "vehicle_kind": VehicleKind, "border_place": BorderPlace, "border_outcome": BorderOutcome,
}
# Words partners' own sheets use for a code, beyond the code and its translated labels.
_SYNONYMS = {
    "person_role": {"slachtoffer": "victim", "verdachte": "suspect", "getuige": "witness",
                    "victima": "victim", "sospechoso": "suspect"},
    "person_sex": {"m": "male", "man": "male", "v": "female", "f": "female",
                   "vrouw": "female", "mannelijk": "male", "vrouwelijk": "female"},
    "island": {"bonaire": "bonaire", "statia": "sint_eustatius", "st. eustatius":
               "sint_eustatius", "op zee": "at_sea"},
    "vehicle_kind": {"boot": "vessel", "schip": "vessel", "boat": "vessel", "auto": "car",
                     "vliegtuig": "aircraft"},
}
# Column names in Dutch and English that partners' sheets use, proposed as a first mapping.
_HEADER_WORDS = {
    "datum": "observed_on", "date": "observed_on", "eiland": "island", "plaats": "location",
    "locatie": "location", "place": "location", "omschrijving": "description",
    "beschrijving": "description", "vorm": "forms", "vormen": "forms", "form": "forms",
    "registratienummer": EXTERNAL_ID, "dossiernummer": EXTERNAL_ID, "nummer": EXTERNAL_ID,
    "record_number": EXTERNAL_ID, "achternaam": "person1_family_name",
    "voornamen": "person1_given_names", "voornaam": "person1_given_names",
    "nationaliteit": "person1_nationality", "geboortedatum": "person1_date_of_birth",
    "geslacht": "person1_sex", "rol": "person1_role",
}
_TRUE = {"true", "1", "yes", "ja", "si", "y", "j", "x"}
_FALSE = {"false", "0", "no", "nee", "n", ""}
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def is_field(name: str) -> bool:
    if name in SIGNAL_FIELDS:
        return True
    match = _PART.fullmatch(name)
    return bool(match and 1 <= int(match[2]) <= PARTS_PER_SIGNAL
                and match[3] in PART_FIELDS[match[1]])


def offered_fields() -> list[tuple[str, str]]:
    """The fields the mapping page offers, with a label in the page's language."""
    fields = [(name, name) for name in SIGNAL_FIELDS]
    for part, count in OFFERED.items():
        for number in range(1, count + 1):
            fields += [(f"{part}{number}_{name}", f"{part}{number}_{name}")
                       for name in PART_FIELDS[part]]
    return fields


def _normal(text: str) -> str:
    return re.sub(r"[\s\-.]+", "_", text.strip().casefold()).strip("_")


def propose_mapping(header: list[str], remembered: dict[str, str]) -> dict[str, str]:
    """Column -> field: what was used for this organisation's last file, else a column named
    as a field (or as partners often name it), never one field twice."""
    proposal: dict[str, str] = {}
    for column in header:
        field = remembered.get(column)
        if not (field and is_field(field)):
            normal = _normal(column)
            field = normal if is_field(normal) else _HEADER_WORDS.get(normal)
        if field and field not in proposal.values():
            proposal[column] = field
    return proposal


def check_mapping(mapping: dict[str, str], header: list[str]) -> list[str]:
    """What is wrong with a mapping, in sentences (empty: nothing)."""
    problems = []
    columns = set(header)
    for column, field in mapping.items():
        if column not in columns:
            problems.append(_("The file has no column “%(column)s”.")
                            % {"column": column[:50]})
        if not is_field(field):
            problems.append(_("“%(field)s” is not a field of the signal form.")
                            % {"field": str(field)[:50]})
    fields = list(mapping.values())
    for field in sorted({f for f in fields if fields.count(f) > 1}):
        problems.append(_("Two columns are mapped to %(field)s.") % {"field": field})
    for field in REQUIRED:
        if field not in fields:
            problems.append(_("No column is mapped to %(field)s, which every signal needs.")
                            % {"field": field})
    return problems


@cache
def _lookup(kind: str, language_codes: tuple[str, ...]) -> dict[str, str]:
    choices = _CHOICES[kind]
    table = {}
    for code in language_codes:
        with translation.override(code):
            table.update({_normal(str(label)): value for value, label in choices.choices})
    table.update({_normal(v): v for v in choices.values})
    table.update(_SYNONYMS.get(kind, {}))
    return table


def _code(kind: str, raw: str) -> str:
    from django.conf import settings

    languages = tuple(code for code, _name in settings.LANGUAGES)
    return _lookup(kind, languages).get(_normal(raw), raw)


def _date(raw: str) -> str:
    if match := _DUTCH_DATE.fullmatch(raw):
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        except ValueError:
            return raw
    return raw[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+", raw) else raw


def _value(field: str, raw: str, part: str = ""):
    key = f"{part}_{field}" if part else field
    if key == "transit_countries":
        return [item.strip().upper() for item in re.split(r"[;,]", raw) if item.strip()]
    if key == "departure_country":
        return raw.upper()
    if key in ("forms", "indicators"):
        return [_code(key, item) for item in re.split(r"[;,]", raw) if item.strip()]
    if key in _CHOICES:
        return _code(key, raw)
    if field in ("observed_on", "date_of_birth"):
        return _date(raw)
    if key == "immediate_danger":
        low = raw.casefold()
        return True if low in _TRUE else False if low in _FALSE else raw
    if key == "person_nationality":
        return raw.upper()
    return raw


def payload(values: dict[str, str]) -> tuple[dict, dict[str, list[int]]]:
    """The row as the intake API takes it, and per list the numbers of its parts in order
    (to name a person's field in an error by the row's own column)."""
    data: dict = {}
    parts: dict[str, dict[int, dict]] = {part: {} for part in PART_FIELDS}
    for field, raw in values.items():
        if field == EXTERNAL_ID or raw == "":
            continue
        if match := _PART.fullmatch(field):
            part, number, name = match[1], int(match[2]), match[3]
            parts[part].setdefault(number, {})[name] = _value(name, raw, part)
        else:
            data[field] = _value(field, raw)
    numbers = {}
    for part, rows in parts.items():
        if rows:
            numbers[part] = sorted(rows)
            data[PART_LISTS[part]] = [rows[n] for n in numbers[part]]
    return data, numbers
