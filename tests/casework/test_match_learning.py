"""The scorer learns from the analysts' judgements on a schedule (casework.match_learning)."""

import datetime as dt

import pytest

from casework import match_learning, match_statistics
from casework.match_learning import estimate_m, refresh_match_statistics
from casework.match_scoring import DEFAULT_M
from casework.matching import suggest_persons
from casework.models import MatchWeights, NameFrequency
from casework.persons import MentionFacts, person_create
from casework.tasks import refresh_match_statistics as refresh_task
from casework.triage import mention_link, mention_reject
from signals.models import SignalPerson
from tests.personas import persona
from tests.signals.builders import file_signal

BORN = dt.date(1990, 4, 3)


def test_with_no_judgements_the_m_probabilities_are_the_defaults():
    assert estimate_m({}) == pytest.approx(DEFAULT_M, abs=1e-5)


def test_judgements_move_the_m_probabilities_towards_what_analysts_confirmed():
    # Fifty confirmed links all with a date one digit apart: that level becomes likelier.
    learnt = estimate_m({"birth.digit": 50})
    assert learnt["birth.digit"] > 10 * DEFAULT_M["birth.digit"]
    assert learnt["birth.exact"] < DEFAULT_M["birth.exact"]
    birth = [key for key in DEFAULT_M if key.startswith("birth.")]
    assert sum(learnt[k] for k in birth) == pytest.approx(sum(DEFAULT_M[k] for k in birth),
                                                          abs=1e-3)


def linked_mention(person, **facts):
    signal = file_signal(persona("reporter_kmar"), persons=[{"role": "victim", **facts}])
    mention = SignalPerson.objects.get(signal=signal)
    mention_link(actor=persona("analyst_kpcn"), mention=mention, person=person)
    return mention


def test_the_nightly_task_learns_from_confirmed_links_and_counts_rejections(db):
    analyst = persona("analyst_kpcn")
    person = person_create(actor=analyst, facts=MentionFacts(
        given_names="Yusmary", family_name="Quintero Bracho", date_of_birth=BORN,
        nationality="VE"))
    other = person_create(actor=analyst, facts=MentionFacts(
        given_names="Yusmary", family_name="Quintero", date_of_birth=dt.date(1971, 1, 5)))
    for day in (8, 9):  # two links, each with a digit of the date written wrong
        linked_mention(person, given_names="Yusmary", family_name="Quintero Bracho",
                       date_of_birth=BORN.replace(day=day), nationality="VE")
    rejected = linked_mention(person, given_names="Yusmary", family_name="Quintero")
    mention_reject(actor=analyst, mention=rejected, person=other)
    weights = MatchWeights.objects.get(pk=refresh_task())
    assert (weights.confirmed, weights.rejected, weights.persons) == (3, 1, 2)
    m = weights.m_probabilities["m"]
    assert m["birth.digit"] > DEFAULT_M["birth.digit"]
    assert m["word.exact"] > m["word.other"]
    assert weights.m_probabilities["nationalities"] == {"VE": 0.5}
    assert match_statistics.latest_weights() == weights


def test_words_many_persons_share_are_counted_once_a_night_rarer_ones_live(db, monkeypatch):
    monkeypatch.setattr(match_learning, "COMMON_WORD", 3)
    analyst = persona("analyst_kpcn")
    for given in ("Ana", "Eva", "Luz"):
        person_create(actor=analyst, facts=MentionFacts(given_names=given,
                                                        family_name="Garcia Lopez"))
    refresh_match_statistics()
    assert dict(NameFrequency.objects.values_list("value", "persons")) == {
        "garcia": 3, "lopez": 3, "garcia lopez": 3}
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Ana", "family_name": "Garcia Lopez"}])
    mention = SignalPerson.objects.get(signal=signal)
    stats = match_statistics.register_statistics(mention, analyst)
    assert stats.words == {"ana": 1, "garcia": 3, "lopez": 3}
    assert suggest_persons(mention, user=analyst, weaker=True)
