import json
import os
import platform
import random
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from bench import core, estimate, pages
from bench.generate import ensure_staff
from bench.load import LoadResult, Request, run_load
from bench.servers import SERVING, cpu_seconds, gunicorn
from casework.match_learning import refresh_match_statistics
from casework.models import MatchWeights
from signals.models import Signal, SignalPerson
from signals.synthetic import invent

INTAKE_KEY = "benchmark-intake-"


class Command(BaseCommand):
    help = ("Measure a database filled by generate_synthetic (PostgreSQL): pages under a "
            "bounded local load against B0, query counts, intake, matching, the audit trail, "
            "object permissions and the annual report. Writes one JSON file of results.")

    def add_arguments(self, parser):
        parser.add_argument("--label", required=True, help="the data size, e.g. small")
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--probes", type=int, default=300, help="mentions to match")

    def handle(self, *args, label, out, requests, concurrency, probes, **options):
        if connection.vendor != "postgresql":
            raise SystemExit("The benchmarks run on PostgreSQL (set DATABASE_URL).")
        if not MatchWeights.objects.exists():
            # The register as it stands the morning after: the nightly task has learnt the
            # match weights and counted the common names. Without them every suggestion
            # counts its name words live (up to 500 rows each) and scores with the default
            # weights, which no running register does.
            self.say("match statistics (the nightly task)")
            refresh_match_statistics()
        rng = random.Random(7)
        staff = ensure_staff()
        actors = pages.actors(staff, rng)
        result = {"label": label, "machine": machine(), "data": data_counts()}
        self.say("query counts")
        result["queries"] = pages.query_counts(actors)
        self.say("pages under load (interleaved with B0 and B1)")
        page_requests = pages.page_requests(actors)
        b0_requests = pages.b0_requests(actors, page_requests)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(pages.b0_queries(actors, page_requests), handle)
        env = server_env(handle.name)
        result["serving"] = {**SERVING, "as": "the Dockerfile's CMD",
                             "concurrency": concurrency, "rounds": ROUNDS}
        b1_request = pages.b1_request(actors)
        try:
            with gunicorn("register.wsgi:application", settings="register.settings",
                          env=env) as app, gunicorn("bench.b0:application",
                                                    settings="bench.settings_b0",
                                                    env=env) as b0, \
                    gunicorn("register.wsgi:application", settings="bench.settings_b1",
                             env=env) as b1:
                result["pages"] = {}
                for name, make in page_requests.items():
                    self.say(f"  {name}")
                    base = b0_requests[pages.BASELINE_OF.get(name, name)]
                    measured = interleaved({"register": (app, make), "b0": (b0, base),
                                            "b1": (b1, lambda n: b1_request)},
                                           requests=requests, concurrency=concurrency)
                    result["pages"][name] = {**measured, **ratios(measured)}
                self.say("  intake")
                result["intake"] = intake(app.port, b0.port, actors, requests=requests,
                                          concurrency=concurrency)
        finally:
            os.unlink(handle.name)
            remove_benchmark_signals()
        self.say("matching")
        result["matching"] = core.matching(actors, probes=probes, rng=rng)
        self.say("audit trail")
        result["audit"] = core.audit_cost(actors, rounds=5)
        result["audit_verify"] = core.audit_verify()
        self.say("object permissions")
        result["permissions"] = core.object_permissions(actors, repeat=30)
        self.say("annual report")
        result["report"] = core.annual_report(core.last_full_year(), env)
        self.say("hidden-number estimate")
        result["estimate"] = estimate.population_estimate(core.last_full_year())
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")
        self.say(f"written to {out}")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()


ROUNDS = 5  # each page, its B0 and B1 take turns this many times, so all see the same machine


def interleaved(servers: dict, *, requests: int, concurrency: int) -> dict:
    """Each server's share of the load in ROUNDS turns, one after the other, with its latency
    and its CPU per request: the server's workers plus PostgreSQL's backends (from /proc)."""
    results = {name: [] for name in servers}
    cpu = {name: [0.0, 0.0] for name in servers}
    share = max(1, requests // ROUNDS)
    for turn in range(ROUNDS):
        for name, (server, make) in servers.items():
            if turn == 0:  # warm the workers and their connections, untimed
                _ok(run_load(server.port, make, requests=10, concurrency=concurrency,
                             warmup=0))
            workers, backends = server.worker_pids(), database_backends()
            before = cpu_seconds(workers), cpu_seconds(backends)
            results[name].append(_ok(run_load(server.port, make, requests=share,
                                              concurrency=concurrency, warmup=0)))
            backends = set(backends) | set(database_backends())
            after = cpu_seconds(workers), cpu_seconds(backends)
            for i in (0, 1):
                cpu[name][i] += sum(used - before[i].get(pid, 0.0)
                                    for pid, used in after[i].items())
    measured = {}
    for name, parts in results.items():
        merged = LoadResult(sum(r.requests for r in parts), sum(r.seconds for r in parts),
                            [ms for r in parts for ms in r.latencies_ms],
                            {code: sum(r.statuses.get(code, 0) for r in parts)
                             for r in parts for code in r.statuses})
        app_ms, db_ms = (1000 * seconds / merged.requests for seconds in cpu[name])
        measured[name] = {**merged.summary(), "cpu_app_ms": round(app_ms, 2),
                          "cpu_db_ms": round(db_ms, 2), "cpu_ms": round(app_ms + db_ms, 2)}
    return measured


def ratios(measured: dict) -> dict:
    """The page against B0 and against B1, by p50 and by CPU per request (p95 for
    information: on a busy machine B0's p95 swings far more than its p50)."""
    page = measured["register"]

    def ratio(a, b):
        return round(a / b, 2) if b else None

    return {f"{measure}_ratio{suffix}": ratio(page[key], measured[base][key])
            for base, suffix in (("b0", ""), ("b1", "_b1"))
            for measure, key in (("p50", "p50_ms"), ("cpu", "cpu_ms"), ("p95", "p95_ms"))}


def database_backends() -> list[int]:
    """PostgreSQL's processes serving this database, but this process's own connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        return [row[0] for row in cursor.fetchall()]


def _ok(result):
    bad = {code: n for code, n in result.statuses.items() if code >= 400}
    if bad:
        raise SystemExit(f"requests failed under load: {bad}")
    return result


def server_env(b0_queries: str) -> dict:
    """The servers run with this process's environment (bench.run sets production settings
    without HTTPS) and the file of B0's queries."""
    if settings.DEBUG:
        raise SystemExit("Measure with DEBUG off, as deployed (bench/run.py sets it).")
    return {"BENCH_B0_QUERIES": b0_queries}


def intake(app: int, b0: int, actors, *, requests: int, concurrency: int) -> dict:
    """Signals filed through the API (validation, reference, audit) against a view that
    inserts one bare signal row."""
    rng = random.Random(11)
    bodies = [json.dumps(_payload(rng)).encode() for _ in range(50)]
    headers = {"Authorization": f"Token {actors.token}", "Content-Type": "application/json"}

    def filed(n):
        return Request("POST", "/api/v1/signals/",
                       {**headers, "Idempotency-Key": f"{INTAKE_KEY}{rng.random()}"},
                       bodies[n % len(bodies)])

    count = max(50, requests // 2)
    api = _ok(run_load(app, filed, requests=count, concurrency=concurrency, warmup=5))
    bare = _ok(run_load(b0, lambda n: Request("POST", "/b0/insert/", {}), requests=count,
                        concurrency=concurrency, warmup=5))
    return {"api": api.summary(), "bare_insert": bare.summary(),
            "rate_ratio": round(api.rps / bare.rps, 3)}


def _payload(rng: random.Random) -> dict:
    persons = []
    for role in ("victim", "suspect"):
        person = invent(rng, 0)
        persons.append({"role": role, "family_name": person.family_name,
                        "given_names": person.given_names,
                        "date_of_birth": str(person.date_of_birth),
                        "nationality": person.nationality, "phone": person.phone})
    return {"observed_on": "2026-11-20", "island": "bonaire", "forms": ["labour_exploitation"],
            "sector": "construction", "description": "Workers sleep on the building site.",
            "location": "Kralendijk", "persons": persons,
            "businesses": [{"name": "Bouw Caribe 12"}]}


def remove_benchmark_signals() -> None:
    """What the load filed is taken out again, so every run measures the same register."""
    Signal.objects.filter(reporter_name="B0").delete()
    filed = Signal.objects.filter(idempotency_key__startswith=f"api:{INTAKE_KEY}")
    SignalPerson.objects.filter(signal__in=filed).delete()
    filed.delete()


def data_counts() -> dict:
    from bench.models import MentionTruth
    from casework.models import PersonIdentifier
    from controls.models import Control
    from register.models import AuditEvent, Dossier, FollowUpAction, Person

    models = {"signals": Signal, "mentions": SignalPerson, "persons": Person,
              "identifiers": PersonIdentifier, "dossiers": Dossier,
              "follow_ups": FollowUpAction, "controls": Control, "audit_events": AuditEvent,
              "truths": MentionTruth}
    with connection.cursor() as cursor:
        counts = {}
        for name, model in models.items():
            cursor.execute(f"SELECT count(*) FROM {model._meta.db_table}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        counts["database_mb"] = round(cursor.fetchone()[0] / 2**20)
    return counts


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                .splitlines() if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                  .splitlines() if line.startswith("MemTotal"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory / 2**20),
            "python": platform.python_version(), "postgresql": postgres}
