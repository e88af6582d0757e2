"""The follow-up list and the persons list filter, sort, count, export and audit like the inbox,
and list nothing that need to know hides, nor decide a filter by what it hides."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from casework.dossiers import dossier_assign, dossier_open, dossier_restrict, follow_up_add
from casework.triage import triage_take_in
from register.models import AuditEvent
from tests.personas import persona
from tests.signals.builders import file_signal


@pytest.fixture
def cases(db):
    """Two dossiers with follow-up, one on Saba assigned to OM's analyst, one on Bonaire."""
    analyst, om = persona("analyst_kpcn"), persona("analyst_om")
    kmar, szw = persona("reporter_kmar"), persona("reporter_szw")
    saba = dossier_open(actor=analyst, title="Saba case", signals=[file_signal(
        kmar, island="saba", forms=["sexual_exploitation"], persons=[
            {"role": "victim", "given_names": "Ana", "family_name": "Pérez"}])])
    bonaire = dossier_open(actor=analyst, title="Bonaire case", signals=[file_signal(
        szw, island="bonaire", forms=["labour_exploitation"], persons=[
            {"role": "suspect", "given_names": "Rico", "family_name": "Boss"}])])
    dossier_assign(actor=analyst, dossier=saba, analysts=[om])
    follow_up_add(actor=analyst, dossier=saba, kind="victim_care",
                  organisation=om.organisation, due_on=dt.date(2020, 1, 1),
                  brief="Please arrange shelter.")
    follow_up_add(actor=analyst, dossier=bonaire, kind="investigation",
                  organisation=analyst.organisation, outcome="done",
                  happened_on=dt.date(2026, 2, 1))
    return {"saba": saba, "bonaire": bonaire}


def dossiers_of(response) -> set[str]:
    return {action.dossier.title for action in response.context["page"]}


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, {"Saba case", "Bonaire case"}),
    ({"kind": "victim_care"}, {"Saba case"}),
    ({"organisation": "om"}, {"Saba case"}),
    ({"outcome": "done"}, {"Bonaire case"}),
    ({"due_until": "2020-06-01"}, {"Saba case"}),
    ({"island": "bonaire"}, {"Bonaire case"}),
    ({"form": "sexual_exploitation"}, {"Saba case"}),
    ({"assigned": "{om}"}, {"Saba case"}),
    ({"status": "closed"}, set()),
])
def test_the_follow_up_list_filters_by_every_field(cases, as_user, filters, expected):
    filters = {k: str(persona("analyst_om").pk) if v == "{om}" else v
               for k, v in filters.items()}
    response = as_user("analyst_kpcn").get(reverse("casework:follow_ups"), filters)
    assert response.status_code == 200
    assert dossiers_of(response) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_the_follow_up_list_puts_what_is_still_planned_first_and_marks_it_overdue(cases,
                                                                                  as_user):
    response = as_user("analyst_kpcn").get(reverse("casework:follow_ups"))
    assert [a.dossier.title for a in response.context["page"]] == ["Saba case", "Bonaire case"]
    assert 'class="warning"' in response.content.decode()
    ordered = as_user("analyst_kpcn").get(reverse("casework:follow_ups"),
                                          {"ordering": "-dossier"})
    assert [a.dossier.title for a in ordered.context["page"]] == ["Bonaire case", "Saba case"]


def test_the_follow_up_of_a_hidden_dossier_is_not_listed_nor_counted(cases, as_user):
    om = persona("analyst_om")
    dossier_restrict(actor=om, dossier=cases["saba"], analysts=[om])
    response = as_user("analyst_kpcn").get(reverse("casework:follow_ups"))
    assert dossiers_of(response) == {"Bonaire case"}
    assert response.context["page"].paginator.count == 1
    assert "Saba case" not in response.content.decode()


def test_the_persons_list_filters_by_what_the_analyst_may_see(cases, as_user):
    client = as_user("analyst_kpcn")
    everyone = client.get(reverse("casework:persons"))
    assert {p.shown_name for p in everyone.context["page"]} == {"Ana Pérez", "Rico Boss"}
    for filters, expected in (({"island": "saba"}, {"Ana Pérez"}),
                              ({"role": "suspect"}, {"Rico Boss"}),
                              ({"form": "labour_exploitation"}, {"Rico Boss"}),
                              ({"organisation": "kmar"}, {"Ana Pérez"})):
        response = client.get(reverse("casework:persons"), filters)
        assert {p.shown_name for p in response.context["page"]} == expected, filters
    assert AuditEvent.objects.filter(action="register.person.listed").exists()


def test_a_mention_in_a_hidden_dossier_neither_lists_a_person_nor_decides_a_filter(cases,
                                                                                   as_user):
    om = persona("analyst_om")
    rico = cases["bonaire"].persons.get().person
    # Rico is also named on Saba, in a signal of a dossier only OM's analyst may see.
    hidden = file_signal(persona("reporter_kmar"), island="saba", persons=[
        {"role": "suspect", "given_names": "Rico", "family_name": "Boss"}])
    triage_take_in(actor=om, signal=hidden)
    mention = hidden.persons.get()
    mention.person = rico
    mention.save(update_fields=["person"])
    secret = dossier_open(actor=om, signals=[hidden], title="Secret")
    dossier_restrict(actor=om, dossier=secret, analysts=[om])
    client = as_user("analyst_kpcn")
    on_saba = client.get(reverse("casework:persons"), {"island": "saba"})
    assert {p.shown_name for p in on_saba.context["page"]} == {"Ana Pérez"}
    granted = as_user("analyst_om").get(reverse("casework:persons"), {"island": "saba"})
    assert "Rico Boss" in {p.shown_name for p in granted.context["page"]}


def test_both_lists_export_as_filtered_and_are_audited_with_the_rows(cases, as_user):
    client = as_user("analyst_kpcn")
    response = client.get(reverse("casework:follow_ups_export", args=["csv"]),
                          {"island": "bonaire"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[3][0] == cases["bonaire"].number and len(rows) == 4
    event = AuditEvent.objects.get(action="register.follow_up.exported")
    assert [str(i) for i in event.result_ids] == [str(cases["bonaire"].follow_ups.get().pk)]
    persons = client.get(reverse("casework:persons_export", args=["xlsx"]), {"role": "victim"})
    assert persons.status_code == 200
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(persons.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[3][1] == "Ana Pérez" and len(values) == 4
    assert AuditEvent.objects.filter(action="register.person.exported").count() == 1
