"""What connects to a dossier or a person, one or two steps out, never past need to know."""

from django.urls import reverse
from django.utils import translation

from casework.dossiers import dossier_open, dossier_restrict
from casework.network import HUB
from casework.network_centers import network_of
from casework.triage import mention_link, triage_take_in
from register.models import AuditEvent
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

BOSS = {"role": "suspect", "given_names": "Rico", "family_name": "Boss",
        "phone": "+599 717 4242"}
WORKER = {"role": "victim", "given_names": "Luz", "family_name": "Kanariewitz"}


def signal_with(*persons, **changes):
    signal = file_signal(persona("reporter_kmar"), persons=list(persons), **changes)
    triage_take_in(actor=persona("analyst_kpcn"), signal=signal)
    return Signal.objects.get(pk=signal.pk)


def ids(network) -> set[str]:
    return set(network.nodes)


def test_one_step_out_holds_the_signals_and_what_they_name(db):
    signal = signal_with(BOSS, WORKER, location="Rincon",
                         businesses=[{"name": "Bar La Demo"}])
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Case")
    network = network_of(persona("analyst_om"), dossier, depth=1).as_dict()
    kinds = {node["kind"] for node in network["nodes"]}
    assert kinds == {"dossier", "signal", "person", "business", "phone", "place"}
    boss = signal.persons.get(role="suspect").person
    assert {"source": f"person:{boss.pk}", "target": f"signal:{signal.pk}",
            "kind": "named_together"} in network["edges"]
    labels = {node["label"] for node in network["nodes"]}
    assert {"Rico Boss", "Bar La Demo", "Bonaire, Rincon", signal.reference} <= labels


def test_two_steps_out_reach_what_the_same_phone_appears_in_elsewhere(db):
    first = signal_with(BOSS)
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[first], title="First")
    other = signal_with({"role": "other", "given_names": "R.", "family_name": "Bosch",
                         "phone": "717-4242"})
    elsewhere = dossier_open(actor=persona("analyst_kpcn"), signals=[other], title="Other")
    near = ids(network_of(persona("analyst_om"), dossier, depth=1))
    far = ids(network_of(persona("analyst_om"), dossier, depth=2))
    assert f"signal:{other.pk}" not in near
    assert {f"signal:{other.pk}", f"dossier:{elsewhere.pk}"} <= far


def test_nothing_known_only_from_a_hidden_dossier_is_ever_a_node(db):
    kpcn = persona("analyst_kpcn")
    secret = signal_with(BOSS, businesses=[{"name": "Secret Holding"}])
    hidden = dossier_open(actor=kpcn, signals=[secret], title="Secret")
    dossier_restrict(actor=kpcn, dossier=hidden, analysts=[kpcn])
    public = signal_with({"role": "suspect", "given_names": "Rico", "family_name": "Boss"})
    mention_link(actor=kpcn, mention=public.persons.get(), person=secret.persons.get().person)
    open_dossier = dossier_open(actor=kpcn, signals=[public], title="Open")

    seen = network_of(persona("analyst_om"), open_dossier, depth=2)
    assert f"signal:{secret.pk}" not in ids(seen)
    assert f"dossier:{hidden.pk}" not in ids(seen)
    assert not any(n["kind"] in ("phone", "business") for n in seen.nodes.values())
    granted = network_of(kpcn, open_dossier, depth=2)
    assert {f"signal:{secret.pk}", f"dossier:{hidden.pk}"} <= ids(granted)


def test_a_business_in_many_signals_shows_a_few_and_a_count_of_the_rest(db):
    kpcn = persona("analyst_kpcn")
    signals = [signal_with(businesses=[{"name": "Big Employer"}]) for _ in range(HUB + 3)]
    dossier = dossier_open(actor=kpcn, signals=signals[:1], title="One")
    with translation.override("en"):
        network = network_of(kpcn, dossier, depth=2)
    more = [n for n in network.nodes.values() if n["kind"] == "more"]
    assert [n["label"] for n in more] == ["3 more"]
    # The dossier's own (oldest) signal, and the newest HUB of the business's signals.
    assert sum(1 for n in network.nodes.values() if n["kind"] == "signal") == HUB + 1


def test_the_network_page_draws_it_lists_it_and_audits_what_it_showed(db, as_user):
    signal = signal_with(BOSS)
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Case")
    page = as_user("analyst_kpcn").get(reverse("casework:dossier_network",
                                               args=[dossier.number]), {"depth": "2"})
    html = page.content.decode()
    assert "<svg" in html and "Rico Boss" in html and signal.reference in html
    event = AuditEvent.objects.get(action="register.dossier.network_viewed")
    # In the trail's own form, so "who saw this signal" finds it.
    assert f"signals.signal:{signal.pk}" in event.result_ids and event.detail == {"depth": 2}
    assert f"register.dossier:{dossier.pk}" in event.result_ids
    # Looking at the network is in the audit trail, not in the dossier's history.
    history = as_user("analyst_kpcn").get(reverse("casework:dossier", args=[dossier.number]))
    assert all("network" not in event.action for event, _line in history.context["history"])


def test_the_api_gives_the_network_of_a_dossier_and_of_a_person(db, api_as):
    signal = signal_with(BOSS)
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Case")
    client = api_as("analyst_om")
    by_dossier = client.get(f"/api/v1/dossiers/{dossier.number}/network/", {"depth": 1})
    assert by_dossier.status_code == 200
    assert {"nodes", "edges"} == set(by_dossier.json())
    person = signal.persons.get().person
    by_person = client.get(f"/api/v1/persons/{person.pk}/network/").json()
    center = next(n for n in by_person["nodes"] if n["level"] == 0)
    assert center == {"id": f"person:{person.pk}", "kind": "person", "label": "Rico Boss",
                      "level": 0, "center": True}


def test_a_hidden_dossier_has_no_network_for_others(db, api_as, as_user):
    kpcn = persona("analyst_kpcn")
    dossier = dossier_open(actor=kpcn, signals=[signal_with(BOSS)], title="Secret")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    assert api_as("analyst_om").get(
        f"/api/v1/dossiers/{dossier.number}/network/").status_code == 404
    assert as_user("analyst_om").get(reverse("casework:dossier_network",
                                             args=[dossier.number])).status_code == 404


def test_a_phone_shared_by_many_signals_shows_a_few_and_a_count_of_the_rest(db):
    kpcn = persona("analyst_kpcn")
    signals = [signal_with({"role": "other", "family_name": f"Caller{n}",
                            "phone": "+599 717 9999"}) for n in range(HUB + 3)]
    dossier = dossier_open(actor=kpcn, signals=signals[:1], title="One")
    with translation.override("en"):
        network = network_of(kpcn, dossier, depth=2)
    assert "3 more" in [n["label"] for n in network.nodes.values() if n["kind"] == "more"]
    assert sum(1 for n in network.nodes.values() if n["kind"] == "signal") <= HUB + 1


def test_a_two_step_walk_asks_a_bounded_number_of_questions_whatever_it_meets(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.network import QUERIES_PER_LEVEL

    everything = {"role": "victim", "given_names": "Luz", "family_name": "Kanariewitz",
                  "phone": "+599 717 1111", "document_type": "passport",
                  "document_number": "NX1234567"}
    parts = {"location": "Rincon", "businesses": [{"name": "Bar La Demo"}],
             "vehicles": [{"kind": "vessel", "name": "Esperanza"}],
             "departure_country": "VE", "transit_countries": ["CW"]}
    signals = [signal_with(BOSS, everything, **parts) for _ in range(3)]
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=signals[:2], title="All")
    for _ in range(HUB + 2):
        signal_with(everything, **parts)
    om = persona("analyst_om")
    with CaptureQueriesContext(connection) as queries:
        network = network_of(om, dossier, depth=2)
    assert {n["kind"] for n in network.nodes.values()} >= {
        "dossier", "signal", "person", "phone", "document", "business", "vehicle", "place",
        "route", "more"}
    # Two steps are four levels; beside them, her roles and the centre (the dossier).
    assert len(queries) <= 4 * QUERIES_PER_LEVEL + 2
