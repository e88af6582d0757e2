"""Who is scored at all (`_candidate_ids`), how common a name is (`register_statistics`) and
what is suggested (`suggest_persons`) read the database (mutation testing in issue 14; the
weights themselves are tested level by level in test_match_scoring.py)."""

import datetime as dt

import pytest
from django.utils import translation

from casework.dossiers import dossier_open, dossier_restrict
from casework.match_statistics import register_statistics
from casework.matching import (
    CANDIDATES,
    THRESHOLD,
    _candidate_ids,
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
from register.names import name_key, phonetic_key
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


def sharing_the_name(mention: SignalPerson, user) -> int:
    return register_statistics(mention, user).sharing_name


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


def test_a_name_word_one_typo_apart_makes_a_candidate_born_the_same_year_or_near_the_day(db):
    """Hose Rodirguez shares no word with Jose Rodriguez, only words one typo apart."""
    typo = register("Hose", "Rodirguez", BORN_ON)
    digit = register("Hose", "Rodirguez", dt.date(1990, 4, 8))
    year = register("Hose", "Rodirguez", dt.date(1990, 1, 1))
    register("Mei Ling", "Zhang", BORN_ON)
    register("Hose", "Rodirguez", dt.date(1975, 9, 9))
    register("Jos", "Roane", BORN_ON)  # no word within one typo of the mention's
    assert candidates(said("Jose", "Rodriguez", BORN_ON)) == {typo.pk, digit.pk, year.pk}


def test_any_word_of_the_name_makes_a_candidate_of_a_date_written_near(db):
    wrong_digit = register("Miriam", "Camargo", dt.date(1980, 4, 3))
    year_off = register("Ana Miriam", "Sulbaran", dt.date(1991, 4, 3))
    register("Ana", "Sulbaran", dt.date(1980, 4, 3))
    assert candidates(said("Miriam", "Arrieta", BORN_ON)) == {wrong_digit.pk, year_off.pk}


def test_two_words_of_the_name_make_a_candidate_without_a_date(db):
    arrieta = register("Miriam", "Arrieta Camargo", dt.date(1971, 2, 2))
    sounding = register("Yennifer Dayana", "Mena Mendizabal")
    register("Miriam", "Zapata")
    assert arrieta.pk in candidates(said("Miriam", "Arrieta"))
    assert sounding.pk in candidates(said("Jennier", "Mena Mendisabal"))


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


def test_no_database_makes_candidates_of_names_sharing_only_a_word_beginning(db):
    """PostgreSQL and SQLite find the same candidates (SQLite once also looked at word
    beginnings, and ranked a namesake with a near second name above the person)."""
    register("Alvaro", "Mendez")  # alva
    register("Rodrano", "Pinto")  # rodr, not rodri
    register("Rodney", "Alba")  # rod and alb only
    crowd("Alvaro", "Mendez", 30)
    assert candidates(said("Rodrigo", "Alvarez")) == set()


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
    granted = {s.person: s for s in suggest_persons(mention, user=persona("analyst_kpcn"))}
    assert set(granted) == {p, q}
    assert {"same nationality", "same phone number"} <= set(granted[p].reasons)
    assert "date of birth equal" in granted[q].reasons
    # Without the restricted dossiers P is a Colombian namesake without a phone, and Q is not
    # known at all: P is at most a weaker match, with the other nationality against it.
    other = persona("analyst_om")
    assert suggest_persons(mention, user=other) == []
    weaker = suggest_persons(mention, user=other, weaker=True)
    assert [s.person for s in weaker] == [p]
    assert weaker[0].weak and "another nationality" in weaker[0].against


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


def test_a_weaker_match_is_shown_only_on_request_and_marked_weak(db):
    """A namesake born another year is unlikely; the same name and year of birth likely."""
    same_year = register("Jose", "Rodriguez", dt.date(1990, 1, 1))
    other_year = register("Jose", "Rodriguez", dt.date(1979, 6, 20))
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Jose", "family_name": "Rodriguez",
         "date_of_birth": dt.date(1990, 6, 20)}])
    analyst = persona("analyst_kpcn")
    mention = SignalPerson.objects.get(signal=signal)
    assert sharing_the_name(mention, analyst) == 2
    shown = suggest_persons(mention, user=analyst)
    assert [s.person for s in shown] == [same_year]
    assert shown[0].probability >= THRESHOLD and not shown[0].weak
    weaker = suggest_persons(mention, user=analyst, weaker=True)
    assert [s.person for s in weaker] == [same_year, other_year]
    assert weaker[1].weak and "another date of birth" in weaker[1].against


def test_suggestions_come_most_likely_first(db):
    analyst = persona("analyst_kpcn")
    by_phone = person_create(actor=analyst, facts=MentionFacts(
        given_names="Jose", family_name="Rodriguez", nationality="VE", phone=PHONE_NUMBER))
    by_birthday = person_create(actor=analyst, facts=MentionFacts(
        given_names="Jose", family_name="Rodriguez", nationality="CO", date_of_birth=BORN))
    signal = file_signal(persona("reporter_kmar"), persons=[{
        "role": "victim", "given_names": "Jose", "family_name": "Rodriguez",
        "nationality": "VE", "phone": PHONE_NUMBER, "date_of_birth": BORN}])
    found = suggest_persons(SignalPerson.objects.get(signal=signal), user=analyst,
                            weaker=True)
    assert {s.person for s in found} == {by_phone, by_birthday}
    assert [s.probability for s in found] == sorted((s.probability for s in found),
                                                    reverse=True)


def test_a_name_with_words_left_out_born_the_same_day_is_a_candidate_among_many(db):
    """Two hundred names sharing the word "luis" fill the word lookups, so only the same
    birthday finds Eva Luis."""
    crowd("Aaron", "Luis", 5 * CANDIDATES)
    left_out = register("Eva", "Luis", BORN_ON)
    assert left_out.pk in candidates(said("Ana Jose", "Luis", BORN_ON))
