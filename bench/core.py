"""What is measured in this process: match suggestions against the known truth, the audit
trail's cost, the object-permission filter against hand-written SQL, and the annual report in a
worker process of its own."""

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from unittest import mock

from django.contrib.auth.models import Permission
from django.db import connection

from bench.load import percentile
from bench.models import MentionTruth
from bench.pages import Actors, Request, in_process
from bench.servers import ROOT
from casework.matching import suggest_persons
from casework.need_to_know import dossiers_visible_to, persons_visible_to
from register.services.audit import audit_chain_breaks
from signals.models import SignalPerson


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def matching(a: Actors, *, probes: int, rng: random.Random) -> dict:
    """Suggestions for mentions nobody has linked yet (new and declined signals), timed one by
    one, and scored against who each mention really is."""
    unlinked = list(SignalPerson.objects.filter(person__isnull=True)
                    .values_list("pk", flat=True).order_by("-pk")[:probes * 4])
    chosen = rng.sample(unlinked, min(probes, len(unlinked)))
    truth = dict(MentionTruth.objects.filter(mention_id__in=chosen)
                 .values_list("mention_id", "truth"))
    # The register person each individual became, if the analyst may see that person.
    same = dict(MentionTruth.objects.filter(truth__in=set(truth.values()))
                .exclude(mention_id__in=chosen).values_list("mention_id", "truth"))
    person_of_truth = {same[pk]: person for pk, person in SignalPerson.objects.filter(
        pk__in=list(same), person__isnull=False).values_list("pk", "person_id")}
    visible = set(persons_visible_to(a.analyst).filter(pk__in=person_of_truth.values())
                  .values_list("pk", flat=True))
    timings, shown, correct, with_truth = [], 0, 0, 0
    for mention in SignalPerson.objects.filter(pk__in=chosen):
        started = time.perf_counter()
        suggestions = suggest_persons(mention, user=a.analyst)
        timings.append(time.perf_counter() - started)
        expected = person_of_truth.get(truth.get(mention.pk))
        if expected not in visible:
            expected = None
        suggested = [s.person.pk for s in suggestions]
        shown += len(suggested)
        with_truth += expected is not None
        correct += expected is not None and expected in suggested
    return {"probes": len(timings), "p50_ms": _ms(percentile(timings, 0.5)),
            "p95_ms": _ms(percentile(timings, 0.95)),
            "persons": persons_visible_to(a.analyst).count(),
            "suggestions_shown": shown, "with_truth": with_truth,
            "precision": round(correct / shown, 3) if shown else 1.0,
            "recall": round(correct / with_truth, 3) if with_truth else 1.0}


def audit_cost(a: Actors, *, rounds: int) -> dict:
    """The dossier page with its audit event against the same page with the append left out,
    interleaved so both see the same machine."""
    with_audit, without = [], []
    for _ in range(rounds):
        for number in a.dossiers:
            request = Request("GET", f"/register/dossiers/{number}/", {})
            with_audit.append(_timed(a, request))
            with mock.patch("casework.views.dossiers.audit_record"):
                without.append(_timed(a, request))
    return {"with_audit_p50_ms": _ms(statistics.median(with_audit)),
            "without_audit_p50_ms": _ms(statistics.median(without)),
            "ratio": round(statistics.median(with_audit) / statistics.median(without), 3)}


def _timed(a: Actors, request: Request) -> float:
    started = time.perf_counter()
    response = in_process(a, request)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{request.path} answered {response.status_code}")
    return elapsed


def audit_verify() -> dict:
    """The whole chain checked, as `manage.py audit_verify` does; projected to 10M events."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM register_auditevent")
        events = cursor.fetchone()[0]
    started = time.perf_counter()
    breaks = sum(1 for _ in audit_chain_breaks())
    seconds = time.perf_counter() - started
    rate = events / seconds if seconds else 0
    return {"events": events, "seconds": round(seconds, 1), "events_per_s": round(rate),
            "breaks": breaks, "projected_10m_minutes": round(10_000_000 / rate / 60, 1)}


HAND_WRITTEN = """
SELECT d.id, d.number, d.title, d.status, d.priority, d.updated_at
FROM register_dossier d
WHERE d.merged_into_id IS NULL
  AND (NOT d.restricted OR EXISTS (
        SELECT 1 FROM register_dossieruserobjectpermission p
        WHERE p.content_object_id = d.id AND p.user_id = %s AND p.permission_id = %s))
ORDER BY d.priority DESC, d.updated_at DESC, d.id DESC
LIMIT 25"""
HAND_COUNT = """
SELECT count(*) FROM register_dossier d
WHERE d.merged_into_id IS NULL
  AND (NOT d.restricted OR EXISTS (
        SELECT 1 FROM register_dossieruserobjectpermission p
        WHERE p.content_object_id = d.id AND p.user_id = %s AND p.permission_id = %s))"""


def object_permissions(a: Actors, *, repeat: int) -> dict:
    """The analyst's dossier list as the register filters it (page and count), against the
    EXISTS query one would write by hand."""
    permission = Permission.objects.get(codename="view_dossier",
                                        content_type__app_label="register").pk
    visible = dossiers_visible_to(a.analyst)
    page = visible.order_by("-priority", "-updated_at", "-id").values(
        "id", "number", "title", "status", "priority", "updated_at")[:25]
    orm = [page.query.sql_with_params(),
           visible.order_by().values("pk").query.sql_with_params()]  # as .count() asks
    orm[1] = (f"SELECT count(*) FROM ({orm[1][0]}) visible", orm[1][1])
    hand = [(HAND_WRITTEN, (a.analyst.pk, permission)),
            (HAND_COUNT, (a.analyst.pk, permission))]
    orm_times, hand_times = [], []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            orm_times.append(_run_all(cursor, orm))
            hand_times.append(_run_all(cursor, hand))
    restricted = visible.model.objects.filter(restricted=True).count()
    return {"restricted_dossiers": restricted,
            "granted_to_analyst": visible.filter(restricted=True).count(),
            "visible": visible.count(),
            "orm_p50_ms": _ms(statistics.median(orm_times)),
            "hand_p50_ms": _ms(statistics.median(hand_times)),
            "ratio": round(statistics.median(orm_times) / statistics.median(hand_times), 3)}


def _run_all(cursor, statements) -> float:
    started = time.perf_counter()
    for sql, params in statements:
        cursor.execute(sql, params)
        cursor.fetchall()
    return time.perf_counter() - started


def annual_report(year: int, env: dict) -> dict:
    """The annual report made in a worker process of its own: its time, and the peak memory
    of the whole process (what a `worker-pdf` container needs). First the nightly count of
    the figures' rollup (reporting.rollup), timed on its own: the report reads it."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "refresh_rollup"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)
    refresh_seconds = round(time.perf_counter() - started, 2)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "bench_report", "--year", str(year)], cwd=ROOT,
        env={**os.environ, **env}, stdout=subprocess.PIPE)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError("the report worker failed")
    # The worker's own peak (VmHWM, bench_report): wait4()'s ru_maxrss also counts this
    # process's memory, which Linux carries into a child's peak across its exec.
    result = json.loads(output.decode().strip().splitlines()[-1])
    return {**result, "wait4_peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "year": year,
            "rollup_refresh_seconds": refresh_seconds}


def last_full_year() -> int:
    return dt.date.today().year - 1
