"""The border section of the form and the API: arrival or interception, route, the group
(named or not) and what happened to them."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from signals.models import Signal
from tests.casework.imports.files import csv_bytes, write
from tests.signals.builders import api_payload, form_data
from tests.signals.test_intake_form import token_of

pytestmark = pytest.mark.django_db
API = "/api/v1/signals/"
NEW = reverse("signals:new")
BORDER = {"border_place": "at_sea", "border_position": "12.0N 68.2W",
          "departure_country": "ve", "transit_countries": ["CW"], "group_size": 23,
          "border_outcome": "handed_to_ind"}


def test_the_api_takes_a_boat_of_23_with_two_named(api_as):
    response = api_as("reporter_kmar").post(API, api_payload(**BORDER), format="json")
    assert response.status_code == 201, response.json()
    signal = Signal.objects.get()
    assert (signal.border_place, signal.departure_country, signal.transit_countries,
            signal.group_size, signal.border_outcome) == (
        "at_sea", "VE", ["CW"], 23, "handed_to_ind")
    assert signal.persons.count() == 2  # the other 21 are a number, not person records


@pytest.mark.parametrize("change, field", [
    ({"group_size": 1}, "group_size"),  # two persons are named
    ({"departure_country": "XX"}, "departure_country"),
    ({"transit_countries": ["CW", "ZZ"]}, "transit_countries"),
    ({"border_place": "tunnel"}, "border_place"),
    ({"border_outcome": "vanished"}, "border_outcome"),
])
def test_the_api_refuses_a_bad_border_field_at_the_field(api_as, change, field):
    response = api_as("reporter_kmar").post(API, api_payload(**{**BORDER, **change}),
                                            format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Signal.objects.exists()


def test_the_schema_documents_the_border_fields(api_as):
    schema = api_as("reporter_kmar").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    border = {"border_place", "departure_country", "transit_countries", "group_size",
              "border_outcome", "border_position"}
    documented = [name for name, component in schema["components"]["schemas"].items()
                  if border <= set(component.get("properties", {}))]
    assert documented  # the signal as filed, and as read back


def test_the_form_opens_the_border_section_for_kmar_and_not_for_szw(as_user):
    assert b'class="border-section" open' in as_user("reporter_kmar").get(NEW).content
    assert b'class="border-section">' in as_user("reporter_szw").get(NEW).content


def test_the_form_stores_the_border_section(as_user):
    reporter = as_user("reporter_szw")
    data = form_data(token_of(reporter.get(NEW)), border_place="coast",
                     departure_country="VE", transit_countries=["CW", "AW"], group_size="9",
                     border_outcome="detained")
    response = reporter.post(NEW, data)
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert (signal.border_place, signal.transit_countries, signal.group_size) == (
        "coast", ["CW", "AW"], 9)


def test_the_form_refuses_a_group_smaller_than_the_persons_named(as_user):
    reporter = as_user("reporter_szw")
    response = reporter.post(NEW, form_data(token_of(reporter.get(NEW)), group_size="1"))
    assert response.status_code == 200
    assert 'id="id_group_size"' in response.content.decode()
    assert "cannot be smaller than the 2 persons" in response.content.decode()
    assert b'class="border-section" open' in response.content
    assert not Signal.objects.exists()


def test_an_import_fills_the_border_section(tmp_path, personas):
    header = ["observed_on", "island", "forms", "description", "border_place", "group_size",
              "departure_country", "transit_countries", "border_outcome"]
    rows = [["2019-03-02", "at_sea", "people_smuggling", "Boat with 23 persons", "Op zee",
             "23", "VE", "CW;AW", "Refused entry"]]
    path = write(tmp_path, "border.csv", csv_bytes(rows, header=header))
    call_command("import_signals", str(path), "--organisation", "kustwacht",
                 "--user", "analyst.kpcn", stdout=io.StringIO())
    signal = Signal.objects.get()
    assert (signal.border_place, signal.group_size, signal.transit_countries,
            signal.border_outcome) == ("at_sea", 23, ["CW", "AW"], "refused_entry")
