"""The bulk bar on the inbox and the dossier list: a plain form POST with the ticked rows,
errors shown next to the bar with the rows still ticked, and exports of the selection that
survive the password round trip with nothing of the selection in the address."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.dossiers import dossier_open, dossier_restrict
from register.middleware import SESSION_CONFIRMED
from register.models import AuditEvent, Notification
from signals.models import Signal
from tests.personas import PASSWORD, persona
from tests.register.test_sessions_and_account_management import age_session
from tests.signals.builders import file_signal

INBOX = reverse("casework:inbox")
INBOX_BAR = reverse("casework:inbox_selection")
DOSSIERS_BAR = reverse("casework:dossiers_selection")


@pytest.fixture
def saba(db):
    kmar = persona("reporter_kmar")
    return [file_signal(kmar, island="saba") for _ in range(3)] + [
        file_signal(kmar, island="bonaire")]


def post(client, url, action, selected=(), on_page=(), query="", **fields):
    data = {"bulk-action": action, "selected": list(selected), "on_page": list(on_page),
            **{f"bulk-{name}": value for name, value in fields.items()}}
    return client.post(f"{url}?{query}" if query else url, data)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_every_inbox_row_has_a_labelled_box_and_the_bar_offers_each_action(saba, analyst):
    html = analyst.get(INBOX).content.decode()
    for signal in saba:
        assert f'name="selected" value="{signal.reference}"' in html
        assert f'for="select-{signal.reference}">Select {signal.reference}</label>' in html
    assert "Select all on this page" in html
    for value in ("add_to_dossier", "assign", "assign_me", "export_csv", "export_xlsx"):
        assert f'name="bulk-action" value="{value}"' in html
    assert f'action="{INBOX_BAR}"' in html


def test_the_bar_posts_back_to_the_list_as_filtered(saba, analyst):
    html = analyst.get(INBOX, {"island": "saba", "ordering": "reference"}).content.decode()
    assert f'action="{INBOX_BAR}?island=saba&amp;ordering=reference"' in html


def test_ticked_signals_are_assigned_and_the_analyst_returns_to_her_filtered_list(saba,
                                                                                  analyst):
    om = persona("analyst_om")
    response = post(analyst, INBOX_BAR, "assign", selected=[s.reference for s in saba[:2]],
                    query="island=saba", analyst=om.pk)
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?island=saba"
    assert set(Signal.objects.filter(taken_up_by=om).values_list("pk", flat=True)) == {
        s.pk for s in saba[:2]}
    assert Notification.objects.filter(user=om).count() == 2
    page = analyst.get(response["Location"])
    assert "now holds 2 signals" in page.content.decode()
    # Who holds each signal shows in the list.
    assert page.content.decode().count(om.display_name) >= 2


def test_take_up_myself_assigns_the_selection_to_the_analyst_herself(saba, analyst):
    post(analyst, INBOX_BAR, "assign_me", selected=[saba[0].reference])
    assert Signal.objects.get(pk=saba[0].pk).taken_up_by == persona("analyst_kpcn")


def test_select_all_on_this_page_works_without_javascript(saba, analyst):
    """Without a script no box gets ticked: the server reads "select all" and takes every row
    the page showed."""
    on_page = [s.reference for s in saba[:3]]
    post(analyst, INBOX_BAR, "assign_me", on_page=on_page, select_all="on")
    assert set(Signal.objects.filter(taken_up_by__isnull=False).values_list(
        "reference", flat=True)) == set(on_page)


def test_nothing_ticked_is_an_error_next_to_the_bar(saba, analyst):
    response = post(analyst, INBOX_BAR, "assign_me", query="island=saba")
    assert response.status_code == 200
    html = response.content.decode()
    bar = html[html.index('id="bulk-bar"'):html.index("<table")]
    assert "Choose at least one signal" in bar
    assert "Choose at least one signal" in html[:html.index('id="bulk-bar"')]  # the summary
    # The same filtered list is shown again.
    assert {s.island for s in response.context["page"]} == {"saba"}
    assert not Signal.objects.filter(taken_up_by__isnull=False).exists()


def test_a_refusal_is_shown_at_the_bar_with_the_rows_still_ticked(saba, analyst):
    response = post(analyst, INBOX_BAR, "add_to_dossier", number="DS-2026-9999",
                    selected=[saba[0].reference])
    assert response.status_code == 200
    assert "No dossier with this number that you may see" in response.content.decode()
    assert f'value="{saba[0].reference}" id="select-{saba[0].reference}" checked' in \
        response.content.decode()


def test_assign_without_an_analyst_names_the_field(saba, analyst):
    response = post(analyst, INBOX_BAR, "assign", selected=[saba[0].reference])
    assert "analyst" in response.context["bulk_form"].errors


def test_ticked_signals_are_added_to_a_dossier(saba, analyst):
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[saba[3]], title="Saba")
    response = post(analyst, INBOX_BAR, "add_to_dossier", number=dossier.number,
                    selected=[s.reference for s in saba[:2]])
    assert response.status_code == 302
    assert dossier.signals.count() == 3


def test_a_hidden_signal_in_the_selection_is_refused_without_saying_it_exists(saba, as_user):
    kpcn = persona("analyst_kpcn")
    secret = dossier_open(actor=kpcn, signals=[saba[3]], title="Secret")
    dossier_restrict(actor=kpcn, dossier=secret, analysts=[kpcn])
    om = as_user("analyst_om")
    hidden = post(om, INBOX_BAR, "assign_me", selected=[saba[0].reference, saba[3].reference])
    missing = post(om, INBOX_BAR, "assign_me", selected=[saba[0].reference, "MH-2026-999999"])
    words = [r.context["bulk_form"].non_field_errors()[0] for r in (hidden, missing)]
    assert words[0].replace(saba[3].reference, "X") == words[1].replace("MH-2026-999999", "X")
    assert not Signal.objects.filter(taken_up_by__isnull=False).exists()


def test_the_dossier_list_shows_who_works_on_each_dossier_and_assigns_in_bulk(saba, analyst):
    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    cases = [dossier_open(actor=kpcn, signals=[s], title=f"Case {s.pk}") for s in saba[:2]]
    html = analyst.get(reverse("casework:dossiers")).content.decode()
    assert "Assigned to" in html and kpcn.display_name in html
    assert f'for="select-{cases[0].number}">Select {cases[0].number}</label>' in html
    response = post(analyst, DOSSIERS_BAR, "assign", selected=[d.number for d in cases],
                    analysts=[om.pk])
    assert response.status_code == 302
    for dossier in cases:
        assert set(dossier.assigned_analysts.all()) == {kpcn, om}
    listed = analyst.get(reverse("casework:dossiers"), {"assigned": om.pk})
    assert {d.number for d in listed.context["page"]} == {d.number for d in cases}


def test_assign_to_me_on_the_dossier_list(saba, as_user):
    case = dossier_open(actor=persona("analyst_kpcn"), signals=[saba[0]], title="Case")
    post(as_user("analyst_om"), DOSSIERS_BAR, "assign_me", selected=[case.number])
    assert persona("analyst_om") in case.assigned_analysts.all()


def test_nothing_ticked_on_the_dossier_list_is_an_error_next_to_the_bar(db, analyst):
    response = post(analyst, DOSSIERS_BAR, "assign_me")
    assert response.status_code == 200
    assert "Choose at least one dossier" in response.content.decode()


def test_exporting_the_ticked_signals_keeps_them_out_of_the_address(saba, analyst):
    ticked = [saba[2].reference, saba[0].reference]
    response = post(analyst, INBOX_BAR, "export_csv", selected=ticked)
    assert response.status_code == 302
    url = response["Location"]
    assert url == reverse("casework:inbox_selection_export", args=["csv"])
    exported = analyst.get(url)
    rows = csv_rows(exported)
    assert rows[0][0] == "DEPARTMENTALLY CONFIDENTIAL"
    assert [row[0] for row in rows[3:]] == ticked
    event = AuditEvent.objects.get(action="signals.selection.exported")
    assert event.result_ids == [str(saba[2].pk), str(saba[0].pk)]
    # The selection was used up: the address alone exports nothing again.
    assert analyst.get(url).status_code == 302


def test_the_selection_survives_the_password_round_trip(saba, analyst):
    age_session(analyst, SESSION_CONFIRMED, 301)
    ticked = [saba[1].reference]
    export = post(analyst, INBOX_BAR, "export_xlsx", selected=ticked)["Location"]
    asked = analyst.get(export)
    assert asked["Location"].startswith(reverse("reauthenticate"))
    assert not AuditEvent.objects.filter(action="signals.selection.exported").exists()
    confirmed = analyst.post(reverse("reauthenticate"), {"password": PASSWORD, "next": export})
    assert confirmed["Location"] == export
    book = load_workbook(io.BytesIO(analyst.get(export).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert [row[0] for row in rows[3:]] == ticked
    assert book.active.oddHeader.center.text == "DEPARTMENTALLY CONFIDENTIAL"


def test_exporting_the_ticked_dossiers(saba, analyst):
    kpcn = persona("analyst_kpcn")
    cases = [dossier_open(actor=kpcn, signals=[s], title=f"=Case {s.pk}") for s in saba[:3]]
    export = post(analyst, DOSSIERS_BAR, "export_csv", selected=[cases[1].number])["Location"]
    rows = csv_rows(analyst.get(export))
    assert [row[0] for row in rows[3:]] == [cases[1].number]
    assert rows[3][1].startswith("'=")  # a cell that starts like a formula stays text
    assert AuditEvent.objects.get(action="register.dossier.selection_exported").result_ids == [
        str(cases[1].pk)]


def test_the_export_address_without_a_selection_goes_back_to_the_list(db, analyst):
    response = analyst.get(reverse("casework:dossiers_selection_export", args=["csv"]),
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("casework:dossiers")
    assert "Tick the rows to export" in response.content.decode()


def test_a_restricted_dossier_is_neither_assigned_nor_exported_by_an_analyst_not_on_it(
        saba, as_user):
    kpcn = persona("analyst_kpcn")
    shown = dossier_open(actor=kpcn, signals=[saba[0]], title="Shown")
    secret = dossier_open(actor=kpcn, signals=[saba[1]], title="Secret")
    dossier_restrict(actor=kpcn, dossier=secret, analysts=[kpcn])
    om = as_user("analyst_om")
    listed = om.get(reverse("casework:dossiers")).content.decode()
    assert secret.number not in listed
    for action in ("assign_me", "export_csv"):
        response = post(om, DOSSIERS_BAR, action, selected=[shown.number, secret.number])
        assert response.status_code == 200
        assert response.context["bulk_form"].non_field_errors() == [
            f"No dossier {secret.number} that you may see; nothing was done."]
    assert persona("analyst_om") not in shown.assigned_analysts.all()
    assert "casework_export_selection" not in om.session


def test_search_results_say_who_holds_a_signal_and_who_works_on_a_dossier(saba, analyst):
    from casework.bulk import bulk_assign_dossiers, bulk_assign_signals

    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    om.first_name, om.last_name = "Olga", "Martis"
    om.save()
    bulk_assign_signals(actor=kpcn, references=[saba[0].reference], analyst=om)
    case = dossier_open(actor=kpcn, signals=[saba[1]], title="Harbour watch")
    bulk_assign_dossiers(actor=kpcn, numbers=[case.number], analysts=[om])
    found = analyst.post(reverse("casework:search"), {"query": saba[0].reference})
    assert "held by Olga Martis" in found.content.decode()
    found = analyst.post(reverse("casework:search"), {"query": "Harbour watch"})
    assert "assigned to Analyst Persona, Olga Martis" in found.content.decode() or \
        "assigned to Olga Martis, Analyst Persona" in found.content.decode()
