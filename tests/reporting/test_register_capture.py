"""The register's capture table: each presumed victim of the period once on every list whose
organisations reported them, filtered by year, island and form, in two queries."""

import datetime as dt

import pytest
from django.utils import translation

from casework.dossiers import dossier_open, dossier_person_update
from reporting.estimate_summary import hidden_number, round_down, round_estimate, round_up
from reporting.figures import Period
from reporting.register_capture import OTHER, list_grouping, register_capture_table
from signals.models import SignalPerson
from tests.personas import persona
from tests.reporting.builders import YEAR, victim
from tests.signals.builders import file_signal


def name_again(mention_names, reporter, island="bonaire"):
    """A later signal naming persons already in the register, linked to them as triage would."""
    signal = file_signal(persona(reporter), island=island,
                         persons=[victim(n) for n in mention_names])
    for mention in signal.persons.all():
        known = SignalPerson.objects.filter(given_names=mention.given_names,
                                            person__isnull=False).first()
        mention.person = known.person
        mention.save(update_fields=["person"])
    return signal


@pytest.fixture
def reported_victims(db):
    """Seven presumed victims reported by KMar this year, V0 and V1 named again by SZW on Saba
    and V0 a second time by KMar; V0-V2 in labour exploitation; one victim last year."""
    analyst = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), persons=[victim(n) for n in range(7)])
    dossier = dossier_open(actor=analyst, signals=[signal], title="Case")
    for role in dossier.persons.all():
        number = int(role.person.mentions.first().given_names[1:])
        dossier_person_update(actor=analyst, role=role, values={
            "victim_status": "presumed", "identified_on": dt.date(YEAR, 2, 1),
            "form_of_exploitation": "labour_exploitation" if number < 3 else ""})
    name_again([0, 1], "reporter_szw", island="saba")
    name_again([0], "reporter_kmar")
    old = file_signal(persona("reporter_szw"), persons=[victim(99)])
    old_dossier = dossier_open(actor=analyst, signals=[old], title="Old")
    dossier_person_update(actor=analyst, role=old_dossier.persons.get(), values={
        "victim_status": "presumed", "identified_on": dt.date(YEAR - 1, 5, 5)})


def test_each_victim_is_counted_once_on_every_list_that_reported_them(reported_victims):
    table = register_capture_table(Period.year(YEAR))
    assert table.lists == ("KMAR", "SZW")
    assert table.counts == {(1, 0): 5, (1, 1): 2}


def test_the_capture_table_takes_two_queries_whatever_the_register_holds(
        reported_victims, django_assert_num_queries):
    with django_assert_num_queries(2):
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


def test_configured_organisations_form_one_list(reported_victims, settings):
    settings.ESTIMATE_LISTS = {"kmar": "Government", "szw": "Government"}
    table = register_capture_table(Period.year(YEAR))
    assert table.lists == ("Government",) and table.counts == {(1,): 7}


def test_beyond_six_lists_the_smallest_are_taken_together():
    groups = list_grouping({"a": 9, "b": 8, "c": 7, "d": 6, "e": 5, "f": 2, "g": 1})
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
