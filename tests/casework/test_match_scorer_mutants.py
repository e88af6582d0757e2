"""The match scorer's arithmetic, point by point (`signals/matching.py`, mutation testing in
issue 14). Built from unsaved objects: `score` reads only what it is given."""

import datetime as dt

import pytest
from django.utils import translation

from casework.matching import common_name_penalty, score
from casework.models import PersonIdentifier
from register.models import Person
from register.names import name_similarity
from signals.models import SignalPerson

NAME, SOUND = PersonIdentifier.Kind.NAME, PersonIdentifier.Kind.SOUND
PHONE, DOCUMENT = PersonIdentifier.Kind.PHONE, PersonIdentifier.Kind.DOCUMENT
BORN = dt.date(1990, 4, 3)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def mention(name="jose rodriguez", **facts) -> SignalPerson:
    return SignalPerson(name_key=name, **facts)


def named(value="jose rodriguez", born=None) -> PersonIdentifier:
    return PersonIdentifier(kind=NAME, value=value, birth_date=born)


def person(nationality="") -> Person:
    return Person(nationality=nationality)


def test_the_same_name_alone_gives_sixty_points_and_says_so():
    assert score(mention(), person(), [named()]) == (60, ["name 100% alike"])


def test_no_name_to_compare_gives_no_points():
    assert score(mention(), person(), []) == (0, [])
    assert score(mention(), person(), [PersonIdentifier(kind=SOUND, value="jose rodriguez")]) \
        == (0, [])


def test_the_best_of_several_names_counts():
    assert score(mention(), person(), [named("juan perez"), named()]) == (60, ["name 100% alike"])


def test_a_name_less_than_sixty_percent_alike_is_not_given_as_a_reason():
    points, reasons = score(mention(), person(), [named("juan perez")])
    assert points == round(name_similarity("jose rodriguez", "juan perez") * 0.6) == 25
    assert reasons == []


@pytest.mark.parametrize(("sharing", "penalty"), [
    (0, 0), (1, 0), (2, 6), (3, 10), (4, 12), (16, 24), (32, 30), (64, 30)])
def test_a_name_many_share_loses_up_to_thirty_points(sharing, penalty):
    assert common_name_penalty(sharing) == penalty
    assert score(mention(), person(), [named()], sharing=sharing)[0] == 60 - penalty


@pytest.mark.parametrize(("stored", "points", "reason"), [
    (BORN, 100, "date of birth equal"),
    (dt.date(1990, 3, 4), 90, "date of birth with day and month swapped"),
    (dt.date(1990, 1, 1), 70, "same year of birth"),
    (dt.date(1985, 4, 3), 30, None),
])
def test_the_date_of_birth_adds_or_takes_points_for_an_alike_name(stored, points, reason):
    expected = ["name 100% alike"] + ([reason] if reason else [])
    assert score(mention(date_of_birth=BORN), person(), [named(born=stored)]) == (
        points, expected)


def test_the_best_of_several_dates_of_birth_counts():
    identifiers = [named(born=dt.date(1985, 4, 3)), named(born=BORN), named(born=None)]
    assert score(mention(date_of_birth=BORN), person(), identifiers) == (
        100, ["name 100% alike", "date of birth equal"])


def test_a_shared_birthday_counts_half_for_a_name_less_than_85_percent_alike():
    alike = name_similarity("jose rodriguez", "jose rodrigo")
    assert 60 <= alike < 85
    points, reasons = score(mention(date_of_birth=BORN), person(),
                            [named("jose rodrigo", born=BORN)])
    assert points == round(alike * 0.6 + 40 / 2) == 71
    assert reasons == [f"name {int(alike)}% alike", "date of birth equal"]


def test_a_different_birthday_counts_in_full_against_a_name_less_than_85_percent_alike():
    points, _ = score(mention(date_of_birth=BORN), person(),
                      [named("jose rodrigo", born=dt.date(1970, 1, 2))])
    assert points == round(name_similarity("jose rodriguez", "jose rodrigo") * 0.6 - 30) == 21


@pytest.mark.parametrize(("said", "stored", "points", "reasons"), [
    ("VE", "VE", 68, ["same nationality"]),
    ("VE", "CO", 48, []),
    ("", "VE", 60, []),
    ("VE", "", 60, []),
])
def test_nationality_adds_eight_points_when_the_same_and_takes_twelve_when_not(
        said, stored, points, reasons):
    assert score(mention(nationality=said), person(stored), [named()]) == (
        points, ["name 100% alike", *reasons])


def test_the_nationality_shown_to_the_analyst_is_the_one_compared():
    shown = person("CO")
    shown.shown_nationality = "VE"
    assert score(mention(nationality="VE"), shown, [named()])[0] == 68


def test_the_same_phone_adds_35_points_and_the_same_document_60():
    identifiers = [named(), PersonIdentifier(kind=PHONE, value="7171234"),
                   PersonIdentifier(kind=DOCUMENT, value="V12345678")]
    assert score(mention(phone="+599 717 1234"), person(), identifiers) == (
        95, ["name 100% alike", "same phone number"])
    assert score(mention("", document_number="V-12.345.678"), person(), identifiers) == (
        60, ["same identity document"])
    assert score(mention("", phone="+599 717 9999", document_number="V-1"), person(),
                 identifiers) == (0, [])


def test_a_phone_matching_a_document_number_is_no_phone_match():
    identifiers = [PersonIdentifier(kind=DOCUMENT, value="7171234")]
    assert score(mention("", phone="+599 717 1234"), person(), identifiers) == (0, [])
    identifiers = [PersonIdentifier(kind=PHONE, value="12345678")]
    assert score(mention("", document_number="12345678"), person(), identifiers) == (0, [])


def test_the_score_stays_between_0_and_100():
    everything = [named(born=BORN), PersonIdentifier(kind=PHONE, value="7171234"),
                  PersonIdentifier(kind=DOCUMENT, value="V12345678")]
    assert score(mention(date_of_birth=BORN, phone="+599 717 1234",
                         document_number="V12345678"), person(), everything)[0] == 100
    nothing = [named("juan perez", born=dt.date(1970, 1, 2))]
    assert score(mention(date_of_birth=BORN, nationality="VE"), person("CO"), nothing,
                 sharing=64)[0] == 0


def test_a_name_just_over_sixty_percent_alike_is_given_as_a_reason():
    alike = name_similarity("jose rodriguez", "jos roane")
    assert 60 <= alike < 61
    assert score(mention(), person(), [named("jos roane")]) == (
        round(alike * 0.6), ["name 60% alike"])
