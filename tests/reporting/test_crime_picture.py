"""The analysts' crime picture of a year."""

import datetime as dt

from django.urls import reverse

from register.models import AuditEvent
from reporting.crime_picture import CrossTable, crime_picture
from reporting.figures import Period
from tests.personas import persona
from tests.reporting.builders import YEAR
from tests.signals.builders import file_signal


def test_the_cross_table_puts_the_largest_row_first_and_fills_empty_cells():
    table = CrossTable.of([("a", "x", 1), ("b", "x", 2), ("b", "y", 3), ("a", "", 1)])
    assert table.columns == ["", "x", "y"]
    assert table.rows == [("b", [0, 2, 3]), ("a", [1, 1, 0])]


def test_the_crime_picture_crosses_forms_nationalities_and_islands(reported_victims):
    picture = crime_picture(Period.year(YEAR))
    nationality = dict(picture["nationality_by_island"].rows)
    assert picture["nationality_by_island"].columns == ["bonaire", "saba"]
    assert nationality["VE"] == [7 + 1 + 1, 2]  # three signals on Bonaire, one on Saba
    forms = dict(picture["forms_by_sector"].rows)
    assert forms["labour_exploitation"] == [4]  # every signal, none with a sector
    assert picture["routes"].rows == [(("VE", ""), [9, 2])]


def test_the_crime_picture_counts_what_the_register_combines(reported_victims):
    combined = crime_picture(Period.year(YEAR))["combined"]
    # the two signals naming persons again were linked to them; none joined a dossier
    assert combined == {"total": 4, "person": 2, "dossier": 0, "either": 2}


def test_the_crime_picture_gives_the_speed_per_organisation(reported_victims):
    speed = {code: n for code, n, _triage, _follow_up in
             crime_picture(Period.year(YEAR))["speed"]}
    assert speed == {"kmar": 2, "szw": 2}


def test_the_crime_picture_takes_a_fixed_number_of_queries(reported_victims,
                                                            django_assert_num_queries):
    with django_assert_num_queries(7):
        crime_picture(Period.year(YEAR))


def test_analysts_see_the_crime_picture_and_the_coordinator_does_not(reported_victims,
                                                                     as_user):
    page = as_user("analyst_kpcn").get(reverse("reporting:crime_picture"), {"year": YEAR},
                                       HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Venezuela" in html and "Forms of exploitation by sector" in html
    assert "Of 4 signals, 2 (50%) named a person already known" in html
    assert AuditEvent.objects.filter(action="reporting.crime_picture.viewed").exists()
    assert as_user("coordinator").get(reverse("reporting:crime_picture")).status_code == 403


def test_arrivals_at_the_border_count_the_unnamed_of_a_group_by_departure_and_month(db):
    kmar = persona("reporter_kmar")
    day = dt.date(YEAR, 1, 15)
    # A boat of 23 from Venezuela with 4 named, and an airport arrival of 2 named persons
    # from Colombia without a group size; a signal away from the border counts nowhere.
    file_signal(kmar, observed_on=day, border_place="at_sea", departure_country="VE",
                group_size=23, forms=["people_smuggling"],
                persons=[{"role": "victim", "family_name": f"N{i}"} for i in range(4)])
    file_signal(kmar, observed_on=day.replace(month=3), border_place="airport",
                departure_country="CO", forms=["people_smuggling"],
                persons=[{"role": "victim", "family_name": "A"},
                         {"role": "victim", "family_name": "B"}])
    file_signal(kmar, observed_on=day, persons=[{"role": "victim", "family_name": "C"}])
    arrivals = crime_picture(Period.year(YEAR))["arrivals"]
    assert arrivals.columns == ["01", "03"]
    assert dict(arrivals.rows) == {"VE": [23, 0], "CO": [0, 2]}
