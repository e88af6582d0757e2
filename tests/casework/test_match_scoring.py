"""The Fellegi-Sunter weights, level by level (`casework/match_scoring.py`). Fed unsaved
objects: the scorer reads only what it is given."""

import datetime as dt
import math

import pytest
from django.utils import translation

from casework.match_scoring import (
    DEFAULT_M,
    Agreement,
    Statistics,
    compare_births,
    compare_facts,
    compare_names,
    name_weight,
    probability,
)
from casework.matching import THRESHOLD, assess
from casework.models import PersonIdentifier
from register.models import Person
from signals.models import SignalPerson

NAME = PersonIdentifier.Kind.NAME
PHONE, DOCUMENT = PersonIdentifier.Kind.PHONE, PersonIdentifier.Kind.DOCUMENT
BORN = dt.date(1990, 4, 3)
DAY, YEAR = "day", "year"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def levels(said: str, stored: str, stats: Statistics | None = None) -> dict[str, int]:
    return {a.key: a.count for a in compare_names(said, stored, stats or Statistics())}


@pytest.mark.parametrize(("said", "stored", "level"), [
    ("jose rodriguez", "jose rodriguez", "word.exact"),
    ("jose gonzalez", "jose gonsales", "word.sound"),       # sounds alike
    ("jose yennifer", "jose jennifer", "word.sound"),       # Spanish y / j
    ("jose rodrigez", "jose rodriguez", "word.sound"),      # a letter dropped, Jaro-Winkler
    ("jose mendizabal", "jose mendizbaal", "word.sound"),   # two letters swapped
    ("jose martina", "jose martinez", "word.close"),        # one letter changed, two apart
    ("j rodriguez", "jose rodriguez", "word.short"),        # an initial
    ("ma rodriguez", "maria rodriguez", "word.short"),      # the usual short form
    ("alex rodriguez", "alexandra rodriguez", "word.short"),  # a word beginning
    ("pedro rodriguez", "jose rodriguez", "word.other"),
])
def test_each_name_word_is_compared_at_its_level_of_agreement(said, stored, level):
    found = levels(said, stored)
    assert found.get(level) == 1 or (level == "word.exact" and found == {"word.exact": 2})


def test_words_left_over_on_both_sides_differ_and_on_one_side_are_left_out():
    assert levels("miriam arrieta", "miriam arrieta camargo") == {
        "word.exact": 2, "word.left_out": 1}
    assert levels("miriam arrieta camargo", "miriam arrieta") == {
        "word.exact": 2, "word.left_out": 1}
    assert levels("pedro luis arrieta", "miriam arrieta") == {
        "word.exact": 1, "word.other": 1, "word.left_out": 1}


def test_a_rare_name_word_weighs_more_than_a_common_one():
    stats = Statistics(persons=100_000, words={"jose": 5000, "yusmary": 3})
    common = compare_names("jose", "jose", stats)[0]
    rare = compare_names("yusmary", "yusmary", stats)[0]
    assert common.u == pytest.approx(5001 / 101_000)
    assert rare.weight(DEFAULT_M) > common.weight(DEFAULT_M) + 10


def test_words_the_same_weigh_no_more_than_the_persons_sharing_their_pair():
    words = {"jose": 2000, "rodriguez": 2000}
    apart = Statistics(persons=99_000, words=words)
    together = Statistics(persons=99_000, words=words, pairs={"jose rodriguez": 1999})
    alone = compare_names("jose rodriguez", "jose rodriguez", apart)[0]
    joint = compare_names("jose rodriguez", "jose rodriguez", together)[0]
    assert alone.weight(DEFAULT_M) == pytest.approx(
        2 * math.log2(0.8) - math.log2((2001 / 100_000) ** 2))
    assert joint.weight(DEFAULT_M) == pytest.approx(2 * math.log2(0.8) - math.log2(0.02))


def test_a_name_says_no_more_than_one_of_the_persons_sharing_it():
    stats = Statistics(persons=9000, sharing_name=8)
    agreements = compare_names("yusmary quintero", "yusmary quintero", stats)
    assert name_weight(agreements, DEFAULT_M, stats) == pytest.approx(math.log2(10_000 / 8))


@pytest.mark.parametrize(("said", "stored", "key"), [
    (BORN, BORN, "birth.exact"),
    (BORN, dt.date(1990, 3, 4), "birth.swapped"),
    (BORN, dt.date(1991, 4, 3), "birth.year_off"),
    (BORN, dt.date(1980, 4, 3), "birth.digit"),
    (BORN, dt.date(1990, 4, 8), "birth.digit"),
    (BORN, dt.date(1985, 7, 21), "birth.other"),
])
def test_two_full_dates_of_birth_are_compared_by_how_they_differ(said, stored, key):
    assert compare_births(said, DAY, [(stored, DAY)]).key == key


@pytest.mark.parametrize(("stored", "precision", "key"), [
    (dt.date(1990, 6, 1), YEAR, "year.same"),
    (dt.date(1991, 6, 1), YEAR, "year.off"),
    (dt.date(1993, 6, 1), YEAR, "year.other"),
    (dt.date(1990, 1, 1), DAY, "year.same"),   # 1 January is how a year alone is written
])
def test_a_date_known_only_by_its_year_is_compared_by_its_year(stored, precision, key):
    assert compare_births(BORN, DAY, [(stored, precision)]).key == key


def test_a_year_only_date_is_never_a_shared_birthday():
    assert compare_births(dt.date(1990, 1, 1), YEAR, [(dt.date(1990, 1, 1), DAY)]).key == \
        "year.same"
    assert compare_births(dt.date(1990, 1, 1), YEAR, [(dt.date(1990, 1, 1), DAY)]).weight(
        DEFAULT_M) < compare_births(BORN, DAY, [(BORN, DAY)]).weight(DEFAULT_M) - 5


def test_the_best_of_several_dates_counts_and_a_missing_date_is_no_evidence():
    assert compare_births(BORN, DAY, [(dt.date(1970, 1, 2), DAY), (BORN, DAY)]).key == \
        "birth.exact"
    assert compare_births(None, DAY, [(BORN, DAY)]) is None
    assert compare_births(BORN, DAY, []) is None


def facts(mention: SignalPerson, nationality="", sex="", phones=(), documents=(),
          stats=None) -> dict[str, Agreement]:
    return {a.field: a for a in compare_facts(mention, nationality, sex, set(phones),
                                              set(documents), stats or Statistics())}


def test_nationality_and_sex_weigh_only_when_both_sides_know_them():
    said = SignalPerson(nationality="VE", sex="female")
    assert facts(said, "VE", "female")["nationality"].key == "nationality.same"
    assert facts(said, "CO", "male")["sex"].key == "sex.other"
    assert facts(said, "", "unknown") == {}
    assert facts(SignalPerson(sex="unknown"), "VE", "female") == {}


def test_a_phone_shared_by_several_register_persons_counts_for_less():
    said = SignalPerson(phone="+599 717 1234")
    alone = facts(said, phones=["7171234"], stats=Statistics(persons=1000))["phone"]
    shared = facts(said, phones=["7171234"],
                   stats=Statistics(persons=1000, phone_sharing=5))["phone"]
    assert alone.key == shared.key == "phone.same"
    # Five persons share it: it says 'one of these five' (they share a family name or more,
    # which the name already counted), a little for, far less than a phone no one else has.
    assert shared.weight(DEFAULT_M) == pytest.approx(math.log2(0.55 / (0.5 * 4 / 5)))
    assert 0 < shared.weight(DEFAULT_M) < alone.weight(DEFAULT_M) - 8
    two = facts(said, phones=["7171234"], stats=Statistics(persons=1000, phone_sharing=2))
    assert shared.weight(DEFAULT_M) < two["phone"].weight(DEFAULT_M)
    assert facts(said, phones=["7179999"])["phone"].key == "phone.other"


def test_a_document_with_one_character_wrong_is_a_typo_not_another_document():
    said = SignalPerson(document_number="V-12.345.678")
    assert facts(said, documents=["V12345678"])["document"].key == "document.same"
    assert facts(said, documents=["V12345679"])["document"].key == "document.typo"
    assert facts(said, documents=["V99999999"])["document"].key == "document.other"


def test_a_phone_matching_a_document_number_is_no_phone_match():
    said = SignalPerson(phone="+599 717 1234")
    assert facts(said, documents=["7171234"]) == {}


def test_probability_grows_with_the_weights_and_stays_between_0_and_1():
    assert probability(0) == 0.5
    assert probability(-1000) < probability(-3) < probability(3) < probability(1000) <= 1


def named(value, born=None, precision=DAY):
    return PersonIdentifier(kind=NAME, value=value, birth_date=born, birth_precision=precision)


def test_a_missing_value_neither_helps_nor_hurts():
    stats = Statistics(persons=5000)
    said = SignalPerson(name_key="yusmary quintero", nationality="VE")
    without = assess(said, Person(nationality=""), [named("yusmary quintero")], stats)
    with_date = assess(said, Person(nationality=""), [named("yusmary quintero", BORN)], stats)
    assert without.probability == with_date.probability


def test_the_evidence_for_and_against_is_given_in_words():
    stats = Statistics(persons=5000, nationality_share=0.2)
    said = SignalPerson(name_key="jose rodrigez", date_of_birth=BORN, nationality="CO")
    found = assess(said, Person(nationality="VE"),
                   [named("jose luis rodriguez", dt.date(1990, 3, 4))], stats)
    assert found.reasons == ["1 name word the same", "1 name word sounding the same",
                             "date of birth with day and month swapped"]
    assert found.against == ["1 name word left out", "another nationality"]
    assert found.score == round(100 * found.probability)


def test_the_same_name_alone_is_not_enough_but_with_the_date_of_birth_it_is():
    stats = Statistics(persons=5000)
    said = SignalPerson(name_key="yusmary quintero", date_of_birth=BORN)
    alone = assess(said, Person(), [named("yusmary quintero")], stats)
    born = assess(said, Person(), [named("yusmary quintero", BORN)], stats)
    other_day = assess(said, Person(), [named("yusmary quintero", dt.date(1970, 8, 20))], stats)
    assert other_day.probability < THRESHOLD <= alone.probability < born.probability


def test_a_nickname_is_a_short_form_of_its_full_name_either_way():
    stats = Statistics(persons=1000)
    assert [a.key for a in compare_names("pancho rodriguez", "francisco rodriguez", stats)] == [
        "word.exact", "word.short"]
    assert [a.key for a in compare_names("jesus perez", "chucho perez", stats)] == [
        "word.exact", "word.short"]
    assert [a.key for a in compare_names("pedro perez", "francisco perez", stats)][-1] == (
        "word.other")


def test_particles_of_a_family_name_are_not_name_words_the_same():
    stats = Statistics(persons=1000)
    keys = [a.key for a in compare_names("sanne van der meer", "dorin van der meer", stats)]
    assert keys == ["word.exact", "word.other"]
    assert compare_names("sanne van der meer", "dorin van der meer", stats)[0].count == 1
