import datetime as dt
import time

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from casework.triage import triage_take_in
from register.models import Dossier
from tests.personas import PASSWORD, current_code, persona
from tests.signals.builders import file_signal

LUZ = {"role": "victim", "given_names": "Luz Marina", "family_name": "García Londoño",
       "date_of_birth": dt.date(1998, 4, 12), "nationality": "CO"}


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:  # roles that must give a one-time code
        # A code is good once: when this account already gave the code of the current
        # 30-second step (a journey logging the same person in again soon), wait for the next.
        step_now = int((time.time() - device.t0) // device.step)
        if device.last_t >= step_now:
            time.sleep(device.step - (time.time() - device.t0) % device.step + 0.5)
        page.get_by_label("Eenmalige code").fill(current_code(device))
        page.keyboard.press("Enter")
    # Past the login and the one-time code: a journey that goes straight to an address must
    # not race the code's own form (the code page has a heading too).
    page.wait_for_url(lambda url: "/accounts/" not in url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_an_analyst_triages_links_a_person_and_builds_a_restricted_dossier(
        page, live_server, transactional_db, browser, accessible):
    earlier = file_signal(persona("reporter_kmar"), persons=[LUZ], location="Rincon")
    triage_take_in(actor=persona("analyst_om"), signal=earlier)
    person = earlier.persons.get().person
    new = file_signal(persona("reporter_szw"), persons=[
        {**LUZ, "given_names": "Luz", "family_name": "GARCIA", "date_of_birth":
         dt.date(1998, 12, 4)}])

    log_in(page, live_server, "analyst.kpcn")
    page.get_by_role("link", name="Inbox").first.click()
    accessible(page)
    page.get_by_role("link", name=new.reference).click()
    accessible(page)
    suggestion = page.get_by_role("listitem").filter(has_text=person.audit_ref)
    expect(suggestion).to_contain_text("dag en maand")
    suggestion.get_by_role("button", name="Zelfde persoon").click()
    expect(page.locator(".row").filter(has_text="Gekoppeld aan")).to_contain_text(
        person.audit_ref)

    page.get_by_role("button", name="Opnemen in het register").click()
    page.get_by_label("Werktitel").fill("Bar in Rincon")
    page.get_by_role("button", name="Nieuw dossier openen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bar in Rincon")
    accessible(page)

    page.get_by_role("link", name="Een signaal toevoegen").click()
    page.get_by_label("Referentie van het signaal").fill(earlier.reference)
    page.get_by_role("button", name="Signaal toevoegen").click()
    expect(page.locator(".timeline")).to_contain_text(earlier.reference)

    page.get_by_role("link", name="Opvolgingsactie toevoegen").click()
    page.get_by_label("Handeling").select_option("victim_care")
    page.get_by_role("button", name="Opvolgingsactie toevoegen").click()
    expect(page.get_by_role("table").filter(has_text="Slachtoffer doorverwezen")).to_be_visible()

    page.get_by_role("link", name="Toegang afschermen").click()
    restrict = page.locator("form[action$='/restrict/']")
    restrict.get_by_label("Analyst Persona (OM)").check()
    restrict.get_by_role("button").click()
    expect(page.get_by_text("Afgeschermd, alleen voor")).to_be_visible()

    dossier = Dossier.objects.get(title="Bar in Rincon")
    assert dossier.restricted and dossier.signals.count() == 2
    assert set(dossier.persons.values_list("person_id", flat=True)) == {person.pk}

    colleague = browser.new_context(locale="nl-NL").new_page()
    log_in(colleague, live_server, "analyst.om")
    colleague.get_by_role("link", name="Dossiers").first.click()
    colleague.get_by_role("link", name=dossier.number).click()
    expect(colleague.get_by_role("heading", level=1)).to_contain_text("Bar in Rincon")

    other = browser.new_context(locale="nl-NL").new_page()
    log_in(other, live_server, "analyst.kpcn.colleague")
    other.get_by_role("link", name="Dossiers").first.click()
    expect(other.get_by_role("link", name=dossier.number)).to_have_count(0)
    response = other.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    assert response.status == 404
