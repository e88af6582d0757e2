"""The search finds places and identity documents too, each once, with why and its context,
within need to know: what is known only from a hidden dossier is not found, nor counted."""

import datetime as dt
import logging
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.dossiers import dossier_open, dossier_restrict
from casework.search_documents import masked
from casework.triage import triage_take_in
from register.models import AuditEvent
from register.names import digits
from signals.models import Signal, SignalPerson
from tests.personas import persona
from tests.signals.builders import file_signal

DAY = dt.date(2026, 3, 2)
VICTIM = {"role": "victim", "given_names": "Mila", "family_name": "Ortega",
          "document_type": "passport", "document_number": "VE-1234 5678"}


def search(client, query):
    return client.post(reverse("casework:search"), {"query": query}).context["results"]


def at(place, island="bonaire", days=0, **changes):
    return file_signal(persona("reporter_kmar"), location=place, island=island,
                       observed_on=DAY + dt.timedelta(days=days), **changes)


def hidden(signal):
    """Take the signal into a dossier restricted to KPCN's analyst: hidden from OM's."""
    kpcn = persona("analyst_kpcn")
    triage_take_in(actor=kpcn, signal=signal)
    dossier = dossier_open(actor=kpcn, signals=[Signal.objects.get(pk=signal.pk)],
                           title="Hidden")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    return dossier


# -- places ---------------------------------------------------------------------------------

def test_a_place_is_found_once_per_island_with_its_count_and_period(db, as_user):
    first = at("Kaya Grandi, Kralendijk")
    at("  kaya grandi, KRALENDIJK ", days=9)  # the same place, written otherwise
    at("Kaya Grandi, Kralendijk", island="saba", days=3)
    at("Rincon")
    places = search(as_user("analyst_om"), "kralendijk")["places"]
    assert [(p["island"], p["count"], p["first"], p["last"]) for p in places] == [
        ("Bonaire", 2, DAY, DAY + dt.timedelta(days=9)),
        ("Saba", 1, DAY + dt.timedelta(days=3), DAY + dt.timedelta(days=3))]
    bonaire = places[0]
    assert bonaire["found_because"] == ["place"]
    assert bonaire["node"] == f"place:{first.pk}"  # the network's name for the place
    assert bonaire["latest"] == Signal.objects.exclude(island="saba").exclude(
        location="Rincon").order_by("-pk").first().reference


def test_the_page_says_where_the_place_is_and_why_it_was_found(db, as_user):
    at("Rincon")
    at("Rincon", days=1)
    page = as_user("analyst_om").post(reverse("casework:search"), {"query": "Rincon"})
    text = re.sub(r"\s+", " ", page.content.decode())
    assert "Rincon, Bonaire · 2 signals" in text
    assert "found by place" in text


def test_a_place_known_only_from_a_hidden_dossier_is_not_found_nor_counted(db, as_user):
    hidden(at("Playa Secreta"))
    at("Playa Pública")
    shared = at("Playa Secreta", island="saba")
    hidden(at("Playa Secreta", island="saba"))
    places = search(as_user("analyst_om"), "Playa")["places"]
    assert [(p["label"], p["island"], p["count"]) for p in places] == [
        ("Playa Pública", "Bonaire", 1), ("Playa Secreta", "Saba", 1)]
    assert places[1]["latest"] == shared.reference
    granted = search(as_user("analyst_kpcn"), "Playa Secreta")["places"]
    assert sorted((p["island"], p["count"]) for p in granted) == [("Bonaire", 1), ("Saba", 2)]


def test_an_anonymised_signal_leaves_no_place_behind(db, as_user):
    from signals.privacy import anonymise_signals

    signal = at("Lagun")
    anonymise_signals(actor=persona("manager"), object_ids=[signal.pk])
    assert search(as_user("analyst_om"), "Lagun")["places"] == []


# -- identity documents ---------------------------------------------------------------------

def test_a_document_number_is_found_however_it_was_written(db, as_user):
    one = at("Rincon", persons=[VICTIM])
    two = at("Rincon", days=1, persons=[{**VICTIM, "document_number": "ve12345678"}])
    for query in ("VE12345678", "ve-1234-5678", " VE 1234 5678 "):
        documents = search(as_user("analyst_om"), query)["documents"]
        assert len(documents) == 1, query
        document = documents[0]
        assert document["types"] == ["Passport"]
        assert document["found_because"] == ["document number"]
        assert [m["signal"].pk for m in document["mentions"]] == [two.pk, one.pk]
        assert {m["role"] for m in document["mentions"]} == {"Possible victim"}


def test_the_signals_it_is_in_say_they_were_found_by_the_document_number(db, as_user):
    signal = at("Rincon", persons=[VICTIM])
    found = search(as_user("analyst_om"), "VE12345678")["signals"]
    assert [s.pk for s in found] == [signal.pk]
    assert "document number" in found[0].found_because


def test_the_number_is_masked_unless_the_analyst_may_see_the_person(db, as_user):
    signal = at("Rincon", persons=[VICTIM])
    client = as_user("analyst_om")
    unlinked = search(client, "VE12345678")["documents"][0]
    assert unlinked["number"] == "••••••5678"
    assert unlinked["mentions"][0]["person_id"] is None
    triage_take_in(actor=persona("analyst_kpcn"), signal=signal)  # links a register person
    person = SignalPerson.objects.get(signal=signal).person
    linked = search(client, "VE12345678")["documents"][0]
    assert linked["number"] == "VE12345678"
    assert linked["mentions"][0]["person"] == f"P-{person.pk}"
    page = client.post(reverse("casework:search"), {"query": "VE12345678"}).content.decode()
    assert reverse("casework:person", args=[person.pk]) in page


def test_a_mask_leaves_only_the_last_four_characters_of_a_long_number():
    assert masked("ab-123 4567") == "•••••4567"
    assert masked("AB12345") == "••••••5"
    assert masked("X12") == "••2"
    assert masked("") == ""


def test_the_search_and_the_intake_normalise_a_document_number_alike(db):
    at("Rincon", persons=[{**VICTIM, "document_number": " nl-ab 12-34 "}])
    assert SignalPerson.objects.get().document_key == digits(" nl-ab 12-34 ") == "NLAB1234"


def test_a_document_known_only_from_a_hidden_dossier_is_not_found(db, as_user):
    secret = at("Rincon", persons=[{**VICTIM, "document_number": "SECRET999"}])
    hidden(secret)
    open_one = at("Rincon", persons=[{**VICTIM, "document_number": "BOTH4444"}])
    hidden(at("Rincon", persons=[{**VICTIM, "document_number": "BOTH4444"}]))
    om = as_user("analyst_om")
    assert search(om, "SECRET999")["documents"] == []
    assert search(om, "SECRET999")["signals"] == []
    both = search(om, "BOTH4444")["documents"]
    assert [[m["signal"].pk for m in d["mentions"]] for d in both] == [[open_one.pk]]
    granted = search(as_user("analyst_kpcn"), "SECRET999")["documents"]
    assert [m["signal"].pk for m in granted[0]["mentions"]] == [secret.pk]


# -- audit, URLs, logs, queries -------------------------------------------------------------

def test_the_search_audit_holds_the_ids_of_the_mentions_and_places_shown(db, as_user):
    signal = at("Rincon VE12345678 street", persons=[VICTIM])
    as_user("analyst_om").post(reverse("casework:search"), {"query": "VE12345678"})
    event = AuditEvent.objects.filter(action="register.search.performed").latest("pk")
    mention = SignalPerson.objects.get(signal=signal)
    assert f"signals.signalperson:{mention.pk}" in event.result_ids
    assert f"place:{signal.pk}" in event.result_ids
    assert "VE12345678" not in str(event.detail) and "Rincon" not in str(event.detail)


def test_neither_the_place_nor_the_number_reaches_a_url_or_a_log_line(db, as_user, caplog):
    caplog.set_level(logging.DEBUG)
    at("Playa Lechi", persons=[VICTIM])
    client = as_user("analyst_om")
    for query in ("Playa Lechi", "VE12345678"):
        response = client.post(reverse("casework:search"), {"query": query})
        page = response.content.decode()
        assert query.split()[0] in page  # it was found and is shown
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', page):
            assert "Playa" not in url and "VE1234" not in url and "5678" not in url
    assert "Playa" not in caplog.text and "1234" not in caplog.text


def test_a_search_runs_the_same_queries_for_one_document_or_place_and_many(db, as_user):
    client = as_user("analyst_kpcn")
    url = reverse("casework:search")
    at("Rincon", persons=[VICTIM])
    for n in range(6):
        at("Kralendijk" if n % 2 else "Kralendijk Centro", days=n,
           persons=[{**VICTIM, "document_number": "ZZ9999999"}])

    def queries(query):
        client.post(url, {"query": query})
        with CaptureQueriesContext(connection) as captured:
            assert client.post(url, {"query": query}).status_code == 200
        return len(captured)

    # One mention and six; one place of one signal and two places of three signals each.
    assert queries("VE12345678") == queries("ZZ9999999")
    assert queries("Rincon") == queries("Kralendijk")
