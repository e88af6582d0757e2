import datetime as dt

from playwright.sync_api import expect

from signals.models import Signal
from tests.personas import PASSWORD


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_signal_is_filed_with_the_keyboard_alone_on_a_phone(browser, live_server,
                                                               transactional_db, accessible):
    context = browser.new_context(locale="nl-NL", viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type("reporter.kmar")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.goto(f"{live_server.url}/signals/new/")
    no_sideways_scrolling(page)
    accessible(page)
    day = dt.date.today() - dt.timedelta(days=1)
    tab_to(page, "#id_observed_on")
    # Headless Chromium lays a native date field out month first, whatever the locale.
    page.keyboard.type(day.strftime("%m%d%Y"))
    tab_to(page, "input[name=island]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=forms][value=labour_exploitation]")
    page.keyboard.press("Space")
    tab_to(page, "#id_description")
    page.keyboard.type("Workers say their passports are kept by the foreman.")
    tab_to(page, "button[value=submit]:not(.visually-hidden)")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    summary = page.locator(".error-summary")
    if summary.count():
        raise AssertionError(summary.inner_text())
    expect(page.locator(".reference")).to_be_visible()
    no_sideways_scrolling(page)
    accessible(page)
    signal = Signal.objects.get(reference=page.locator(".reference").inner_text())
    assert (signal.observed_on, signal.island, signal.form_codes) == (
        day, "bonaire", ["labour_exploitation"])
    context.close()
