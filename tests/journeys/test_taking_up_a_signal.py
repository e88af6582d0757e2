"""An analyst opens a new signal, which stays "received" until she takes it up herself."""

from django.utils import translation
from playwright.sync_api import expect

from casework.triage import triage_take_up
from register.models import User
from signals.models import Signal
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.signals.builders import file_signal


def dutch(text: str) -> str:
    """What a Dutch page says for this English text, from the catalogue the pages use."""
    with translation.override("nl"):
        return translation.gettext(text)


def test_an_analyst_opens_a_received_signal_and_takes_it_up(page, live_server,
                                                            transactional_db, accessible):
    signal = file_signal(persona("reporter_kmar"))

    log_in(page, live_server, "analyst.kpcn")
    page.get_by_role("link", name="Inbox").first.click()
    page.get_by_role("link", name=signal.reference).click()
    expect(page.locator(".status")).to_contain_text("Ontvangen")
    expect(page.locator(".taken-up")).not_to_contain_text("Analyst Persona")
    accessible(page)
    assert Signal.objects.get(pk=signal.pk).status == "received"

    page.get_by_role("button", name=dutch("Take up"), exact=True).click()

    expect(page.locator(".notice").filter(
        has_text=dutch("You have taken up this signal; it is now in triage."))).to_be_visible()
    expect(page.locator(".taken-up")).to_contain_text("Analyst Persona")
    expect(page.locator(".status")).to_contain_text(dutch("In triage"))
    expect(page.get_by_role("button", name=dutch("Take up"), exact=True)).to_have_count(0)
    accessible(page)
    stored = Signal.objects.get(pk=signal.pk)
    assert (stored.status, stored.taken_up_by) == ("in_triage", persona("analyst_kpcn"))

    page.get_by_role("link", name="Inbox").first.click()
    expect(page.get_by_role("row", name=signal.reference)).to_contain_text("Analyst Persona")


def test_a_colleague_takes_the_signal_up_first_and_the_analyst_takes_it_over_knowingly(
        page, live_server, transactional_db, accessible):
    signal = file_signal(persona("reporter_kmar"))
    User.objects.filter(username="analyst.kpcn.colleague").update(first_name="Colleague")

    log_in(page, live_server, "analyst.kpcn")
    page.get_by_role("link", name="Inbox").first.click()
    page.get_by_role("link", name=signal.reference).click()
    expect(page.get_by_role("button", name=dutch("Take up"), exact=True)).to_be_visible()
    # While her page says nobody has it, the colleague takes it up.
    triage_take_up(actor=persona("analyst_kpcn_colleague"), signal=signal)

    page.get_by_role("button", name=dutch("Take up"), exact=True).click()

    refusal = dutch("%(name)s took up this signal in the meantime. Take it over only if you "
                    "mean to.") % {"name": "Colleague Persona"}
    expect(page.locator(".notice").filter(has_text=refusal)).to_be_visible()
    expect(page.locator(".taken-up")).to_contain_text("Colleague Persona")
    accessible(page)
    assert Signal.objects.get(pk=signal.pk).taken_up_by == persona("analyst_kpcn_colleague")

    page.get_by_role("button", name=dutch("Take over"), exact=True).click()

    expect(page.locator(".notice").filter(has_text=dutch(
        "You have taken this signal over from %(name)s.") % {"name": "Colleague Persona"}
    )).to_be_visible()
    expect(page.locator(".taken-up")).to_contain_text("Analyst Persona")
    assert Signal.objects.get(pk=signal.pk).taken_up_by == persona("analyst_kpcn")
