"""An analyst narrows the inbox to one island and form, sorts it, and pages through it with the
filter kept; the address holds only codes. Then she ticks the rows she found and hands them
to a colleague in one go."""

from urllib.parse import parse_qsl, urlsplit

from django.utils import translation
from playwright.sync_api import expect

from signals.models import Signal
from tests.journeys.test_analyst_builds_a_dossier import log_in
from tests.personas import persona
from tests.signals.builders import file_signal


def dutch(text: str) -> str:
    with translation.override("nl"):
        return translation.gettext(text)


def test_an_analyst_filters_and_sorts_the_inbox(page, live_server, transactional_db,
                                                accessible):
    kmar, szw = persona("reporter_kmar"), persona("reporter_szw")
    wanted = [file_signal(kmar, island="saba", forms=["labour_exploitation"]),
              file_signal(szw, island="saba", forms=["labour_exploitation"])]
    other = [file_signal(kmar, island="bonaire", forms=["labour_exploitation"]),
             file_signal(kmar, island="saba", forms=["sexual_exploitation"])]

    log_in(page, live_server, "analyst.kpcn")
    page.get_by_role("link", name="Inbox").first.click()
    for signal in wanted + other:
        expect(page.get_by_role("link", name=signal.reference)).to_be_visible()

    page.get_by_label(dutch("Island")).select_option("saba")
    page.get_by_label(dutch("Form of exploitation")).select_option("labour_exploitation")
    page.get_by_role("button", name=dutch("Filter")).click()

    expect(page.locator(".total")).to_have_text(dutch("%(total)s found") % {"total": 2})
    for signal in wanted:
        expect(page.get_by_role("link", name=signal.reference)).to_be_visible()
    for signal in other:
        expect(page.get_by_role("link", name=signal.reference)).to_have_count(0)
    accessible(page)

    page.get_by_role("link", name=dutch("From")).click()
    expect(page.get_by_role("columnheader", name=dutch("From"))).to_have_attribute(
        "aria-sort", "ascending")
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("KMAR")
    page.get_by_role("link", name=dutch("From")).click()
    expect(rows.first).to_contain_text("SZW")
    # Filtering again keeps the sort; the address holds codes only.
    page.get_by_role("button", name=dutch("Filter")).click()
    expect(rows.first).to_contain_text("SZW")
    chosen = dict(parse_qsl(urlsplit(page.url).query))  # empty fields are left out
    assert chosen == {"island": "saba", "form": "labour_exploitation",
                      "ordering": "-organisation"}

    # She ticks both signals found (without a script "select all" would do the same) and
    # assigns them to OM's analyst; the list comes back as filtered, saying who holds them.
    colleague = persona("analyst_om")
    for signal in wanted:
        page.get_by_label(dutch("Select %(key)s") % {"key": signal.reference},
                          exact=True).check()
    page.get_by_label(dutch("Analyst")).select_option(str(colleague.pk))
    page.get_by_role("button", name=dutch("Assign"), exact=True).click()
    expect(page.get_by_role("status").filter(has_text=colleague.display_name)).to_be_visible()
    assert dict(parse_qsl(urlsplit(page.url).query)) == chosen
    for signal in wanted:
        expect(page.get_by_role("row").filter(has_text=signal.reference)).to_contain_text(
            colleague.display_name)
    assert set(Signal.objects.filter(pk__in=[s.pk for s in wanted])
               .values_list("taken_up_by", flat=True)) == {colleague.pk}
    accessible(page)
