import datetime as dt

import pypdf
import pytest
from playwright.sync_api import expect

from register.services.dossiers import dossier_person_update
from signals.dossier_membership import dossier_open
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.signals.builders import file_signal
from tests.workers import celery_worker, needs_shared_database

pytestmark = needs_shared_database


@pytest.fixture
def worker(transactional_db):
    with celery_worker() as process:
        yield process


def test_the_coordinator_makes_waits_for_and_downloads_the_annual_report(
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

    log_in(page, live_server, "coordinator")
    page.get_by_role("link", name="Rapportages").first.click()
    accessible(page)
    form = page.locator("form.panel")
    form.get_by_label("Rapportage").select_option("annual")
    form.locator("#id_period_start").fill(f"{year}-01-01")
    form.locator("#id_period_end").fill(f"{year}-12-31")
    form.get_by_label("Taal").select_option("en")
    form.get_by_role("button").click()

    link = page.get_by_role("link", name="PDF")
    for _ in range(60):
        if link.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(link).to_be_visible()
    # The browser's own session fetches what the link points at, as a download would.
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200, (response.status, response.url, response.text()[:300])
    assert response.headers["content-disposition"].startswith("attachment")
    path = tmp_path / "report.pdf"
    path.write_bytes(response.body())
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert "Presumed or confirmed victims identified: 6" in text
    row = next(line for line in text.splitlines() if line.startswith(f"{year} "))
    assert row.split()[1] == "6"
