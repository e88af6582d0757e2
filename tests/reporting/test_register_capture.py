"""The register's capture table: each presumed victim of the period once on every list whose
organisations reported them, filtered by year, island and form, in two queries."""

import datetime as dt

from django.urls import reverse
from django.utils import translation

from register.models import AuditEvent
from reporting.content import report_context
from reporting.estimate_summary import hidden_number, round_down, round_estimate, round_up
from reporting.figures import Period
from reporting.models import EstimateList
from reporting.register_capture import OTHER, list_grouping, register_capture_table
from tests.reporting.builders import YEAR


def test_each_victim_is_counted_once_on_every_list_that_reported_them(reported_victims):
    table = register_capture_table(Period.year(YEAR))
    assert table.lists == ("KMAR", "SZW")
    assert table.counts == {(1, 0): 5, (1, 1): 2}


def test_the_capture_table_takes_two_aggregate_queries_whatever_the_register_holds(
        reported_victims, django_assert_num_queries):
    # and a third that reads the coordinator's grouping
    with django_assert_num_queries(3):
        register_capture_table(Period.year(YEAR))


def test_the_capture_table_follows_the_year(reported_victims):
    # Last year's victim is not in this year's table (7, not 8, above) and not in last year's
    # either: the signal naming them arrived only this year, after that period had ended.
    assert register_capture_table(Period.year(YEAR)).observed == 7
    assert register_capture_table(Period.year(YEAR - 1)).observed == 0
    assert register_capture_table(Period(dt.date(YEAR - 1, 1, 1),
                                         dt.date(YEAR, 12, 31))).observed == 8


def test_the_capture_table_follows_the_island(reported_victims):
    table = register_capture_table(Period.year(YEAR), island="saba")
    assert table.lists == ("SZW",) and table.counts == {(1,): 2}


def test_the_capture_table_follows_the_form_of_exploitation(reported_victims):
    table = register_capture_table(Period.year(YEAR), form="labour_exploitation")
    assert table.counts == {(1, 0): 1, (1, 1): 2}


def test_organisations_the_coordinator_grouped_form_one_list(reported_victims, as_user):
    coordinator = as_user("coordinator")
    page = coordinator.post(reverse("reporting:estimate_lists"),
                            {"kmar": "Government", "szw": " Government "})
    assert page.status_code == 302
    table = register_capture_table(Period.year(YEAR))
    assert table.lists == ("Government",) and table.counts == {(1,): 7}
    event = AuditEvent.objects.filter(action="reporting.estimate_lists.changed").get()
    assert event.detail == {"organisations": ["kmar", "szw"]}
    coordinator.post(reverse("reporting:estimate_lists"), {"kmar": "", "szw": "Government"})
    assert register_capture_table(Period.year(YEAR)).lists == ("KMAR", "Government")


def test_a_list_name_longer_than_40_characters_is_refused(db, as_user):
    page = as_user("coordinator").post(reverse("reporting:estimate_lists"), {"kmar": "x" * 41})
    assert page.status_code == 200 and page.context["form"].errors["kmar"]
    assert not EstimateList.objects.exists()


def test_beyond_six_lists_the_smallest_are_taken_together():
    groups = list_grouping({"a": 9, "b": 8, "c": 7, "d": 6, "e": 5, "f": 2, "g": 1}, {})
    assert len(groups) == 6
    assert groups[OTHER] == ["f", "g"]


def test_too_few_victims_give_no_estimate_and_a_suppressed_count(reported_victims, settings):
    settings.SUPPRESS_BELOW = 10
    with translation.override("en"):
        shown = hidden_number(Period.year(YEAR))
    assert shown["observed"] == "<10"
    assert "estimate" not in shown and shown["refused"]


def test_the_estimate_is_shown_rounded_with_a_wider_interval():
    assert round_estimate(11313) == 11000
    assert (round_down(9889), round_up(13064)) == (9800, 14000)
    assert (round_estimate(47), round_down(31), round_up(88)) == (45, 30, 90)


def test_the_dashboard_shows_the_estimate_with_its_lists_and_caveat(reported_victims, as_user):
    page = as_user("coordinator").get(reverse("reporting:dashboard"), {"year": YEAR},
                                      HTTP_ACCEPT_LANGUAGE="en")
    shown = page.context["hidden_number"]
    assert shown["observed"] == 7 and shown["lists"] == ["KMAR", "SZW"]
    html = page.content.decode()
    assert "Estimate of the hidden number" in html
    assert "It is an order of magnitude, not a count" in html
    assert ("95% interval" in html) != bool(shown["refused"])


def test_the_estimate_is_made_for_the_annual_report_only(reported_victims):
    assert report_context("annual", Period.year(YEAR))["hidden_number"]["observed"] == 7
    assert report_context("quarterly", Period.quarter(YEAR, 1))["hidden_number"] is None


def test_a_second_view_of_the_dashboard_does_not_fit_the_estimate_again(
        reported_victims, as_user, monkeypatch):
    from reporting import estimate_summary

    fits = []
    fit = estimate_summary.estimate_population
    monkeypatch.setattr(estimate_summary, "estimate_population",
                        lambda table: fits.append(table) or fit(table))
    coordinator = as_user("coordinator")
    first = coordinator.get(reverse("reporting:dashboard"), {"year": YEAR})
    second = coordinator.get(reverse("reporting:dashboard"), {"year": YEAR})
    assert len(fits) == 1
    assert first.context["hidden_number"] == second.context["hidden_number"]
    # another island is another estimate
    coordinator.get(reverse("reporting:dashboard"), {"year": YEAR, "island": "saba"})
    assert len(fits) == 1  # Saba has too few victims: refused before any fit
    assert len(estimate_summary.cache.get(estimate_summary.cache_key(
        Period.year(YEAR), "saba", ""))) > 0


def test_a_new_grouping_of_the_lists_fits_the_estimate_again(reported_victims, as_user,
                                                              monkeypatch):
    from reporting import estimate_summary

    fits = []
    fit = estimate_summary.estimate_population
    monkeypatch.setattr(estimate_summary, "estimate_population",
                        lambda table: fits.append(table.lists) or fit(table))
    coordinator = as_user("coordinator")
    coordinator.get(reverse("reporting:dashboard"), {"year": YEAR})
    coordinator.post(reverse("reporting:estimate_lists"), {"kmar": "Government",
                                                           "szw": "Government"})
    page = coordinator.get(reverse("reporting:dashboard"), {"year": YEAR})
    assert fits == [("KMAR", "SZW"), ("Government",)]
    assert page.context["hidden_number"]["lists"] == ["Government"]


def test_the_cached_estimate_still_suppresses_the_count_for_the_coordinator(
        reported_victims, settings):
    settings.SUPPRESS_BELOW = 10
    assert hidden_number(Period.year(YEAR), suppress_counts=False)["observed"] == 7
    assert hidden_number(Period.year(YEAR))["observed"] == "<10"
