"""A search result says why it was found and where it belongs: the dossiers a person or signal
is in are found with them, within need to know."""

from django.urls import reverse

from casework.dossiers import dossier_open, dossier_restrict
from casework.triage import triage_take_in
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

BOSS = {"role": "suspect", "given_names": "Rico", "family_name": "Boss",
        "phone": "+599 717 4242"}


def search(client, query):
    return client.post(reverse("casework:search"), {"query": query}).context["results"]


def a_case(title="Bar case"):
    kpcn = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), persons=[BOSS])
    triage_take_in(actor=kpcn, signal=signal)
    dossier = dossier_open(actor=kpcn, signals=[Signal.objects.get(pk=signal.pk)], title=title)
    return Signal.objects.get(pk=signal.pk), dossier


def test_a_name_finds_the_person_the_signal_and_the_dossier_they_are_in(db, as_user):
    signal, dossier = a_case()
    person = signal.persons.get().person
    results = search(as_user("analyst_om"), "Rico Boss")
    assert [p.pk for p in results["persons"]] == [person.pk]
    assert results["persons"][0].found_because == ["name"]
    assert [r.dossier.number for r in results["persons"][0].visible_roles] == [dossier.number]
    assert results["signals"][0].found_because == ["name of a person in it"]
    assert [d.number for d in results["dossiers"]] == [dossier.number]
    assert set(results["dossiers"][0].found_because) == {
        f"P-{person.pk} is in it", f"{signal.reference} is in it"}


def test_a_phone_number_says_it_found_them_by_the_phone(db, as_user):
    signal, _dossier = a_case()
    results = search(as_user("analyst_om"), "717 4242")
    assert results["persons"][0].found_because == ["phone number"]
    assert results["signals"][0].found_because == ["phone number"]
    page = as_user("analyst_om").post(reverse("casework:search"), {"query": "717 4242"})
    assert "found by phone number" in page.content.decode()


def test_a_hidden_dossier_is_not_found_as_the_place_a_person_is_in(db, as_user):
    signal, dossier = a_case(title="Secret")
    dossier_restrict(actor=persona("analyst_kpcn"), dossier=dossier,
                     analysts=[persona("analyst_kpcn")])
    other = search(as_user("analyst_om"), "Rico Boss")
    assert other["dossiers"] == [] and other["signals"] == []
    assert dossier.number not in str([p.visible_roles for p in other["persons"]])
    granted = search(as_user("analyst_kpcn"), "Rico Boss")
    assert [d.number for d in granted["dossiers"]] == [dossier.number]


def test_a_business_vessel_or_phone_is_found_once_with_the_way_into_its_network(db, as_user):
    kmar = persona("reporter_kmar")
    for _ in range(2):
        file_signal(kmar, persons=[BOSS], businesses=[{"name": "Bar Coral Kralendijk"}],
                    vehicles=[{"kind": "vessel", "name": "Coral Queen"}])
    client = as_user("analyst_om")
    records = search(client, "Coral")["records"]
    assert sorted((r["kind"], r["label"]) for r in records) == [
        ("business", "Bar Coral Kralendijk"), ("vehicle", "Coral Queen")]
    for record in records:
        assert "Coral" not in record["url"]
        assert client.get(record["url"]).status_code == 200
    assert [r["found_because"] for r in records] == [["name"], ["name"]]
    phones = search(client, "717 4242")["records"]
    assert [r["kind"] for r in phones] == ["phone"] and "4242" not in phones[0]["url"]
    assert phones[0]["found_because"] == ["phone number"]


def test_a_business_named_only_in_a_hidden_dossier_is_not_found(db, as_user):
    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    signal = file_signal(persona("reporter_kmar"), businesses=[{"name": "Bar Secreto"}])
    triage_take_in(actor=kpcn, signal=signal)
    dossier = dossier_open(actor=kpcn, signals=[Signal.objects.get(pk=signal.pk)],
                           title="Hidden")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    assert search(as_user("analyst_om"), "Secreto")["records"] == []
    assert [r["label"] for r in search(as_user("analyst_kpcn"), "Secreto")["records"]] == [
        "Bar Secreto"]
    assert om.pk  # the colleague exists and simply does not see it
