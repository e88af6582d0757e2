"""The pages people wait for, measured twice in one run: through the register as deployed, and
through B0 running the page's own main query. Also the queries each page makes, at several
page sizes, which must not grow with the page or the register.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from bench.generate import Staff
from bench.load import Request
from bench.sessions import api_token, session_cookie, verified_client
from casework.dossiers import dossier_open
from casework.need_to_know import dossiers_visible_to
from casework.selectors import inbox_for
from register.models import Dossier, User
from signals.models import Signal, SignalPerson

CSRF = "benchmarkcsrfsecret0123456789abc"  # 32 characters: a CSRF secret as Django makes them
VARIANTS = 20
# Statements a page makes that are not its content: sessions, accounts, the audit append.
NOT_CONTENT = ("django_session", "FROM \"register_user\"", "register_rolegrant", "otp_totp",
               "pg_advisory", "register_auditevent", "register_audit_append",
               "django_content_type")


@dataclass
class Actors:
    analyst: User
    reporter: User
    analyst_client: object
    reporter_client: object
    cookie: str
    token: str
    names: list[str]
    dossiers: list[str]
    fifty: str  # a dossier of 50 signals, for the network


def actors(staff: Staff, rng: random.Random) -> Actors:
    analyst = staff.bench_analyst
    reporter = max(staff.reporters, key=lambda u: u.submitted_signals.count())
    client = verified_client(analyst)
    # Searches as analysts type them: a family name, or given and family name, of someone in
    # the register.
    mentions = list(SignalPerson.objects.filter(person__isnull=False)
                    .exclude(family_name="").order_by("?")
                    .values_list("given_names", "family_name")[:VARIANTS * 5])
    rng.shuffle(mentions)
    names = [family if i % 2 else f"{given.split(' ')[0]} {family}"
             for i, (given, family) in enumerate(mentions[:VARIANTS])]
    dossiers = list(dossiers_visible_to(analyst).annotate(n=Count("signals")).filter(n__gt=0)
                    .order_by("?").values_list("number", flat=True)[:VARIANTS])
    token = api_token(reporter)
    reporter_client = _token_client(token)
    return Actors(analyst, reporter, client, reporter_client, session_cookie(client), token,
                  names, dossiers, fifty_signal_dossier(analyst))


FIFTY = "Benchmark: fifty signals"


def fifty_signal_dossier(analyst: User) -> str:
    """The network's benchmark dossier: 50 signals already in the register, made once and kept
    with the size's data (the generator's dossiers hold 1-4 signals)."""
    found = Dossier.objects.filter(title=FIFTY).values_list("number", flat=True).first()
    if found:
        return found
    signals = list(Signal.objects.filter(dossier__isnull=True, status="in_register")
                   .order_by("id")[:50])
    return dossier_open(actor=analyst, signals=signals, title=FIFTY).number


ISLANDS = ("bonaire", "st_eustatius", "saba")


def inbox_filters(a: Actors) -> dict[str, str]:
    """From no filter to every filter at once, each sorted, with the values of a row of the
    inbox so that every filtered page still shows rows (an empty page skips the queries that
    fetch the rows' parts): the inbox must make the same number of queries for all of them."""
    row = inbox_for(a.analyst).exclude(sector="").prefetch_related("forms").first()
    every = {"island": row.island, "form": row.forms.all()[0].code, "sector": row.sector,
             "status": row.status, "organisation": row.reporter_organisation.code,
             "received_from": "2000-01-01", "received_until": "2100-12-31",
             "danger": str(row.immediate_danger).lower(), "ordering": "-received"}
    if row.taken_up_by_id:
        every["taken_up_by"] = row.taken_up_by_id
    return {"none": "", "island": urlencode({"island": row.island}),
            "island_form_status": urlencode({k: every[k] for k in ("island", "form", "status",
                                                                   "ordering")}),
            "every_filter": urlencode(every)}


def dossier_filters(a: Actors) -> dict[str, str]:
    dossier = (dossiers_visible_to(a.analyst).filter(assigned_analysts__isnull=False)
               .prefetch_related("signals__forms").first())
    signal = dossier.signals.all()[0]
    every = {"status": dossier.status, "priority": dossier.priority,
             "assigned": dossier.assigned_analysts.first().pk, "island": signal.island,
             "form": signal.forms.all()[0].code, "ordering": "-signals"}
    return {"none": "", "status": urlencode({"status": dossier.status}),
            "every_filter": urlencode(every)}


def _token_client(token: str):
    from django.test import Client

    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def page_requests(a: Actors) -> dict[str, Callable[[int], Request]]:
    """How each measured page is asked for, request number n (variants cycle)."""
    session = {"Cookie": f"{a.cookie}; csrftoken={CSRF}"}
    api = {"Authorization": f"Token {a.token}", "Accept": "application/json"}

    def search(n):
        body = urlencode({"csrfmiddlewaretoken": CSRF,
                          "query": a.names[n % len(a.names)]}).encode()
        return Request("POST", "/register/search/",
                       {**session, "Content-Type": "application/x-www-form-urlencoded"}, body)

    def inbox_filtered(n):
        query = urlencode({"island": ISLANDS[n % len(ISLANDS)], "form": "labour_exploitation",
                           "status": "received", "ordering": "-received"})
        return Request("GET", f"/register/inbox/?{query}", session)

    return {
        "inbox": lambda n: Request("GET", "/register/inbox/", session),
        "inbox_filtered": inbox_filtered,
        "search": search,
        "dossier": lambda n: Request(
            "GET", f"/register/dossiers/{a.dossiers[n % len(a.dossiers)]}/", session),
        "network": lambda n: Request(
            "GET", f"/register/dossiers/{a.fifty}/network/?depth=2", session),
        "api_list": lambda n: Request("GET", "/api/v1/signals/", api),
    }


def b1_request(a: Actors) -> Request:
    """B1 (bench.b1): a trivial view behind the same login as the pages."""
    return Request("GET", "/bench/b1/", {"Cookie": f"{a.cookie}; csrftoken={CSRF}"})


# A page measured against another page's B0 instead of its own: the target for the
# network is "within 3x the dossier page's B0".
BASELINE_OF = {"network": "dossier"}


def variants(name: str, a: Actors) -> int:
    return {"search": len(a.names), "dossier": len(a.dossiers),
            "inbox_filtered": len(ISLANDS)}.get(name, 1)


def in_process(a: Actors, request: Request):
    """The same request through the test client, in this process."""
    client = a.reporter_client if request.path.startswith("/api/") else a.analyst_client
    if request.method == "POST":
        client.cookies["csrftoken"] = CSRF
        return client.post(request.path, data=request.body,
                           content_type="application/x-www-form-urlencoded")
    return client.get(request.path)


def capture(a: Actors, request: Request) -> list[dict]:
    with CaptureQueriesContext(connection) as queries:
        response = in_process(a, request)
    if response.status_code != 200:
        raise RuntimeError(f"{request.path} answered {response.status_code}")
    return list(queries.captured_queries)


def main_query(queries: list[dict]) -> str:
    """The page's own content query that costs most when run again alone."""
    content = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")
               and not any(t in q["sql"] for t in NOT_CONTENT)]
    if not content:
        raise RuntimeError("no content query found")
    return max(content, key=_time_alone)


def _time_alone(sql: str, repeat: int = 3) -> float:
    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(repeat):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            best = min(best, time.perf_counter() - started)
    return best


def b0_queries(a: Actors, requests: dict) -> dict[str, list]:
    """For every page and variant, the SQL B0 runs: the page's main query, captured."""
    queries = {}
    for name, make in requests.items():
        if name in BASELINE_OF:
            continue
        for n in range(variants(name, a)):
            queries[f"{name}-{n}"] = [main_query(capture(a, make(n))), []]
    staff = a.reporter
    queries["insert"] = [
        "INSERT INTO signals_signal (reference, status, channel, received_at, submitted_by_id,"
        " request_fingerprint, reporter_name, reporter_organisation_id, reporter_phone,"
        " reporter_email, observed_on, island, location, sector, description,"
        " immediate_danger, last_processed_at, not_taken_up_reason, source_reliability,"
        " information_reliability) VALUES (%s, 'not_taken_up', 'api', now(), %s, '', 'B0',"
        " %s, '', '', current_date, 'bonaire', '', '', 'B0 baseline', false, now(), '', '',"
        " '') RETURNING id", ["{unique}", staff.pk, staff.organisation_id]]
    return queries


def b0_requests(a: Actors, requests: dict) -> dict[str, Callable[[int], Request]]:
    return {name: (lambda n, name=name: Request(
                "GET", f"/b0/{name}-{n % variants(name, a)}/", {}))
            for name in requests if name not in BASELINE_OF}


def query_counts(a: Actors) -> dict[str, dict[str, int]]:
    """Queries per request at 10, 50 and 200 rows, and for small and large dossiers and
    searches with few and many results: each must be one number whatever the rows."""
    counts: dict[str, dict[str, int]] = {}
    session, api = {}, {"HTTP_AUTHORIZATION": f"Token {a.token}"}
    for size in (10, 50, 200):
        counts.setdefault("inbox", {})[str(size)] = _count(
            a, Request("GET", f"/register/inbox/?per_page={size}", session))
        counts.setdefault("dossier_list", {})[str(size)] = _count(
            a, Request("GET", f"/register/dossiers/?per_page={size}", session))
        counts.setdefault("api_list", {})[str(size)] = _count(
            a, Request("GET", f"/api/v1/signals/?page_size={size}", api))
    for label, query in inbox_filters(a).items():
        counts.setdefault("inbox_filters", {})[label] = _count(
            a, Request("GET", f"/register/inbox/?{query}", session))
    for label, query in dossier_filters(a).items():
        counts.setdefault("dossier_list_filters", {})[label] = _count(
            a, Request("GET", f"/register/dossiers/?{query}", session))
    for label, number in (("one_signal_depth_2", a.dossiers[0]), ("fifty_signals_depth_2",
                                                                  a.fifty)):
        counts.setdefault("network", {})[label] = _count(
            a, Request("GET", f"/register/dossiers/{number}/network/?depth=2", session))
    by_size = (dossiers_visible_to(a.analyst).annotate(n=Count("signals")).filter(n__gt=0)
               .order_by("n", "id"))
    smallest, largest = by_size.first(), by_size.last()
    for label, dossier in (("fewest_signals", smallest), ("most_signals", largest)):
        counts.setdefault("dossier", {})[label] = _count(
            a, Request("GET", f"/register/dossiers/{dossier.number}/", session))
    # The search: the same queries for every name searched, rare or common, found or not.
    searched = [("common_name", _common_name()), ("nobody", "Zzyzx Nobody"),
                *((f"name_{n}", name) for n, name in enumerate(a.names))]
    for label, name in searched:
        body = urlencode({"csrfmiddlewaretoken": CSRF, "query": name}).encode()
        counts.setdefault("search", {})[label] = _count(a, Request(
            "POST", "/register/search/", {}, body))
    return counts


def _count(a: Actors, request: Request) -> int:
    capture(a, request)  # warm what is cached per process or per minute (a token's last use)
    return len(capture(a, request))


def _common_name() -> str:
    """The full name most mentions share: a search of the same shape as one for a rare name,
    with many more rows found."""
    row = (SignalPerson.objects.exclude(family_name="").exclude(given_names="")
           .values("given_names", "family_name").annotate(n=Count("id")).order_by("-n").first())
    return f"{row['given_names']} {row['family_name']}"
