"""A person row added by mistake is removed, by keyboard alone, and is not filed."""

import re

import pytest
from playwright.sync_api import expect

from signals.models import Signal
from tests.personas import PASSWORD
from tests.signals.builders import yesterday

pytestmark = pytest.mark.browser

SECOND_ROW = "div[data-part-row]:has(#id_persons-1-role)"


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def log_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("reporter.kmar")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/")


def a_signal_with_two_persons(page, live_server) -> None:
    page.goto(f"{live_server.url}/signals/new/")
    page.locator("#id_observed_on").fill(yesterday())
    page.locator("input[name=island][value=bonaire]").check()
    page.locator("input[name=forms][value=labour_exploitation]").check()
    page.locator("#id_description").fill("Two workers; the second person was added by mistake.")
    page.locator("button[value=add_persons]").click()
    page.locator("#id_persons-0-role").select_option("victim")
    page.locator("#id_persons-0-family_name").fill("Keep")
    page.locator("button[value=add_persons]").click()
    page.locator("#id_persons-1-role").select_option("suspect")
    page.locator("#id_persons-1-alias").fill("Mistake")


def submit_and_get_the_signal(page) -> Signal:
    page.locator("button.primary[value=submit]").click()
    summary = page.locator(".error-summary")
    if summary.count():
        raise AssertionError(summary.inner_text())
    expect(page.locator(".reference")).to_have_text(re.compile(r"MH-\d{4}-\d{6}"))
    return Signal.objects.get(reference=page.locator(".reference").inner_text())


def test_a_person_row_is_removed_by_keyboard_and_announced(browser, live_server, accessible):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    log_in(page, live_server)
    a_signal_with_two_persons(page, live_server)
    accessible(page)
    # A new row starts on "unknown", not on a real value someone might leave standing.
    expect(page.locator("#id_persons-0-sex")).to_have_value("unknown")
    expect(page.locator("#id_persons-1-sex")).to_have_value("unknown")

    # With JavaScript the checkbox becomes a button; reached and pressed by keyboard alone.
    expect(page.locator(f"{SECOND_ROW} input[name$=DELETE]")).to_be_hidden()
    tab_to(page, f"{SECOND_ROW} button.remove-row")
    expect(page.locator(f"{SECOND_ROW} button.remove-row")).to_have_text(
        "Deze persoon verwijderen")
    page.keyboard.press("Enter")

    expect(page.locator(SECOND_ROW)).to_be_hidden()
    expect(page.locator("#id_persons-1-DELETE")).to_be_checked()
    # Screen readers hear it from the live region; the keyboard stays in the same place.
    announcer = page.locator("fieldset:has(#id_persons-0-role) [data-row-announcer]")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text(page.locator(SECOND_ROW).get_attribute(
        "data-removed-message"))
    assert announcer.inner_text().strip()
    assert page.evaluate("document.activeElement.matches('button[value=add_persons]')")
    accessible(page)

    signal = submit_and_get_the_signal(page)
    assert [(p.role, p.family_name, p.sex) for p in signal.persons.all()] == [
        ("victim", "Keep", "unknown")]
    context.close()


def test_without_javascript_a_ticked_person_row_is_not_filed(browser, live_server):
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server)
    a_signal_with_two_persons(page, live_server)

    box = page.get_by_label("Deze persoon verwijderen").nth(1)
    expect(box).to_be_visible()
    tab_to(page, "#id_persons-1-DELETE")
    page.keyboard.press("Space")
    expect(box).to_be_checked()

    signal = submit_and_get_the_signal(page)
    assert [(p.role, p.family_name) for p in signal.persons.all()] == [("victim", "Keep")]
    context.close()
