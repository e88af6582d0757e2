import re

from playwright.sync_api import expect

from signals.models import Signal
from tests.signals.builders import PDF_BYTES, yesterday


def test_a_reporter_files_a_signal_fixes_an_error_and_sees_it_in_their_list(login, live_server,
                                                                           tmp_path,
                                                                           accessible):
    page = login("reporter.kmar")
    accessible(page)
    page.get_by_role("link", name="Signaal melden").first.click()
    accessible(page)

    page.get_by_label("Datum van het signaal").fill(yesterday())
    page.get_by_label("Bonaire").check()
    page.get_by_label("Plaats").fill("Rincon")
    page.get_by_label("Arbeidsuitbuiting", exact=False).check()
    # The description is left empty on purpose: the form must refuse and keep the rest.
    page.get_by_role("button", name="Persoon toevoegen").click()
    page.locator("#id_persons-0-role").select_option("victim")
    page.locator("#id_persons-0-family_name").fill("García Londoño")
    page.get_by_role("button", name="Persoon toevoegen").click()
    page.locator("#id_persons-1-role").select_option("suspect")
    page.locator("#id_persons-1-alias").fill("El Patrón")
    page.get_by_role("button", name="Bedrijf toevoegen").click()
    page.locator("#id_businesses-0-name").fill("Bouw Demo B.V.")
    statement = tmp_path / "statement.pdf"
    statement.write_bytes(PDF_BYTES)
    page.locator("#id_attachments").set_input_files(str(statement))
    page.get_by_role("button", name="Signaal versturen").last.click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    accessible(page)
    expect(summary).to_contain_text("Omschrijving")
    expect(page.locator("#id_persons-0-family_name")).to_have_value("García Londoño")
    expect(page.locator("#id_persons-1-alias")).to_have_value("El Patrón")
    expect(page.locator("#id_businesses-0-name")).to_have_value("Bouw Demo B.V.")
    expect(page.get_by_label("Plaats")).to_have_value("Rincon")
    expect(page.get_by_text("statement.pdf")).to_be_visible()

    page.get_by_label("Omschrijving van het signaal").fill("Workers sleep on the site.")
    page.get_by_role("button", name="Signaal versturen").last.click()

    expect(page.locator(".reference")).to_have_text(re.compile(r"MH-\d{4}-\d{6}"))
    accessible(page)
    reference = page.locator(".reference").inner_text()
    signal = Signal.objects.get(reference=reference)
    assert [(p.role, p.family_name, p.alias) for p in signal.persons.all()] == [
        ("victim", "García Londoño", ""), ("suspect", "", "El Patrón")]
    assert signal.businesses.get().name == "Bouw Demo B.V."
    assert signal.attachments.get().original_name == "statement.pdf"

    page.get_by_role("link", name="Mijn signalen").first.click()
    expect(page.get_by_role("row", name=re.compile(reference))).to_contain_text("Ontvangen")
