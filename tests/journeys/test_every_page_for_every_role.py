"""Every role, in a real browser, opens every menu link and every page one step from it.

No page may log a console error (a Content-Security-Policy violation shows up there), no menu
link may answer 4xx or 5xx, and a Dutch page may not show English the register wrote. Dutch
for every role; English and Papiamentu for one role each; a 375 px phone for the reporter.
"""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from casework.dossiers import dossier_open
from controls.services import control_plan, finding_add
from register.models import Organisation
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.signals.builders import file_signal

ROLES = ("reporter.kmar", "analyst.kpcn", "coordinator", "manager", "auditor", "holder.kpcn")
PAGES_PER_ROLE = 30  # bounded: the menu plus the first pages linked from it
NOT_VISITED = re.compile(
    r"^/(admin|i18n|static|accounts/logout)/"
    # Downloads, not pages: a browser saves them instead of showing them.
    r"|^/reports/([0-9a-f-]{36}/|exchange/)|^/audit/export/|^/audit/disclosures/export/|/attachments?/|/reports/[0-9a-f-]{36}/$")
# Words the register's own English texts use and Dutch never does; planted data is Dutch.
# Not inside a code such as an audit action ("signals.signal.viewed").
ENGLISH = re.compile(r"(?<![\w.])(the|and|Please|your|Your|with|There|This|must|should|Search|"
                     r"Save|Submit|Back|Next|Previous|required|signal|signals|Signal|report|"
                     r"Report)(?![\w.])")


@pytest.fixture
def lived_in(transactional_db):
    """A signal, a dossier, a control with a finding: the pages have something to link to."""
    kmar, analyst = persona("reporter_kmar"), persona("analyst_kpcn")
    signal = file_signal(kmar, description="Arbeiders zeggen dat de werkgever hun paspoorten "
                         "bewaart.", location="Rincon", reporter_name="Rita Persona")
    other = file_signal(persona("reporter_szw"), description="Vrouwen boven een bar.",
                        location="Kralendijk", reporter_name="Saba Persona")
    dossier_open(actor=analyst, signals=[other], title="Zaak Kralendijk")
    control = control_plan(actor=kmar, participants=[], businesses=[], values={
        "island": "bonaire", "place": "Rincon", "sector": "construction",
        "planned_on": dt.date.today(), "initiating_organisation": kmar.organisation,
        "directing_organisation": Organisation.objects.get(code="kpcn"),
        "goal": "Vergunningen controleren", "team": "", "briefing": ""})
    finding_add(actor=kmar, control=control, category="labour", count=2,
                description="Twee arbeiders zonder contract")
    return signal


def watch(page) -> list[str]:
    """Console errors and uncaught script errors, with the page they happened on."""
    errors: list[str] = []

    def console(message):
        # A 403 or 404 page logs its own status; the crawl checks statuses itself.
        if message.type == "error" and message.location.get("url") != page.url:
            errors.append(f"{page.url}: {message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


def same_site_links(page, base: str, selector: str = "a[href]") -> list[str]:
    paths = []
    # getAttribute, not a.href: a link inside an SVG chart (the dashboard's bars) has an
    # SVGAnimatedString for href, not a string.
    for href in page.eval_on_selector_all(
            selector, "links => links.map(a => new URL(a.getAttribute('href') || "
                      "a.getAttribute('xlink:href'), document.baseURI).href)"):
        parts = urlsplit(href)
        if not href.startswith(base) or NOT_VISITED.search(parts.path):
            continue
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return list(dict.fromkeys(paths))


def english_on(page) -> list[str]:
    text = page.locator("main").inner_text()
    return sorted(set(ENGLISH.findall(text)))


def crawl(page, base: str, *, depth: int, dutch: bool) -> list[str]:
    """Visit the menu, then (depth 2) the pages linked from it; return what went wrong."""
    problems: list[str] = []
    page.goto(f"{base}/")
    menu = same_site_links(page, base, "nav.main a[href]")
    assert len(menu) > 1, "no menu"
    queue, seen = [(path, True) for path in menu], set(menu)
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        path, from_menu = queue.pop(0)
        try:
            response = page.goto(base + path)
        except Exception as error:  # noqa: BLE001 - a download is not a page
            if "Download is starting" in str(error):
                continue
            raise
        visited += 1
        status = response.status if response else 0
        if status >= 400 and (from_menu or status >= 500 or status == 403):
            problems.append(f"{path}: {status}")
            continue
        if dutch and (english := english_on(page)):
            problems.append(f"{path}: English on a Dutch page {english}")
        if depth > 1 and from_menu:
            for link in same_site_links(page, base, "main a[href]"):
                if link not in seen:
                    seen.add(link)
                    queue.append((link, False))
    return problems


def open_as(browser, live_server, username, *, locale="nl-NL", language="nl", width=1280):
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = watch(page)
    log_in(page, live_server, username)  # the login page in Dutch, as log_in expects
    context.add_cookies([{"name": "django_language", "value": language,
                          "url": live_server.url}])
    return page, errors


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_in_dutch_is_clean(browser, live_server, lived_in, username):
    page, errors = open_as(browser, live_server, username)
    problems = crawl(page, live_server.url, depth=2, dutch=True)
    page.context.close()
    assert problems + errors == [], "\n".join(problems + errors)


@pytest.mark.parametrize(("username", "language"), [("analyst.kpcn", "en"),
                                                    ("reporter.kmar", "pap")])
def test_the_menu_in_english_and_papiamentu_is_clean(browser, live_server, lived_in, username,
                                                    language):
    page, errors = open_as(browser, live_server, username, language=language)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == language
    problems = crawl(page, live_server.url, depth=1, dutch=False)
    page.context.close()
    assert problems + errors == [], "\n".join(problems + errors)


def test_the_reporter_on_a_phone_meets_no_error(browser, live_server, lived_in):
    page, errors = open_as(browser, live_server, "reporter.kmar", width=375)
    problems = crawl(page, live_server.url, depth=2, dutch=True)
    page.context.close()
    assert problems + errors == [], "\n".join(problems + errors)


def test_the_api_docs_open_without_a_console_error(browser, live_server, lived_in):
    page, errors = open_as(browser, live_server, "reporter.kmar")
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .info").wait_for()
    page.context.close()
    assert errors == [], "\n".join(errors)


def test_the_pages_outside_the_menu_meet_no_console_error(browser, live_server, lived_in):
    """The login page, the error pages, enrolment with its QR code, the password page."""
    context = browser.new_context(locale="nl-NL")
    visitor = context.new_page()
    errors = watch(visitor)
    visitor.goto(f"{live_server.url}/accounts/login/")
    visitor.goto(f"{live_server.url}/no-such-page/")
    context.close()
    page, more = open_as(browser, live_server, "reporter.kmar")
    for path in ("/accounts/two-factor/setup/", "/accounts/password/", "/reports/schedules/"):
        page.goto(live_server.url + path)
        assert page.locator("footer.site").is_visible()  # every page in the site's layout
    page.context.close()
    assert errors + more == [], "\n".join(errors + more)
