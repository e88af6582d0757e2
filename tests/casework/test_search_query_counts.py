"""A search makes the same number of queries whatever is searched for and whatever it finds:
a name in a dossier, a name found nowhere, a short name, a long one, a phone number, a
document number, a place (every lookup is asked, an inapplicable one finds nothing at once)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.dossiers import dossier_open
from tests.personas import persona
from tests.signals.builders import file_signal

SEARCHES = ["Quirindongo", "Ana Pérez", "Li", "Zhao", "Nobody Anywhere", "Kralendijk",
            "+599 717 1234", "NX1234567", "Bar Caribe"]


def test_a_search_makes_the_same_queries_for_every_name_and_number(as_user):
    analyst = persona("analyst_kpcn")
    reporter = persona("reporter_kmar")
    file_signal(reporter, persons=[{"role": "victim", "given_names": "Lone",
                                    "family_name": "Quirindongo", "phone": "+599 717 1234"}],
                location="Kralendijk")
    in_dossier = [file_signal(reporter, persons=[
        {"role": "victim", "given_names": "Ana", "family_name": "Pérez",
         "document_type": "passport", "document_number": "NX1234567"},
        {"role": "suspect", "given_names": "Wei", "family_name": "Li"}],
        businesses=[{"name": "Bar Caribe"}]) for _ in range(3)]
    dossier_open(actor=analyst, signals=in_dossier, title="Case")
    client = as_user("analyst_kpcn")
    url = reverse("casework:search")

    def queries(text):
        client.post(url, {"query": text})  # warm what is cached per process
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, {"query": text})
        assert response.status_code == 200
        return len(captured), response.content.decode()

    counts = {}
    for text in SEARCHES:
        counts[text], page = queries(text)
        if text in ("Quirindongo", "Ana Pérez", "Bar Caribe"):
            assert 'href="/signals/MH-' in page, text  # found something
        if text == "Nobody Anywhere":
            assert 'href="/signals/MH-' not in page
    assert len(set(counts.values())) == 1, counts
