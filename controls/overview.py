"""The central overview the inspection asked for: controls per island and year against the
target, who initiated and directed them, which lack results, what signals they raised."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from controls.models import Control
from controls.services import target_for
from signals.vocab import Island

ISLANDS = [Island.BONAIRE, Island.SINT_EUSTATIUS, Island.SABA]


@dataclass
class IslandYear:
    island: str
    label: str
    target: int
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    without_results: int = 0
    initiated_by: dict = field(default_factory=dict)
    directed_by: dict = field(default_factory=dict)

    @property
    def short(self) -> int:
        return max(0, self.target - self.held)


def in_year(controls, year: int):
    """Controls that count for `year`: by the day held, or else the day planned."""
    return controls.annotate(day=Coalesce("held_on", "planned_on")).filter(day__year=year)


def controls_in(year: int):
    return in_year(Control.objects.all(), year)


def overview(year: int) -> list[IslandYear]:
    rows = {island: IslandYear(island, Island(island).label, target_for(island, year))
            for island in ISLANDS}
    counts = controls_in(year).values("island").annotate(
        planned=Count("id", filter=Q(status=Control.Status.PLANNED)),
        held=Count("id", filter=Q(status=Control.Status.HELD)),
        cancelled=Count("id", filter=Q(status=Control.Status.CANCELLED)),
        without_results=Count("id", filter=Q(status=Control.Status.HELD,
                                             results_recorded_at__isnull=True)
                              | Q(status=Control.Status.PLANNED,
                                  planned_on__lt=timezone.localdate())))
    for row in counts:
        for name in ("planned", "held", "cancelled", "without_results"):
            setattr(rows[row["island"]], name, row[name])
    held = controls_in(year).filter(status=Control.Status.HELD)
    for attribute, path in (("initiated_by", "initiating_organisation__code"),
                            ("directed_by", "directing_organisation__code")):
        for row in held.values("island", path).annotate(n=Count("id")).order_by(path):
            getattr(rows[row["island"]], attribute)[row[path].upper()] = row["n"]
    return list(rows.values())


def calendar(controls):
    """Planned controls from today on, by date."""
    return (controls.filter(status=Control.Status.PLANNED,
                            planned_on__gte=timezone.localdate())
            .order_by("planned_on", "id"))


def with_signal_counts(controls):
    return controls.annotate(signal_count=Count("signal_links", distinct=True))
