"""The register's own capture table: who reported each presumed victim of a year.

The lists are the reporting organisations (as the coordinator grouped them, see
reporting.estimate_lists; at most six lists); the units are the register's persons who were
presumed (or confirmed) victims in the period, as the MoU figures count them, each on every
list whose organisations filed a signal naming them up to the end of the period. Two
aggregate queries build the table, whatever the size of the register (a third reads the
coordinator's grouping), and only counts leave the database.
"""

from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, Value, When

from register.models import DossierPerson
from reporting.capture_table import CaptureTable
from reporting.estimate_lists import configured_lists
from reporting.figures import PRESUMED, Period
from signals.models import SignalPerson

MAX_LISTS = 6
OTHER = "Other organisations"


def victims_in_scope(period: Period, island: str = "", form: str = ""):
    """The mentions that put a presumed victim of the period on an organisation's list."""
    roles = DossierPerson.objects.filter(
        role="victim", victim_status__in=PRESUMED, dossier__merged_into__isnull=True,
        identified_on__range=(period.start, period.end))
    if form:
        roles = roles.filter(form_of_exploitation=form)
    mentions = SignalPerson.objects.filter(person__in=roles.values("person"),
                                           signal__received_at__lt=period.moments[1])
    if island:
        mentions = mentions.filter(signal__island=island)
    return mentions


def list_grouping(persons_by_organisation: dict[str, int],
                  configured: dict[str, str]) -> dict[str, list[str]]:
    """List name -> organisation codes: the coordinator's groups, every other organisation on
    its own, and beyond MAX_LISTS the smallest lists taken together."""
    groups: dict[str, list[str]] = {}
    for code in sorted(persons_by_organisation):
        groups.setdefault(configured.get(code, code.upper()), []).append(code)
    if len(groups) <= MAX_LISTS:
        return groups
    size = {name: sum(persons_by_organisation[c] for c in codes)
            for name, codes in groups.items()}
    keep = sorted(groups, key=lambda name: (-size[name], name))[:MAX_LISTS - 1]
    merged = {name: groups[name] for name in sorted(keep)}
    merged[OTHER] = sorted(code for name, codes in groups.items() if name not in keep
                           for code in codes)
    return merged


def register_capture_table(period: Period, island: str = "", form: str = "") -> CaptureTable:
    mentions = victims_in_scope(period, island, form)
    organisation = "signal__reporter_organisation__code"
    per_organisation = dict(mentions.values_list(organisation).annotate(
        n=Count("person", distinct=True)).order_by())
    groups = list_grouping(per_organisation, configured_lists())
    names = list(groups)
    if not names:
        return CaptureTable((), {})
    # One row per person with a 0/1 per list, then counted per combination by the database.
    flags = {f"list_{i}": Max(Case(When(**{f"{organisation}__in": groups[name]},
                                         then=Value(1)), default=Value(0),
                                    output_field=IntegerField()))
             for i, name in enumerate(names)}
    per_person = mentions.values("person").annotate(**flags).values(*flags).order_by()
    sql, params = per_person.query.sql_with_params()
    columns = ", ".join(f"per_person.{column}" for column in flags)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}, COUNT(*) FROM ({sql}) per_person "  # noqa: S608
                       f"GROUP BY {columns}", params)
        rows = cursor.fetchall()
    return CaptureTable(tuple(names), {tuple(row[:-1]): row[-1] for row in rows if row[-1]})
