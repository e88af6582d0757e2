"""The report figures one by one, on a few rows with known times (`reporting/figures.py`,
mutation testing in issue 14). The report tests check the figures through the PDF; these
check each number, each order and each period edge where it is computed."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.dossiers import dossier_open, dossier_person_update, follow_up_add
from casework.triage import mention_link
from register.models import Dossier, DossierPerson, FollowUpAction, Organisation
from reporting.figures import (
    Period,
    _rows,
    case_figures,
    mou_period_figures,
    signal_figures,
    suppress,
    victim_figures,
)
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

YEAR = 2025
PERIOD = Period.year(YEAR)


def moment(month: int, day: int, hour: int = 9, year: int = YEAR) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def received(at: dt.datetime, **changes) -> Signal:
    """A signal filed by a partner and received at `at`."""
    signal = file_signal(persona("reporter_kmar"), **changes)
    Signal.objects.filter(pk=signal.pk).update(received_at=at)
    return Signal.objects.get(pk=signal.pk)


@pytest.mark.parametrize(("quarter", "first", "last"), [
    (1, (1, 1), (3, 31)), (2, (4, 1), (6, 30)), (3, (7, 1), (9, 30)), (4, (10, 1), (12, 31))])
def test_a_quarter_runs_from_the_first_day_of_its_first_month_to_the_last_of_its_third(
        quarter, first, last):
    period = Period.quarter(YEAR, quarter)
    assert (period.start, period.end) == (dt.date(YEAR, *first), dt.date(YEAR, *last))


def test_the_four_quarters_cover_the_year_day_by_day():
    quarters = [Period.quarter(2024, q) for q in (1, 2, 3, 4)]
    assert quarters[0].start == Period.year(2024).start
    assert quarters[-1].end == Period.year(2024).end
    for before, after in zip(quarters, quarters[1:], strict=False):
        assert after.start - before.end == dt.timedelta(days=1)
    assert sum((q.end - q.start).days + 1 for q in quarters) == 366


def test_a_threshold_given_to_suppress_wins_over_the_setting(settings):
    settings.SUPPRESS_BELOW = 5
    assert [suppress(n, threshold=10) for n in (0, 3, 7, 10)] == [0, "<10", "<10", 10]
    assert suppress(3, threshold=2) == 3


def test_the_signal_figures_count_only_the_period_and_the_island_asked_for(db):
    no_sector = received(moment(3, 10), island="saba", forms=["sexual_exploitation"])
    Signal.objects.filter(pk=no_sector.pk).update(sector="")  # as rows from before the sector
    received(moment(3, 11), island="saba", sector="retail",
             forms=["sexual_exploitation", "people_smuggling"])
    received(moment(5, 2), island="bonaire", sector="retail", forms=["labour_exploitation"])
    received(moment(1, 1, year=YEAR + 1), island="saba", sector="retail")  # after the period

    figures = signal_figures(PERIOD)
    assert figures.total == 3
    assert figures.by_island == [("saba", 2), ("bonaire", 1)]
    assert figures.by_sector == [("retail", 2), ("", 1)]
    assert figures.by_form == [("sexual_exploitation", 2), ("labour_exploitation", 1),
                               ("people_smuggling", 1)]
    assert figures.by_month == [(f"{YEAR}-03", 2), (f"{YEAR}-05", 1)]

    saba = signal_figures(PERIOD, "saba")
    assert saba.total == 2
    assert saba.by_island == [("saba", 2)]
    assert saba.by_month == [(f"{YEAR}-03", 2)]


def test_the_days_to_triage_are_the_average_wait_rounded_to_a_tenth(db):
    waited = received(moment(2, 1))
    received(moment(2, 2))  # not triaged yet: no wait to count
    # 1.15 days and a second: 1.2 days; a slightly longer day would make it 1.1.
    Signal.objects.filter(pk=waited.pk).update(
        triaged_at=waited.received_at + dt.timedelta(seconds=99361))
    assert signal_figures(PERIOD).days_to_triage == 1.2


def test_no_triaged_signal_gives_no_days_to_triage(db):
    received(moment(2, 1))
    figures = signal_figures(PERIOD)
    assert (figures.days_to_triage, figures.days_to_follow_up) == (None, None)


def action(dossier: Dossier, created: dt.datetime, kind: str = "criminal_investigation",
           organisation: str = "kpcn") -> FollowUpAction:
    made = follow_up_add(actor=persona("analyst_kpcn"), dossier=dossier, kind=kind,
                         organisation=Organisation.objects.get(code=organisation),
                         brief="Asked of a partner: a task with this brief.")
    FollowUpAction.objects.filter(pk=made.pk).update(created_at=created)
    return made


def test_the_days_to_follow_up_run_from_receipt_to_the_dossiers_first_action(db):
    followed = received(moment(4, 1))
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[followed], title="Followed")
    action(dossier, followed.received_at + dt.timedelta(days=5))
    action(dossier, followed.received_at + dt.timedelta(days=2, hours=12))  # the first
    idle = received(moment(4, 2))
    dossier_open(actor=persona("analyst_kpcn"), signals=[idle], title="Nothing done yet")
    received(moment(4, 3))  # in no dossier
    assert signal_figures(PERIOD).days_to_follow_up == 2.5


def test_rows_count_each_row_once_however_the_query_joins(db):
    received(moment(6, 1), island="saba", persons=[
        {"role": "victim", "family_name": "A"}, {"role": "victim", "family_name": "B"}])
    received(moment(6, 2), island="bonaire", persons=[{"role": "victim", "family_name": "C"}])
    with_victims = Signal.objects.filter(persons__role="victim")
    assert with_victims.count() == 3  # one row per victim
    assert _rows(with_victims, "island") == [("bonaire", 1), ("saba", 1)]


def test_the_case_figures_count_the_periods_dossiers_and_actions_of_unmerged_dossiers(db):
    analyst = persona("analyst_kpcn")
    signals = [received(moment(2, day)) for day in (1, 2, 3, 4)]
    opened, closed, closed_before, merged = (
        dossier_open(actor=analyst, signals=[signal], title=f"Case {n}")
        for n, signal in enumerate(signals))
    action(opened, moment(3, 1))
    action(opened, moment(3, 2), kind="prosecution", organisation="om")
    action(closed, moment(3, 3), kind="prosecution", organisation="om")
    action(opened, moment(1, 5, year=YEAR + 1))  # after the period
    action(merged, moment(3, 4))
    Dossier.objects.filter(pk__in=[opened.pk, closed.pk, merged.pk]).update(
        created_at=moment(2, 5), updated_at=moment(9, 1))
    Dossier.objects.filter(pk=closed.pk).update(status="closed", closed_at=moment(9, 1))
    # Closed last year, and a note added this year: a closure of last year all the same.
    Dossier.objects.filter(pk=closed_before.pk).update(
        status="closed", created_at=moment(12, 1, year=YEAR - 1),
        closed_at=moment(12, 20, year=YEAR - 1), updated_at=moment(3, 1))
    Dossier.objects.filter(pk=merged.pk).update(merged_into=opened, status="closed")

    figures = case_figures(PERIOD)
    assert figures.dossiers_opened == 2  # the merged one is no longer a dossier of its own
    assert figures.dossiers_closed == 1
    assert figures.follow_ups_by_kind == [("prosecution", 2), ("criminal_investigation", 1)]
    assert figures.follow_ups_by_organisation == [("om", 2), ("kpcn", 1)]


def victims_in_a_dossier(victims: dict[str, tuple[str, str, str]], title: str,
                        identified: dt.date) -> Dossier:
    """A dossier from one signal naming one suspect and the victims, each given as
    family name: (sex, nationality, victim status); each is identified on `identified`."""
    analyst = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "family_name": name, "sex": sex, "nationality": nationality,
         "estimated_age": 30} for name, (sex, nationality, _status) in victims.items()
    ] + [{"role": "suspect", "family_name": "Boss"}])
    dossier = dossier_open(actor=analyst, signals=[signal], title=title)
    for role in dossier.persons.filter(role="victim").select_related("person"):
        dossier_person_update(actor=analyst, role=role, values={
            "victim_status": victims[role.person.family_name][2], "identified_on": identified})
    return dossier


def test_only_presumed_and_confirmed_victims_of_unmerged_dossiers_are_counted(db):
    day = dt.date(YEAR, 6, 1)
    dossier = victims_in_a_dossier({
        "Ana": ("male", "CO", "confirmed"), "Bea": ("female", "VE", "presumed"),
        "Cira": ("female", "VE", "possible"), "Dora": ("female", "VE", "not_a_victim"),
        "Eva": ("male", "CO", "presumed"), "Ida": ("male", "", "presumed")}, "Counted", day)
    # A suspect row carrying a victim status, as an import could leave one, is no victim.
    DossierPerson.objects.filter(dossier=dossier, role="suspect").update(
        victim_status="presumed", identified_on=day)
    merged = victims_in_a_dossier({"Fay": ("male", "VE", "presumed")}, "Merged away", day)
    Dossier.objects.filter(pk=merged.pk).update(merged_into=dossier)
    victims_in_a_dossier({"Gia": ("male", "VE", "presumed")}, "Last year",
                         dt.date(YEAR - 1, 12, 31))

    figures = victim_figures(PERIOD)
    assert figures.total == 4
    assert figures.by_sex == [("male", 3), ("female", 1)]
    assert figures.by_nationality == [("CO", 2), ("VE", 1), ("unknown", 1)]
    assert figures.by_age_band == [("25-34", 4)]


def test_a_victim_mentioned_twice_is_counted_once_by_what_the_first_mention_says(db):
    day = dt.date(YEAR, 6, 1)
    dossier = victims_in_a_dossier({"Ana": ("female", "VE", "presumed"),
                                    "Bea": ("male", "CO", "presumed")}, "Counted", day)
    ana = dossier.persons.get(person__family_name="Ana").person
    later = file_signal(persona("reporter_szw"), persons=[
        {"role": "victim", "family_name": "Ana", "sex": "male", "nationality": "CO"}])
    mention_link(actor=persona("analyst_kpcn"), mention=later.persons.get(), person=ana)
    assert ana.mentions.count() == 2

    figures = victim_figures(PERIOD)
    assert figures.total == 2
    assert figures.by_sex == [("female", 1), ("male", 1)]
    assert figures.by_nationality == [("CO", 1), ("VE", 1)]


def test_a_year_runs_from_the_first_of_january_to_the_thirty_first_of_december():
    assert (PERIOD.start, PERIOD.end) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))


def test_the_mou_figures_count_the_period_and_leave_merged_dossiers_out(db):
    analyst, om = persona("analyst_kpcn"), Organisation.objects.get(code="om")
    dossier = victims_in_a_dossier({"Ana": ("female", "VE", "presumed"),
                                    "Bea": ("female", "VE", "possible")}, "Counted",
                                   dt.date(YEAR, 1, 1))
    suspect = dossier.persons.get(role="suspect")
    DossierPerson.objects.filter(pk=suspect.pk).update(identified_on=dt.date(YEAR, 12, 31))
    # Rows the services never write, but the figures must not count either way: a suspect
    # with a victim status, a conviction that is not a verdict.
    DossierPerson.objects.filter(pk=suspect.pk).update(victim_status="presumed")
    for kind, outcome, day in (("prosecution", "done", dt.date(YEAR, 3, 1)),
                               ("verdict", "conviction", dt.date(YEAR, 12, 31)),
                               ("verdict", "acquittal", dt.date(YEAR, 6, 1)),
                               ("prosecution", "done", dt.date(YEAR - 1, 12, 31))):
        follow_up_add(actor=analyst, dossier=dossier, kind=kind, organisation=om,
                      outcome=outcome, happened_on=day)
    odd = follow_up_add(actor=analyst, dossier=dossier, kind="prosecution", organisation=om,
                        outcome="done", happened_on=dt.date(YEAR, 3, 2))
    FollowUpAction.objects.filter(pk=odd.pk).update(outcome="conviction")
    merged = victims_in_a_dossier({"Fay": ("male", "VE", "presumed")}, "Merged away",
                                  dt.date(YEAR, 5, 1))
    follow_up_add(actor=analyst, dossier=merged, kind="verdict", organisation=om,
                  outcome="conviction", happened_on=dt.date(YEAR, 5, 2))
    Dossier.objects.filter(pk=merged.pk).update(merged_into=dossier)

    figures = mou_period_figures(PERIOD)
    assert figures.year == YEAR
    assert (figures.victims, figures.suspects) == (1, 1)
    assert (figures.prosecutions, figures.verdicts, figures.convictions) == (2, 2, 1)
    assert mou_period_figures(Period.quarter(YEAR, 1)).prosecutions == 2
    assert mou_period_figures(Period.quarter(YEAR, 4)).convictions == 1
