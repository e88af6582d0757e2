"""Ten years of the dashboard's figures per island, with the change on the year before, in a
fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from casework.dossiers import dossier_open, dossier_person_update, follow_up_add
from register.models import AuditEvent, Organisation
from reporting.charts import line_chart
from reporting.drill import drill_url
from reporting.trend_breakdowns import (
    BREAKDOWNS,
    MAX_CATEGORIES,
    OTHERS,
    QUERIES,
    breakdown_counts,
    breakdown_series,
)
from reporting.trends import ALL, UNKNOWN, trend_counts, trend_series
from signals.models import Signal
from tests.personas import persona
from tests.reporting.builders import YEAR
from tests.signals.builders import file_signal


def test_the_trend_counts_each_figure_per_year_and_island(register_year):
    counts = trend_counts(YEAR)
    assert counts["victims"][(YEAR, ALL)] == 7 and counts["victims"][(YEAR, "bonaire")] == 7
    assert counts["victims"][(YEAR - 1, ALL)] == 1
    assert counts["suspects"][(YEAR, ALL)] == 2
    assert counts["investigations"][(YEAR, "bonaire")] == 3
    assert counts["prosecutions"][(YEAR, ALL)] == 1
    assert (counts["verdicts"][(YEAR, ALL)], counts["convictions"][(YEAR, ALL)]) == (2, 1)
    assert counts["signals"][(YEAR, ALL)] == 2
    assert counts["dossiers_opened"][(YEAR, ALL)] == 2


def test_signals_count_on_their_own_island_and_years_outside_the_ten_are_left_out(db):
    reporter = persona("reporter_kmar")
    file_signal(reporter, island="saba")
    old = file_signal(reporter, island="saba")
    Signal.objects.filter(pk=old.pk).update(received_at=timezone.now().replace(year=YEAR - 3))
    ancient = file_signal(reporter, island="saba")
    Signal.objects.filter(pk=ancient.pk).update(
        received_at=timezone.now().replace(year=YEAR - 10))
    counts = trend_counts(YEAR)
    assert counts["signals"][(YEAR, "saba")] == 1
    assert counts["signals"][(YEAR - 3, "saba")] == 1
    assert (YEAR - 10, "saba") not in counts["signals"]
    assert "bonaire" not in {island for _year, island in counts["signals"]}


def test_the_change_on_the_year_before_is_given_only_between_shown_counts(register_year):
    exact = {s.island: s for s in trend_series(YEAR, suppress_counts=False)["victims"]}
    assert [p.value for p in exact[ALL].points[-2:]] == [1, 7]
    assert exact[ALL].points[-1].change == 6
    assert exact[ALL].points[0].change is None  # no year before the first
    shown = {s.island: s for s in trend_series(YEAR)["victims"]}
    assert [p.value for p in shown[ALL].points[-2:]] == ["<5", 7]
    assert shown[ALL].points[-1].change is None


def test_islands_without_any_count_get_no_line(register_year):
    islands = [s.island for s in trend_series(YEAR)["victims"]]
    assert islands == [ALL, "bonaire"]


def test_a_suppressed_value_leaves_a_gap_in_the_line_and_every_value_is_written():
    svg = line_chart("Victims", [2024, 2025, 2026], [("All", [3, "<5", 9])])
    assert "<polyline" not in svg  # two points apart: no line across the suppressed year
    assert svg.count("<circle") == 3  # two points and the legend's marker
    assert "<title>Victims</title>" in svg


def test_the_trends_page_shows_a_chart_and_a_table_for_every_figure(register_year, as_user):
    page = as_user("analyst_kpcn").get(reverse("reporting:trends"), {"year": YEAR},
                                       HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") == html.count("<table") == 10
    assert "Presumed victims identified per year and island" in html
    assert "+6" in html
    assert AuditEvent.objects.filter(action="reporting.trends.viewed").exists()


def test_the_coordinator_sees_the_trends_suppressed(register_year, as_user):
    page = as_user("coordinator").get(reverse("reporting:trends"), {"year": YEAR})
    victims = next(f for f in page.context["figures"] if f["name"] == "victims")
    assert victims["series"][0].points[-2].value == "<5"


def test_the_trends_take_as_many_queries_whatever_the_register_holds(register_year, as_user):
    analyst = as_user("analyst_kpcn")
    with CaptureQueriesContext(connection) as small:
        analyst.get(reverse("reporting:trends"), {"year": YEAR})
    reporter = persona("reporter_szw")
    for n, island in enumerate(["saba", "sint_eustatius", "bonaire"] * 4):
        signal = file_signal(reporter, island=island)
        Signal.objects.filter(pk=signal.pk).update(
            received_at=timezone.now().replace(year=YEAR - n % 5), status="not_taken_up",
            observed_on=dt.date(YEAR - n % 5, 1, 1))
    with CaptureQueriesContext(connection) as large:
        analyst.get(reverse("reporting:trends"), {"year": YEAR})
    assert len(large) == len(small)
    assert trend_counts(YEAR)["not_taken_up"][(YEAR - 4, ALL)] == 2


def test_ten_years_of_every_figure_come_from_six_aggregate_queries(
        register_year, django_assert_num_queries):
    with django_assert_num_queries(6):
        trend_counts(YEAR)


# The dashboard's breakdowns as trend lines: one chart per category, a line per island.

def test_a_breakdown_counts_each_category_per_year_and_island(register_year):
    forms = breakdown_counts("form", YEAR)
    assert forms["sexual_exploitation"][(YEAR, "bonaire")] == 1
    assert forms["sexual_exploitation"][(YEAR, ALL)] == 1
    nationality = breakdown_counts("nationality", YEAR)
    assert nationality["VE"][(YEAR, ALL)] == 7 and nationality["VE"][(YEAR - 1, ALL)] == 1
    assert nationality["VE"][(YEAR, "bonaire")] == 7
    kinds = breakdown_counts("follow_up", YEAR)
    assert kinds["criminal_investigation"][(YEAR, ALL)] == 3
    assert kinds["verdict"][(YEAR, "bonaire")] == 2
    assert breakdown_counts("victim_form", YEAR)[UNKNOWN][(YEAR, ALL)] == 7


def test_a_victim_named_on_two_islands_counts_once_on_all_islands(reported_victims):
    nationality = breakdown_counts("nationality", YEAR)["VE"]
    assert nationality[(YEAR, ALL)] == 7
    assert nationality[(YEAR, "bonaire")] == 7
    forms = breakdown_counts("victim_form", YEAR)
    assert forms["labour_exploitation"][(YEAR, ALL)] == 3


def test_a_breakdown_is_suppressed_like_the_headline_trends(register_year):
    shown = {c.code: c for c in breakdown_series("follow_up", YEAR)}
    investigations = shown["criminal_investigation"].series[0]
    assert investigations.island == ALL
    assert investigations.points[-1].value == "<5"
    assert investigations.points[-1].change is None
    exact = {c.code: c for c in breakdown_series("follow_up", YEAR, suppress_counts=False)}
    assert exact["criminal_investigation"].series[0].points[-1].change == 3


def test_beyond_eight_categories_the_rest_are_one_line(db):
    reporter = persona("reporter_kmar")
    codes = ["VE", "CO", "DO", "HT", "CN", "US", "NL", "AW", "CW", "SR"]
    analyst = persona("analyst_kpcn")
    for n, code in enumerate(codes):
        signal = file_signal(reporter, persons=[
            {"role": "victim", "given_names": f"N{n}", "family_name": "Test", "sex": "female",
             "nationality": code, "estimated_age": 30}])
        dossier = dossier_open(actor=analyst, signals=[signal], title="Case")
        dossier_person_update(actor=analyst, role=dossier.persons.get(), values={
            "victim_status": "presumed", "identified_on": dt.date(YEAR, 3, 1)})
    categories = breakdown_series("nationality", YEAR, suppress_counts=False)
    assert len(categories) == MAX_CATEGORIES
    assert categories[-1].code == OTHERS
    assert categories[-1].series[0].points[-1].value == len(codes) - (MAX_CATEGORIES - 1)


@pytest.mark.parametrize("name", sorted(BREAKDOWNS))
def test_every_breakdown_takes_its_fixed_number_of_queries(name, register_year,
                                                          django_assert_num_queries):
    with django_assert_num_queries(QUERIES[name]):
        breakdown_counts(name, YEAR)


def test_the_trends_page_shows_a_breakdown_per_category_with_points_to_drill_into(
        register_year, as_user):
    page = as_user("analyst_kpcn").get(reverse("reporting:trends"), {
        "year": YEAR, "breakdown": "follow_up"}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<svg") == html.count("<table") == 3  # investigation, prosecution, verdict
    assert "Follow-up by kind" in html
    link = drill_url("follow_up", "verdict", YEAR)
    assert f'href="{escape(link)}"' in html
    assert as_user("analyst_kpcn").get(link).status_code == 200
    event = AuditEvent.objects.filter(action="reporting.trends.viewed").last()
    assert event.detail == {"year": YEAR, "breakdown": "follow_up"}


def test_the_coordinator_sees_a_breakdown_suppressed_and_without_links(register_year,
                                                                       as_user):
    page = as_user("coordinator").get(reverse("reporting:trends"), {
        "year": YEAR, "breakdown": "nationality"})
    html = page.content.decode()
    assert "/reports/drill/" not in html
    figure = page.context["figures"][0]
    assert figure["series"][0].points[-1].value == 7
    assert figure["series"][0].points[-2].value == "<5"


def test_an_unknown_breakdown_shows_the_headline_figures(register_year, as_user):
    page = as_user("coordinator").get(reverse("reporting:trends"), {
        "year": YEAR, "breakdown": "names"})
    assert len(page.context["figures"]) == 10


@pytest.mark.parametrize("name", ["form", "nationality", "follow_up"])
def test_a_breakdown_takes_as_many_queries_whatever_the_register_holds(name, register_year,
                                                                      as_user):
    analyst = as_user("analyst_kpcn")
    with CaptureQueriesContext(connection) as small:
        analyst.get(reverse("reporting:trends"), {"year": YEAR, "breakdown": name})
    reporter = persona("reporter_szw")
    for n, island in enumerate(["saba", "sint_eustatius", "bonaire"] * 3):
        signal = file_signal(reporter, island=island, forms=["labour_exploitation"],
                             persons=[{"role": "victim", "given_names": f"M{n}",
                                       "family_name": "Test", "nationality": "CO"}])
        Signal.objects.filter(pk=signal.pk).update(
            received_at=timezone.now().replace(year=YEAR - n % 4))
        dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="More")
        dossier_person_update(actor=persona("analyst_kpcn"), role=dossier.persons.get(),
                              values={"victim_status": "presumed",
                                      "identified_on": dt.date(YEAR - n % 4, 1, 1)})
        follow_up_add(actor=persona("analyst_kpcn"), dossier=dossier, kind="prosecution",
                      organisation=Organisation.objects.get(code="om"), outcome="done",
                      happened_on=dt.date(YEAR, 1, 1))
    with CaptureQueriesContext(connection) as large:
        analyst.get(reverse("reporting:trends"), {"year": YEAR, "breakdown": name})
    assert len(large) == len(small)
    assert len(large.captured_queries) > 0


def test_a_point_of_a_line_links_to_what_lies_behind_it():
    svg = line_chart("Verdicts", [2025, 2026], [("All", [0, 2])],
                     links=[[None, "/reports/drill/mou/?year=2026&value=verdicts"]])
    assert svg.count("<a ") == 1
    assert 'aria-label="All 2026: 2"' in svg
    assert "&amp;value=verdicts" in svg
