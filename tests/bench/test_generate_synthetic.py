"""The synthetic register the benchmarks measure: complete, consistent, and honest about who
is who."""

from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from bench.generate import Generator
from bench.models import MentionTruth
from casework.models import PersonIdentifier
from casework.need_to_know import dossiers_visible_to
from controls.models import Control
from register.models import (
    AuditEvent,
    Dossier,
    DossierPerson,
    FollowUpAction,
    Person,
)
from register.services.audit import audit_chain_breaks
from signals.models import Signal, SignalPerson
from signals.services import SignalInput, signal_submit
from signals.vocab import OPEN_STATUSES, SignalStatus
from tests.personas import persona
from tests.register.test_audit_trail import raw_sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    return Generator(signals=300, seed=5, log=lambda text: None).run()


def test_it_writes_signals_with_their_parts_across_islands_and_statuses(generated):
    assert Signal.objects.count() == generated.signals == 300
    assert SignalPerson.objects.count() == generated.mentions >= 300
    statuses = set(Signal.objects.values_list("status", flat=True))
    assert SignalStatus.IN_REGISTER in statuses and statuses & set(OPEN_STATUSES)
    assert Signal.objects.values("island").distinct().count() >= 3
    assert not Signal.objects.annotate(n=Count("forms")).filter(n=0).exists()


def test_every_mention_has_a_truth_and_one_individual_is_one_register_person(generated):
    truths = dict(MentionTruth.objects.values_list("mention_id", "truth"))
    assert set(truths) == set(SignalPerson.objects.values_list("pk", flat=True))
    persons_of_truth = defaultdict(set)
    for mention_id, person_id in SignalPerson.objects.filter(
            person__isnull=False).values_list("pk", "person_id"):
        persons_of_truth[truths[mention_id]].add(person_id)
    assert persons_of_truth and all(len(p) == 1 for p in persons_of_truth.values())
    # Individuals recur: some register persons are named in more than one signal.
    assert Person.objects.annotate(n=Count("mentions")).filter(n__gt=1).exists()


def test_only_taken_in_signals_are_linked_and_their_persons_can_be_found(generated):
    assert not SignalPerson.objects.filter(person__isnull=False).exclude(
        signal__status=SignalStatus.IN_REGISTER).exists()
    linked = SignalPerson.objects.filter(person__isnull=False).first()
    assert PersonIdentifier.objects.filter(person_id=linked.person_id, mention_id=linked.pk,
                                           kind="name", value=linked.name_key).exists()


def test_the_audit_chain_it_writes_verifies(generated):
    assert AuditEvent.objects.count() >= generated.audit_events > generated.signals * 3
    assert list(audit_chain_breaks()) == []


def test_a_changed_generated_event_breaks_the_chain(generated):
    event = AuditEvent.objects.order_by("id")[10]
    raw_sql("UPDATE register_auditevent SET action = 'tests.forged' WHERE id = %s", [event.pk])
    assert [b.event_id for b in audit_chain_breaks()] == [event.pk]


def test_dossiers_follow_up_and_restrictions_are_there_and_respected(generated):
    assert Dossier.objects.count() == generated.dossiers > 0
    assert FollowUpAction.objects.count() == generated.follow_ups
    assert DossierPerson.objects.exists()
    restricted = Dossier.objects.filter(restricted=True)
    outsider = persona("analyst_kpcn")
    assert not dossiers_visible_to(outsider).filter(pk__in=restricted).exists()
    assert dossiers_visible_to(outsider).count() == Dossier.objects.filter(
        restricted=False).count()
    assert Control.objects.count() == generated.controls > 0


def test_signals_filed_afterwards_continue_the_reference_numbers(generated):
    newest = Signal.objects.order_by("-received_at").first()
    signal, _ = signal_submit(actor=persona("reporter_kmar"), channel="web", data=SignalInput(
        reporter_name="After", reporter_organisation=persona("reporter_kmar").organisation,
        observed_on=newest.observed_on, island="bonaire", description="After the load",
        forms=["other"]))
    year, number = signal.reference.split("-")[1:]
    assert int(number) == Signal.objects.filter(reference__startswith=f"MH-{year}-").count()


def test_the_same_seed_gives_the_same_register():
    first = Generator(signals=40, seed=9, log=lambda text: None)
    first.run()
    mentions = SignalPerson.objects.order_by("pk")
    names = list(mentions.values_list("name_key", "role", "date_of_birth"))
    Generator(signals=40, seed=9, log=lambda text: None, end=first.end).run()
    again = mentions.filter(pk__gt=first.ids["mention"].last)
    assert list(again.values_list("name_key", "role", "date_of_birth")) == names


def test_the_command_wants_a_size_or_a_number():
    with pytest.raises(CommandError):
        call_command("generate_synthetic")
    with pytest.raises(CommandError):
        call_command("generate_synthetic", "--signals", "10", "--size", "small")
    with pytest.raises(CommandError):
        call_command("generate_synthetic", "--signals", "0")
