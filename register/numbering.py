"""Numbers that people read out and type: signal references and dossier numbers.

One definition of how each is made and what it looks like, so the form fields, the API's
lookups and the search all recognise exactly what the register hands out. A number is the
next one of its year, taken from a counter row that stays locked until the transaction ends:
two signals filed at the same moment never share a reference.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

DOSSIER_PREFIX = "DS"


def next_in_year(counter: type[models.Model], year: int | None = None) -> tuple[int, int]:
    """The year and the next number of that year from `counter` (a model with `year` as its
    primary key and `last_number`); call inside a transaction."""
    return reserve_in_year(counter, 1, year)


def reserve_in_year(counter: type[models.Model], count: int, year: int | None = None
                    ) -> tuple[int, int]:
    """The year and the first of `count` consecutive numbers of that year, reserved at once
    (one locked row, one update, however many); call inside a transaction."""
    year = year or timezone.localdate().year
    row, _ = counter.objects.select_for_update().get_or_create(year=year)
    first = row.last_number + 1
    row.last_number += count
    row.save(update_fields=["last_number"])
    return year, first


def signal_reference(year: int, number: int) -> str:
    return f"{settings.SIGNAL_REFERENCE_PREFIX}-{year}-{number:06d}"


def dossier_number(year: int, number: int) -> str:
    return f"{DOSSIER_PREFIX}-{year}-{number:04d}"


def signal_reference_pattern() -> str:
    """A signal reference, e.g. MH-2026-000042 (no anchors: for URLs and full matches)."""
    return rf"{settings.SIGNAL_REFERENCE_PREFIX}-\d{{4}}-\d{{6}}"


def dossier_number_pattern() -> str:
    """A dossier number, e.g. DS-2026-0007; past 9999 in a year it grows a digit."""
    return rf"{DOSSIER_PREFIX}-\d{{4}}-\d{{4,}}"
