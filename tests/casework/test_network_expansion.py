"""The network's link kinds, its centres (business, phone, vessel), expanding a node or a hub a
page at a time, never past need to know, and the page that draws it with cytoscape."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.views import serve
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from casework.dossiers import dossier_open, dossier_restrict
from casework.network import HUB, NEAR_DAYS
from casework.network_centers import expansion_of, network_of
from casework.triage import triage_take_in
from register.models import AuditEvent
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

BOSS = {"role": "suspect", "given_names": "Rico", "family_name": "Boss",
        "phone": "+599 717 4242"}
DAY = datetime.date(2026, 3, 1)
NEIGHBOURS = reverse("casework:network_neighbours")


def signal_with(*persons, **changes):
    signal = file_signal(persona("reporter_kmar"), persons=list(persons), **changes)
    triage_take_in(actor=persona("analyst_kpcn"), signal=signal)
    return Signal.objects.get(pk=signal.pk)


def node_of(network, kind: str) -> str:
    return next(n["id"] for n in network.nodes.values() if n["kind"] == kind)


def hidden_dossier(*signals):
    kpcn = persona("analyst_kpcn")
    dossier = dossier_open(actor=kpcn, signals=list(signals), title="Secret")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    return dossier


def test_the_edges_name_the_link_kinds_the_analysts_use(db, api_as):
    signal = signal_with(BOSS, location="Rincon", businesses=[{"name": "Bar La Demo"}],
                         vehicles=[{"kind": "vessel", "name": "Esperanza"}])
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Case")
    found = api_as("analyst_om").get(f"/api/v1/dossiers/{dossier.number}/network/").json()
    assert {e["kind"] for e in found["edges"]} == {
        "in_dossier", "named_together", "same_phone", "same_employer", "same_vessel",
        "same_place"}
    assert {n["kind"] for n in found["nodes"]} == {
        "dossier", "signal", "person", "phone", "business", "vehicle", "place"}


def test_signals_at_the_same_place_within_two_weeks_are_linked_and_later_ones_are_not(db):
    first = signal_with(location="Rincon", observed_on=DAY)
    near = signal_with(location=" rincon ", observed_on=DAY + datetime.timedelta(NEAR_DAYS))
    later = signal_with(location="Rincon", observed_on=DAY + datetime.timedelta(NEAR_DAYS + 1))
    elsewhere = signal_with(location="Kralendijk", observed_on=DAY)
    other_island = signal_with(location="Rincon", island="curacao", observed_on=DAY)
    network = expansion_of(persona("analyst_om"), f"signal:{first.pk}").as_dict()
    within = {(e["source"], e["target"]) for e in network["edges"]
              if e["kind"] == "same_place_within_two_weeks"}
    assert (f"signal:{first.pk}", f"signal:{near.pk}") in within
    assert (f"signal:{first.pk}", f"signal:{later.pk}") not in within
    # The later one is within two weeks of the near one: a step further out.
    assert (f"signal:{near.pk}", f"signal:{later.pk}") in within
    linked = {pk for pair in within for pk in pair}
    for apart in (elsewhere, other_island):
        assert f"signal:{apart.pk}" not in linked
    # The place itself links every signal there, whenever it was.
    place = node_of(network_of(persona("analyst_om"), {"id": f"signal:{later.pk}",
                                                      "kind": "signal", "label": "x"}), "place")
    assert place == f"place:{first.pk}"


def test_a_phone_is_named_by_a_row_id_and_never_by_its_number(db, as_user):
    first = signal_with(BOSS)
    second = signal_with({"role": "other", "family_name": "Bosch", "phone": "717-4242"})
    network = network_of(persona("analyst_om"), {"id": f"signal:{second.pk}",
                                                 "kind": "signal", "label": "x"})
    phone = node_of(network, "phone")
    # The first row holding the phone, whichever signal led to it.
    assert phone == f"phone:{first.persons.get().pk}"
    assert "4242" not in phone
    page = as_user("analyst_om").get(reverse("casework:phone_network",
                                             args=[phone.partition(":")[2]]))
    assert page.status_code == 200 and "+599 717 4242" in page.content.decode()
    assert second.reference in page.content.decode()
    assert AuditEvent.objects.get(action="register.network.viewed").object_type == (
        "signals.signalperson")
    assert not re.search(r"4242", page.content.decode().split('id="network-records"')[1]
                         .split("</table>")[0].replace("+599 717 4242", ""))


def test_the_business_and_vessel_networks_reach_the_signals_that_name_them(db, as_user):
    one = signal_with(businesses=[{"name": "Bar Demo"}], vehicles=[{"kind": "vessel",
                                                                    "name": "Esperanza"}])
    two = signal_with(businesses=[{"name": "BAR DEMO"}], vehicles=[{"kind": "vessel",
                                                                    "name": "Esperanza"}])
    client = as_user("analyst_om")
    for name, row in (("business_network", one.businesses.get()),
                      ("vessel_network", one.vehicles.get())):
        html = client.get(reverse(f"casework:{name}", args=[row.pk])).content.decode()
        assert one.reference in html and two.reference in html


def test_expanding_a_node_adds_its_neighbours_and_is_audited_with_their_ids(db, as_user):
    first = signal_with(BOSS)
    second = signal_with({"role": "other", "family_name": "Bosch", "phone": "717 4242"})
    phone = f"phone:{first.persons.get().pk}"
    found = as_user("analyst_om").get(NEIGHBOURS, {"node": phone}).json()
    assert {f"signal:{first.pk}", f"signal:{second.pk}"} <= {n["id"] for n in found["nodes"]}
    bosch = second.persons.get().person
    assert f"person:{bosch.pk}" in {n["id"] for n in found["nodes"]}
    event = AuditEvent.objects.get(action="register.network.expanded")
    assert event.object_id == phone
    assert {f"signals.signal:{second.pk}", f"register.person:{bosch.pk}"} <= set(
        event.result_ids)


def test_the_page_expands_a_node_without_javascript(db, as_user):
    first = signal_with(BOSS)
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[first], title="Case")
    second = signal_with({"role": "other", "family_name": "Bosch", "phone": "717 4242"})
    url = reverse("casework:dossier_network", args=[dossier.number])
    client = as_user("analyst_om")
    assert second.reference not in client.get(url).content.decode()
    phone = f"phone:{first.persons.get().pk}"
    html = client.get(url, {"expand": phone}).content.decode()
    assert second.reference in html
    assert AuditEvent.objects.filter(action="register.network.expanded",
                                     object_id=phone).count() == 1


def test_a_node_only_known_from_a_hidden_dossier_is_never_in_an_expansion_nor_its_count(
        db, as_user):
    seen = [signal_with(businesses=[{"name": "Big Employer"}]) for _ in range(HUB + 3)]
    secret = [signal_with(BOSS, businesses=[{"name": "Big Employer"}]) for _ in range(4)]
    hidden_dossier(*secret)
    om = persona("analyst_om")
    business = f"business:{seen[0].businesses.get().pk}"
    with translation.override("en"):
        network = expansion_of(om, business)
    more = [n for n in network.nodes.values() if n["kind"] == "more"]
    assert [n["label"] for n in more] == ["3 more"]  # not 7: the hidden four are not counted
    rest = expansion_of(om, more[0]["id"])
    shown = {n["id"] for n in rest.nodes.values() if n["kind"] == "signal"}
    assert len(shown) == 3 and not shown & {f"signal:{s.pk}" for s in secret}
    client = as_user("analyst_om")
    for node in (f"signal:{secret[0].pk}", f"phone:{secret[0].persons.get().pk}",
                 f"business:{secret[0].businesses.get().pk}"):
        response = client.get(NEIGHBOURS, {"node": node})
        # A hidden row's id is a 404, or (for a shared business) the first row she may see.
        assert response.status_code == 404 or not {
            f"signal:{s.pk}" for s in secret} & {n["id"] for n in response.json()["nodes"]}
    assert client.get(NEIGHBOURS, {"node": f"phone:{secret[0].persons.get().pk}"}
                      ).status_code == 404
    assert client.get(reverse("casework:phone_network",
                              args=[secret[0].persons.get().pk])).status_code == 404
    # Her colleague on the dossier sees them all.
    with translation.override("en"):
        granted = expansion_of(persona("analyst_kpcn"), business)
    assert "7 more" in [n["label"] for n in granted.nodes.values()]


def test_a_hub_expands_a_page_at_a_time(db, monkeypatch):
    monkeypatch.setattr("casework.network_centers.PAGE", 4)
    signals = [signal_with(businesses=[{"name": "Big Employer"}]) for _ in range(HUB + 6)]
    om = persona("analyst_om")
    business = f"business:{signals[0].businesses.get().pk}"
    first = expansion_of(om, business)
    more = next(n for n in first.nodes.values() if n["kind"] == "more")
    assert more["count"] == 6
    page = expansion_of(om, more["id"])
    signal_ids = {n["id"] for n in page.nodes.values() if n["kind"] == "signal"}
    assert len(signal_ids) == 4
    assert not signal_ids & {n for n in first.nodes if n.startswith("signal:")}
    then = next(n for n in page.nodes.values() if n["kind"] == "more")
    assert then["count"] == 2
    last = expansion_of(om, then["id"])
    assert not any(n["kind"] == "more" for n in last.nodes.values())
    # Made-up "more" ids are refused; any offset within the visible rows is only a page.
    assert expansion_of(om, f"more:{business}:no_such_link:12") is None
    assert expansion_of(om, "more:business:x:same_employer:12") is None
    assert expansion_of(om, f"more:{business}:same_employer:3") is not None


def expansion_queries(client, node: str) -> int:
    client.get(NEIGHBOURS, {"node": node})
    with CaptureQueriesContext(connection) as captured:
        assert client.get(NEIGHBOURS, {"node": node}).status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", ["business", "place", "phone"])
def test_expanding_runs_the_same_queries_whatever_the_hub_size(db, as_user, kind):
    def fill(count):
        return [signal_with({"role": "other", "family_name": f"W{n}", "phone": "+599 700 1111"},
                            businesses=[{"name": "Big Employer"}], location="Rincon",
                            observed_on=DAY, vehicles=[{"kind": "vessel", "name": "Boat"}])
                for n in range(count)]
    first = fill(2)[0]
    node = {"business": f"business:{first.businesses.get().pk}", "place": f"place:{first.pk}",
            "phone": f"phone:{first.persons.get().pk}"}[kind]
    client = as_user("analyst_om")
    few = expansion_queries(client, node)
    fill(HUB + 8)
    assert expansion_queries(client, node) == few


def test_cytoscape_is_served_as_a_static_file_from_the_npm_install(db):
    found = finders.find("vendor/cytoscape/cytoscape.min.js")
    assert found and found.endswith("node_modules/cytoscape/dist/cytoscape.min.js")
    # Only that file of node_modules is a static file.
    assert finders.find("vendor/cytoscape/cytoscape.cjs.js") is None
    response = serve(RequestFactory().get("/"), "vendor/cytoscape/cytoscape.min.js",
                     insecure=True)
    assert response.status_code == 200
    assert b"cytoscape" in b"".join(response.streaming_content)[:2000].lower()


def test_the_network_page_has_no_inline_script_and_a_strict_policy(db, as_user):
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal_with(BOSS)],
                           title="Case")
    response = as_user("analyst_om").get(reverse("casework:dossier_network",
                                                 args=[dossier.number]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert '/static/vendor/cytoscape/cytoscape.min.js"' in html
    assert '/static/casework/network.js"' in html
    for attributes, body in scripts:
        # A script runs only from a file; the graph's data is JSON, which never runs.
        assert "src=" in attributes or 'type="application/json"' in attributes
        assert "src=" not in attributes or not body.strip()
    assert " style=" not in html and "<style" not in html


@pytest.mark.parametrize("node", ["person:²", "more:person:1:named_together:¹²",
                                  "more:signal:1:same_place_within_two_weeks:"
                                  "99999999999999999999", "signal:99999999999999999999999"])
def test_an_odd_node_id_is_not_found_never_an_error(db, as_user, node):
    response = as_user("analyst_kpcn").get(reverse("casework:network_neighbours"),
                                          {"node": node})
    assert response.status_code == 404


def test_every_more_node_of_two_busy_places_expands(db, as_user):
    """Two signals of a dossier at two busy places: each shows its own first page of
    neighbours in time, and each "more" node expands."""
    a = signal_with(location="Rincon", observed_on=DAY)
    b = signal_with(location="Kralendijk", observed_on=DAY)
    for place in ("Rincon", "Kralendijk"):
        for day in range(HUB + 4):
            signal_with(location=place, observed_on=DAY + datetime.timedelta(day % NEAR_DAYS))
    kpcn = persona("analyst_kpcn")
    dossier = dossier_open(actor=kpcn, signals=[a, b], title="Two places")
    client = as_user("analyst_om")
    network = client.get(reverse("dossier-network", args=[dossier.number])).json()
    more = [n["id"] for n in network["nodes"] if n["kind"] == "more"]
    assert more
    for signal in (a, b):
        near = {e["target"] for e in network["edges"] if e["source"] == f"signal:{signal.pk}"
                and e["target"].startswith("signal:")
                and e["kind"] == "same_place_within_two_weeks"}
        assert len(near) == HUB
    for node in more:
        response = client.get(NEIGHBOURS, {"node": node})
        assert response.status_code == 200, node
        assert response.json()["nodes"]


def test_a_walk_takes_no_further_step_once_it_holds_its_budget_and_says_so(db, as_user,
                                                                          monkeypatch):
    monkeypatch.setattr("casework.network_centers.BUDGET", 3)
    signals = [signal_with(BOSS, businesses=[{"name": f"Bar {n}"}]) for n in range(3)]
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=signals, title="Busy")
    client = as_user("analyst_om")
    network = client.get(reverse("dossier-network", args=[dossier.number]),
                         {"depth": 2}).json()
    # The dossier and its three signals fill the budget: no step to the records in them.
    assert {n["kind"] for n in network["nodes"]} == {"dossier", "signal"}
    assert network["stopped_at_step"] == 1
    page = client.get(reverse("casework:dossier_network", args=[dossier.number]),
                      {"depth": 2})
    assert page.context["stopped"] is True
    # Expanding a record still works: the analyst goes further where she wants.
    signal = next(n["id"] for n in network["nodes"] if n["kind"] == "signal")
    assert client.get(NEIGHBOURS, {"node": signal}).json()["nodes"]


def test_a_hub_past_what_is_counted_says_at_least_how_many_more(db, monkeypatch):
    """Counting every signal at a common place would cost what the place holds; past
    COUNTED the "more" node says "at least"."""
    monkeypatch.setattr("casework.network_queries.COUNTED", HUB + 2)
    signals = [signal_with(businesses=[{"name": "Big Employer"}]) for _ in range(HUB + 6)]
    with translation.override("en"):
        found = expansion_of(persona("analyst_om"), f"business:{signals[0].businesses.get().pk}")
    more = next(n for n in found.nodes.values() if n["kind"] == "more")
    assert (more["count"], more["label"]) == (2, "at least 2 more")
    monkeypatch.setattr("casework.network_queries.COUNTED", 1000)
    with translation.override("en"):
        found = expansion_of(persona("analyst_om"), f"business:{signals[0].businesses.get().pk}")
    assert "6 more" in [n["label"] for n in found.nodes.values()]


def test_what_partners_typed_is_escaped_in_the_drawing_and_the_list(db, as_user):
    signal = signal_with({"role": "suspect", "family_name": '<img src=x onerror="alert(1)">'},
                         businesses=[{"name": "<script>alert(2)</script>"}],
                         location="<b>Rincon</b>")
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Marks")
    page = as_user("analyst_om").get(reverse("casework:dossier_network",
                                             args=[dossier.number])).content.decode()
    body = page.split('id="network-data"')[0]  # the JSON for the script is escaped by Django
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>Rincon" not in body
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
    assert "&lt;b&gt;Rincon&lt;/b&gt;" in body


PASSPORT = {"role": "victim", "family_name": "Kanariewitz", "document_type": "passport",
            "document_number": "NX 12-345-67"}


def test_signals_naming_the_same_identity_document_are_linked_through_it(db, as_user):
    first = signal_with(PASSPORT)
    second = signal_with({**PASSPORT, "family_name": "Kanarevitz", "document_number": "nx1234567"})
    other = signal_with({**PASSPORT, "document_number": "NX 7654321"})
    network = network_of(persona("analyst_om"), {"id": f"signal:{second.pk}",
                                                 "kind": "signal", "label": "x"}, depth=1)
    documents = [n for n in network.nodes.values() if n["kind"] == "document"]
    # One node for both spellings, named by the first row that holds it, never the number.
    assert [d["id"] for d in documents] == [f"document:{first.persons.get().pk}"]
    assert documents[0]["label"] == "Paspoort nx1234567"
    assert (documents[0]["id"], f"signal:{second.pk}") in network.edges
    far = network_of(persona("analyst_om"), {"id": f"signal:{second.pk}", "kind": "signal",
                                             "label": "x"}, depth=2)
    assert far.edges[(documents[0]["id"], f"signal:{first.pk}")] == "same_document"
    assert f"signal:{other.pk}" not in far.nodes
    response = as_user("analyst_om").get(NEIGHBOURS, {"node": documents[0]["id"]})
    assert f"signal:{first.pk}" in {n["id"] for n in response.json()["nodes"]}
    assert AuditEvent.objects.filter(action="register.network.expanded",
                                     object_type="signals.signalperson").exists()


def test_a_document_known_only_from_a_hidden_dossier_is_never_a_node(db, as_user):
    secret = signal_with(PASSPORT)
    hidden_dossier(secret)
    seen = signal_with({**PASSPORT, "document_number": "NX1234567"})
    network = network_of(persona("analyst_om"), {"id": f"signal:{seen.pk}", "kind": "signal",
                                                 "label": "x"}, depth=2)
    assert f"signal:{secret.pk}" not in network.nodes
    # Its node is named by the row she may see, never the hidden one.
    assert f"document:{seen.persons.get().pk}" in network.nodes
    assert f"document:{secret.persons.get().pk}" not in network.nodes
    assert as_user("analyst_om").get(
        NEIGHBOURS, {"node": f"document:{secret.persons.get().pk}"}).status_code == 404


def test_the_document_key_is_cleared_with_the_rest_of_the_personal_data(db):
    from signals.privacy import anonymise_signals

    signal = signal_with(PASSPORT)
    assert signal.persons.get().document_key == "NX1234567"
    anonymise_signals(actor=persona("analyst_kpcn"), object_ids=[signal.pk])
    assert signal.persons.get().document_key == ""


def test_mentions_filed_before_the_document_key_get_one_from_the_migration(db):
    import importlib

    from django.apps import apps

    from signals.models import SignalPerson

    signal = signal_with(PASSPORT, {"role": "other", "family_name": "Without"})
    SignalPerson.objects.filter(signal=signal).update(document_key="")
    # The migration's schema editor, as far as it uses it.
    editor = SimpleNamespace(connection=connection,
                             execute=lambda sql: connection.cursor().execute(sql))
    importlib.import_module("signals.migrations.0011_mention_document_key"
                            ).backfill_document_keys(apps, editor)
    assert sorted(signal.persons.values_list("document_key", flat=True)) == ["", "NX1234567"]
