"""An analyst opens the network of a dossier, sees it drawn with cytoscape, expands the phone
in the drawing (by keyboard) and in the list (without script), goes two steps out, and opens
the network of a person."""

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


def choose_in_drawing(page, label: str) -> None:
    """Move through the drawing with the arrow keys until the status names `label`."""
    page.locator("#network-graph").focus()
    for _ in range(30):
        page.keyboard.press("ArrowRight")
        if label in page.locator("#network-status").inner_text():
            return
    raise AssertionError(f"{label} not reached with the arrow keys")


def test_an_analyst_opens_the_network_of_a_dossier_and_expands_a_node(
        page, live_server, transactional_db, accessible):
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if message.type == "error" else None)
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
    # Drawn by cytoscape in the browser: its canvas, in place of the server's drawing.
    drawing = page.locator("#network-graph")
    expect(drawing).to_have_attribute("data-ready", "true")
    expect(drawing.locator("canvas").first).to_be_visible()
    expect(page.locator(".network-server-drawing")).to_be_hidden()
    expect(page.get_by_role("link", name="Rico Boss", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=second.reference, exact=True)).to_have_count(0)
    accessible(page)

    # The same phone in the drawing, by keyboard: its other signal and person come in.
    before = int(drawing.get_attribute("data-nodes"))
    choose_in_drawing(page, "+599 717 4242")
    page.keyboard.press("Enter")
    expect(page.locator("#network-status")).to_contain_text("+599 717 4242")
    expect(drawing).not_to_have_attribute("data-nodes", str(before))
    assert int(drawing.get_attribute("data-nodes")) >= before + 2

    # And in the list, which works without script: the other signal is listed.
    page.get_by_role("link", name=dutch("Expand %(label)s") % {"label": "+599 717 4242"}).click()
    expect(page.get_by_role("link", name=second.reference, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="R. Bosch", exact=True)).to_be_visible()

    page.get_by_role("link", name=dutch("Two steps out")).click()
    expect(page.get_by_role("link", name=second.reference, exact=True)).to_be_visible()

    page.get_by_role("link", name="Rico Boss", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rico Boss")
    expect(page.get_by_role("link", name=first.reference, exact=True)).to_be_visible()
    expect(page.locator("#network-graph")).to_have_attribute("data-ready", "true")
    accessible(page)
    # No script refused by the Content-Security-Policy, nothing broken.
    assert refused == []
