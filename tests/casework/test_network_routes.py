"""The border section feeds the network: signals on the same route (country of departure,
countries of transit, island of arrival) meet at a route node, and signals naming the same
vessel at a vessel node; never past need to know, and a route expands a page at a time."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from casework.dossiers import dossier_open, dossier_restrict
from casework.network import HUB, SAME_ROUTE, SAME_VESSEL
from casework.network_centers import center_of, expansion_of, network_of
from casework.triage import triage_take_in
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

DAY = datetime.date(2026, 3, 1)
ROUTE = {"departure_country": "VE", "transit_countries": ["CW"], "island": "bonaire",
         "forms": ["people_smuggling"]}


def border_signal(**changes):
    signal = file_signal(persona("reporter_kmar"), **{**ROUTE, **changes})
    triage_take_in(actor=persona("analyst_kpcn"), signal=signal)
    return Signal.objects.get(pk=signal.pk)


def route_nodes(network) -> list[dict]:
    return [n for n in network.nodes.values() if n["kind"] == "route"]


def linked(network, a: str, b: str) -> str | None:
    return network.edges.get((a, b)) or network.edges.get((b, a))


def test_signals_on_the_same_route_meet_at_one_route_node(db):
    first = border_signal(observed_on=DAY - datetime.timedelta(days=300))
    later = border_signal(observed_on=DAY)
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[later], title="Boat")
    with translation.override("en"):
        network = network_of(persona("analyst_om"), dossier, depth=2)
    [route] = route_nodes(network)
    # Named by the earliest signal on it, whichever signal led to it; the words say the route.
    assert route["id"] == f"route:{first.pk}"
    assert route["label"] == "Venezuela → Curaçao → Bonaire"
    assert linked(network, f"signal:{later.pk}", route["id"]) == SAME_ROUTE
    assert linked(network, f"signal:{first.pk}", route["id"]) == SAME_ROUTE


def test_another_transit_another_island_or_no_departure_is_another_route(db):
    base = border_signal(observed_on=DAY)
    other_transit = border_signal(observed_on=DAY, transit_countries=["AW"])
    direct = border_signal(observed_on=DAY, transit_countries=[])
    other_island = border_signal(observed_on=DAY, island="saba")
    no_departure = border_signal(observed_on=DAY, departure_country="", transit_countries=[])
    analyst = persona("analyst_om")
    network = expansion_of(analyst, f"route:{base.pk}")
    signals = {n["id"] for n in network.nodes.values() if n["kind"] == "signal"}
    assert signals == {f"signal:{base.pk}"}
    for signal in (other_transit, direct, other_island):
        assert center_of(analyst, f"route:{signal.pk}")["id"] == f"route:{signal.pk}"
    assert center_of(analyst, f"route:{no_departure.pk}") is None


def test_signals_naming_the_same_vessel_meet_at_one_vessel_node(db):
    boat = {"kind": "vessel", "name": "Esperanza", "registration": "VE-1234"}
    first = border_signal(vehicles=[boat], departure_country="CO", transit_countries=[])
    second = border_signal(vehicles=[boat], island="sint_eustatius")
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[second], title="Boat")
    network = network_of(persona("analyst_om"), dossier, depth=2)
    vessel = f"vehicle:{first.vehicles.get().pk}"
    assert linked(network, f"signal:{first.pk}", vessel) == SAME_VESSEL
    assert linked(network, f"signal:{second.pk}", vessel) == SAME_VESSEL


def test_a_route_known_only_from_a_hidden_dossier_is_never_a_node(db):
    kpcn = persona("analyst_kpcn")
    secret = border_signal(departure_country="DO", transit_countries=["HT"])
    hidden = dossier_open(actor=kpcn, signals=[secret], title="Secret")
    dossier_restrict(actor=kpcn, dossier=hidden, analysts=[kpcn])
    public = border_signal()
    om = persona("analyst_om")
    assert center_of(om, f"route:{secret.pk}") is None
    assert expansion_of(om, f"route:{secret.pk}") is None
    # The route the two share: the hidden signal is neither a node nor counted.
    shared = border_signal(departure_country="DO", transit_countries=["HT"])
    network = expansion_of(om, f"route:{shared.pk}")
    assert f"signal:{secret.pk}" not in network.nodes
    assert not any(n["kind"] == "more" for n in network.nodes.values())
    assert center_of(om, f"route:{shared.pk}")["id"] == f"route:{shared.pk}"
    assert center_of(kpcn, f"route:{shared.pk}")["id"] == f"route:{secret.pk}"
    assert public.pk


def test_a_busy_route_shows_a_few_and_expands_the_rest_a_page_at_a_time(db):
    signals = [border_signal(observed_on=DAY - datetime.timedelta(days=n))
               for n in range(HUB + 3)]
    analyst = persona("analyst_om")
    with translation.override("en"):
        network = expansion_of(analyst, f"route:{signals[0].pk}")
    [more] = [n for n in network.nodes.values() if n["kind"] == "more"]
    assert more["label"] == "3 more"
    rest = expansion_of(analyst, more["id"])
    shown = {n["id"] for n in rest.nodes.values() if n["kind"] == "signal"}
    # The latest observed come first; the "more" node holds the three oldest.
    assert shown == {f"signal:{s.pk}" for s in signals[HUB:]}


def test_expanding_a_route_asks_the_same_questions_whatever_its_size(db, as_user):
    first = border_signal()
    client = as_user("analyst_om")
    url = reverse("casework:network_neighbours")

    def questions() -> int:
        client.get(url, {"node": f"route:{first.pk}"})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"node": f"route:{first.pk}"}).status_code == 200
        return len(captured)

    few = questions()
    for _ in range(HUB + 5):
        border_signal()
    assert questions() == few


def test_the_network_page_names_the_route_link_in_its_legend(db, as_user):
    signal = border_signal()
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Boat")
    client = as_user("analyst_kpcn")
    with translation.override("en"):
        page = client.get(reverse("casework:dossier_network", args=[dossier.number]),
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "same_route" in page
    assert f"route:{signal.pk}" in page
