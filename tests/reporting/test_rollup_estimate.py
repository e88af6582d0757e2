"""The hidden-number estimate fitted with the yearly rollup (issue 21): the annual report made
from a fresh rollup shows the estimate the live fit gives, in every language, without fitting
(and so without loading the statistics libraries in the report's worker); a change of the
register or of the grouping of the lists since the count makes it fit live again."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from casework.dossiers import dossier_person_update
from register.models import DossierPerson
from reporting import estimate_summary, rollup
from reporting.content import report_context
from reporting.estimate_lists import estimate_lists_set
from reporting.figures import Period
from reporting.models import FigureRollupYear
from tests.personas import persona
from tests.reporting.builders import YEAR

PERIOD = Period.year(YEAR)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def fits(monkeypatch):
    """The capture tables the estimate is fitted on, as they are fitted."""
    fitted = []
    fit = estimate_summary.estimate_population
    monkeypatch.setattr(estimate_summary, "estimate_population",
                        lambda table: fitted.append(table.lists) or fit(table))
    return fitted


@pytest.fixture
def counted(reported_victims):
    rollup.refresh(YEAR)
    cache.clear()  # nothing fitted before the report but what the rollup holds
    return reported_victims


def live_estimate(island: str = "", suppress_counts: bool = True) -> dict:
    cache.clear()
    return estimate_summary.hidden_number(PERIOD, island, suppress_counts=suppress_counts)


def report_estimate(island: str = "", suppress_counts: bool = True) -> dict:
    return report_context("annual", PERIOD, island=island,
                          suppress_counts=suppress_counts)["hidden_number"]


def test_the_nightly_count_fits_the_estimate_for_every_island_and_language(counted):
    estimates = FigureRollupYear.objects.get(year=YEAR).estimates
    assert len(estimates) == len(rollup.ISLANDS) * len(LANGUAGES)
    for language in LANGUAGES:
        with translation.override(language):
            assert rollup._estimate_key(PERIOD, "") in estimates
            assert rollup._estimate_key(PERIOD, "").startswith(
                estimate_summary.cache_key(PERIOD, "", ""))
    # observed unsuppressed, as the fit returns it: the reader's suppression comes later
    with translation.override("en"):
        assert estimates[rollup._estimate_key(PERIOD, "")]["observed"] == 7


def test_the_report_from_the_rollup_shows_the_live_estimate_in_each_language(counted, fits):
    for language in LANGUAGES:
        with translation.override(language):
            for island in rollup.ISLANDS:
                for exact in (False, True):
                    fitted_before = len(fits)
                    shown = report_estimate(island, suppress_counts=not exact)
                    assert len(fits) == fitted_before  # from the rollup
                    assert shown == live_estimate(island, suppress_counts=not exact)
    assert fits  # the live estimates above were fitted: some islands have enough victims


def test_the_texts_of_the_stored_estimate_are_in_the_reports_language(counted):
    with translation.override("en"):
        english = report_estimate()
    with translation.override("nl"):
        dutch = report_estimate()
    assert english["method"] and english["method"] != dutch["method"]
    assert english["observed"] == dutch["observed"] == 7


def test_a_report_from_a_fresh_rollup_does_not_fit_the_estimate(counted, fits):
    with translation.override("en"):
        shown = report_estimate()
    assert fits == []
    assert shown["observed"] == 7 and shown["lists"] == ["KMAR", "SZW"]


def test_the_stored_estimate_suppresses_the_count_as_the_live_one(reported_victims, settings):
    settings.SUPPRESS_BELOW = 10
    rollup.refresh(YEAR)
    assert rollup.hidden_number(PERIOD)["observed"] == "<10"
    assert rollup.hidden_number(PERIOD, suppress_counts=False)["observed"] == 7
    assert rollup.hidden_number(PERIOD) == live_estimate()


def test_a_raised_suppression_threshold_fits_the_estimate_live(counted, fits, settings):
    """Fitted under the old threshold, the stored estimate would show a number next to a
    count now suppressed: the live fit refuses it instead."""
    settings.SUPPRESS_BELOW = 10
    shown = report_estimate()
    assert shown["observed"] == "<10" and "estimate" not in shown and shown["refused"]
    assert shown == live_estimate()


def test_a_change_after_the_count_fits_the_estimate_live_again(counted, fits):
    victim = DossierPerson.objects.filter(role="victim", dossier__title="Case").first()
    dossier_person_update(actor=persona("analyst_kpcn"), role=victim,
                          values={"victim_status": "not_a_victim"})
    assert not rollup.is_fresh(YEAR)
    shown = report_estimate(suppress_counts=False)
    assert len(fits) == 1 and shown["observed"] == 6
    rollup.refresh(YEAR)  # the night after: from the rollup again, with the change
    fits.clear()
    assert report_estimate(suppress_counts=False)["observed"] == 6 and fits == []


def test_a_new_grouping_of_the_lists_fits_the_estimate_live(counted, fits):
    estimate_lists_set(actor=persona("coordinator"),
                       names={"kmar": "Government", "szw": "Government"})
    assert rollup.is_fresh(YEAR)  # the grouping is not a fact the figures count
    shown = report_estimate()
    assert fits == [("Government",)] and shown["lists"] == ["Government"]


def test_other_periods_fit_the_estimate_live(counted, fits):
    all_but_new_year = Period(PERIOD.start.replace(day=2), PERIOD.end)
    assert (rollup.hidden_number(all_but_new_year)
            == estimate_summary.hidden_number(all_but_new_year))
    assert len(fits) == 1

