"""The dashboard's figures over the last ten years, per island, with the change on the year
before: six aggregate queries, whatever the size of the register or the number of years.

Signals count on their own island. Dossiers, the persons in them and their follow-up count on
the island of the dossier's first signal (a dossier has no island of its own); "all islands"
counts each presumed victim and suspect once, even when they appear on two islands.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from register.models import Dossier, DossierPerson, FollowUpAction
from reporting.figures import PRESUMED, Period, suppress
from signals.models import Signal
from signals.vocab import Island

YEARS = 10
ALL = "all"
UNKNOWN = "unknown"
FIGURES = {
    "signals": _("Signals received"),
    "not_taken_up": _("Signals not taken up"),
    "dossiers_opened": _("Dossiers opened"),
    "dossiers_closed": _("Dossiers closed"),
    "victims": _("Presumed victims identified"),
    "suspects": _("Suspects identified"),
    "investigations": _("Police investigations"),
    "prosecutions": _("Prosecutions"),
    "verdicts": _("Verdicts"),
    "convictions": _("Convictions"),
}


def _first_island(path: str) -> Subquery:
    """The island of the first signal of the dossier at `path`."""
    return Subquery(Signal.objects.filter(dossier=OuterRef(path)).order_by("pk")
                    .values("island")[:1])


def trend_counts(last_year: int, years: int = YEARS) -> dict[str, dict[tuple[int, str], int]]:
    """figure -> (year, island) -> count, for the `years` years up to `last_year`; the
    island ALL holds the register-wide count."""
    period = Period(Period.year(last_year - years + 1).start, Period.year(last_year).end)
    start, end = period.moments
    counts: dict[str, dict[tuple[int, str], int]] = {name: defaultdict(int) for name in FIGURES}

    def add(rows, names):
        for row in rows:
            island = row.get("island", ALL) or UNKNOWN
            for name in names:
                counts[name][(row["year"], island)] += row[name]
                if "island" in row:
                    counts[name][(row["year"], ALL)] += row[name] if name not in (
                        "victims", "suspects") else 0

    add(Signal.objects.filter(received_at__gte=start, received_at__lt=end)
        .annotate(year=ExtractYear("received_at")).values("year", "island")
        .annotate(signals=Count("id"), not_taken_up=Count("id", filter=Q(
            status="not_taken_up"))).order_by(), ("signals", "not_taken_up"))
    dossiers = Dossier.objects.filter(merged_into__isnull=True).annotate(
        island=_first_island("pk"))
    add(dossiers.filter(created_at__gte=start, created_at__lt=end)
        .annotate(year=ExtractYear("created_at")).values("year", "island")
        .annotate(dossiers_opened=Count("id")).order_by(), ("dossiers_opened",))
    add(dossiers.filter(status="closed", closed_at__gte=start, closed_at__lt=end)
        .annotate(year=ExtractYear("closed_at")).values("year", "island")
        .annotate(dossiers_closed=Count("id")).order_by(), ("dossiers_closed",))
    roles = DossierPerson.objects.filter(
        dossier__merged_into__isnull=True,
        identified_on__range=(period.start, period.end)).annotate(
        year=ExtractYear("identified_on"))
    persons = {"victims": Count("person", distinct=True, filter=Q(
                   role="victim", victim_status__in=PRESUMED)),
               "suspects": Count("person", distinct=True, filter=Q(role="suspect"))}
    add(roles.annotate(island=_first_island("dossier")).values("year", "island")
        .annotate(**persons).order_by(), ("victims", "suspects"))
    add(roles.values("year").annotate(**persons).order_by(), ("victims", "suspects"))
    actions = {"investigations": Count("id", filter=Q(kind="criminal_investigation")),
               "prosecutions": Count("id", filter=Q(kind="prosecution")),
               "verdicts": Count("id", filter=Q(kind="verdict")),
               "convictions": Count("id", filter=Q(kind="verdict", outcome="conviction"))}
    add(FollowUpAction.objects.filter(dossier__merged_into__isnull=True,
                                      happened_on__range=(period.start, period.end))
        .annotate(year=ExtractYear("happened_on"), island=_first_island("dossier"))
        .values("year", "island").annotate(**actions).order_by(), tuple(actions))
    return counts


@dataclass
class Point:
    year: int
    value: int | str
    change: int | None  # on the year before; None when either count is suppressed
    link: str | None = None  # what lies behind the point, for analysts (drill.py)


@dataclass
class Series:
    island: str
    label: str
    points: list[Point]


def islands_of(counts: dict[tuple[int, str], int], last_year: int, *, suppress_counts: bool,
               years: int = YEARS) -> list[Series]:
    """One series per island (all islands first, then every island with a count in the
    years), each point suppressed or not, with its change on the year before."""
    count = suppress if suppress_counts else (lambda n: n)
    every_year = range(last_year - years + 1, last_year + 1)
    series = []
    for island, label in [(ALL, _("All islands")), *Island.choices]:
        if island != ALL and not any(counts.get((y, island)) for y in every_year):
            continue
        values = [count(counts.get((year, island), 0)) for year in every_year]
        points = [Point(year, value, value - values[i - 1] if i and isinstance(
            value, int) and isinstance(values[i - 1], int) else None)
            for i, (year, value) in enumerate(zip(every_year, values, strict=True))]
        series.append(Series(island, str(label), points))
    return series


def trend_series(last_year: int, *, suppress_counts: bool = True,
                 years: int = YEARS) -> dict[str, list[Series]]:
    """figure -> one series per island (all islands first), each point with its change."""
    counts = trend_counts(last_year, years)
    return {name: islands_of(counts[name], last_year, suppress_counts=suppress_counts,
                             years=years) for name in FIGURES}
