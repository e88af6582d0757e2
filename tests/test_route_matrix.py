"""Every route, for anonymous, wrong role, wrong organisation and permitted users.

The routes come from the URL resolver, so a route added without a line here fails the suite.
"""

from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from register.models import Role
from tests.personas import persona
from tests.signals.builders import file_signal

INTAKE = {Role.REPORTER, Role.ANALYST}
EVERY_ROLE = set(Role.values)


@dataclass(frozen=True)
class Route:
    allowed: set = field(default_factory=set)  # roles that may use it; empty = public
    api: bool = False
    on_signal: bool = False  # takes a signal reference: other organisations get 404
    method: str = "get"


ROUTES = {
    "home": Route(allowed=EVERY_ROLE),
    "healthz": Route(),
    "login": Route(),
    "logout": Route(method="post"),
    "set_language": Route(method="post"),
    "signals:new": Route(allowed=INTAKE),
    "signals:new_paper": Route(allowed={Role.ANALYST}),
    "signals:mine": Route(allowed=INTAKE),
    "signals:detail": Route(allowed=INTAKE, on_signal=True),
    "signals:receipt": Route(allowed=INTAKE, on_signal=True),
    "signals:attachment": Route(allowed=INTAKE, on_signal=True),
    "signal-list": Route(allowed=INTAKE, api=True),
    "signal-detail": Route(allowed=INTAKE, api=True, on_signal=True),
    "schema": Route(allowed=EVERY_ROLE, api=True),
    "api-docs": Route(allowed=EVERY_ROLE, api=True),
}
# Django's admin has its own login and staff check; the register's own pages are above.
EXEMPT_NAMESPACES = {"admin"}


def named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            yield from named_routes(entry, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"unnamed route {entry.pattern}: name it and add it to ROUTES"
            yield f"{namespace}{entry.name}"


def test_every_route_is_in_the_matrix():
    assert set(named_routes()) == set(ROUTES)


@pytest.fixture
def kmar_signal(db):
    return file_signal(persona("reporter_kmar"), with_pdf=True)


def url_for(name, signal):
    kwargs = {}
    if ROUTES[name].on_signal:
        kwargs["reference"] = signal.reference
    if name == "signals:attachment":
        kwargs["attachment_id"] = signal.attachments.get().pk
    return reverse(name, kwargs=kwargs)


def request_as(name, route, url, username=None):
    client = APIClient() if route.api else Client()
    if username:
        client.force_login(persona(username))
    return getattr(client, route.method)(url)


PROTECTED = sorted(name for name, route in ROUTES.items() if route.allowed)


@pytest.mark.parametrize("name", PROTECTED)
def test_anonymous_visitors_are_sent_to_login_or_refused(kmar_signal, name):
    route = ROUTES[name]
    response = request_as(name, route, url_for(name, kmar_signal))
    if route.api:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", [n for n in PROTECTED if ROUTES[n].allowed != EVERY_ROLE])
def test_a_user_without_the_role_is_refused(kmar_signal, name):
    route = ROUTES[name]
    for username, role in (("coordinator", Role.COORDINATOR), ("reporter_szw", Role.REPORTER)):
        if role not in route.allowed:
            response = request_as(name, route, url_for(name, kmar_signal), username)
            assert response.status_code == 403


@pytest.mark.parametrize("name", [n for n in PROTECTED if ROUTES[n].on_signal])
def test_another_organisation_does_not_learn_the_signal_exists(kmar_signal, name):
    route = ROUTES[name]
    assert request_as(name, route, url_for(name, kmar_signal), "reporter_szw").status_code == 404


@pytest.mark.parametrize("name", PROTECTED)
def test_a_permitted_user_gets_the_page(kmar_signal, name):
    route = ROUTES[name]
    username = "reporter_kmar" if Role.REPORTER in route.allowed else "analyst_kpcn"
    response = request_as(name, route, url_for(name, kmar_signal), username)
    assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if not r.allowed))
def test_public_routes_answer_without_login(db, name):
    route = ROUTES[name]
    response = request_as(name, route, reverse(name))
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("name", PROTECTED)
def test_authenticated_responses_are_never_cached(kmar_signal, name):
    route = ROUTES[name]
    response = request_as(name, route, url_for(name, kmar_signal), "analyst_kpcn")
    assert "no-store" in response["Cache-Control"]
