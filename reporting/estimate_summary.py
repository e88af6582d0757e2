"""The hidden-number estimate as the dashboard and the annual report show it: rounded, with
its interval, method, lists and caveat, and the observed count suppressed like every count
that leaves the register."""

import math

from django.conf import settings
from django.utils.translation import gettext as _

from reporting.figures import Period, suppress
from reporting.population_estimate import estimate_population
from reporting.register_capture import register_capture_table


def _step(value: float) -> int:
    """Two significant figures (above 100), fives below: the estimate is not precise to the
    person, and showing it so would suggest it is."""
    if value < 100:
        return 5
    return 10 ** (int(math.log10(value)) - 1)


def round_estimate(value: int) -> int:
    step = _step(value)
    return int(round(value / step) * step)


def round_down(value: int) -> int:
    step = _step(value)
    return int(math.floor(value / step) * step)


def round_up(value: int) -> int:
    step = _step(value)
    return int(math.ceil(value / step) * step)


def hidden_number(period: Period, island: str = "", form: str = "",
                  suppress_counts: bool = True) -> dict:
    table = register_capture_table(period, island, form)
    count = suppress if suppress_counts else (lambda n: n)
    shown = {"observed": count(table.observed), "lists": list(table.lists)}
    if table.observed < settings.SUPPRESS_BELOW:
        # Too few to estimate from, and an estimate would hint at the suppressed count.
        return {**shown, "refused": _("Too few presumed victims to estimate from.")}
    result = estimate_population(table)
    shown.update(lists=result.lists, method=result.method, model=result.model,
                 reason=result.reason, warnings=result.warnings, refused=result.refused)
    if not result.refused:
        shown.update(estimate=round_estimate(result.estimate), low=round_down(result.low),
                     high=round_up(result.high))
    return shown
