"""The pages analysts use most run a fixed number of queries, whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.dossiers import dossier_add_signals, dossier_open, follow_up_add
from tests.personas import persona
from tests.signals.builders import file_signal

PERSONS = [{"role": "victim", "given_names": "Ana", "family_name": "Pérez"},
           {"role": "suspect", "given_names": "Rico", "family_name": "Boss"}]


def queries(client, url, **params):
    client.get(url, params)  # warm caches that are per process, not per page
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def fill(count):
    return [file_signal(persona("reporter_kmar"), persons=PERSONS,
                        businesses=[{"name": "Bar"}], vehicles=[{"kind": "vessel",
                                                                 "name": "Boat"}])
            for _ in range(count)]


@pytest.mark.parametrize("view", ["open", "overdue"])
def test_the_inbox_runs_the_same_queries_for_2_and_20_signals(as_user, view, settings):
    settings.FOLLOW_UP_DAYS = 1
    client = as_user("analyst_kpcn")
    url = reverse("casework:inbox")
    fill(2)
    few = queries(client, url, view=view)
    fill(18)
    assert queries(client, url, view=view) == few


def test_the_dossier_page_runs_the_same_queries_for_2_and_12_signals(as_user):
    analyst = persona("analyst_kpcn")
    client = as_user("analyst_kpcn")
    dossier = dossier_open(actor=analyst, signals=fill(2), title="Case")
    follow_up_add(actor=analyst, dossier=dossier, kind="victim_care",
                  organisation=analyst.organisation)
    url = reverse("casework:dossier", args=[dossier.number])
    few = queries(client, url)
    dossier_add_signals(actor=analyst, dossier=dossier, signals=fill(10))
    for _ in range(3):
        follow_up_add(actor=analyst, dossier=dossier, kind="information_shared",
                      organisation=analyst.organisation)
    assert queries(client, url) == few


def test_the_dossier_api_runs_the_same_queries_for_2_and_12_signals(api_as):
    analyst = persona("analyst_kpcn")
    client = api_as("analyst_kpcn")
    dossier = dossier_open(actor=analyst, signals=fill(2), title="Case")
    url = reverse("dossier-detail", args=[dossier.number])
    few = queries(client, url)
    dossier_add_signals(actor=analyst, dossier=dossier, signals=fill(10))
    assert queries(client, url) == few


def rows_shown(response) -> int:
    return response.content.decode().count('href="/signals/MH-')


def test_the_inbox_runs_the_same_queries_at_10_and_50_rows_a_page(as_user):
    client = as_user("analyst_kpcn")
    url = reverse("casework:inbox")
    fill(55)
    assert rows_shown(client.get(url, {"per_page": 10})) == 10
    assert rows_shown(client.get(url, {"per_page": 50})) == 50
    assert queries(client, url, per_page=10) == queries(client, url, per_page=50)


def test_a_page_size_not_offered_falls_back_to_25_and_a_chosen_one_stays_in_the_links(as_user):
    client = as_user("analyst_kpcn")
    url = reverse("casework:inbox")
    fill(30)
    assert rows_shown(client.get(url, {"per_page": 7})) == 25
    assert rows_shown(client.get(url, {"per_page": "many"})) == 25
    assert "?per_page=10&amp;page=2" in client.get(url, {"per_page": 10}).content.decode()


def test_the_intake_api_list_runs_the_same_queries_at_10_and_50_rows_a_page(api_as):
    client = api_as("reporter_kmar")
    url = reverse("signal-list")
    fill(55)
    assert len(client.get(url, {"page_size": 10}).json()["results"]) == 10
    assert len(client.get(url, {"page_size": 50}).json()["results"]) == 50
    assert len(client.get(url, {"page_size": 5000}).json()["results"]) == 55  # capped at 200
    assert queries(client, url, page_size=10) == queries(client, url, page_size=50)


def test_a_search_runs_the_same_queries_for_one_match_and_many(as_user):
    client = as_user("analyst_kpcn")
    url = reverse("casework:search")
    file_signal(persona("reporter_kmar"), persons=[{"role": "victim", "given_names": "Lone",
                                                     "family_name": "Quirindongo"}])
    fill(12)

    def search(query):
        client.post(url, {"query": query})
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {"query": query})
        assert response.status_code == 200
        return len(captured), response.content.decode()

    one, page = search("Quirindongo")
    assert "MH-" in page
    many, page = search("Pérez")
    assert page.count('href="/signals/MH-') >= 12
    assert one == many


def every_filter_matching(name: str, analyst) -> dict:
    """Every filter of the list at once, with the values of one of its rows, so the filtered
    page still shows rows (an empty page skips the queries that fetch their parts)."""
    from casework.triage import triage_take_up
    from register.models import FollowUpAction
    from signals.models import Signal

    signal = Signal.objects.filter(dossier__isnull=True).order_by("id").first()
    if name == "casework:inbox":
        triage_take_up(actor=analyst, signal=signal)
        return {"island": signal.island, "form": signal.forms.first().code,
                "sector": signal.sector, "status": "in_triage", "organisation": "kmar",
                "received_from": "2016-01-01", "received_until": "2030-12-31",
                "taken_up_by": analyst.pk, "danger": "false", "ordering": "-received"}
    action = FollowUpAction.objects.select_related("dossier").get()
    island = action.dossier.signals.first().island
    form = action.dossier.signals.first().forms.first().code
    if name == "casework:dossiers":
        return {"status": action.dossier.status, "priority": action.dossier.priority,
                "assigned": analyst.pk, "island": island, "form": form,
                "ordering": "-signals"}
    if name == "casework:follow_ups":
        return {"kind": action.kind, "organisation": action.responsible_organisation.code,
                "outcome": action.outcome, "assigned": analyst.pk, "island": island,
                "form": form, "ordering": "-due"}
    return {"island": island, "role": "victim", "form": form, "organisation": "kmar",
            "received_from": "2016-01-01", "received_until": "2030-12-31",
            "ordering": "-last_seen"}


@pytest.mark.parametrize("name", ["casework:inbox", "casework:dossiers",
                                  "casework:follow_ups", "casework:persons"])
def test_a_worklist_runs_the_same_queries_with_no_filter_and_with_every_filter(as_user, name):
    analyst = persona("analyst_kpcn")
    client = as_user("analyst_kpcn")
    dossier = dossier_open(actor=analyst, signals=fill(2), title="Case")
    follow_up_add(actor=analyst, dossier=dossier, kind="victim_care",
                  organisation=analyst.organisation)
    fill(2)
    every = every_filter_matching(name, analyst)
    assert len(client.get(reverse(name), every).context["page"]) >= 1
    assert queries(client, reverse(name), **every) == queries(client, reverse(name))


@pytest.mark.parametrize("name", ["casework:dossiers", "casework:follow_ups",
                                  "casework:persons"])
def test_a_worklist_runs_the_same_queries_at_10_and_50_rows_a_page(as_user, name):
    analyst = persona("analyst_kpcn")
    client = as_user("analyst_kpcn")
    for signal in fill(11):
        dossier = dossier_open(actor=analyst, signals=[signal], title="Case")
        follow_up_add(actor=analyst, dossier=dossier, kind="victim_care",
                      organisation=analyst.organisation)
    url = reverse(name)
    assert len(client.get(url, {"per_page": 10}).context["page"]) == 10
    assert len(client.get(url, {"per_page": 50}).context["page"]) > 10
    assert queries(client, url, per_page=10) == queries(client, url, per_page=50)


@pytest.mark.parametrize("name", ["dossier-list", "person-list"])
def test_an_analysts_api_list_runs_the_same_queries_at_10_and_50_rows_a_page(api_as, name):
    analyst = persona("analyst_kpcn")
    client = api_as("analyst_kpcn")
    for signal in fill(11):
        dossier_open(actor=analyst, signals=[signal], title="Case")
    url = reverse(name)
    assert len(client.get(url, {"page_size": 10}).json()["results"]) == 10
    assert len(client.get(url, {"page_size": 50}).json()["results"]) > 10
    assert queries(client, url, page_size=10) == queries(client, url, page_size=50)
