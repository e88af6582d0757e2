import datetime as dt

from playwright.sync_api import expect

from casework.dossiers import dossier_open
from register.models import AuditEvent, Organisation
from signals.models import Signal
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.signals.builders import file_signal


def test_a_participant_plans_and_records_a_control_and_raises_a_signal(login, live_server,
                                                                      accessible):
    page = login("reporter.kmar")
    page.get_by_role("link", name="Controles").first.click()
    accessible(page)
    page.get_by_role("link", name="Controle plannen").click()
    page.locator("#id_planned_on").fill(dt.date.today().isoformat())
    page.locator("#id_island").select_option("bonaire")
    page.locator("#id_place").fill("Playa")
    page.locator("#id_sector").select_option("construction")
    szw = Organisation.objects.get(code="szw")
    page.locator(f"#id_participants input[value='{szw.pk}']").check()
    page.locator("#id_goal").fill("Check the permits on two building sites")
    accessible(page)
    page.get_by_role("button", name="Controle plannen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CO-")
    accessible(page)

    record = page.locator("form[action$='/record/']")
    record.get_by_label("Uitgevoerd op").fill(dt.date.today().isoformat())
    for label, value in (("Gecontroleerde personen", "14"), ("Gecontroleerde bedrijven", "2"),
                         ("Aanhoudingen", "0"), ("Opgelegde boetes", "1")):
        record.get_by_label(label).fill(value)
    record.get_by_role("button").click()
    expect(page.locator(".status")).to_contain_text("Uitgevoerd")

    page.get_by_role("link", name="Signaal melden vanuit deze controle").click()
    page.get_by_label("Arbeidsuitbuiting", exact=False).check()
    page.get_by_label("Omschrijving van het signaal").fill("Passports kept in the site office.")
    page.get_by_role("button", name="Signaal versturen").last.click()
    reference = page.locator(".reference").inner_text()
    signal = Signal.objects.get(reference=reference)
    assert signal.control_link.control.place == "Playa"

    analyst = page.context.browser.new_context(locale="nl-NL").new_page()
    log_in(analyst, live_server, "analyst.kpcn")
    analyst.get_by_role("link", name="Inbox").first.click()
    expect(analyst.get_by_role("link", name=reference)).to_be_visible()


def test_an_auditor_finds_who_viewed_a_dossier(page, live_server, transactional_db,
                                               accessible):
    analyst = persona("analyst_om")
    dossier = dossier_open(actor=analyst, signals=[file_signal(persona("reporter_kmar"))],
                           title="Viewed case")
    viewer = page.context.browser.new_context(locale="nl-NL").new_page()
    log_in(viewer, live_server, "analyst.kpcn")
    viewer.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    expect(viewer.get_by_role("heading", level=1)).to_contain_text("Viewed case")

    log_in(page, live_server, "auditor")
    page.get_by_role("link", name="Audittrail").first.click()
    accessible(page)
    page.get_by_label("Handeling").fill("register.dossier.viewed")
    page.get_by_role("button", name="Zoeken").click()
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("analyst.kpcn")
    expect(rows.first).to_contain_text(dossier.number)
    accessible(page)
    assert AuditEvent.objects.filter(action="register.audit.searched",
                                     actor_username="auditor").exists()
