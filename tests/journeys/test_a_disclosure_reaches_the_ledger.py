"""An analyst prints a dossier's summary for the prosecutor: the page asks to whom, on what
legal ground and until when before the PDF comes; a colleague approves sharing the dossier
with Curaçao; the privacy officer (auditor) finds both in the disclosure ledger."""

import datetime as dt

from playwright.sync_api import expect

from casework.dossiers import dossier_open
from casework.sharing import share_request_create
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.journeys.test_filtering_the_inbox import dutch
from tests.personas import persona
from tests.signals.builders import file_signal


def test_printing_and_sharing_a_dossier_are_found_in_the_ledger(page, live_server,
                                                                 transactional_db, accessible):
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "family_name": "Ledgerwitz"}])
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Zaak")
    share_request_create(actor=persona("analyst_kpcn"), dossier=dossier, values={
        "country": "curacao", "recipient_organisation": "KPC Curaçao", "recipient_person": "",
        "legal_ground": "police_task", "purpose": "Dezelfde verdachten",
        "kept_until": dt.date.today() + dt.timedelta(days=90)})

    log_in(page, live_server, "analyst.kpcn")
    page.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    page.get_by_role("link", name=dutch("Print a summary (PDF)")).click()
    accessible(page)
    page.get_by_label(dutch("Recipient organisation")).fill("Openbaar Ministerie BES")
    page.get_by_label(dutch("Legal ground")).select_option("prosecutor")
    page.get_by_label(dutch("Purpose")).fill("Zitting")
    page.get_by_label(dutch("The recipient may keep it until")).fill(
        (dt.date.today() + dt.timedelta(days=365)).isoformat())
    with page.expect_download():
        page.get_by_role("button", name=dutch("Print the summary (PDF)")).click()

    # The colleague approves the share on the dossier page.
    page.context.clear_cookies()
    log_in(page, live_server, "analyst.kpcn.colleague")
    page.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    page.get_by_role("button", name=dutch("Approve")).click()
    expect(page.get_by_text(dutch("The share was approved and recorded in the disclosure "
                                  "ledger."))).to_be_visible()

    page.context.clear_cookies()
    log_in(page, live_server, "auditor")
    page.get_by_role("link", name=dutch("Disclosure ledger")).first.click()
    accessible(page)
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("KPC Curaçao")
    expect(rows.nth(0)).to_contain_text("analyst.kpcn.colleague")
    expect(rows.nth(1)).to_contain_text("Openbaar Ministerie BES")
    expect(page.locator("main")).not_to_contain_text("Ledgerwitz")
