"""An analyst works on a dossier from one screen: each edit opens the one form it needs in the
page (htmx), keeps the page where it was, and works the same without JavaScript; on a phone
nothing runs off the side of the page."""

from django.utils import translation
from playwright.sync_api import expect

from casework.dossiers import dossier_open, follow_up_add
from register.models import Dossier
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.signals.builders import file_signal


def dutch(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def a_dossier() -> Dossier:
    analyst = persona("analyst_kpcn")
    signals = [file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Marisol", "family_name": "Quintero Arrieta"},
        {"role": "suspect", "given_names": "Rico", "family_name": "Boss"}],
        location="Kralendijk, construction site at the harbour road")]
    dossier = dossier_open(actor=analyst, signals=signals, title="Harbour road site")
    follow_up_add(actor=analyst, dossier=dossier, kind="victim_care",
                  organisation=analyst.organisation)
    return dossier


def test_an_edit_opens_in_the_page_and_saves(page, live_server, transactional_db, accessible):
    dossier = a_dossier()
    errors = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    log_in(page, live_server, "analyst.kpcn")
    url = f"{live_server.url}/register/dossiers/{dossier.number}/"
    page.goto(url)
    # The page shows no edit form until one is asked for.
    expect(page.locator("form[action$='/update/']")).to_have_count(0)
    accessible(page)

    page.get_by_role("link", name=dutch("Change status")).click()
    form = page.locator("#edit-facts form[action$='/update/']")
    expect(form).to_be_visible()
    assert page.url == url  # opened in the page, not a navigation
    expect(form.get_by_label(dutch("Working title"))).to_be_focused()
    accessible(page)
    form.get_by_label(dutch("Priority")).select_option("3")
    form.get_by_role("button", name=dutch("Save")).click()
    expect(page.locator(".notice")).to_contain_text(dutch("Saved."))
    dossier.refresh_from_db()
    assert dossier.priority == 3

    # A refused edit comes back with the error next to the field and what was typed kept.
    page.get_by_role("link", name=dutch("Change status")).click()
    form = page.locator("form[action$='/update/']")
    form.get_by_label(dutch("Status")).select_option("closed")
    form.get_by_label(dutch("Working title")).fill("Harbour road site, second phase")
    form.get_by_role("button", name=dutch("Save")).click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label(dutch("Working title"))).to_have_value(
        "Harbour road site, second phase")
    dossier.refresh_from_db()
    assert dossier.status != "closed"

    # A row: the victim's status opens for that person only.
    page.goto(url)
    victim = dossier.persons.get(role="victim")
    page.get_by_role("link", name=dutch("Change %(person)s") % {
        "person": victim.person.audit_ref}).click()
    row_form = page.locator("#edit-person form")
    row_form.get_by_label(dutch("Victim status")).select_option("presumed")
    row_form.get_by_role("button", name=dutch("Save")).click()
    expect(page.locator(".notice")).to_contain_text(dutch("Saved."))
    victim.refresh_from_db()
    assert victim.victim_status == "presumed"
    # htmx runs under the strict Content-Security-Policy: no inline style or script refused.
    assert errors == []


def test_without_javascript_each_edit_is_a_page_of_its_own(browser, live_server,
                                                           transactional_db):
    dossier = a_dossier()
    page = browser.new_context(locale="nl-NL", java_script_enabled=False).new_page()
    log_in(page, live_server, "analyst.kpcn")
    page.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    page.get_by_role("link", name=dutch("Add note")).click()
    assert page.url.endswith(f"/register/dossiers/{dossier.number}/note/")
    page.get_by_role("textbox", name=dutch("Note")).fill("Check the permits at the site.")
    page.get_by_role("button", name=dutch("Add note")).click()
    assert page.url.endswith(f"/register/dossiers/{dossier.number}/")
    expect(page.get_by_text("Check the permits at the site.")).to_be_visible()


def test_on_a_phone_the_dossier_page_does_not_overflow(browser, live_server, transactional_db):
    dossier = a_dossier()
    page = browser.new_context(locale="nl-NL", viewport={"width": 375, "height": 740},
                               is_mobile=True).new_page()
    log_in(page, live_server, "analyst.kpcn")
    page.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    page.get_by_role("link", name=dutch("Add follow-up action")).click()
    expect(page.locator("#edit-follow-up form")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
