"""The yearly rollup of the report figures: the annual report reads a year's counts from here
instead of counting a year of the register again (issue 21).

What is rolled up: per calendar year, the figures `reporting.figures` counts for a year: the
signals by form, island, sector, reporting organisation, month and status (per island too),
the averages to triage and to follow-up, the dossiers and follow-up, the presumed victims by
sex, age band, nationality and form, and the MoU art. 4 counts. Per year, not per day: a
victim (or suspect) counts once in a year however many days, dossiers or forms name them, so
daily counts could not be added up to a year's.

The hidden-number estimate of the year is fitted with the count, for every island of the
rollup and every language (`FigureRollupYear.estimates`, by the key the live estimate is
cached under: period, island, language and grouping of the lists; and by the suppression
threshold). The fit's numbers do not depend on the language, its texts (method, model, reason,
warnings, refusal) do and are written while it fits: the capture table is read once per island
and fitted once per language. A report from a fresh rollup thus never fits, and its worker
never loads statsmodels, SciPy and pandas (about 190 MB). A grouping of the lists changed since
(not a fact the figures count, so the rollup stays fresh) has another key: that estimate is
fitted live, as is any other period's.

When: `refresh(year)` counts a year with the recount (`reporting.figures`, unchanged), fits
its estimates and stores both; the beat task `reporting.tasks.refresh_rollup` does so every
night before the scheduled reports (stale years and the last four), `manage.py
refresh_rollup` on demand.

Never stale: the rollup keeps the audit trail's watermark of its count. Every service that
changes a fact writes an audit event in the same transaction, so when an event after the
watermark may have changed what the year counts, the year is counted live again, exactly as
before the rollup. Only reads, sign-ins and report bookkeeping are known not to change a
fact; an action not known here counts as a change (slower, never wrong). A signal filed after
a year ended cannot be in that year (it is received when filed).

Read once per report: `report_context` reads inside `reading()`, where each year's freshness
(two queries) and rows (one per island) are read once, however many figures the report shows;
the next report checks again. Outside such a block every figure checks freshness anew.

Other periods (quarters, a dashboard island filter not rolled up) are counted live.
"""

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from register.models import AuditEvent
from register.services.audit import audit_watermark
from reporting import estimate_summary, figures
from reporting.figures import (
    CaseFigures,
    MouFigures,
    Period,
    SignalFigures,
    VictimFigures,
)
from reporting.models import FigureRollup, FigureRollupYear
from reporting.register_capture import register_capture_table
from signals.vocab import Island

ISLANDS = ("", *Island.values)  # "": every island

# Audit actions that never change a fact the rollup counts.
READ_SUFFIXES = (".viewed", ".listed", ".searched", ".exported", ".downloaded", ".previewed",
                 ".printed", ".expanded", ".performed", ".read_again")
READ_PREFIXES = ("register.session.", "register.two_factor.", "register.search.",
                 "register.api_token.", "register.notification_preferences.",
                 "register.audit.", "register.reading_alert.", "register.user.", "reporting.")
FILED = "signals.signal.created"

SIGNAL_LISTS = ("by_form", "by_island", "by_sector", "by_organisation", "by_month")
SIGNAL_COUNTS = ("total", "not_taken_up")
SIGNAL_DAYS = ("days_to_triage", "days_to_follow_up")
CASE_COUNTS = ("dossiers_opened", "dossiers_closed")
CASE_LISTS = ("follow_ups_by_kind", "follow_ups_by_organisation")
VICTIM_LISTS = ("by_sex", "by_age_band", "by_nationality", "by_form")
MOU_COUNTS = ("victims", "suspects", "investigations", "prosecutions", "verdicts",
              "convictions")


# -- counting and storing ------------------------------------------------------------------


def _recount(year: int) -> list[FigureRollup]:
    period = Period.year(year)
    rows: list[FigureRollup] = []

    def add(figure, key="", n=None, value=None, island=""):
        rows.append(FigureRollup(year=year, island=island, figure=figure, key=key, n=n,
                                 value=value, position=len(rows)))

    for island in ISLANDS:
        signals = figures.signal_figures(period, island)
        for name in SIGNAL_COUNTS:
            add(f"signals.{name}", n=getattr(signals, name), island=island)
        for name in SIGNAL_DAYS:
            add(f"signals.{name}", value=getattr(signals, name), island=island)
        for name in SIGNAL_LISTS:
            for key, n in getattr(signals, name):
                add(f"signals.{name}", key, n, island=island)
    cases = figures.case_figures(period)
    for name in CASE_COUNTS:
        add(f"cases.{name}", n=getattr(cases, name))
    for name in CASE_LISTS:
        for key, n in getattr(cases, name):
            add(f"cases.{name}", key, n)
    victims = figures.victim_figures(period)
    add("victims.total", n=victims.total)
    for name in VICTIM_LISTS:
        for key, n in getattr(victims, name):
            add(f"victims.{name}", key, n)
    mou = figures.mou_period_figures(period)
    for name in MOU_COUNTS:
        add(f"mou.{name}", n=getattr(mou, name))
    return rows


def refresh(year: int) -> FigureRollupYear:
    """Count one year again and store it. Not inside a long transaction: the figures must see
    every change the watermark says they do."""
    started = time.perf_counter()
    # Taken before counting: a change committed meanwhile has a later event, so it makes the
    # new rollup stale rather than being missed.
    watermark = audit_watermark()
    rows = _recount(year)
    estimates = _estimates(year)
    with transaction.atomic():
        FigureRollup.objects.filter(year=year).delete()
        FigureRollup.objects.bulk_create(rows)
        stored, _ = FigureRollupYear.objects.update_or_create(year=year, defaults={
            "refreshed_at": timezone.now(), "watermark": watermark, "estimates": estimates,
            "seconds": round(time.perf_counter() - started, 2)})
    return stored


def _estimates(year: int) -> dict[str, dict]:
    """The year's hidden-number estimate for every island in every language, by
    `_estimate_key`. The capture table is read once per island; the fit runs
    once per language, as its texts (method, model, reason, warnings, refusal) are written in
    the active language while it fits (the numbers are the same in each)."""
    period = Period.year(year)
    languages = [code for code, _name in settings.LANGUAGES]
    stored = {}
    for island in ISLANDS:
        # The keys before the table: a grouping changed in between then gives a key nobody
        # asks for any more (fitted live), never this table under the new grouping's key.
        keys = {}
        for language in languages:
            with translation.override(language):
                keys[language] = _estimate_key(period, island)
        table = register_capture_table(period, island)
        for language in languages:
            with translation.override(language):
                stored[keys[language]] = estimate_summary.fitted_from_table(table)
    return stored


def _estimate_key(period: Period, island: str) -> str:
    """The live estimate's cache key (period, island, language, grouping of the lists) and the
    count below which it is refused unfitted: the live cache lives no longer than the process,
    which a changed setting restarts, but the rollup outlives it, and an estimate fitted under
    a lower threshold would hint at a count now suppressed."""
    return (f"{estimate_summary.cache_key(period, island, '')}:"
            f"suppress-below-{settings.SUPPRESS_BELOW}")


def nightly_years(today: dt.date | None = None) -> list[int]:
    """The years the night counts again: the last four (an annual report shows three years
    of MoU figures, and its key figures the year before), and any older stale one."""
    this_year = (today or timezone.localdate()).year
    recent = set(range(this_year - 3, this_year + 1))
    older = {y for y in FigureRollupYear.objects.filter(year__lt=this_year - 3)
             .values_list("year", flat=True) if not is_fresh(y)}
    return sorted(recent | older)


def refresh_stale(today: dt.date | None = None) -> list[int]:
    """The nightly run: count again the years that are stale or not rolled up yet."""
    done = []
    for year in nightly_years(today):
        if not is_fresh(year):
            refresh(year)
            done.append(year)
    return done


# -- freshness -----------------------------------------------------------------------------


def _changes_after(watermark: int, year: int):
    reads = Q()
    for suffix in READ_SUFFIXES:
        reads |= Q(action__endswith=suffix)
    for prefix in READ_PREFIXES:
        reads |= Q(action__startswith=prefix)
    after_year = Period.year(year + 1).moments[0]
    return (AuditEvent.objects.filter(pk__gt=watermark).exclude(reads)
            .exclude(action=FILED, at__gte=after_year))


def is_fresh(year: int) -> bool:
    """Rolled up, and nothing since that may change what the year counts."""
    return _fresh_state(year) is not None


def _fresh_state(year: int) -> FigureRollupYear | None:
    """The year's rollup while it is fresh (once per year inside `reading()`), else None."""
    def read() -> FigureRollupYear | None:
        state = FigureRollupYear.objects.filter(year=year).first()
        fresh = state is not None and not _changes_after(state.watermark, year).exists()
        return state if fresh else None
    return _memoised(("state", year), read)


def _whole_year(period: Period) -> int | None:
    year = period.start.year
    return year if period == Period.year(year) else None


def _stored(period: Period, island: str = "") -> dict | None:
    """The year's rows by figure, {figure: [(key, n, value)]}, or None to count live."""
    year = _whole_year(period)
    if year is None or island not in ISLANDS or _fresh_state(year) is None:
        return None
    return _memoised(("rows", year, island), lambda: _rows(year, island))


def _rows(year: int, island: str) -> dict | None:
    stored: dict = {}
    for figure, key, n, value in (FigureRollup.objects.filter(year=year, island=island)
                                  .order_by("position")
                                  .values_list("figure", "key", "n", "value")):
        stored.setdefault(figure, []).append((key, n, value))
    return stored or None


# -- read once per report ------------------------------------------------------------------

# What one report has read of the rollup: each year's freshness and rows, so a report checks
# and loads a year once however many figures it reads. Set only inside `reading()`: the next
# report checks again, so nothing stale outlives the report that read it.
_memo: ContextVar[dict | None] = ContextVar("rollup_reading", default=None)


@contextmanager
def reading() -> Iterator[None]:
    """One report's reading of the rollup (see `_memo`). Nested blocks share the outer one's
    memo; outside any block every read checks freshness anew."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _memoised(key: tuple, read: Callable):
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


def _one(stored: dict, figure: str) -> int:
    return stored[figure][0][1]


def _pairs(stored: dict, figure: str) -> list[tuple[str, int]]:
    return [(key, n) for key, n, _value in stored.get(figure, ())]


# -- the figures, from the rollup when it is fresh -----------------------------------------


def signal_figures(period: Period, island: str = "") -> SignalFigures:
    stored = _stored(period, island)
    if stored is None:
        return figures.signal_figures(period, island)
    return SignalFigures(
        total=_one(stored, "signals.total"),
        not_taken_up=_one(stored, "signals.not_taken_up"),
        **{name: stored[f"signals.{name}"][0][2] for name in SIGNAL_DAYS},
        **{name: _pairs(stored, f"signals.{name}") for name in SIGNAL_LISTS})


def signal_total(period: Period) -> int:
    stored = _stored(period)
    return figures.signal_total(period) if stored is None else _one(stored, "signals.total")


def case_figures(period: Period) -> CaseFigures:
    stored = _stored(period)
    if stored is None:
        return figures.case_figures(period)
    return CaseFigures(**{name: _one(stored, f"cases.{name}") for name in CASE_COUNTS},
                       **{name: _pairs(stored, f"cases.{name}") for name in CASE_LISTS})


def victim_figures(period: Period) -> VictimFigures:
    stored = _stored(period)
    if stored is None:
        return figures.victim_figures(period)
    return VictimFigures(total=_one(stored, "victims.total"),
                         **{name: _pairs(stored, f"victims.{name}") for name in VICTIM_LISTS})


def mou_period_figures(period: Period) -> MouFigures:
    stored = _stored(period)
    if stored is None:
        return figures.mou_period_figures(period)
    return MouFigures(year=period.end.year,
                      **{name: _one(stored, f"mou.{name}") for name in MOU_COUNTS})


def mou_figures(year: int) -> MouFigures:
    return mou_period_figures(Period.year(year))


def hidden_number(period: Period, island: str = "", suppress_counts: bool = True) -> dict:
    """The hidden-number estimate as shown: fitted with the year's rollup while that is fresh
    and was fitted for the current language, grouping and threshold (`_estimate_key`), so the
    report's worker need not load the statistics libraries; otherwise as the dashboard fits
    it (`estimate_summary.hidden_number`, cached a day)."""
    year = _whole_year(period)
    state = _fresh_state(year) if year is not None and island in ISLANDS else None
    raw = state.estimates.get(_estimate_key(period, island)) if state is not None else None
    if raw is None:
        return estimate_summary.hidden_number(period, island, suppress_counts=suppress_counts)
    return estimate_summary.as_shown(raw, suppress_counts)
