"""Finding everything the register holds about one person, across the apps.

Each app that stores personal data registers a finder in its AppConfig.ready(), so the core
(register) can search data it may not import (the layering rule).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SubjectQuery:
    family_name: str = ""
    given_names: str = ""
    date_of_birth: dt.date | None = None
    document_number: str = ""


@dataclass
class Finding:
    where: str  # e.g. "signal person"
    object_type: str
    object_id: str
    reference: str
    role: str
    name: str
    date_of_birth: dt.date | None
    score: int
    reasons: list[str] = field(default_factory=list)


Finder = Callable[[SubjectQuery], list[Finding]]
_finders: list[Finder] = []


def register_finder(finder: Finder) -> Finder:
    if finder not in _finders:
        _finders.append(finder)
    return finder


def find_subject(query: SubjectQuery) -> list[Finding]:
    findings = [finding for finder in _finders for finding in finder(query)]
    return sorted(findings, key=lambda f: (-f.score, f.reference))


def birth_date_reasons(query: dt.date | None, stored: dt.date | None) -> tuple[int, str | None]:
    """(points, reason) for how a stored date of birth fits the one asked about."""
    if query is None or stored is None:
        return 0, None
    if query == stored:
        return 40, _("date of birth equal")
    if (query.day, query.month, query.year) == (stored.month, stored.day, stored.year):
        return 30, _("date of birth with day and month swapped")
    # Only a year known is written as 1 January; two full dates that differ are two people.
    if query.year == stored.year and (query.timetuple()[1:3] == (1, 1)
                                      or stored.timetuple()[1:3] == (1, 1)):
        return 10, _("same year of birth")
    return -30, None
