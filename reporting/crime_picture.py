"""The crime picture for analysts: how the forms, sectors, nationalities, indicators and ways
of arrival of a year's signals go together, how fast organisations' signals are triaged and
followed up, and how much the register combines. A fixed handful of aggregate queries; only
counts leave the database. Analysts see the register's own counts (no suppression), as on
their dashboard."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractMonth

from register.models import Dossier, FollowUpAction
from reporting.figures import Period
from signals.models import Signal, SignalForm, SignalIndicator, SignalPerson, SignalVehicle

NONE = ""  # a signal without a sector, vehicle, nationality...


@dataclass
class CrossTable:
    """Counts by two codes: columns, and one row per first code with a count per column."""

    columns: list[str]
    rows: list[tuple[str, list[int]]]

    @classmethod
    def of(cls, triples) -> "CrossTable":
        cells: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for row, column, n in triples:
            cells[row or NONE][column or NONE] += n
        columns = sorted({c for values in cells.values() for c in values})
        ordered = sorted(cells, key=lambda r: (-sum(cells[r].values()), r))
        return cls(columns, [(r, [cells[r].get(c, 0) for c in columns]) for r in ordered])


def _days(value) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def crime_picture(period: Period) -> dict:
    start, end = period.moments
    signals = Signal.objects.filter(received_at__gte=start, received_at__lt=end)
    forms_by_sector = CrossTable.of(
        SignalForm.objects.filter(signal__in=signals).values_list("code", "signal__sector")
        .annotate(n=Count("signal", distinct=True)).order_by())
    victims = SignalPerson.objects.filter(signal__in=signals, role="victim")
    nationality_by_island = CrossTable.of(
        victims.values_list("nationality", "signal__island").annotate(n=Count("id"))
        .order_by())
    indicators_by_form = CrossTable.of(
        SignalIndicator.objects.filter(signal__in=signals)
        .values_list("code", "signal__forms__code")
        .annotate(n=Count("signal", distinct=True)).order_by())
    # Ways of arrival as the register knows them: the vessels and aircraft a signal names.
    arrival = Subquery(SignalVehicle.objects.filter(
        signal=OuterRef("signal"), kind__in=("vessel", "aircraft")).order_by("position")
        .values("kind")[:1])
    routes = [((nationality or NONE, way or NONE), island, n) for nationality, way, island, n in
              victims.annotate(way=arrival).values_list("nationality", "way", "signal__island")
              .annotate(n=Count("id")).order_by()]
    first_action = FollowUpAction.objects.filter(dossier=OuterRef("dossier")).order_by(
        "created_at").values("created_at")[:1]
    speed = []
    for row in (signals.annotate(first=Subquery(first_action))
                .values("reporter_organisation__code").annotate(
                    n=Count("id"),
                    triage=Avg(ExpressionWrapper(F("triaged_at") - F("received_at"),
                                                 output_field=DurationField())),
                    follow_up=Avg(ExpressionWrapper(F("first") - F("received_at"),
                                                    output_field=DurationField())))
                .order_by("reporter_organisation__code")):
        speed.append((row["reporter_organisation__code"], row["n"], _days(row["triage"]),
                      _days(row["follow_up"])))
    earlier_mention = SignalPerson.objects.filter(
        person=OuterRef("person"), signal__received_at__lt=OuterRef("signal__received_at"))
    known_person = SignalPerson.objects.filter(signal=OuterRef("pk"), person__isnull=False).filter(
        Exists(earlier_mention))
    known_dossier = Dossier.objects.filter(pk=OuterRef("dossier"),
                                           created_at__lt=OuterRef("received_at"))
    combined = signals.annotate(person=Exists(known_person), joined=Exists(known_dossier)
                                ).aggregate(
        total=Count("id"), person_n=Count("id", filter=Q(person=True)),
        dossier=Count("id", filter=Q(joined=True)),
        either=Count("id", filter=Q(person=True) | Q(joined=True)))
    combined["person"] = combined.pop("person_n")
    # Arrivals at the border by country of departure and month: everyone in the boat or
    # group, the unnamed as the number the reporter gave (group size), else the persons named.
    named = SignalPerson.objects.filter(signal=OuterRef("pk")).order_by().values(
        "signal").annotate(n=Count("id")).values("n")
    arrivals = CrossTable.of(
        (country, f"{month:02d}", n or 0) for country, month, n in
        signals.filter(Q(border_place__gt="") | Q(group_size__isnull=False))
        .annotate(month=ExtractMonth("observed_on"),
                  in_group=Coalesce("group_size", Subquery(named), 0))
        .values_list("departure_country", "month").annotate(n=Sum("in_group")).order_by())
    return {"forms_by_sector": forms_by_sector, "nationality_by_island": nationality_by_island,
            "indicators_by_form": indicators_by_form, "routes": CrossTable.of(routes),
            "speed": speed, "combined": combined, "arrivals": arrivals}
