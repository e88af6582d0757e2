"""The hidden-number estimate's cost: the register's capture table (a fixed number of
aggregate queries whatever the size of the register), the fit for six lists (the most the
register makes), and the trends page's queries (the headline figures and each breakdown)."""

import itertools
import math
import statistics
import time

import numpy as np
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.capture_table import CaptureTable
from reporting.figures import Period
from reporting.population_estimate import estimate_population
from reporting.register_capture import register_capture_table
from reporting.trend_breakdowns import BREAKDOWNS, breakdown_counts
from reporting.trends import trend_counts

SIX_LISTS = ("A", "B", "C", "D", "E", "F")


def six_list_table(seed: int = 19, size: int = 5000) -> CaptureTable:
    """A closed population spread over six lists with two dependent pairs."""
    mains = [-1.0, -0.9, -0.8, -1.1, -1.3, -1.2]
    dependence = {(0, 1): 0.8, (2, 3): -0.5, (4, 5): 0.4}
    histories = list(itertools.product((0, 1), repeat=6))
    weights = np.array([math.exp(sum(b * x for b, x in zip(mains, h, strict=True))
                                 + sum(g * h[a] * h[b] for (a, b), g in dependence.items()))
                        for h in histories])
    counts = np.random.default_rng(seed).multinomial(size, weights / weights.sum())
    return CaptureTable(SIX_LISTS, {h: int(n) for h, n in zip(histories, counts, strict=True)
                                    if any(h) and n})


def population_estimate(year: int, *, repeat: int = 5) -> dict:
    with CaptureQueriesContext(connection) as capture:
        started = time.perf_counter()
        table = register_capture_table(Period.year(year))
        capture_seconds = time.perf_counter() - started
    with CaptureQueriesContext(connection) as trends:
        trend_counts(year)
    breakdowns = {}
    for name in BREAKDOWNS:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            breakdown_counts(name, year)
            breakdowns[name] = {"queries": len(queries),
                                "ms": round((time.perf_counter() - started) * 1000, 1)}
    six = six_list_table()
    fits = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = estimate_population(six)
        fits.append(time.perf_counter() - started)
    return {"year": year, "capture_queries": len(capture), "lists": len(table.lists),
            "observed": table.observed, "capture_ms": round(capture_seconds * 1000, 1),
            "trends_queries": len(trends), "breakdowns": breakdowns,
            "six_list_fit_ms": {"median": round(statistics.median(fits) * 1000, 1),
                                "max": round(max(fits) * 1000, 1)},
            "six_list_model": result.model, "six_list_refused": result.refused}
