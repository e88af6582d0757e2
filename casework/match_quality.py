"""Precision and recall of the match suggestions on a synthetic, labelled population.

Runs inside a transaction that is rolled back: the register is left as it was.
"""

import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from casework.match_learning import refresh_match_statistics
from casework.matching import suggest_persons
from casework.models import MatchWeights
from casework.persons import MentionFacts, person_create
from casework.triage import mention_link, mention_reject
from register.models import Organisation, Person, Role, User
from signals.models import Signal, SignalPerson
from signals.services import SignalInput, signal_submit
from signals.synthetic import KINDS, invent, vary
from signals.vocab import Channel


@dataclass
class Quality:
    mentions: int
    shown: int
    correct: int
    found: int
    with_truth: int
    # Per kind of difference (signals.synthetic.KINDS): mentions with that difference, and
    # how many of them found their person.
    by_kind: Counter = field(default_factory=Counter)
    found_by_kind: Counter = field(default_factory=Counter)
    # (probability, right person) of every suggestion down to the weaker ones, to show the
    # precision and recall at other thresholds.
    scored: list = field(default_factory=list)
    # The evidence of wrong suggestions above the threshold (synthetic persons only).
    mistakes: list = field(default_factory=list)
    learnt: dict = field(default_factory=dict)
    # Seconds per mention for the suggestions (with the weaker ones).
    timings: list = field(default_factory=list)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.timings)
        return 1000 * ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.shown if self.shown else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.with_truth if self.with_truth else 1.0

    def recall_of(self, kind: str) -> float:
        return self.found_by_kind[kind] / self.by_kind[kind] if self.by_kind[kind] else 1.0

    def at_threshold(self, threshold: float) -> tuple[float, float]:
        """(precision, recall) had the threshold been this."""
        shown = [right for chance, right in self.scored if chance >= threshold]
        found = sum(shown)
        return (found / len(shown) if shown else 1.0,
                found / self.with_truth if self.with_truth else 1.0)

    def recall_by_kind(self) -> dict[str, float]:
        return {kind: round(self.recall_of(kind), 3) for kind in sorted(self.by_kind)}


class _Rollback(Exception):
    pass


def measure(*, persons: int = 300, variants: int = 2, strangers: int = 100,
            seed: int = 7, judged: int = 0, learn: bool = True) -> Quality:
    """With `judged`, an analyst first judges the suggestions for that many of the labelled
    mentions (links the right person, rejects the wrong ones), the weights are learnt from
    those judgements (unless not `learn`: the same split with the default weights), and the
    quality is measured on the mentions not judged."""
    rng = random.Random(seed)
    result = None
    try:
        with transaction.atomic():
            result = _measure(rng, persons, variants, strangers, judged, learn)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _judge(analyst, mentions, labelled, truth_to_person, learn: bool) -> None:
    """The analyst's verdicts on the suggestions, as triage records them."""
    for mention, (_synthetic, truth) in zip(mentions, labelled, strict=True):
        expected = truth_to_person.get(truth)
        for suggestion in suggest_persons(mention, user=analyst):
            if suggestion.person.pk == expected:
                mention_link(actor=analyst, mention=mention,
                             person=Person.objects.get(pk=expected))
                break
            mention_reject(actor=analyst, mention=mention, person=suggestion.person)
    if learn:
        refresh_match_statistics()


def _measure(rng, persons, variants, strangers, judged=0, learn=True) -> Quality:
    kpcn = Organisation.objects.get(code="kpcn")
    analyst = User.objects.create(username=f"match.quality.{rng.random()}", organisation=kpcn)
    analyst.role_grants.create(role=Role.ANALYST)
    population = [invent(rng, truth) for truth in range(persons)]
    truth_to_person = {}
    for synthetic in population:
        truth_to_person[synthetic.truth] = person_create(actor=analyst, facts=MentionFacts(
            family_name=synthetic.family_name, given_names=synthetic.given_names,
            date_of_birth=synthetic.date_of_birth, nationality=synthetic.nationality,
            phone=synthetic.phone, document_number=synthetic.document_number)).pk
    labelled = [(vary(rng, p, KINDS), p.truth) for p in population for _ in range(variants)]
    labelled += [(invent(rng, -1), None) for _ in range(strangers)]
    signal, _ = signal_submit(actor=analyst, channel=Channel.PAPER, data=SignalInput(
        reporter_name="Quality", reporter_organisation=kpcn,
        observed_on=timezone.localdate(), island="bonaire", description="Match quality",
        forms=["other"], persons=[{
            "role": "victim", "given_names": m.given_names, "family_name": m.family_name,
            "date_of_birth": m.date_of_birth, "nationality": m.nationality,
            "date_of_birth_precision": "year" if m.year_only else "day",
            "phone": m.phone, "document_number": m.document_number,
            "document_type": "passport" if m.document_number else ""}
            for m, _truth in labelled]))
    mentions = list(SignalPerson.objects.filter(signal=signal).order_by("position"))
    if judged:
        # Judged mentions are taken from the whole list (strangers too), then left out.
        order = list(range(len(mentions)))
        rng.shuffle(order)
        chosen = set(order[:judged])
        _judge(analyst, [mentions[i] for i in sorted(chosen)],
               [labelled[i] for i in sorted(chosen)], truth_to_person, learn)
        mentions = [m for i, m in enumerate(mentions) if i not in chosen]
        labelled = [pair for i, pair in enumerate(labelled) if i not in chosen]
    quality = Quality(len(mentions), 0, 0, 0, sum(1 for _m, t in labelled if t is not None))
    if judged and learn:
        quality.learnt = MatchWeights.objects.first().m_probabilities.get("m", {})
    for mention, (synthetic, truth) in zip(mentions, labelled, strict=True):
        expected = truth_to_person.get(truth)
        started = time.perf_counter()
        every = suggest_persons(mention, user=analyst, weaker=True)
        quality.timings.append(time.perf_counter() - started)
        quality.scored += [(s.probability, s.person.pk == expected) for s in every]
        suggested = [s.person.pk for s in every if not s.weak]
        quality.mistakes += [(round(s.probability, 3), s.reasons, s.against) for s in every
                             if not s.weak and s.person.pk != expected]
        quality.shown += len(suggested)
        found = expected is not None and expected in suggested
        if expected is not None:
            quality.by_kind.update(synthetic.changes)
            if found:
                quality.found_by_kind.update(synthetic.changes)
        if found:
            quality.found += 1
            quality.correct += 1
    Signal.objects.filter(pk=signal.pk).delete()
    return quality
