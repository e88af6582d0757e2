"""The figures of every report and dashboard, computed in the database.

Each function takes a period and returns plain numbers; the cost is that of a handful of
aggregate queries over the period's rows, found through indexes, whatever the size of the
register.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from casework.models import FollowUpTask
from controls.overview import overview as control_overview
from register.models import Dossier, DossierPerson, FollowUpAction
from signals.models import Signal, SignalForm, SignalPerson

PRESUMED = ("presumed", "confirmed")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        start = dt.date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        end = (dt.date(year + (end_month == 12), end_month % 12 + 1, 1)
               - dt.timedelta(days=1))
        return cls(start, end)

    def __str__(self) -> str:
        return f"{self.start.isoformat()} - {self.end.isoformat()}"

    @property
    def iso(self) -> str:
        """The period as an ISO 8601 interval, e.g. 2026-01-01/2026-12-31."""
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """From the first moment of the first day to the first moment after the last, in the
        register's time zone: compared as they are, timestamps use their index (a
        `__date` lookup would convert every row of the register first)."""
        zone = timezone.get_current_timezone()
        return (dt.datetime.combine(self.start, dt.time(), zone),
                dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), zone))


def _within(field: str, period: Period) -> dict:
    start, end = period.moments
    return {f"{field}__gte": start, f"{field}__lt": end}


def suppress(value: int, threshold: int | None = None) -> int | str:
    """Small counts never leave the register: 1 to threshold-1 becomes '<threshold'."""
    threshold = settings.SUPPRESS_BELOW if threshold is None else threshold
    return f"<{threshold}" if 0 < value < threshold else value


def _rows(queryset, key: str) -> list[tuple[str, int]]:
    return [(row[key] or "", row["n"]) for row in
            queryset.values(key).annotate(n=Count("id", distinct=True)).order_by("-n", key)]


@dataclass
class MouFigures:
    """MoU art. 4: what the four countries exchange every year."""

    year: int
    victims: int
    suspects: int
    investigations: int
    prosecutions: int
    verdicts: int
    convictions: int


def mou_figures(year: int) -> MouFigures:
    return mou_period_figures(Period.year(year))


def mou_period_figures(period: Period) -> MouFigures:
    """The MoU art. 4 figures of any period (a quarter, for the quarter's summary)."""
    roles = DossierPerson.objects.filter(identified_on__range=(period.start, period.end),
                                         dossier__merged_into__isnull=True)
    actions = FollowUpAction.objects.filter(happened_on__range=(period.start, period.end),
                                            dossier__merged_into__isnull=True)
    return MouFigures(
        year=period.end.year,
        victims=roles.filter(role="victim", victim_status__in=PRESUMED)
        .values("person").distinct().count(),
        suspects=roles.filter(role="suspect").values("person").distinct().count(),
        investigations=actions.filter(kind="criminal_investigation").count(),
        prosecutions=actions.filter(kind="prosecution").count(),
        verdicts=actions.filter(kind="verdict").count(),
        convictions=actions.filter(kind="verdict", outcome="conviction").count(),
    )


@dataclass
class SignalFigures:
    total: int
    by_form: list = field(default_factory=list)
    by_island: list = field(default_factory=list)
    by_sector: list = field(default_factory=list)
    by_organisation: list = field(default_factory=list)
    by_month: list = field(default_factory=list)
    not_taken_up: int = 0
    days_to_triage: float | None = None
    days_to_follow_up: float | None = None


def signal_total(period: Period) -> int:
    return Signal.objects.filter(**_within("received_at", period)).count()


def _days(value) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def signal_figures(period: Period, island: str = "") -> SignalFigures:
    signals = Signal.objects.filter(**_within("received_at", period))
    if island:
        signals = signals.filter(island=island)
    forms = SignalForm.objects.filter(signal__in=signals)
    waited = signals.filter(triaged_at__isnull=False).aggregate(
        avg=Avg(ExpressionWrapper(F("triaged_at") - F("received_at"),
                                  output_field=DurationField())))["avg"]
    first_action = FollowUpAction.objects.filter(dossier=OuterRef("dossier")).order_by(
        "created_at").values("created_at")[:1]
    followed = signals.filter(dossier__isnull=False).annotate(
        first=Subquery(first_action)).filter(first__isnull=False).aggregate(
        avg=Avg(ExpressionWrapper(F("first") - F("received_at"),
                                  output_field=DurationField())))["avg"]
    return SignalFigures(
        total=signals.count(),
        by_form=[(code, n) for code, n in
                 forms.values_list("code").annotate(n=Count("signal", distinct=True))
                 .order_by("-n", "code")],
        by_island=_rows(signals, "island"),
        by_sector=_rows(signals, "sector"),
        by_organisation=_rows(signals, "reporter_organisation__code"),
        by_month=_by_month(signals),
        not_taken_up=signals.filter(status="not_taken_up").count(),
        days_to_triage=_days(waited),
        days_to_follow_up=_days(followed),
    )


def _by_month(signals) -> list[tuple[str, int]]:
    """Signals per month, counted by the database in the register's time zone."""
    rows = (signals.annotate(month=TruncMonth("received_at")).values("month")
            .annotate(n=Count("id")).order_by("month"))
    return [(row["month"].strftime("%Y-%m"), row["n"]) for row in rows]


@dataclass
class CaseFigures:
    dossiers_opened: int
    dossiers_closed: int
    follow_ups_by_kind: list
    follow_ups_by_organisation: list


def case_figures(period: Period) -> CaseFigures:
    dossiers = Dossier.objects.filter(merged_into__isnull=True)
    actions = FollowUpAction.objects.filter(**_within("created_at", period),
                                            dossier__merged_into__isnull=True)
    return CaseFigures(
        dossiers_opened=dossiers.filter(**_within("created_at", period)).count(),
        dossiers_closed=dossiers.filter(status="closed",
                                        **_within("closed_at", period)).count(),
        follow_ups_by_kind=_rows(actions, "kind"),
        follow_ups_by_organisation=_rows(actions, "responsible_organisation__code"),
    )


def task_figures(period: Period, today: dt.date | None = None) -> list[tuple]:
    """Follow-up asked of partners in the period, per organisation asked: (code, asked,
    accepted, done on time, overdue now). Done on time: an outcome on or before the due date
    (or with none); overdue: still open past its due date. One grouped query."""
    today = today or timezone.localdate()
    done = Q(action__outcome__in=("done", "conviction", "acquittal"))
    still_open = Q(state__in=("asked", "accepted"), action__outcome="planned")
    rows = (FollowUpTask.objects.filter(**_within("created_at", period),
                                        action__dossier__merged_into__isnull=True)
            .values("action__responsible_organisation__code")
            .annotate(asked=Count("pk"),
                      accepted=Count("pk", filter=Q(state="accepted")),
                      on_time=Count("pk", filter=done & (
                          Q(action__due_on__isnull=True)
                          | Q(action__happened_on__lte=F("action__due_on")))),
                      overdue=Count("pk", filter=still_open & Q(action__due_on__lt=today)))
            .order_by("action__responsible_organisation__code"))
    return [(r["action__responsible_organisation__code"], r["asked"], r["accepted"],
             r["on_time"], r["overdue"]) for r in rows]


@dataclass
class VictimFigures:
    """Presumed (and confirmed) victims identified in the period, Eurostat style."""

    total: int
    by_sex: list
    by_age_band: list
    by_nationality: list
    by_form: list


def victim_figures(period: Period) -> VictimFigures:
    """One query for the period's victims with what their first mention says; counted here,
    where five grouped queries would each repeat the three look-ups for every victim."""
    first_mention = SignalPerson.objects.filter(person=OuterRef("person")).order_by("pk")
    rows = set(DossierPerson.objects.filter(
        role="victim", victim_status__in=PRESUMED, dossier__merged_into__isnull=True,
        identified_on__range=(period.start, period.end))
        .annotate(sex=Subquery(first_mention.values("sex")[:1]),
                  age_band=Subquery(first_mention.values("age_band")[:1]),
                  nationality=Subquery(first_mention.values("nationality")[:1]))
        .values_list("person", "sex", "age_band", "nationality", "form_of_exploitation"))

    def count_by(position):
        persons = defaultdict(set)
        for row in rows:
            persons[row[position] or "unknown"].add(row[0])
        return sorted(((key, len(ids)) for key, ids in persons.items()),
                      key=lambda item: (-item[1], item[0]))

    return VictimFigures(
        total=len({row[0] for row in rows}), by_sex=count_by(1), by_age_band=count_by(2),
        by_nationality=count_by(3), by_form=count_by(4))


def control_figures(year: int):
    return control_overview(year)

