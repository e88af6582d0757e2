import datetime as dt
import os
import subprocess
import sys

import pypdf
import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect

from register.services.dossiers import dossier_person_update
from signals.dossier_membership import dossier_open
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.signals.builders import file_signal

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="the report is made by a real worker in another process, which needs a database "
           "and broker it can share: PostgreSQL and Redis")


@pytest.fixture
def worker(transactional_db):
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "register.settings_test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}",
           "REDIS_URL": settings.REDIS_URL, "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "register", "worker", "-Q", "pdf,celery",
         "--pool", "solo", "--loglevel", "WARNING", "--without-heartbeat", "--without-mingle",
         "--without-gossip"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield process
    process.terminate()
    process.wait(timeout=30)


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
