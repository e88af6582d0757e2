"""Where a page's time goes: its SQL, its template, and the rest (middleware, forms, Python),
measured in this process; and a cProfile of the slowest page, for the README's explanation of
any target that is missed."""

import cProfile
import io
import pstats
import statistics
import time
from contextlib import contextmanager
from unittest import mock

from django.db import connection
from django.template.backends.django import Template
from django.test.utils import CaptureQueriesContext

from bench.pages import Actors, in_process

_render = Template.render


@contextmanager
def _timed_templates(spent: list[float]):
    def render(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return _render(self, *args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    with mock.patch.object(Template, "render", render):
        yield


def breakdown(a: Actors, requests: dict, *, repeat: int = 10) -> dict:
    """Per page, the median of total, SQL and template milliseconds over `repeat` requests."""
    pages = {}
    for name, make in requests.items():
        totals, sql, render, counts = [], [], [], []
        for n in range(repeat + 2):
            spent: list[float] = []
            with CaptureQueriesContext(connection) as queries, _timed_templates(spent):
                started = time.perf_counter()
                in_process(a, make(n))
                elapsed = time.perf_counter() - started
            if n < 2:
                continue  # warm caches first, as a running server has
            totals.append(elapsed)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries))
            render.append(max(spent, default=0.0))  # the outermost template holds the rest
            counts.append(len(queries.captured_queries))
        total, in_sql, in_render = (statistics.median(v) * 1000 for v in (totals, sql, render))
        pages[name] = {"total_ms": round(total, 1), "sql_ms": round(in_sql, 1),
                       "queries": max(counts), "template_ms": round(in_render, 1),
                       "other_ms": round(max(0.0, total - in_sql - in_render), 1)}
    return pages


def report_queries(year: int, *, shown: int = 10) -> str:
    """The annual report's queries, slowest first: where its time goes as the register grows."""
    from reporting import rollup
    from reporting.content import report_context
    from reporting.figures import Period

    rollup.refresh_stale()  # as the night before: the report reads the rollup
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report_context("annual", Period.year(year))
        elapsed = time.perf_counter() - started
    captured = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    in_sql = sum(float(q["time"]) for q in captured)
    lines = [f"figures of the annual report {year}: {elapsed * 1000:.0f} ms, "
             f"{len(captured)} queries, {in_sql * 1000:.0f} ms in SQL", ""]
    lines += [f"{float(q['time']) * 1000:7.0f} ms  {q['sql'][:300]}" for q in captured[:shown]]
    return "\n".join(lines) + "\n"


def profile_text(a: Actors, make, *, repeat: int = 20, lines: int = 35) -> str:
    """cProfile of one page, the functions that spend the most time themselves first, then by
    cumulative time; headed by the page's CPU per request in this process without the
    profiler (the database's share is not in it: the bench's CPU figure adds PostgreSQL's)."""
    for n in range(3):
        in_process(a, make(n))
    started = time.process_time()
    for n in range(repeat):
        in_process(a, make(n))
    cpu_ms = (time.process_time() - started) * 1000 / repeat
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(repeat):
        in_process(a, make(n))
    profiler.disable()
    out = io.StringIO()
    out.write(f"{make(0).method} {make(0).path.split('?')[0]}: {cpu_ms:.1f} ms CPU per request "
              f"in process (without the profiler, {repeat} requests)\n\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    return out.getvalue()
