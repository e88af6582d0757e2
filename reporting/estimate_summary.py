"""The hidden-number estimate as the dashboard and the annual report show it: rounded, with
its interval, method, lists and caveat, and the observed count suppressed like every count
that leaves the register."""

import hashlib
import json
import math

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reporting.capture_table import CaptureTable
from reporting.estimate_lists import configured_lists
from reporting.figures import Period, suppress
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


# A fit takes about a second: the dashboard keeps it a day, per year, island, form,
# grouping of the lists and language; a new grouping has another key, so it is fitted anew.
CACHE_SECONDS = 24 * 60 * 60


def cache_key(period: Period, island: str, form: str) -> str:
    grouping = hashlib.sha256(json.dumps(sorted(configured_lists().items())).encode())
    return (f"hidden-number:{period.iso}:{island}:{form}:{get_language()}:"
            f"{grouping.hexdigest()[:16]}")


def hidden_number(period: Period, island: str = "", form: str = "",
                  suppress_counts: bool = True) -> dict:
    """The estimate as shown, from the cache when the same estimate was made today."""
    key = cache_key(period, island, form)
    raw = cache.get(key)
    if raw is None:
        raw = _fitted(period, island, form)
        cache.set(key, raw, CACHE_SECONDS)
    return as_shown(raw, suppress_counts)


def as_shown(raw: dict, suppress_counts: bool = True) -> dict:
    """A fit's result as shown: the observed count suppressed unless the reader sees exact
    counts. Wherever the result was kept (the cache, the yearly rollup)."""
    if not suppress_counts or "observed" not in raw:
        return dict(raw)
    return {**raw, "observed": suppress(raw["observed"])}


def estimate_population(table):
    """The fit, imported when first needed: statsmodels, SciPy and pandas cost each web worker
    about 190 MB, and only the daily fit needs them."""
    from reporting import population_estimate

    return population_estimate.estimate_population(table)


def _fitted(period: Period, island: str, form: str) -> dict:
    """Fitted from the register; the observed count unsuppressed (the caller suppresses)."""
    return fitted_from_table(register_capture_table(period, island, form))


def fitted_from_table(table: CaptureTable) -> dict:
    """`_fitted` from a capture table already read: its texts are in the active language, so
    the yearly rollup reads a table once and fits it in each language."""
    shown = {"observed": table.observed, "lists": list(table.lists)}
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
