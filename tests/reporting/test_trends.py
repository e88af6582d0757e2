"""Ten years of the dashboard's figures per island, with the change on the year before, in a
fixed number of queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from register.models import AuditEvent
from reporting.charts import line_chart
from reporting.trends import ALL, trend_counts, trend_series
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
