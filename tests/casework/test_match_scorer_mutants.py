"""The match scorer's arithmetic, point by point (`signals/matching.py`, mutation testing in
issue 14). `score` is fed unsaved objects: it reads only what it is given. Who is scored at
all (`_candidate_ids`) and how common a name is (`sharing_the_name`) read the database."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import translation

from casework.dossiers import dossier_open, dossier_restrict
from casework.matching import (
    CANDIDATES,
    THRESHOLD,
    _candidate_ids,
    common_name_penalty,
    score,
    sharing_the_name,
    suggest_persons,
)
from casework.models import PersonIdentifier
from casework.persons import (
    MentionFacts,
    identifiers_for,
    person_create,
    person_merge,
)
from casework.triage import mention_link, mention_reject, triage_take_in
from register.models import Person
from register.names import name_key, name_similarity, phonetic_key
from signals.models import SignalPerson
from tests.personas import persona
from tests.signals.builders import file_signal

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


# Who is scored at all: `sharing_the_name` and `_candidate_ids` read the database.

def register(given: str, family: str = "", born: dt.date | None = None, *,
             actor_name: str = "analyst_kpcn") -> Person:
    """A register person made as triage makes one, with a name and a sound identifier."""
    return person_create(actor=persona(actor_name),
                         facts=MentionFacts(given_names=given, family_name=family,
                                            date_of_birth=born))


def said(given: str, family: str = "", born: dt.date | None = None) -> SignalPerson:
    """A mention as a signal gives it, with the keys the intake computes."""
    return SignalPerson(given_names=given, family_name=family, date_of_birth=born,
                        name_key=name_key(given, family),
                        phonetic_key=phonetic_key(given, family))


def candidates(mention: SignalPerson, analyst: str = "analyst_kpcn") -> set[int]:
    return _candidate_ids(mention, persona(analyst))


def test_the_register_persons_whose_name_sounds_the_same_are_counted(db):
    register("José", "Rodríguez")
    register("Jose", "Rodrigues")
    register("Mei Ling", "Zhang")
    assert sharing_the_name(said("Jose", "Rodriguez"), persona("analyst_kpcn")) == 2


def test_a_mention_without_a_name_shares_it_with_no_one(db):
    register("Jose", "Rodriguez")
    nameless = said("", "")
    assert nameless.phonetic_key == ""
    assert sharing_the_name(nameless, persona("analyst_kpcn")) == 0


def test_only_the_sound_of_a_name_counts_not_a_document_that_reads_the_same(db):
    tom = said("Tom")
    assert tom.phonetic_key == "TM"
    person_create(actor=persona("analyst_kpcn"), facts=MentionFacts(
        family_name="Baker", document_number="TM"))
    assert sharing_the_name(tom, persona("analyst_kpcn")) == 0
    register("Tom", "")
    assert sharing_the_name(tom, persona("analyst_kpcn")) == 1


def test_a_person_merged_into_another_no_longer_counts_as_a_namesake(db):
    kept, merged, third = (register("Jose", "Rodriguez") for _ in range(3))
    assert sharing_the_name(said("Jose", "Rodriguez"), persona("analyst_kpcn")) == 3
    person_merge(actor=persona("analyst_kpcn"), source=merged, target=kept)
    assert sharing_the_name(said("Jose", "Rodriguez"), persona("analyst_kpcn")) == 2


def test_namesakes_known_only_from_a_restricted_dossier_count_only_for_analysts_granted_it(db):
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Amarilis", "family_name": "Kockx"}])
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Alpha")
    dossier_restrict(actor=persona("analyst_kpcn"), dossier=dossier,
                     analysts=[persona("analyst_kpcn")])
    register("Amarillis", "Kockx")
    mention = said("Amarilis", "Kockx")
    assert sharing_the_name(mention, persona("analyst_kpcn")) == 2
    assert sharing_the_name(mention, persona("analyst_om")) == 1


def test_a_name_that_only_sounds_the_same_makes_a_candidate(db):
    katherine = register("Katherine", "Smyth")
    register("Mei Ling", "Zhang")
    assert candidates(said("Catherine", "Smith")) == {katherine.pk}


BORN_ON = dt.date(1990, 4, 3)


def test_a_somewhat_alike_name_born_the_same_day_makes_a_candidate_an_unlike_one_not(db):
    """No lookup by key, sound or word beginning finds these names: only the birthday does."""
    typo = register("Hose", "Rodirguez", BORN_ON)
    just_alike = register("Jos", "Roane", BORN_ON)
    assert 60 <= name_similarity("jose rodriguez", "jos roane", penalise_missing=False) < 61
    register("Mei Ling", "Zhang", BORN_ON)
    register("Hose", "Rodirguez", dt.date(1990, 4, 4))
    register("Hose", "Rodirguez", dt.date(1990, 1, 1))
    assert candidates(said("Jose", "Rodriguez", BORN_ON)) == {typo.pk, just_alike.pk}


@pytest.mark.parametrize("day", [3, 12])
def test_a_birthday_with_day_and_month_swapped_makes_a_candidate_up_to_the_twelfth(db, day):
    swapped = register("Hose", "Rodirguez", dt.date(1990, day, 5))
    assert candidates(said("Jose", "Rodriguez", dt.date(1990, 5, day))) == {swapped.pk}


def test_a_day_after_the_twelfth_is_never_read_as_a_month(db):
    same_day = register("Hose", "Rodirguez", dt.date(1990, 5, 13))
    assert candidates(said("Jose", "Rodriguez", dt.date(1990, 5, 13))) == {same_day.pk}


def test_a_stranger_born_the_same_year_is_no_candidate(db):
    namesake = register("Jose", "Rodriguez", dt.date(1995, 1, 1))
    register("Mei Ling", "Zhang", dt.date(1995, 1, 1))
    assert candidates(said("Jose", "Rodriguez", dt.date(1995, 6, 20))) == {namesake.pk}


def crowd(given: str, family: str, count: int, born=lambda i: None) -> list[Person]:
    """`count` register persons of one name, made in bulk: a common name in a large register."""
    actor = persona("analyst_kpcn")
    persons = Person.objects.bulk_create(
        Person(given_names=given, family_name=family, date_of_birth=born(i), created_by=actor)
        for i in range(count))
    facts = MentionFacts(given_names=given, family_name=family)
    PersonIdentifier.objects.bulk_create(
        PersonIdentifier(person=person, kind=kind, value=value, birth_date=person.date_of_birth,
                         birth_year=person.date_of_birth and person.date_of_birth.year)
        for person in persons for kind, value in identifiers_for(facts))
    return persons


def test_a_namesake_born_the_same_year_is_found_however_many_share_the_name(db):
    crowd("Jose", "Rodriguez", 210, born=lambda i: dt.date(1940 + i % 50, 1, 1))
    same_year = register("Jose", "Rodriguez", dt.date(1995, 1, 1))
    found = candidates(said("Jose", "Rodriguez", dt.date(1995, 6, 20)))
    assert same_year.pk in found
    assert len(found) <= 3 * CANDIDATES + 5 * CANDIDATES


def test_on_sqlite_names_sharing_a_four_letter_word_beginning_make_candidates(db):
    """A small local register (SQLite) also looks at word beginnings; PostgreSQL does not."""
    first_word = register("Alvaro", "Mendez")  # alva
    second_word = register("Rodrano", "Pinto")  # rodr, not rodri
    register("Rodney", "Alba")  # rod and alb only
    found = candidates(said("Rodrigo", "Alvarez"))
    expected = set() if connection.vendor == "postgresql" else {first_word.pk, second_word.pk}
    assert found == expected


def test_the_word_beginning_search_takes_at_most_two_hundred_names(db):
    crowd("Alvaro", "Mendez", 250)
    found = candidates(said("Rodrigo", "Alvarez"))
    assert len(found) == (0 if connection.vendor == "postgresql" else 5 * CANDIDATES)


PHONE_NUMBER = "+599 717 1234"


def test_a_phone_or_document_makes_a_candidate_only_of_its_own_kind(db):
    def known(family: str, **facts) -> Person:
        return person_create(actor=persona("analyst_kpcn"),
                             facts=MentionFacts(family_name=family, **facts))

    by_phone = known("Baker", phone=PHONE_NUMBER)
    by_document = known("Smith", document_number="765-4321")
    known("Jones", document_number="7171234")  # a document that reads like the phone
    known("Brown", phone="+599 765 4321")  # a phone that reads like the document
    known("Green", phone="+599 717 9999", document_number="V-99.999.999")
    mention = said("Mei Ling", "Zhang")
    mention.phone = PHONE_NUMBER
    assert candidates(mention) == {by_phone.pk}
    mention.document_number = "7654321"
    assert candidates(mention) == {by_phone.pk, by_document.pk}
    mention.phone = ""
    assert candidates(mention) == {by_document.pk}


def restricted_signal(victim: dict, title: str):
    """A signal taken into a new dossier that is restricted to KPCN's analyst."""
    analyst = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), persons=[{"role": "victim", **victim}])
    dossier = dossier_open(actor=analyst, signals=[signal], title=title)
    dossier_restrict(actor=analyst, dossier=dossier, analysts=[analyst])
    return SignalPerson.objects.get(signal=signal)


AMARILIS = {"given_names": "Amarilis", "family_name": "Kockx"}


@pytest.fixture
def known_in_part_from_a_restricted_dossier(db):
    """Two register persons named Amarilis Kockx. Q is known only from a dossier restricted to
    KPCN's analyst, where she was born on BORN. P was first taken in from another restricted
    dossier, as Venezuelan with a phone; a later open signal, linked to P, calls her
    Colombian. Everyone may see P, but only KPCN's analyst what the restricted dossier says."""
    q = restricted_signal({**AMARILIS, "date_of_birth": BORN}, "Charlie").person
    p = restricted_signal({**AMARILIS, "nationality": "VE", "phone": PHONE_NUMBER},
                          "Alpha").person
    later = file_signal(persona("reporter_szw"),
                        persons=[{"role": "victim", **AMARILIS, "nationality": "CO"}])
    mention_link(actor=persona("analyst_kpcn"), mention=later.persons.get(), person=p)
    asked = file_signal(persona("reporter_kmar"), persons=[{
        "role": "victim", **AMARILIS, "nationality": "VE", "phone": PHONE_NUMBER,
        "date_of_birth": BORN}])
    return SignalPerson.objects.get(signal=asked), p, q


def test_persons_known_only_from_a_restricted_dossier_are_candidates_only_where_granted(
        known_in_part_from_a_restricted_dossier):
    mention, p, q = known_in_part_from_a_restricted_dossier
    assert candidates(mention, "analyst_kpcn") == {p.pk, q.pk}
    assert candidates(mention, "analyst_om") == {p.pk}


def test_an_analyst_granted_a_dossier_is_suggested_with_what_it_says_others_are_not(
        known_in_part_from_a_restricted_dossier):
    mention, p, q = known_in_part_from_a_restricted_dossier
    granted = suggest_persons(mention, user=persona("analyst_kpcn"))
    namesakes = common_name_penalty(2)
    assert [(s.person, s.score) for s in granted] == [(p, 60 - namesakes + 8 + 35),
                                                     (q, 60 - namesakes + 40)]
    assert granted[0].reasons == ["name 100% alike", "same nationality", "same phone number"]
    assert granted[1].reasons == ["name 100% alike", "date of birth equal"]
    # Without the restricted dossiers P is a Colombian namesake without a phone: 60 - 12.
    assert suggest_persons(mention, user=persona("analyst_om")) == []


def test_a_mention_is_not_suggested_the_person_it_is_linked_to_nor_a_rejected_one(db):
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", **AMARILIS, "date_of_birth": BORN}])
    triage_take_in(actor=persona("analyst_kpcn"), signal=signal)
    linked = SignalPerson.objects.get(signal=signal)
    namesakes = [register("Amarilis", "Kockx", BORN) for _ in range(3)]
    analyst = persona("analyst_kpcn")
    assert {s.person for s in suggest_persons(linked, user=analyst)} == set(namesakes)
    mention_reject(actor=analyst, mention=linked, person=namesakes[1])
    assert {s.person for s in suggest_persons(linked, user=analyst)} == {
        namesakes[0], namesakes[2]}


def test_a_suggestion_scoring_exactly_the_threshold_is_shown(db):
    """60 for the name, 10 for the year of birth, 6 off for a name two persons share."""
    year_only = register("Jose", "Rodriguez", dt.date(1990, 1, 1))
    register("Jose", "Rodriguez", dt.date(1970, 6, 20))  # 60 - 30 - 6: no suggestion
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Jose", "family_name": "Rodriguez",
         "date_of_birth": dt.date(1990, 6, 20)}])
    analyst = persona("analyst_kpcn")
    mention = SignalPerson.objects.get(signal=signal)
    assert sharing_the_name(mention, analyst) == 2
    assert [(s.person, s.score) for s in suggest_persons(mention, user=analyst)] == [
        (year_only, THRESHOLD)]


def test_a_name_exactly_sixty_percent_alike_is_given_as_a_reason():
    assert name_similarity("jose maria", "jose perez") == 60
    assert score(mention("jose maria"), person(), [named("jose perez")]) == (
        36, ["name 60% alike"])


def test_a_name_exactly_85_percent_alike_gets_the_full_birthday():
    assert name_similarity("martinez rodriguez", "maria mendez rodriguez") == 85
    points, reasons = score(mention("martinez rodriguez", date_of_birth=BORN), person(),
                            [named("maria mendez rodriguez", born=BORN)])
    assert points == round(85 * 0.6 + 40) == 91
    assert reasons == ["name 85% alike", "date of birth equal"]


def test_a_name_exactly_sixty_percent_alike_born_the_same_day_makes_a_candidate(db):
    assert name_similarity("jose maria", "eva garcia", penalise_missing=False) == 60
    alike = register("Eva", "Garcia", BORN_ON)
    assert candidates(said("Jose", "Maria", BORN_ON)) == {alike.pk}


def test_a_suggestion_exactly_fifteen_points_behind_the_best_is_still_shown(db):
    """Two namesakes (6 off each): the phone and the nationality give 60 - 6 + 35 + 8 = 97,
    the birthday and another nationality 60 - 6 + 40 - 12 = 82."""
    analyst = persona("analyst_kpcn")
    by_phone = person_create(actor=analyst, facts=MentionFacts(
        given_names="Jose", family_name="Rodriguez", nationality="VE", phone=PHONE_NUMBER))
    by_birthday = person_create(actor=analyst, facts=MentionFacts(
        given_names="Jose", family_name="Rodriguez", nationality="CO", date_of_birth=BORN))
    signal = file_signal(persona("reporter_kmar"), persons=[{
        "role": "victim", "given_names": "Jose", "family_name": "Rodriguez",
        "nationality": "VE", "phone": PHONE_NUMBER, "date_of_birth": BORN}])
    found = suggest_persons(SignalPerson.objects.get(signal=signal), user=analyst)
    assert [(s.person, s.score) for s in found] == [(by_phone, 97), (by_birthday, 97 - 15)]


def test_a_name_with_words_left_out_born_the_same_day_is_a_candidate_among_many(db):
    """Two hundred names sharing the word "luis" fill the word beginning search (on SQLite),
    so only the same birthday finds Eva Luis: alike enough only if missing words cost
    nothing."""
    assert name_similarity("ana jose luis", "eva luis", penalise_missing=False) >= 60
    assert name_similarity("ana jose luis", "eva luis") < 60
    crowd("Aaron", "Luis", 5 * CANDIDATES)
    left_out = register("Eva", "Luis", BORN_ON)
    assert left_out.pk in candidates(said("Ana Jose", "Luis", BORN_ON))
