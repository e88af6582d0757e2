"""The menu and the links on the pages lead only to pages the user may open.

Every role follows every menu link, and every link on the pages those lead to (one step
further), with the same data the route matrix plants: nothing it is offered answers 403.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from register.models import Role
from register.ui import may_open
from tests.personas import persona
from tests.test_route_matrix import PERMITTED_PERSONA, kmar_signal  # noqa: F401 (a fixture)

ROLES = sorted(PERMITTED_PERSONA)
# Links that leave the pages a person reads: downloads are followed too, logout is a form.
NOT_FOLLOWED = ("/admin/", "/i18n/", "/static/", "/accounts/logout/")


class _Links(HTMLParser):
    """Every link's href, and separately those inside the main menu (<nav class="main">)."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.menu: list[str] = []
        self._in_menu = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "main" in (attrs.get("class") or "").split():
            self._in_menu = True
        if tag == "a" and attrs.get("href"):
            self.found.append(attrs["href"])
            if self._in_menu:
                self.menu.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_menu = False


def links(body: str) -> list[str]:
    parser = _Links()
    parser.feed(body)
    paths = []
    for href in parser.found:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # a fragment, mailto:, another site or a query on the same page
        if parts.path.startswith(NOT_FOLLOWED):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def menu(body: str) -> list[str]:
    parser = _Links()
    parser.feed(body)
    return parser.menu


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_answers_for_the_role_that_sees_it(kmar_signal, as_user, role):  # noqa: F811
    client = as_user(PERMITTED_PERSONA[role])
    home = client.get("/")
    offered = menu(home.content.decode())
    assert len(offered) > 1
    for url in offered:
        assert client.get(url).status_code == 200, f"{role}: menu link {url}"


@pytest.mark.parametrize("role", ROLES)
def test_no_link_on_the_pages_a_role_reaches_from_the_menu_answers_403(kmar_signal, as_user,  # noqa: F811
                                                                       role):
    client = as_user(PERMITTED_PERSONA[role])
    first = menu(client.get("/").content.decode())
    seen, refused = set(first), []
    for url in first:
        for link in links(client.get(url).content.decode()):
            if link in seen:
                continue
            seen.add(link)
            status = client.get(link).status_code
            if status in (403, 404) or status >= 500:
                refused.append((url, link, status))
    assert refused == []


@pytest.mark.parametrize(("role", "route", "shown"), [
    (Role.ANALYST, "reporting:schedules", False),
    (Role.COORDINATOR, "reporting:schedules", True),
    (Role.MANAGER, "controls:targets", True),
    (Role.MANAGER, "controls:overview", False),
    (Role.AUDITOR, "audit_events", True),
    (Role.REPORTER, "casework:inbox", False),
])
def test_a_link_is_offered_exactly_when_the_view_admits_the_role(db, role, route, shown):
    assert may_open(persona(PERMITTED_PERSONA[role]), route) is shown
