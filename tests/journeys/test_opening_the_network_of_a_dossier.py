"""An analyst opens the network of a dossier, goes two steps out, and expands a person."""

from django.utils import translation
from playwright.sync_api import expect

from casework.dossiers import dossier_open
from casework.triage import triage_take_in
from signals.models import Signal
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.signals.builders import file_signal

BOSS = {"role": "suspect", "given_names": "Rico", "family_name": "Boss",
        "phone": "+599 717 4242"}


def dutch(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def test_an_analyst_opens_the_network_of_a_dossier_and_expands_a_person(
        page, live_server, transactional_db, accessible):
    kpcn = persona("analyst_kpcn")
    first = file_signal(persona("reporter_kmar"), persons=[BOSS])
    triage_take_in(actor=kpcn, signal=first)
    dossier = dossier_open(actor=kpcn, signals=[Signal.objects.get(pk=first.pk)], title="Case")
    second = file_signal(persona("reporter_szw"), persons=[
        {"role": "other", "given_names": "R.", "family_name": "Bosch", "phone": "717 4242"}])
    triage_take_in(actor=kpcn, signal=second)

    log_in(page, live_server, "analyst.kpcn")
    page.goto(f"{live_server.url}/register/dossiers/{dossier.number}/")
    page.get_by_role("link", name=dutch("Network"), exact=True).click()
    expect(page.get_by_role("img")).to_be_visible()
    expect(page.get_by_role("link", name="Rico Boss")).to_be_visible()
    expect(page.get_by_role("link", name=second.reference)).to_have_count(0)
    accessible(page)

    page.get_by_role("link", name=dutch("Two steps out")).click()
    expect(page.get_by_role("link", name=second.reference)).to_be_visible()

    page.get_by_role("link", name="Rico Boss").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rico Boss")
    expect(page.get_by_role("link", name=first.reference)).to_be_visible()
    accessible(page)
