"""The dashboard's breakdowns over the last ten years: one line chart per category (a form of
exploitation, a sector, a nationality, a kind of follow-up...), each with a line per island
and the change on the year before.

One breakdown at a time, from one aggregate query (two for presumed victims, who are counted
once on "all islands" even when they appear on two), whatever the size of the register, the
number of years or of categories. Each breakdown counts as its dashboard chart does:

- forms and sectors: signals received, on their own island; a signal with two forms counts
  under each;
- nationality, sex, age band: presumed victims identified, by what their first mention
  says; form (of victims): the form of exploitation recorded on the victim's role;
- follow-up: actions recorded, by kind;

victims and follow-up on the island of the dossier's first signal, as in trends.py.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from register.models import DossierPerson, FollowUpAction
from reporting.figures import PRESUMED, Period
from reporting.trends import ALL, UNKNOWN, YEARS, Series, _first_island, islands_of
from signals.countries import country_name
from signals.models import Signal, SignalForm, SignalPerson
from signals.vocab import AgeBand, ExploitationForm, Sector, Sex

# Categories beyond this many (by their ten-year total) are drawn together as one line, so
# that forty nationalities do not make forty charts.
MAX_CATEGORIES = 8
OTHERS = "others"
# The queries one breakdown takes, whatever the register holds (tested).
QUERIES = {"form": 1, "sector": 1, "follow_up": 1, "nationality": 2, "victim_form": 2,
           "sex": 2, "age_band": 2}


@dataclass(frozen=True)
class Breakdown:
    label: object
    unit: object  # what is counted, for the chart's description
    drill: str  # the drill-down figure in drill.py behind a point
    by_island: bool  # whether the drill-down can be narrowed to the island


BREAKDOWNS = {
    "form": Breakdown(_("Signals by form of exploitation"), _("Signals"), "form", True),
    "sector": Breakdown(_("Signals by sector"), _("Signals"), "sector", True),
    "nationality": Breakdown(_("Presumed victims by nationality"), _("Presumed victims"),
                             "nationality", False),
    "victim_form": Breakdown(_("Presumed victims by form of exploitation"),
                             _("Presumed victims"), "victim_form", False),
    "sex": Breakdown(_("Presumed victims by sex"), _("Presumed victims"), "sex", False),
    "age_band": Breakdown(_("Presumed victims by age band"), _("Presumed victims"),
                          "age_band", False),
    "follow_up": Breakdown(_("Follow-up by kind"), _("Follow-up actions"), "follow_up",
                           False),
}


def _rows(name: str, period: Period) -> list:
    """The breakdown's counts per (year, island, category), in one or two queries."""
    start, end = period.moments
    if name == "form":
        return [SignalForm.objects.filter(signal__received_at__gte=start,
                                          signal__received_at__lt=end)
                .annotate(year=ExtractYear("signal__received_at"), place=F("signal__island"),
                          category=F("code"))
                .values("year", "place", "category")
                .annotate(n=Count("signal", distinct=True)).order_by()]
    if name == "sector":
        return [Signal.objects.filter(received_at__gte=start, received_at__lt=end)
                .annotate(year=ExtractYear("received_at"), place=F("island"),
                          category=F("sector"))
                .values("year", "place", "category").annotate(n=Count("id")).order_by()]
    if name == "follow_up":
        return [FollowUpAction.objects.filter(dossier__merged_into__isnull=True,
                                              created_at__gte=start, created_at__lt=end)
                .annotate(year=ExtractYear("created_at"), place=_first_island("dossier"),
                          category=F("kind"))
                .values("year", "place", "category").annotate(n=Count("id")).order_by()]
    if name == "victim_form":
        category = F("form_of_exploitation")
    else:
        first_mention = SignalPerson.objects.filter(person=OuterRef("person")).order_by("pk")
        category = Subquery(first_mention.values(name)[:1])
    roles = DossierPerson.objects.filter(
        role="victim", victim_status__in=PRESUMED, dossier__merged_into__isnull=True,
        identified_on__range=(period.start, period.end)).annotate(
        year=ExtractYear("identified_on"), category=category)
    persons = Count("person", distinct=True)
    return [roles.annotate(place=_first_island("dossier")).values("year", "place", "category")
            .annotate(n=persons).order_by(),
            # Each victim once on all islands, even when named on two.
            roles.values("year", "category").annotate(n=persons).order_by()]


def breakdown_counts(name: str, last_year: int,
                     years: int = YEARS) -> dict[str, dict[tuple[int, str], int]]:
    """category -> (year, island) -> count; the island ALL holds the register-wide count.
    A blank category is UNKNOWN."""
    period = Period(Period.year(last_year - years + 1).start, Period.year(last_year).end)
    queries = _rows(name, period)
    counts: dict[str, dict[tuple[int, str], int]] = defaultdict(lambda: defaultdict(int))
    # With one query, all islands is the sum of the islands; with two, the second says it.
    summed = len(queries) == 1
    for rows in queries:
        for row in rows:
            category = row["category"] or UNKNOWN
            if "place" in row:
                counts[category][(row["year"], row["place"] or UNKNOWN)] += row["n"]
            if summed or "place" not in row:
                counts[category][(row["year"], ALL)] += row["n"]
    return counts


def _label(name: str, code: str) -> str:
    if code == OTHERS:
        return str(_("All others together"))
    if code == UNKNOWN and name != "sector":
        return str(_("not recorded"))
    if name == "nationality":
        return country_name(code)
    labels = {"form": ExploitationForm, "victim_form": ExploitationForm, "sector": Sector,
              "sex": Sex, "age_band": AgeBand, "follow_up": FollowUpAction.Kind}[name]
    return str(dict(labels.choices).get(code, code))


@dataclass
class Category:
    code: str
    label: str
    series: list[Series]


def breakdown_series(name: str, last_year: int, *, suppress_counts: bool = True,
                     years: int = YEARS) -> list[Category]:
    """The breakdown's categories, largest over the years first (at most MAX_CATEGORIES, the
    rest as one), each with a series per island, suppressed like the headline trends."""
    counts = breakdown_counts(name, last_year, years)
    total = {code: sum(n for (_year, island), n in by.items() if island == ALL)
             for code, by in counts.items()}
    order = sorted(total, key=lambda code: (-total[code], code))
    if len(order) > MAX_CATEGORIES:
        rest = order[MAX_CATEGORIES - 1:]
        order = [*order[:MAX_CATEGORIES - 1], OTHERS]
        others = defaultdict(int)
        for code in rest:
            for key, n in counts[code].items():
                others[key] += n
        counts[OTHERS] = others
    return [Category(code, _label(name, code),
                     islands_of(counts[code], last_year, suppress_counts=suppress_counts,
                                years=years))
            for code in order]
