"""The executive summary: the period's key figures against the same period a year before,
written out as sentences by code, so that the words can never disagree with the tables.

Counts pass `suppress` first. A change is only stated when both counts are shown: the
difference between a shown count and a suppressed one would give the suppressed one away.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting import figures, rollup
from reporting.figures import Period


@dataclass(frozen=True)
class KeyFigure:
    label: str
    now: int | str
    before: int | str

    @property
    def sentence(self) -> str:
        values = {"label": self.label, "now": self.now, "before": self.before}
        if not (isinstance(self.now, int) and isinstance(self.before, int)):
            return _("%(label)s: %(now)s (a year before: %(before)s; small counts are not "
                     "compared).") % values
        change = self.now - self.before
        if change == 0:
            return _("%(label)s: %(now)s, as many as a year before.") % values
        values["change"] = abs(change)
        if change > 0:
            return _("%(label)s: %(now)s, %(change)s more than a year before "
                     "(%(before)s).") % values
        return _("%(label)s: %(now)s, %(change)s fewer than a year before "
                 "(%(before)s).") % values


LABELS = {
    "signals": gettext_lazy("Signals received"),
    "dossiers": gettext_lazy("Dossiers opened"),
    "victims": gettext_lazy("Presumed victims identified"),
    "suspects": gettext_lazy("Suspects identified"),
    "investigations": gettext_lazy("Police investigations"),
    "prosecutions": gettext_lazy("Prosecutions"),
    "convictions": gettext_lazy("Convictions"),
}


def year_before(period: Period) -> Period:
    def back(day: dt.date) -> dt.date:
        # 29 February has no day a year before; the 28th stands in for it.
        return day.replace(year=day.year - 1, day=min(day.day, 28 if day.month == 2 else 31))
    return Period(back(period.start), back(period.end))


def _counts(period: Period) -> dict[str, int]:
    mou = rollup.mou_period_figures(period)
    return {"signals": rollup.signal_total(period),
            "dossiers": rollup.case_figures(period).dossiers_opened,
            "victims": mou.victims, "suspects": mou.suspects,
            "investigations": mou.investigations, "prosecutions": mou.prosecutions,
            "convictions": mou.convictions}


def key_figures(period: Period, count=figures.suppress) -> list[KeyFigure]:
    now, before = _counts(period), _counts(year_before(period))
    return [KeyFigure(str(LABELS[name]), count(now[name]), count(before[name]))
            for name in LABELS]
