"""What lies behind a bar or a cell of the dashboard: the signals or dossiers it counts,
narrowed to what the analyst may see by the casework need-to-know selectors (the same
querysets as the inbox and the dossier list). A figure and its value are codes, never
anything personal."""

import re
from urllib.parse import urlencode

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from casework.need_to_know import dossiers_visible_to
from casework.selectors import signals_visible_to
from register.models import DossierPerson, FollowUpAction, User
from register.vocab import ExploitationForm
from reporting.figures import PRESUMED, Period
from signals.models import SignalForm, SignalPerson
from signals.vocab import AgeBand, Island, Sector, Sex

SIGNAL_FIGURES = ("form", "island", "sector", "organisation", "month")
DOSSIER_FIGURES = ("nationality", "sex", "age_band", "victim_form", "follow_up", "mou")
MOU_CELLS = ("victims", "suspects", "investigations", "prosecutions", "verdicts",
             "convictions")
CODES = {"form": ExploitationForm.values, "island": Island.values, "sector": Sector.values,
         "sex": Sex.values, "age_band": AgeBand.values,
         "victim_form": ExploitationForm.values, "follow_up": FollowUpAction.Kind.values,
         "mou": MOU_CELLS}
UNKNOWN = "unknown"


class NotAFigure(Exception):
    """The figure or its value is not one the dashboard shows."""


def _valid(figure: str, value: str, period: Period) -> None:
    if figure not in SIGNAL_FIGURES + DOSSIER_FIGURES:
        raise NotAFigure
    if figure in CODES and value not in CODES[figure] and not (
            value == UNKNOWN and figure not in ("mou", "follow_up")):
        raise NotAFigure
    if figure == "month" and not (re.fullmatch(r"\d{4}-\d{2}", value)
                                  and value[:4] == str(period.end.year)):
        raise NotAFigure
    if figure == "nationality" and not re.fullmatch(r"[A-Z]{2}|unknown", value):
        raise NotAFigure
    if figure == "organisation" and not re.fullmatch(r"[a-z0-9_-]{1,20}", value):
        raise NotAFigure


def drill_signals(user: User, period: Period, figure: str, value: str, island: str = ""):
    """The signals of the period (and island) behind one bar, as the analyst may see them."""
    _valid(figure, value, period)
    start, end = period.moments
    signals = signals_visible_to(user).filter(received_at__gte=start, received_at__lt=end)
    if island:
        signals = signals.filter(island=island)
    blank = "" if value == UNKNOWN else value
    if figure == "form":
        signals = signals.filter(pk__in=SignalForm.objects.filter(code=value)
                                 .values("signal"))
    elif figure == "sector":
        # "unknown" is a sector code of its own (blanks were merged into it, signals 0005).
        signals = signals.filter(sector=value)
    elif figure == "island":
        signals = signals.filter(island=blank)
    elif figure == "organisation":
        signals = signals.filter(reporter_organisation__code=value)
    elif figure == "month":
        year, month = value.split("-")
        signals = signals.filter(received_at__year=int(year), received_at__month=int(month))
    return signals.order_by("-received_at", "-id")


def drill_dossiers(user: User, period: Period, figure: str, value: str):
    """The dossiers behind a victims' bar, a follow-up bar or an MoU cell."""
    _valid(figure, value, period)
    start, end = period.moments
    if figure == "follow_up":
        behind = FollowUpAction.objects.filter(kind=value, created_at__gte=start,
                                               created_at__lt=end)
    elif figure == "mou" and value in ("victims", "suspects"):
        behind = DossierPerson.objects.filter(
            role=value[:-1], identified_on__range=(period.start, period.end),
            **({"victim_status__in": PRESUMED} if value == "victims" else {}))
    elif figure == "mou":
        kind = {"investigations": "criminal_investigation", "prosecutions": "prosecution",
                "verdicts": "verdict", "convictions": "verdict"}[value]
        behind = FollowUpAction.objects.filter(
            kind=kind, happened_on__range=(period.start, period.end),
            **({"outcome": "conviction"} if value == "convictions" else {}))
    else:
        first = SignalPerson.objects.filter(person=OuterRef("person")).order_by("pk")
        behind = DossierPerson.objects.filter(
            role="victim", victim_status__in=PRESUMED,
            identified_on__range=(period.start, period.end))
        column = {"nationality": "nationality", "sex": "sex", "age_band": "age_band"}.get(
            figure)
        if column:
            behind = behind.annotate(fact=Subquery(first.values(column)[:1]))
            # Sex and age band have a code "unknown" of their own besides a blank.
            behind = (behind.filter(Q(fact="") | Q(fact__isnull=True) | Q(fact=UNKNOWN))
                      if value == UNKNOWN else behind.filter(fact=value))
        else:
            behind = behind.filter(form_of_exploitation="" if value == UNKNOWN else value)
    return dossiers_visible_to(user).filter(pk__in=behind.values("dossier")).order_by(
        "-created_at", "-id")


def drill_url(figure: str, value: str, year: int, island: str = "") -> str:
    query = {"year": year, "value": value or UNKNOWN}
    if island and figure in SIGNAL_FIGURES:
        query["island"] = island
    return f"{reverse('reporting:drill', args=[figure])}?{urlencode(query)}"
