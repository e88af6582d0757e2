"""The pages analysts use most run a fixed number of queries, whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from register.services.dossiers import follow_up_add
from signals.dossier_membership import dossier_add_signals, dossier_open
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
