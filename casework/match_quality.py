"""Precision and recall of the match suggestions on a synthetic, labelled population.

Runs inside a transaction that is rolled back: the register is left as it was.
"""

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from casework.matching import suggest_persons
from casework.persons import MentionFacts, person_create
from register.models import Organisation, Role, User
from signals.models import Signal, SignalPerson
from signals.services import SignalInput, signal_submit
from signals.synthetic import invent, vary
from signals.vocab import Channel


@dataclass
class Quality:
    mentions: int
    shown: int
    correct: int
    found: int
    with_truth: int

    @property
    def precision(self) -> float:
        return self.correct / self.shown if self.shown else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.with_truth if self.with_truth else 1.0


class _Rollback(Exception):
    pass


def measure(*, persons: int = 300, variants: int = 2, strangers: int = 100,
            seed: int = 7) -> Quality:
    rng = random.Random(seed)
    result = None
    try:
        with transaction.atomic():
            result = _measure(rng, persons, variants, strangers)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _measure(rng, persons, variants, strangers) -> Quality:
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
    labelled = [(vary(rng, p), p.truth) for p in population for _ in range(variants)]
    labelled += [(invent(rng, -1), None) for _ in range(strangers)]
    signal, _ = signal_submit(actor=analyst, channel=Channel.PAPER, data=SignalInput(
        reporter_name="Quality", reporter_organisation=kpcn,
        observed_on=timezone.localdate(), island="bonaire", description="Match quality",
        forms=["other"], persons=[{
            "role": "victim", "given_names": m.given_names, "family_name": m.family_name,
            "date_of_birth": m.date_of_birth, "nationality": m.nationality,
            "phone": m.phone, "document_number": m.document_number,
            "document_type": "passport" if m.document_number else ""}
            for m, _truth in labelled]))
    mentions = list(SignalPerson.objects.filter(signal=signal).order_by("position"))
    quality = Quality(len(mentions), 0, 0, 0, sum(1 for _m, t in labelled if t is not None))
    for mention, (_synthetic, truth) in zip(mentions, labelled, strict=True):
        suggested = [s.person.pk for s in suggest_persons(mention, user=analyst)]
        quality.shown += len(suggested)
        expected = truth_to_person.get(truth)
        if expected is not None and expected in suggested:
            quality.found += 1
            quality.correct += 1
    Signal.objects.filter(pk=signal.pk).delete()
    return quality
