"""Journeys in a real browser: Debian's Chromium driven by Playwright against a live server."""

import os

import pytest

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# between browser steps are ordinary synchronous calls and are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "journeys" in item.path.parts:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A browser that asks for Dutch, as on a KPCN workstation; phones are tested at 375 px.
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture(autouse=True)
def _authenticators(transactional_db):
    """Analysts, managers and auditors log in with a one-time code in every journey."""
    from register.two_factor import ROLES_REQUIRING_TWO_FACTOR
    from tests.personas import PERSONAS, persona, totp_device

    for name, (_code, roles) in PERSONAS.items():
        if set(roles) & set(ROLES_REQUIRING_TWO_FACTOR):
            totp_device(persona(name))


@pytest.fixture
def login(page, live_server, transactional_db):
    def as_persona(username: str):
        from tests.personas import PASSWORD

        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return as_persona


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def accessible():
    """accessible(page): axe-core finds no serious or critical WCAG 2.1 AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def scan(page):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        serious = [v for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == [], [(v["id"], v["nodes"][0]["target"]) for v in serious]

    return scan
