"""Each row checked as the intake API checks a signal, with its stable key and status."""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.utils.translation import gettext as _
from rest_framework import serializers

from casework.imports.fields import EXTERNAL_ID, PART_LISTS, payload
from casework.models import ImportedRow
from signals.api.serializers import SignalSerializer

NEW, EXISTING, ERROR = "new", "already_imported", "error"
CHUNK = 500
KEY_MAX = 100


@dataclass
class RowCheck:
    number: int
    cells: list[str]
    key: str = ""
    status: str = NEW
    errors: list[tuple[str, str]] = field(default_factory=list)
    data: dict | None = None  # validated, as SignalSerializer gives it
    raw: dict = field(default_factory=dict)  # the payload before validation
    reference: str = ""  # the signal an earlier import made of this row
    kept_message: str = ""  # the message of a row checked earlier (the preview's pages)

    @property
    def message(self) -> str:
        if self.kept_message:
            return self.kept_message
        return "; ".join(f"{name}: {reason}" for name, reason in self.errors)


def row_key(values: dict[str, str]) -> str:
    """The partner's record number if the row has one, else a hash of the mapped values
    (empty ones left out, so a column added empty changes no key)."""
    if external := values.get(EXTERNAL_ID, "").strip():
        return f"ext:{external}"
    content = sorted((name, value) for name, value in values.items() if value)
    return "sha:" + hashlib.sha256(json.dumps(content).encode()).hexdigest()


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list | tuple):
        return [m for value in detail for m in _messages(value)]
    return [str(detail)]


def _errors(errors: dict, numbers: dict[str, list[int]], column_of: dict[str, str]
            ) -> list[tuple[str, str]]:
    """The serializer's errors per column of the row ("person2_nationality": ...)."""
    named = []
    lists = {plural: part for part, plural in PART_LISTS.items()}
    for name, detail in errors.items():
        part = lists.get(name)
        if isinstance(detail, list):  # DRF gives a list, with {} for good parts, or a dict
            detail = dict(enumerate(detail))
        if part and isinstance(detail, dict) and all(isinstance(k, int) for k in detail):
            for index, item in detail.items():
                if not isinstance(item, dict):
                    named += [(column_of.get(name, name), m) for m in _messages(item)]
                    continue
                for sub, messages in item.items():
                    number = numbers[part][index]
                    field_name = (f"{part}{number}" if sub == "non_field_errors"
                                  else f"{part}{number}_{sub}")
                    named += [(column_of.get(field_name, field_name), m)
                              for m in _messages(messages)]
            continue
        label = _("row") if name == "non_field_errors" else column_of.get(name, name)
        named += [(label, m) for m in _messages(detail)]
    return named


class RowValidator:
    """The intake API's serializer, built once and run on every row: building its fields
    took four fifths of a row's check (DRF itself runs one child serializer on every item of
    a list the same way)."""

    def __init__(self):
        self._serializer = SignalSerializer()

    def __call__(self, data: dict) -> tuple[dict | None, dict]:
        try:
            return self._serializer.run_validation(data), {}
        except serializers.ValidationError as error:
            detail = error.detail
            return None, detail if isinstance(detail, dict) else {"non_field_errors": detail}


def check_row(number: int, cells: list[str], header: list[str], mapping: dict[str, str],
              validate: RowValidator | None = None) -> RowCheck:
    values = {mapping[column]: cell for column, cell in zip(header, cells, strict=True)
              if column in mapping}
    check = RowCheck(number, cells, key=row_key(values))
    column_of = {name: column for column, name in mapping.items()}
    if len(check.key) > KEY_MAX + 4:
        check.errors.append((column_of.get(EXTERNAL_ID, EXTERNAL_ID),
                             _("At most %(limit)s characters.") % {"limit": KEY_MAX}))
    check.raw, numbers = payload(values)
    check.data, errors = (validate or RowValidator())(check.raw)
    if errors:
        check.errors += _errors(errors, numbers, column_of)
    if check.errors:
        check.status = ERROR
    return check


def checked_rows(rows: Iterable[tuple[int, list[str]]], header: list[str],
                 mapping: dict[str, str], organisation) -> Iterator[RowCheck]:
    """Every row checked, in order; rows already imported for the organisation (or earlier
    in this file) are marked, by one query per chunk of rows. Only the keys are kept."""
    seen: dict[str, int] = {}
    validate = RowValidator()
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        checks = [check_row(number, cells, header, mapping, validate)
                  for number, cells in chunk]
        keys = [c.key for c in checks if c.status != ERROR]
        known = dict(ImportedRow.objects.filter(organisation=organisation, key__in=keys)
                     .values_list("key", "signal__reference"))
        for check in checks:
            if check.status == ERROR:
                pass
            elif check.key in known:
                check.status, check.reference = EXISTING, known[check.key]
            elif check.key in seen:
                check.status = EXISTING
                check.reference = _("row %(row)s") % {"row": seen[check.key]}
            else:
                seen[check.key] = check.number
            yield check
