"""Bulk actions on a selection: every item through its own service (its audit event and
notification), one more event with all the ids, and the whole selection refused when one item
is hidden or may not take the action, without saying whether a hidden one exists."""

import pytest
from django.core.exceptions import ValidationError

from casework.bulk import (
    bulk_add_to_dossier,
    bulk_assign_dossiers,
    bulk_assign_signals,
    bulk_export_dossiers,
    bulk_export_signals,
)
from casework.dossiers import dossier_open, dossier_restrict, dossier_update
from casework.triage import triage_decline
from register.models import AuditEvent, Dossier, Notification
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal


@pytest.fixture
def signals(db):
    kmar = persona("reporter_kmar")
    return [file_signal(kmar) for _ in range(3)]


def refs(signals) -> list[str]:
    return [s.reference for s in signals]


def hidden_signal():
    """A signal in a dossier restricted to KPCN's analyst: OM's analyst may not see it."""
    kpcn = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"))
    dossier = dossier_open(actor=kpcn, signals=[signal], title="Secret")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    return Signal.objects.get(pk=signal.pk), dossier


def test_assigning_a_selection_hands_every_signal_to_the_analyst_each_audited_and_told(
        signals):
    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    bulk_assign_signals(actor=kpcn, references=refs(signals), analyst=om)
    assert set(Signal.objects.values_list("taken_up_by", "status")) == {(om.pk, "in_triage")}
    each = AuditEvent.objects.filter(action="signals.signal.assigned")
    assert sorted(int(e.object_id) for e in each) == sorted(s.pk for s in signals)
    told = Notification.objects.filter(user=om, event="casework.signal.assigned")
    assert sorted(n.params["ref"] for n in told) == sorted(refs(signals))
    event = AuditEvent.objects.get(action="casework.bulk.signals_assigned")
    assert event.result_ids == [str(s.pk) for s in signals]
    assert event.detail == {"to": om.pk, "count": 3}


def test_taking_up_a_selection_oneself_tells_nobody(signals):
    kpcn = persona("analyst_kpcn")
    bulk_assign_signals(actor=kpcn, references=refs(signals), analyst=kpcn)
    assert set(Signal.objects.values_list("taken_up_by", flat=True)) == {kpcn.pk}
    assert not Notification.objects.exists()


def test_one_closed_signal_refuses_the_whole_assignment_by_its_reference(signals):
    kpcn = persona("analyst_kpcn")
    triage_decline(actor=kpcn, signal=signals[1], reason="Not for us")
    with pytest.raises(ValidationError) as refused:
        bulk_assign_signals(actor=kpcn, references=refs(signals), analyst=persona("analyst_om"))
    assert signals[1].reference in " ".join(refused.value.messages)
    assert not Signal.objects.filter(taken_up_by__isnull=False).exists()
    assert not AuditEvent.objects.filter(action__in=["signals.signal.assigned",
                                                     "casework.bulk.signals_assigned"]).exists()
    assert not Notification.objects.exists()


def test_a_hidden_signal_is_refused_in_the_same_words_as_one_that_does_not_exist(signals):
    secret, _ = hidden_signal()
    om = persona("analyst_om")
    messages = {}
    for name, reference in (("hidden", secret.reference), ("missing", "MH-2026-999999")):
        with pytest.raises(ValidationError) as refused:
            bulk_assign_signals(actor=om, references=[*refs(signals), reference], analyst=om)
        messages[name] = " ".join(refused.value.messages).replace(reference, "REF")
    assert messages["hidden"] == messages["missing"]
    assert not Signal.objects.filter(pk__in=[s.pk for s in signals],
                                     taken_up_by__isnull=False).exists()


def test_a_signal_triaged_meanwhile_rolls_back_the_ones_already_assigned(signals, monkeypatch):
    """The check before the transaction passed; the service refuses the third signal inside
    it (a colleague declined it a moment ago): the first two are not left assigned."""
    import casework.bulk as bulk
    real = bulk.triage_assign

    def declined_meanwhile(*, actor, signal, analyst):
        if signal.pk == signals[2].pk:
            Signal.objects.filter(pk=signal.pk).update(status="not_taken_up")
        return real(actor=actor, signal=signal, analyst=analyst)

    monkeypatch.setattr(bulk, "triage_assign", declined_meanwhile)
    with pytest.raises(ValidationError) as refused:
        bulk_assign_signals(actor=persona("analyst_kpcn"), references=refs(signals),
                            analyst=persona("analyst_om"))
    assert signals[2].reference in " ".join(refused.value.messages)
    assert not Signal.objects.filter(taken_up_by__isnull=False).exists()
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="signals.signal.assigned").exists()


def test_an_empty_selection_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        bulk_assign_signals(actor=persona("analyst_kpcn"), references=[],
                            analyst=persona("analyst_om"))
    assert refused.value.code == "empty"


def test_a_selection_is_assigned_only_to_an_analyst(signals):
    with pytest.raises(ValidationError):
        bulk_assign_signals(actor=persona("analyst_kpcn"), references=refs(signals),
                            analyst=persona("reporter_szw"))
    assert not Signal.objects.filter(taken_up_by__isnull=False).exists()


def test_adding_a_selection_to_a_dossier_takes_each_in_and_records_all_ids(signals):
    kpcn = persona("analyst_kpcn")
    dossier = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_szw"))],
                           title="Harbour")
    bulk_add_to_dossier(actor=kpcn, references=refs(signals), number=dossier.number)
    assert set(Signal.objects.filter(pk__in=[s.pk for s in signals])
               .values_list("dossier", "status")) == {(dossier.pk, "in_register")}
    assert AuditEvent.objects.filter(action="signals.signal.taken_in").count() == 4
    event = AuditEvent.objects.get(action="casework.bulk.signals_added_to_dossier")
    assert (event.object_id, event.result_ids) == (
        str(dossier.pk), [f"signals.signal:{s.pk}" for s in signals])


def test_one_declined_signal_keeps_the_whole_selection_out_of_the_dossier(signals):
    kpcn = persona("analyst_kpcn")
    dossier = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_szw"))],
                           title="Harbour")
    triage_decline(actor=kpcn, signal=signals[2], reason="Not for us")
    with pytest.raises(ValidationError) as refused:
        bulk_add_to_dossier(actor=kpcn, references=refs(signals), number=dossier.number)
    assert signals[2].reference in " ".join(refused.value.messages)
    assert dossier.signals.count() == 1
    assert set(Signal.objects.filter(pk__in=[s.pk for s in signals[:2]])
               .values_list("status", flat=True)) == {"received"}


def test_a_hidden_dossier_is_refused_as_if_it_did_not_exist(signals):
    _, secret = hidden_signal()
    om = persona("analyst_om")
    messages = {}
    for name, number in (("hidden", secret.number), ("missing", "DS-2026-9999")):
        with pytest.raises(ValidationError) as refused:
            bulk_add_to_dossier(actor=om, references=refs(signals), number=number)
        messages[name] = refused.value.message_dict
    assert messages["hidden"] == messages["missing"]
    assert not Signal.objects.filter(pk__in=[s.pk for s in signals],
                                     dossier__isnull=False).exists()


@pytest.fixture
def dossiers(signals):
    kpcn = persona("analyst_kpcn")
    return [dossier_open(actor=kpcn, signals=[s], title=f"Case {n}")
            for n, s in enumerate(signals)]


def test_assigning_dossiers_adds_the_analysts_and_keeps_those_assigned(dossiers):
    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    bulk_assign_dossiers(actor=kpcn, numbers=[d.number for d in dossiers[:2]], analysts=[om])
    for dossier in dossiers[:2]:
        assert set(dossier.assigned_analysts.all()) == {kpcn, om}
    assert set(dossiers[2].assigned_analysts.all()) == {kpcn}
    assert AuditEvent.objects.filter(action="register.dossier.assigned").count() == 2
    event = AuditEvent.objects.get(action="casework.bulk.dossiers_assigned")
    assert event.result_ids == [str(d.pk) for d in dossiers[:2]]
    assert event.detail["analysts"] == [om.pk]


def test_assigning_analysts_who_already_work_on_a_dossier_changes_and_records_nothing(dossiers):
    kpcn = persona("analyst_kpcn")
    bulk_assign_dossiers(actor=kpcn, numbers=[dossiers[0].number], analysts=[kpcn])
    assert not AuditEvent.objects.filter(action="register.dossier.assigned").exists()
    assert AuditEvent.objects.get(action="casework.bulk.dossiers_assigned").detail[
        "changed"] == []


def test_one_closed_dossier_refuses_the_whole_assignment(dossiers):
    kpcn, om = persona("analyst_kpcn"), persona("analyst_om")
    dossier_update(actor=kpcn, dossier=dossiers[1], values={
        "status": Dossier.Status.CLOSED, "closed_reason": "Done"})
    with pytest.raises(ValidationError) as refused:
        bulk_assign_dossiers(actor=kpcn, numbers=[d.number for d in dossiers], analysts=[om])
    assert dossiers[1].number in " ".join(refused.value.messages)
    assert not Dossier.objects.filter(assigned_analysts=om).exists()
    assert not Notification.objects.exists()


def test_a_granted_analyst_not_assigned_cannot_open_a_restricted_dossier_to_a_colleague(db):
    kpcn, colleague = persona("analyst_kpcn"), persona("analyst_kpcn_colleague")
    om = persona("analyst_om")
    _, secret = hidden_signal()
    dossier_restrict(actor=kpcn, dossier=secret, analysts=[kpcn, colleague])
    with pytest.raises(ValidationError) as refused:
        bulk_assign_dossiers(actor=colleague, numbers=[secret.number], analysts=[om])
    assert refused.value.error_dict["analysts"][0].code == "restricted"
    assert om not in secret.assigned_analysts.all()
    # Its assigned analyst may: the colleague is then granted it, as on the dossier page.
    bulk_assign_dossiers(actor=kpcn, numbers=[secret.number], analysts=[om])
    assert om in secret.assigned_analysts.all()


def test_a_dossier_hidden_from_the_analyst_refuses_the_assignment(dossiers):
    _, secret = hidden_signal()
    om = persona("analyst_om")
    with pytest.raises(ValidationError) as refused:
        bulk_assign_dossiers(actor=om, numbers=[dossiers[0].number, secret.number],
                             analysts=[om])
    assert refused.value.code == "not_visible"
    assert not Dossier.objects.filter(assigned_analysts=om).exists()


def test_exporting_a_selection_holds_exactly_its_rows_and_is_audited_with_their_ids(dossiers,
                                                                                   signals):
    kpcn = persona("analyst_kpcn")
    sheet = bulk_export_signals(actor=kpcn, references=refs(signals[:2]), extension="csv")
    assert [row[0] for row in sheet.rows] == refs(signals[:2])
    event = AuditEvent.objects.get(action="signals.selection.exported")
    assert (event.result_ids, event.detail) == ([str(s.pk) for s in signals[:2]],
                                                {"format": "csv"})
    sheet = bulk_export_dossiers(actor=kpcn, numbers=[dossiers[2].number], extension="xlsx")
    assert [row[0] for row in sheet.rows] == [dossiers[2].number]
    assert sheet.rows[0][-1] == kpcn.display_name  # who works on it, as in the list
    assert AuditEvent.objects.get(action="register.dossier.selection_exported").result_ids == [
        str(dossiers[2].pk)]


def test_an_export_of_a_selection_with_a_hidden_signal_exports_nothing(signals):
    secret, _ = hidden_signal()
    with pytest.raises(ValidationError):
        bulk_export_signals(actor=persona("analyst_om"),
                            references=[*refs(signals), secret.reference], extension="csv")
    assert not AuditEvent.objects.filter(action="signals.selection.exported").exists()
