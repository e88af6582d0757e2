"""An analyst imports a partner's Excel file with one bad row, corrects the row in the
report and imports the report again: the good rows are not imported twice."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from casework.models import SignalImport
from signals.models import Signal
from tests.casework.imports.files import BAD, GOOD, xlsx_bytes
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.workers import celery_worker, needs_shared_database

pytestmark = needs_shared_database


def dutch(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


@pytest.fixture
def worker(transactional_db):
    with celery_worker() as process:
        yield process


def upload_and_check(page, live_server, path):
    page.goto(f"{live_server.url}/register/imports/")
    page.get_by_label(dutch("Organisation whose signals these are")).select_option("kmar")
    page.get_by_label(dutch("File (.xlsx or .csv)")).set_input_files(str(path))
    page.get_by_role("button", name=dutch("Upload and choose the columns")).click()
    expect(page.get_by_role("button", name=dutch("Check every row"))).to_be_visible()
    page.get_by_role("button", name=dutch("Check every row")).click()
    expect(page.locator("#import-counts")).to_be_visible()


def test_an_analyst_imports_corrects_and_imports_again_without_duplicates(
        page, live_server, worker, accessible, tmp_path):
    workbook = tmp_path / "kmar-2018.xlsx"
    workbook.write_bytes(xlsx_bytes([*GOOD, BAD]))
    log_in(page, live_server, "analyst.kpcn")

    upload_and_check(page, live_server, workbook)
    expect(page.locator(".refused-rows")).to_contain_text("person1_nationality")
    expect(page.locator("#import-counts")).to_contain_text("2")
    accessible(page)
    assert not Signal.objects.exists()  # the preview writes nothing
    page.locator("form[action$='/confirm/'] button").click()
    expect(page.locator("#import-result")).to_be_visible(timeout=60_000)  # htmx polls
    accessible(page)
    assert Signal.objects.count() == 2

    with page.expect_download() as download:
        page.locator("a[href$='report.csv']").click()
    report = download.value.path().read_bytes().decode("utf-8-sig")
    assert report.count("\n") == 4
    corrected = tmp_path / "kmar-2018-corrected.csv"
    corrected.write_bytes(report.replace(",XX,", ",DO,").encode("utf-8-sig"))

    upload_and_check(page, live_server, corrected)
    expect(page.locator(".refused-rows")).to_have_count(0)
    page.locator("form[action$='/confirm/'] button").click()
    expect(page.locator("#import-result")).to_be_visible(timeout=60_000)
    second = SignalImport.objects.latest("pk")
    assert (second.imported, second.skipped, second.refused) == (1, 2, 0)
    assert Signal.objects.count() == 3
    assert Signal.objects.filter(persons__nationality="DO").count() == 1
