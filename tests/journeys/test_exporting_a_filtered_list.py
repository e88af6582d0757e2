"""An analyst filters the inbox, exports it, gives her password again, and the file she gets
holds exactly the filtered rows under the classification marking; then she exports only the
rows she ticked, as Excel."""

import csv
import io
import time
from pathlib import Path

from django.conf import settings
from openpyxl import load_workbook
from playwright.sync_api import expect

from register.middleware import SESSION_CONFIRMED
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.journeys.test_filtering_the_inbox import dutch
from tests.personas import PASSWORD, persona
from tests.signals.builders import file_signal


def password_given_long_ago(page):
    """As if she logged in more than five minutes ago: the export asks for the password."""
    from importlib import import_module

    key = next(c["value"] for c in page.context.cookies()
               if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    session[SESSION_CONFIRMED] = time.time() - settings.REAUTH_SECONDS - 60
    session.save()


def test_an_analyst_exports_a_filtered_list_after_giving_her_password_again(
        page, live_server, transactional_db, accessible, settings):
    settings.REPORT_CLASSIFICATION = "Departementaal vertrouwelijk"
    kmar = persona("reporter_kmar")
    wanted = [file_signal(kmar, island="saba") for _ in range(3)]
    other = [file_signal(kmar, island="bonaire"), file_signal(kmar, island="sint_eustatius")]

    log_in(page, live_server, "analyst.kpcn")
    page.get_by_role("link", name="Inbox").first.click()
    page.get_by_label(dutch("Island")).select_option("saba")
    page.get_by_role("button", name=dutch("Filter")).click()
    expect(page.locator(".total")).to_have_text(dutch("%(total)s found") % {"total": 3})
    accessible(page)

    password_given_long_ago(page)
    page.get_by_role("link", name=dutch("Export as CSV")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(dutch("Confirm your password"))
    assert "saba" in page.url  # the filter goes along; nothing personal is in it
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name=dutch("Confirm")).click()
    rows = list(csv.reader(Path(download.value.path()).read_text(
        encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == "DEPARTEMENTAAL VERTROUWELIJK"
    assert sorted(row[0] for row in rows[3:]) == sorted(s.reference for s in wanted)
    assert not {s.reference for s in other} & {row[0] for row in rows if row}

    # Only the rows she ticks, as Excel: the password was given a moment ago.
    page.goto(f"{live_server.url}/register/inbox/?island=saba")
    boxes = page.locator("input[name=selected]")
    everything = page.get_by_label(dutch("Select all on this page"))
    everything.check()  # the static script ticks every row to show what it means
    for n in range(3):
        expect(boxes.nth(n)).to_be_checked()
    everything.uncheck()
    expect(page.locator("input[name=selected]:checked")).to_have_count(0)
    ticked = [wanted[0].reference, wanted[2].reference]
    for reference in ticked:
        page.get_by_label(dutch("Select %(key)s") % {"key": reference}, exact=True).check()
    with page.expect_download() as download:
        page.get_by_role("button", name=dutch("Export ticked as Excel")).click()
    # The browser saves it under a name without extension; openpyxl reads the bytes.
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [row[0] for row in book.active.iter_rows(values_only=True)]
    assert cells[0] == "DEPARTEMENTAAL VERTROUWELIJK"
    assert sorted(cells[3:]) == sorted(ticked)
    assert "MH-" not in page.url  # the selection never stood in an address
