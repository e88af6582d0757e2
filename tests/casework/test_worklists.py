"""The analysts' worklists: the inbox and the dossier list filter, sort and count, on the page
and in the API, and never show more than need to know allows."""

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.dossiers import dossier_assign, dossier_open, dossier_restrict
from casework.triage import triage_take_up
from register.models import AuditEvent, Dossier
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal


@pytest.fixture
def inbox_signals(db):
    """Four open signals that differ in every filter."""
    kmar, szw = persona("reporter_kmar"), persona("reporter_szw")
    signals = {
        "bonaire_labour": file_signal(kmar, island="bonaire", sector="construction",
                                      forms=["labour_exploitation"]),
        "saba_sexual": file_signal(kmar, island="saba", sector="hospitality",
                                   forms=["sexual_exploitation"], immediate_danger=True),
        "statia_smuggling": file_signal(szw, island="st_eustatius", sector="agriculture_fishing",
                                        forms=["people_smuggling"]),
        "bonaire_old": file_signal(szw, island="bonaire", sector="retail",
                                   forms=["labour_exploitation", "sexual_exploitation"]),
    }
    Signal.objects.filter(pk=signals["bonaire_old"].pk).update(
        received_at=timezone.now() - dt.timedelta(days=40))
    triage_take_up(actor=persona("analyst_om"), signal=signals["saba_sexual"])
    return {name: Signal.objects.get(pk=s.pk) for name, s in signals.items()}


def listed(response) -> set[str]:
    return {signal.reference for signal in response.context["page"]}


def names(signals, *keys) -> set[str]:
    return {signals[key].reference for key in keys}


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ("bonaire_labour", "saba_sexual", "statia_smuggling", "bonaire_old")),
    ({"island": "bonaire"}, ("bonaire_labour", "bonaire_old")),
    ({"form": "sexual_exploitation"}, ("saba_sexual", "bonaire_old")),
    ({"sector": "agriculture_fishing"}, ("statia_smuggling",)),
    ({"status": "in_triage"}, ("saba_sexual",)),
    ({"organisation": "szw"}, ("statia_smuggling", "bonaire_old")),
    ({"received_until": "{forty_days_ago}"}, ("bonaire_old",)),
    ({"received_from": "{today}"}, ("bonaire_labour", "saba_sexual", "statia_smuggling")),
    ({"taken_up_by": "{analyst_om}"}, ("saba_sexual",)),
    ({"danger": "true"}, ("saba_sexual",)),
    ({"island": "bonaire", "form": "sexual_exploitation"}, ("bonaire_old",)),
])
def test_the_inbox_filters_by_every_worklist_field(inbox_signals, as_user, filters, expected):
    today = timezone.localdate()
    values = {"today": today.isoformat(),
              "forty_days_ago": (today - dt.timedelta(days=40)).isoformat(),
              "analyst_om": str(persona("analyst_om").pk)}
    query = {name: value.format(**values) for name, value in filters.items()}
    response = as_user("analyst_kpcn").get(reverse("casework:inbox"), query)
    assert response.status_code == 200
    assert listed(response) == names(inbox_signals, *expected)
    assert response.context["page"].paginator.count == len(expected)


def test_the_inbox_says_how_many_signals_the_filter_found(inbox_signals, as_user):
    page = as_user("analyst_kpcn").get(reverse("casework:inbox"), {"island": "bonaire"})
    assert "2 found" in page.content.decode()


def test_a_column_sorts_the_list_and_a_second_click_reverses_it(inbox_signals, as_user):
    client = as_user("analyst_kpcn")
    by_island = client.get(reverse("casework:inbox"), {"ordering": "island"})
    islands = [s.island for s in by_island.context["page"]]
    assert islands == sorted(islands)
    header = next(c for c in by_island.context["columns"] if c.get("sort"))
    assert header["sort"] == "ascending"
    assert dict(parse_qsl(urlsplit(header["url"]).query))["ordering"] == "-island"
    reversed_ = client.get(reverse("casework:inbox"), {"ordering": "-island"})
    assert [s.island for s in reversed_.context["page"]] == sorted(islands, reverse=True)
    assert 'aria-sort="descending"' in reversed_.content.decode()


def test_without_a_sort_the_inbox_keeps_danger_first_then_the_newest(inbox_signals, as_user):
    page = as_user("analyst_kpcn").get(reverse("casework:inbox"))
    assert [s.reference for s in page.context["page"]][0] == \
        inbox_signals["saba_sexual"].reference


def test_sorting_keeps_the_filters_and_paging_keeps_both(inbox_signals, as_user):
    response = as_user("analyst_kpcn").get(reverse("casework:inbox"),
                                           {"island": "bonaire", "ordering": "received",
                                            "per_page": "10"})
    links = [c["url"] for c in response.context["columns"] if c.get("url")]
    assert all(dict(parse_qsl(urlsplit(url).query))["island"] == "bonaire" for url in links)
    assert dict(parse_qsl(response.context["query"])) == {"island": "bonaire",
                                                          "ordering": "received"}
    # The filter form sends the sort and the page size again.
    assert ("ordering", "received") in response.context["keep"]
    assert ("per_page", "10") in response.context["keep"]


def test_a_filter_value_that_is_not_offered_is_said_next_to_its_field(inbox_signals, as_user):
    response = as_user("analyst_kpcn").get(reverse("casework:inbox"), {"island": "curacao"})
    assert response.status_code == 200
    assert "island" in response.context["worklist"].errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_filter_is_recorded_in_the_audit_trail_as_codes(inbox_signals, as_user):
    as_user("analyst_kpcn").get(reverse("casework:inbox"), {"island": "saba", "danger": "true"})
    event = AuditEvent.objects.filter(action="signals.inbox.listed").latest("pk")
    assert event.detail["filters"] == {"island": "saba", "danger": "true"}
    assert event.result_ids == [str(inbox_signals["saba_sexual"].pk)]


@pytest.fixture
def restricted_and_open(db):
    """Two labour signals in dossiers older than the follow-up time: one dossier restricted to
    KPCN's analyst, one open to every analyst."""
    kpcn = persona("analyst_kpcn")
    hidden, shown = (file_signal(persona("reporter_kmar"), island="bonaire",
                                 forms=["labour_exploitation"]) for _ in range(2))
    secret = dossier_open(actor=kpcn, signals=[hidden], title="Secret")
    dossier_restrict(actor=kpcn, dossier=secret, analysts=[kpcn])
    dossier_open(actor=kpcn, signals=[shown], title="Open")
    Signal.objects.update(received_at=timezone.now() - dt.timedelta(days=60))
    return hidden, shown


def test_no_filter_shows_or_counts_a_signal_of_a_hidden_dossier(restricted_and_open, as_user):
    hidden, shown = restricted_and_open
    query = {"view": "overdue", "island": "bonaire", "form": "labour_exploitation"}
    other = as_user("analyst_om").get(reverse("casework:inbox"), query)
    assert listed(other) == {shown.reference}
    assert other.context["page"].paginator.count == 1
    granted = as_user("analyst_kpcn").get(reverse("casework:inbox"), query)
    assert listed(granted) == {hidden.reference, shown.reference}


def test_the_dossier_list_filters_sorts_and_hides_what_it_must(restricted_and_open, as_user):
    kpcn = persona("analyst_kpcn")
    saba = [file_signal(persona("reporter_szw"), island="saba", forms=["people_smuggling"])
            for _ in range(2)]
    third = dossier_open(actor=kpcn, signals=saba, title="Saba",
                         priority=Dossier.Priority.URGENT)
    dossier_assign(actor=kpcn, dossier=third, analysts=[kpcn, persona("analyst_om")])
    client = as_user("analyst_om")
    url = reverse("casework:dossiers")

    def numbers(**query):
        return [d.number for d in client.get(url, query).context["page"]]
    assert numbers(island="saba") == [third.number]
    assert numbers(form="labour_exploitation") == [Dossier.objects.get(title="Open").number]
    assert numbers(priority="4") == [third.number]
    assert numbers(assigned=str(persona("analyst_om").pk)) == [third.number]
    assert numbers(ordering="-signals")[0] == third.number
    assert Dossier.objects.get(title="Secret").number not in numbers()
    assert numbers(status="closed") == []


def test_the_api_filters_and_sorts_signals_like_the_inbox(inbox_signals, api_as):
    client = api_as("analyst_kpcn")
    response = client.get("/api/v1/signals/", {"island": "bonaire", "form":
                                               "labour_exploitation", "ordering": "received"})
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [
        inbox_signals["bonaire_old"].reference, inbox_signals["bonaire_labour"].reference]


def test_the_api_answers_a_wrong_filter_with_the_field_and_why(inbox_signals, api_as):
    response = api_as("analyst_kpcn").get("/api/v1/signals/", {"island": "curacao"})
    assert response.status_code == 400
    assert "island" in response.json()


def test_the_api_filters_dossiers_and_sorts_them_by_their_signals(restricted_and_open, api_as):
    response = api_as("analyst_om").get("/api/v1/dossiers/", {"form": "labour_exploitation",
                                                              "ordering": "-signals"})
    assert response.status_code == 200
    assert [row["title"] for row in response.json()["results"]] == ["Open"]


def test_a_reporter_gets_no_worklist_filters_only_their_own_signals(inbox_signals, api_as):
    rows = api_as("reporter_kmar").get("/api/v1/signals/", {"island": "saba"}).json()
    assert {row["reference"] for row in rows["results"]} == names(
        inbox_signals, "bonaire_labour", "saba_sexual")


def test_the_schema_declares_the_worklist_filters(api_as):
    schema = api_as("analyst_kpcn").get("/api/schema/", {"format": "json"}).json()
    signal_list = {p["name"] for p in schema["paths"]["/api/v1/signals/"]["get"]["parameters"]}
    dossier_list = {p["name"] for p in schema["paths"]["/api/v1/dossiers/"]["get"]["parameters"]}
    assert {"island", "form", "sector", "status", "organisation", "received_from",
            "received_until", "taken_up_by", "danger", "ordering"} <= signal_list
    assert {"status", "priority", "assigned", "island", "form", "ordering"} <= dossier_list
