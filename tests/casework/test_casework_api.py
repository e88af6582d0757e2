import datetime as dt

import pytest
from django.urls import reverse

from register.models import Dossier
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

PERSON = {"role": "victim", "given_names": "Marie-Claire", "family_name": "Dorvil",
          "date_of_birth": dt.date(1993, 6, 2), "nationality": "HT"}


@pytest.fixture
def api(api_as):
    return api_as("analyst_kpcn")


def signal_url(signal, action):
    return reverse(f"signal-{action}", args=[signal.reference])


def test_triage_through_the_api(api):
    signal = file_signal(persona("reporter_kmar"), persons=[PERSON])
    assert api.post(signal_url(signal, "grade"), {"source": "A", "information": "1"},
                    format="json").json()["status"] == "received"
    asked = api.post(signal_url(signal, "ask"), {"text": "When?"}, format="json")
    assert asked.json()["status"] == "question"
    taken = api.post(signal_url(signal, "take-in"))
    assert taken.status_code == 200 and taken.json()["status"] == "in_register"
    again = api.post(signal_url(signal, "decline"), {"text": "no"}, format="json")
    assert again.status_code == 400


def test_suggestions_and_linking_through_the_api(api):
    first = file_signal(persona("reporter_kmar"), persons=[PERSON])
    api.post(signal_url(first, "take-in"))
    person = first.persons.get().person
    second = file_signal(persona("reporter_szw"), persons=[
        {**PERSON, "given_names": "Marie Claire", "family_name": "DORVIL"}])
    answer = api.post(reverse("person-suggestions"), {"reference": second.reference},
                      format="json").json()
    assert answer[0]["suggestions"][0]["person"]["id"] == person.pk
    assert answer[0]["suggestions"][0]["reasons"]
    assert 0.5 <= answer[0]["suggestions"][0]["probability"] <= 1
    assert answer[0]["suggestions"][0]["weak"] is False
    assert "against" in answer[0]["suggestions"][0]
    mention = second.persons.get()
    api.post(signal_url(second, "link-person"),
             {"mention": mention.pk, "person": person.pk, "same_person": True}, format="json")
    mention.refresh_from_db()
    assert mention.person == person


def test_weaker_matches_through_the_api_on_request_only(api):
    first = file_signal(persona("reporter_kmar"), persons=[PERSON])
    api.post(signal_url(first, "take-in"))
    person = first.persons.get().person
    namesake = file_signal(persona("reporter_szw"), persons=[
        {**PERSON, "date_of_birth": dt.date(1971, 11, 20)}])

    def ask(**extra):
        return api.post(reverse("person-suggestions"),
                        {"reference": namesake.reference, **extra},
                        format="json").json()[0]["suggestions"]

    assert ask() == []
    weaker = ask(weaker=True)
    assert [s["person"]["id"] for s in weaker] == [person.pk]
    assert weaker[0]["weak"] is True and weaker[0]["probability"] < 0.5
    assert weaker[0]["against"]


def test_dossiers_through_the_api(api):
    one, two, three = (file_signal(persona("reporter_kmar"), persons=[PERSON]) for _ in range(3))
    created = api.post(reverse("dossier-list"), {
        "title": "API case", "signals": [one.reference, two.reference]}, format="json")
    assert created.status_code == 201
    number = created.json()["number"]
    assert sorted(created.json()["signals"]) == sorted([one.reference, two.reference])
    other = api.post(reverse("dossier-list"), {"title": "Other", "signals": [three.reference]},
                     format="json").json()["number"]
    added = api.post(reverse("dossier-add-signals", args=[number]),
                     {"signals": [three.reference]}, format="json")
    assert three.reference in added.json()["signals"]
    removed = api.post(reverse("dossier-remove-signals", args=[number]),
                       {"signals": [one.reference]}, format="json")
    assert one.reference not in removed.json()["signals"]
    merged = api.post(reverse("dossier-merge", args=[other]), {"into": number}, format="json")
    assert merged.json()["number"] == number
    assert Dossier.objects.get(number=other).merged_into.number == number
    listed = api.get(reverse("dossier-list")).json()["results"]
    assert [d["number"] for d in listed] == [number]


def test_the_api_refuses_unknown_signals_and_bad_input(api):
    response = api.post(reverse("dossier-list"), {"title": "X", "signals": ["MH-2026-999999"]},
                        format="json")
    assert response.status_code == 400 and "signals" in response.json()
    response = api.post(reverse("dossier-list"), {"title": "", "signals": []}, format="json")
    assert set(response.json()) == {"title", "signals"}
    assert Dossier.objects.count() == 0


def test_a_reporter_token_reaches_no_casework(api_as):
    reporter = api_as("reporter_kmar")
    signal = file_signal(persona("reporter_kmar"))
    assert reporter.post(signal_url(signal, "take-in")).status_code == 403
    assert reporter.get(reverse("dossier-list")).status_code == 403
    assert reporter.get(reverse("person-list")).status_code == 403
    assert Signal.objects.get(pk=signal.pk).status == "received"
