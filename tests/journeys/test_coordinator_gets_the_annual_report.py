import datetime as dt

import pypdf
import pytest
from playwright.sync_api import expect

from casework.dossiers import dossier_open, dossier_person_update
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.signals.builders import file_signal
from tests.workers import celery_worker, needs_shared_database

pytestmark = needs_shared_database


@pytest.fixture
def worker(transactional_db):
    with celery_worker() as process:
        yield process


def test_the_coordinator_makes_reviews_finalises_and_corrects_the_annual_report(
        page, live_server, worker, accessible, tmp_path):
    year = dt.date.today().year
    analyst = persona("analyst_kpcn")
    victims = [{"role": "victim", "given_names": f"V{n}", "family_name": "Journey",
                "sex": "female", "nationality": "DO"} for n in range(6)]
    dossier = dossier_open(actor=analyst, title="Case", signals=[
        file_signal(persona("reporter_kmar"), persons=victims)])
    for role in dossier.persons.all():
        dossier_person_update(actor=analyst, role=role, values={
            "victim_status": "presumed", "identified_on": dt.date(year, 1, 15)})

    errors = []  # a script refused by the Content-Security-Policy shows up here
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in(page, live_server, "coordinator")
    page.get_by_role("link", name="Rapportages").first.click()
    accessible(page)
    form = page.locator("form.panel")
    form.get_by_label("Rapportage").select_option("annual")
    form.locator("#id_period_start").fill(f"{year}-01-01")
    form.locator("#id_period_end").fill(f"{year}-12-31")
    form.get_by_label("Taal").select_option("en")
    form.get_by_role("button").click()

    # The archive follows the report by itself (archive.js): no reload from here on.
    link = page.get_by_role("link", name="PDF")
    expect(link).to_be_visible(timeout=120_000)
    expect(page.locator("#report-progress")).not_to_be_empty()
    assert errors == []
    href = link.get_attribute("href")
    text = pdf_text(page, live_server, href, tmp_path / "draft.pdf")
    assert "Presumed or confirmed victims identified: 6" in text
    row = next(line for line in text.splitlines() if line.startswith(f"{year} "))
    assert row.split()[1] == "6"
    assert "Draft, not for distribution" in text

    # Preview, commentary, preview again, finalise.
    page.locator(f'a[href="{href}review/"]').click()
    accessible(page)
    page.locator("#id_commentary").fill(COMMENTARY)
    page.locator("form.panel", has=page.locator("#id_commentary")).get_by_role(
        "button").click()
    finalise = page.locator('form[action$="/finalise/"] button')
    wait_for(page, finalise)
    text = pdf_text(page, live_server, href, tmp_path / "preview.pdf")
    assert "Ship crews were the largest group this year." in text
    assert "Draft, not for distribution" in text
    # Finalising is irreversible: without the box ticked, nothing happens but a message.
    finalise.click()
    expect(page.locator("#id_read")).to_be_visible()
    assert page.locator('form[action$="/new-version/"]').count() == 0
    page.locator("#id_read").check()
    page.locator('form[action$="/finalise/"] button').click()
    new_version = page.locator('form[action$="/new-version/"] button')
    expect(new_version).to_be_visible()
    wait_for(page, page.locator(f'a.button[href="{href}"]'))
    accessible(page)
    text = pdf_text(page, live_server, href, tmp_path / "final.pdf")
    assert "Ship crews were the largest group this year." in text
    assert "Draft, not for distribution" not in text
    assert page.locator("#id_commentary").count() == 0, "a final report cannot be edited"

    # A correction is a new version, a new draft that points back at the final one.
    new_version.click()
    expect(page.locator(f'a[href="{href}review/"]')).to_be_visible()
    assert page.url != live_server.url + href + "review/"
    expect(page.locator("#id_commentary")).to_have_value(COMMENTARY)
    wait_for(page, page.locator('form[action$="/finalise/"] button'))
    new_href = page.locator("a.button[download]").get_attribute("href")
    assert "Version 2, replaces version 1" in pdf_text(page, live_server, new_href,
                                                       tmp_path / "v2.pdf")


COMMENTARY = ("Ship crews were the largest group this year.\n\n"
              "The partners agreed to train the reception staff.")


def wait_for(page, locator, seconds=120):
    """The review page is reloaded until what the worker makes is there."""
    for _ in range(seconds):
        if locator.count():
            return
        page.wait_for_timeout(1000)
        page.reload()
    expect(locator).to_be_visible()


def pdf_text(page, live_server, href, path) -> str:
    # The browser's own session fetches what the link points at, as a download would.
    response = page.request.get(live_server.url + href)
    assert response.status == 200, (response.status, response.url, response.text()[:300])
    assert response.headers["content-disposition"].startswith("attachment")
    path.write_bytes(response.body())
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
