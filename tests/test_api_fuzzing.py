"""Standing proof: the API, fuzzed from its own OpenAPI schema, never answers 5xx and never
answers anything the schema does not declare, for a reporter (token) and an analyst (session
with a one-time code).

The schema is fetched from /api/schema/ as a partner would, and every operation in it is
fuzzed, so a new endpoint is covered without a line here. Requests go in-process through the
WSGI application, so they run inside the test's database transaction. Bounded and
deterministic: a few examples per operation, derandomized, no shrinking.
"""

import datetime
import json
import secrets
from contextlib import contextmanager

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from casework.dossiers import dossier_open
from casework.persons import MentionFacts, person_create
from controls.services import control_plan
from register.services.accounts import token_issue
from tests.personas import persona, verify_with_one_time_code
from tests.signals.builders import file_signal

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = {"positive": 10, "negative": 6}  # per operation, role and mode: ~1 minute in all


@pytest.fixture
def wsgi_app(db):
    return get_wsgi_application()


@contextmanager
def connection_kept_open():
    """Django's test client keeps the database connection open across requests; a bare
    handler would close it at the end of each request, and with it the test's transaction,
    so the same two signal handlers are held off around each call (as the client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def known_objects(db):
    """Real references, so some requests reach the 200 answers and not only the 404s."""
    reporter, analyst = persona("reporter_kmar"), persona("analyst_kpcn")
    signal = file_signal(reporter, persons=[
        {"role": "victim", "family_name": "Fuzz", "given_names": "Ana",
         "date_of_birth": None}])
    dossier = dossier_open(actor=analyst, signals=[file_signal(reporter)], title="Fuzz case")
    person = person_create(actor=analyst, facts=MentionFacts(family_name="Fuzzperson"))
    control = control_plan(actor=reporter, participants=[], businesses=[], values={
        "island": "bonaire", "place": "Rincon", "sector": "construction",
        "planned_on": datetime.date(2026, 5, 1),
        "initiating_organisation": reporter.organisation,
        "directing_organisation": analyst.organisation, "goal": "Fuzz", "team": "",
        "briefing": ""})
    return {"reference": signal.reference, "number": dossier.number, "id": person.pk,
            "control_id": control.pk}


def credentials(name: str) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and cookies that authenticate as the persona the way a real client would."""
    user = persona(name)
    if name.startswith("reporter"):
        return {"Authorization": f"Token {token_issue(actor=None, user=user)}"}, {}
    client = Client()
    client.force_login(user)
    verify_with_one_time_code(client, user)
    csrf = secrets.token_hex(16)  # a 32-character secret; the header may carry it unmasked
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return ({"X-CSRFToken": csrf},
            {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: csrf})


def fetch_schema(headers: dict[str, str], cookies: dict[str, str]) -> dict:
    client = Client(headers=headers)
    client.cookies.load(cookies)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def path_values(operation, known: dict) -> dict:
    names = {p.name for p in operation.path_parameters}
    if "id" in names and "/controls/" in operation.path:
        return {"id": known["control_id"]}
    return {name: known[name] for name in names if name in known}


def fuzz(operation, app, auth: tuple, known: dict, mode: str, seen: set) -> list[str]:
    generation = schemathesis.GenerationMode(mode)
    real = path_values(operation, known)
    strategy = operation.as_strategy(generation_mode=generation)
    if real and generation.is_positive:
        strategy = st.one_of(operation.as_strategy(generation_mode=generation,
                                                   path_parameters=real), strategy)
    headers, cookies = auth
    failures = []

    @hypothesis_settings(max_examples=EXAMPLES[mode], derandomize=True, deadline=None,
                         database=None, phases=[Phase.explicit, Phase.generate],
                         suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        with connection_kept_open():
            response = case.call(app=app, headers=headers, cookies=cookies)
        seen.add((case.method.upper(), response.status_code))
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as failure:  # collected, and reported together below
            failures.append(f"{mode} {operation.label}: {str(failure)[:1500]}")

    run()
    return failures


@pytest.mark.parametrize("role", ["reporter_kmar", "analyst_kpcn"])
def test_every_api_operation_holds_its_schema_under_fuzzing(role, wsgi_app, known_objects):
    auth = credentials(role)
    schema = schemathesis.openapi.from_dict(fetch_schema(*auth))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20, "the schema lost its operations"
    failures, seen = [], set()
    for operation in operations:
        for mode in EXAMPLES:
            failures += fuzz(operation, wsgi_app, auth, known_objects, mode, seen)
    assert not failures, "\n\n".join(failures[:10])
    # Guards the proof itself: the credentials (and, for a session, the CSRF token) work, so
    # the fuzzer reached the views and not only the refusals at the door.
    assert ("GET", 200) in seen
    assert {code for method, code in seen if method == "POST"} - {401, 403}


def answer_validates(role, app, operation_path, method="GET", **case_data):
    auth = credentials(role)
    schema = schemathesis.openapi.from_dict(fetch_schema(*auth))
    case = schema[operation_path][method].Case(**case_data)
    with connection_kept_open():
        response = case.call(app=app, headers=auth[0], cookies=auth[1])
    case.validate_response(response, checks=CHECKS, headers=auth[0])
    return response


@pytest.mark.parametrize("role", ["reporter_kmar", "analyst_kpcn"])
def test_the_answer_to_one_signal_matches_the_schema_for_every_role(role, wsgi_app,
                                                                   known_objects):
    response = answer_validates(role, wsgi_app, "/api/v1/signals/{reference}/",
                                path_parameters={"reference": known_objects["reference"]})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert ("description" in body) is (role == "analyst_kpcn")


def test_a_person_without_a_date_of_birth_matches_the_schema(wsgi_app, known_objects):
    response = answer_validates("analyst_kpcn", wsgi_app, "/api/v1/persons/{id}/",
                                path_parameters={"id": known_objects["id"]})
    assert json.loads(response.content)["date_of_birth"] is None


@pytest.mark.parametrize("path, status", [
    ("/api/v1/signals/{reference}/", 404),
    ("/api/v1/dossiers/{number}/", 403),
])
def test_refusals_are_declared_and_answered_as_json(wsgi_app, known_objects, path, status):
    """A reporter asking for another's signal gets a declared 404; for an analyst's
    endpoint a declared 403; both as JSON, as the schema says."""
    name = path.split("{")[1].rstrip("}/")
    value = "XX-2026-000001" if name == "reference" else known_objects[name]
    response = answer_validates("reporter_kmar", wsgi_app, path,
                                path_parameters={name: value})
    assert response.status_code == status
    assert "detail" in json.loads(response.content)


def test_an_address_no_route_matches_answers_json_under_the_api(api_as):
    response = api_as("reporter_kmar").get("/api/v1/signals/not-a-reference/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
