"""The yearly rollup of the report figures (issue 21): after every kind of change, counted
again as the nightly task does, it gives every figure a full recount gives; between a change
and the next count, the report counts live rather than show a stale figure."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.dossiers import dossier_merge, dossier_open, dossier_person_update, follow_up_add
from casework.persons import person_merge
from casework.triage import triage_correct_coding, triage_decline, triage_take_in
from register.models import DossierPerson, Organisation
from register.retention import sources
from register.services.audit import audit_record
from reporting import figures, rollup
from reporting.content import report_context
from reporting.figures import Period
from reporting.models import FigureRollup, FigureRollupYear
from tests.personas import persona
from tests.signals.builders import file_signal

YEAR = timezone.localdate().year
PERIOD = Period.year(YEAR)


def person(n, sex="female", nationality="VE", age=22):
    return {"role": "victim", "given_names": f"R{n}", "family_name": "Rollup", "sex": sex,
            "nationality": nationality, "estimated_age": age}


def identify(dossier, form="labour_exploitation", status="presumed"):
    for role in dossier.persons.all():
        dossier_person_update(actor=persona("analyst_kpcn"), role=role, values={
            "victim_status": status if role.role == "victim" else "",
            "identified_on": dt.date(YEAR, 3, 1), "form_of_exploitation": form})


@pytest.fixture
def year_of_cases(db):
    """Signals on two islands and in three sectors, two dossiers with victims of several sexes,
    ages and nationalities, follow-up of each MoU kind, one signal not taken up."""
    analyst, kpcn = persona("analyst_kpcn"), Organisation.objects.get(code="kpcn")
    om = Organisation.objects.get(code="om")
    first = file_signal(persona("reporter_kmar"), island="bonaire", sector="construction",
                        forms=["labour_exploitation", "people_smuggling"],
                        persons=[person(1), person(2, sex="male", nationality="CO", age=40),
                                 {"role": "suspect", "family_name": "S1"}])
    second = file_signal(persona("reporter_szw"), island="saba", sector="hospitality",
                         forms=["sexual_exploitation"],
                         persons=[person(3, nationality="DO", age=16), person(4)])
    declined = file_signal(persona("reporter_kmar"), island="saba", sector="retail")
    triage_decline(actor=analyst, signal=declined, reason="Not about trafficking.")
    one = dossier_open(actor=analyst, signals=[first], title="One")
    two = dossier_open(actor=analyst, signals=[second], title="Two")
    identify(one)
    identify(two, form="sexual_exploitation", status="confirmed")
    follow_up_add(actor=analyst, dossier=one, kind="criminal_investigation", organisation=kpcn,
                  outcome="done", happened_on=dt.date(YEAR, 1, 10))
    follow_up_add(actor=analyst, dossier=two, kind="prosecution", organisation=om,
                  outcome="done", happened_on=dt.date(YEAR, 1, 11))
    follow_up_add(actor=analyst, dossier=two, kind="verdict", organisation=om,
                  outcome="conviction", happened_on=dt.date(YEAR, 1, 12))
    return {"one": one, "two": two, "first": first, "second": second}


def stored_figures(year: int) -> dict:
    """Every figure as the report reads it, asserting it came from the rollup."""
    period = Period.year(year)
    assert rollup.is_fresh(year)
    for island in rollup.ISLANDS:
        assert rollup._stored(period, island) is not None
    return recounted(year, source=rollup)


def recounted(year: int, source=figures) -> dict:
    period = Period.year(year)
    return {**{f"signals {island or 'all'}": source.signal_figures(period, island)
               for island in rollup.ISLANDS},
            "total": source.signal_total(period), "cases": source.case_figures(period),
            "victims": source.victim_figures(period), "mou": source.mou_period_figures(period)}


def assert_agree_after_nightly_count(year: int = YEAR) -> None:
    """Stale after the change, so counted live meanwhile; counted again, the same as a
    recount, field by field."""
    assert not rollup.is_fresh(year)
    assert recounted(year, source=rollup) == recounted(year)
    call_command("refresh_rollup", year=[year])  # what the nightly task does for a stale year
    assert stored_figures(year) == recounted(year)


@pytest.fixture
def counted(year_of_cases):
    rollup.refresh(YEAR)
    before = recounted(YEAR)
    assert before["signals all"].total == 3 and before["victims"].total == 4
    assert stored_figures(YEAR) == before
    return year_of_cases


def test_the_rollup_gives_the_recounts_figures_once_counted(counted):
    assert FigureRollup.objects.filter(year=YEAR).count() > 30
    assert FigureRollupYear.objects.get(year=YEAR).watermark > 0


def test_the_annual_report_reads_the_same_from_the_rollup_as_from_a_recount(year_of_cases):
    live = report_context("annual", PERIOD, suppress_counts=False)
    rollup.refresh(YEAR)
    assert report_context("annual", PERIOD, suppress_counts=False) == live


def test_the_report_reads_the_rollup_while_it_is_fresh(counted):
    """Not a recount in disguise: a stored count is what the report shows."""
    FigureRollup.objects.filter(year=YEAR, island="", figure="signals.total").update(n=999)
    assert rollup.signal_figures(PERIOD).total == 999
    assert report_context("annual", PERIOD, suppress_counts=False)["signals_total"] == 999


def test_reading_and_signing_in_leave_the_rollup_fresh(counted):
    analyst = persona("analyst_kpcn")
    for action in ("register.dossier.viewed", "signals.inbox.listed",
                   "register.session.login", "reporting.report.made"):
        audit_record(actor=analyst, action=action)
    assert rollup.is_fresh(YEAR)


def test_an_unknown_action_makes_the_rollup_stale(counted):
    audit_record(actor=persona("analyst_kpcn"), action="register.something.new")
    assert not rollup.is_fresh(YEAR)


def test_a_signal_filed_after_a_year_ended_leaves_that_years_rollup_fresh(counted):
    last_year = YEAR - 1
    rollup.refresh(last_year)
    file_signal(persona("reporter_kmar"))
    assert rollup.is_fresh(last_year)
    assert not rollup.is_fresh(YEAR)


def test_filing_a_signal(counted):
    file_signal(persona("reporter_kmar"), island="sint_eustatius", sector="agriculture",
                forms=["forced_criminality"], persons=[person(9, sex="male")])
    assert_agree_after_nightly_count()
    assert rollup.signal_figures(PERIOD).total == 4


def test_taking_in_and_declining_signals(counted):
    analyst = persona("analyst_kpcn")
    triage_take_in(actor=analyst, signal=file_signal(persona("reporter_kmar")))
    triage_decline(actor=analyst, signal=file_signal(persona("reporter_szw"), island="saba"),
                   reason="Outside the register's remit.")
    assert_agree_after_nightly_count()
    assert rollup.signal_figures(PERIOD).not_taken_up == 2


def test_a_coding_correction_of_island_sector_and_forms(counted):
    signal = counted["first"]
    triage_correct_coding(actor=persona("analyst_kpcn"), signal=signal, island="saba",
                          sector="retail", forms=["sexual_exploitation"])
    assert_agree_after_nightly_count()
    assert ("saba", 3) in rollup.signal_figures(PERIOD).by_island


def test_identifying_victims_and_follow_up(counted):
    analyst = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), persons=[person(7, nationality="HT")])
    dossier = dossier_open(actor=analyst, signals=[signal], title="Three")
    identify(dossier, form="forced_criminality")
    follow_up_add(actor=analyst, dossier=dossier, kind="verdict",
                  organisation=Organisation.objects.get(code="om"), outcome="acquittal",
                  happened_on=dt.date(YEAR, 2, 2))
    assert_agree_after_nightly_count()
    assert rollup.victim_figures(PERIOD).total == 5


def test_a_person_merge(counted):
    victims = [role.person for role in DossierPerson.objects.filter(
        dossier__in=[counted["one"], counted["two"]], role="victim").order_by("pk")]
    person_merge(actor=persona("analyst_kpcn"), source=victims[3], target=victims[0])
    assert_agree_after_nightly_count()
    assert rollup.victim_figures(PERIOD).total == 3


def test_a_dossier_merge(counted):
    dossier_merge(actor=persona("analyst_kpcn"), source=counted["two"], target=counted["one"])
    assert_agree_after_nightly_count()
    assert rollup.case_figures(PERIOD).dossiers_opened == 1


def test_retention_anonymising_signals(counted):
    retention = sources()["signals.signal"]
    retention.anonymise(actor=persona("manager"),
                        object_ids=[counted["first"].pk, counted["second"].pk])
    assert_agree_after_nightly_count()


def test_the_nightly_count_takes_the_stale_years_and_leaves_the_fresh_ones(counted):
    refreshed = FigureRollupYear.objects.get(year=YEAR).refreshed_at
    done = rollup.refresh_stale()
    assert YEAR not in done and set(done) == {YEAR - 3, YEAR - 2, YEAR - 1}
    assert FigureRollupYear.objects.get(year=YEAR).refreshed_at == refreshed
    file_signal(persona("reporter_kmar"))
    assert rollup.refresh_stale() == [YEAR]


def test_other_periods_are_counted_live(counted):
    FigureRollup.objects.filter(year=YEAR, figure="signals.total").update(n=999)
    quarter = Period.quarter(YEAR, 1 + (timezone.localdate().month - 1) // 3)
    assert rollup.signal_figures(quarter) == figures.signal_figures(quarter)
    assert rollup.signal_figures(quarter).total != 999


# -- read once per report ------------------------------------------------------------------

ROLLUP_TABLES = ("reporting_figurerollupyear", "register_auditevent", "reporting_figurerollup")


def rollup_queries(queries: CaptureQueriesContext) -> dict[str, int]:
    """How many queries read each table of the rollup and its freshness."""
    return {table: sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries)
            for table in ROLLUP_TABLES}


@pytest.fixture
def three_years_counted(counted):
    """The years an annual report reads: its own, and two before (MoU and key figures)."""
    for year in (YEAR - 2, YEAR - 1):
        rollup.refresh(year)
    return counted


def test_a_report_checks_and_reads_each_year_of_the_rollup_once(three_years_counted):
    with CaptureQueriesContext(connection) as queries:
        report_context("annual", PERIOD)
    # A dozen figures of three years: per year one look at its state, one at the audit trail
    # after it, one read of its rows (before, three per figure read).
    assert rollup_queries(queries) == dict.fromkeys(ROLLUP_TABLES, 3)


def read_every_figure(times: int) -> None:
    for _ in range(times):
        recounted(YEAR, source=rollup)
        rollup.mou_figures(YEAR)


def test_within_one_reading_more_figures_cost_no_more_queries(counted):
    with rollup.reading(), CaptureQueriesContext(connection) as one:
        rollup.signal_total(PERIOD)
    with rollup.reading(), CaptureQueriesContext(connection) as many:
        read_every_figure(times=3)
    # the rows are read per island: one read for each of them, however many figures
    assert rollup_queries(one) == {**dict.fromkeys(ROLLUP_TABLES, 1)}
    assert rollup_queries(many) == {**dict.fromkeys(ROLLUP_TABLES[:2], 1),
                                    "reporting_figurerollup": len(rollup.ISLANDS)}
    # outside a reading, each figure checks the rollup's freshness again, as before
    with CaptureQueriesContext(connection) as unread:
        read_every_figure(times=1)
    figures_read = len(rollup.ISLANDS) + 5  # signals per island; total, cases, victims, MoU x2
    assert rollup_queries(unread)["reporting_figurerollupyear"] == figures_read


def test_a_change_between_two_reports_is_seen_by_the_second(counted):
    FigureRollup.objects.filter(year=YEAR, island="", figure="signals.total").update(n=999)
    assert report_context("annual", PERIOD, suppress_counts=False)["signals_total"] == 999
    file_signal(persona("reporter_kmar"))
    assert report_context("annual", PERIOD, suppress_counts=False)["signals_total"] == 4


def test_a_change_during_a_reading_is_seen_after_it(counted):
    with rollup.reading():
        assert rollup.is_fresh(YEAR)
        file_signal(persona("reporter_kmar"))
        assert rollup.signal_total(PERIOD) == 3  # this report's reading of the year
    assert not rollup.is_fresh(YEAR)
    assert rollup.signal_total(PERIOD) == 4
