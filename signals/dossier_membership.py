"""Which signals make up a dossier: open one from signals, add, move and remove signals."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import Dossier, User
from register.selectors.dossiers import restricted_to
from register.services.audit import audit_record
from register.services.dossiers import dossier_create, dossier_sync_persons
from signals.models import Signal
from signals.triage import triage_take_in
from signals.vocab import OPEN_STATUSES, SignalStatus


def _check_restriction_kept(signal: Signal, target: Dossier | None) -> None:
    """A signal in a restricted dossier may only go where the same analysts, and no others,
    can see it: otherwise removing or moving it would declassify it without anyone deciding."""
    source = signal.dossier
    if source is None or not source.restricted or (target and target.pk == source.pk):
        return
    if target is not None and target.restricted and \
            set(restricted_to(target)) == set(restricted_to(source)):
        return
    raise ValidationError(
        _("%(ref)s is in a restricted dossier; moving or removing it would show it to other "
          "analysts. Lift or align the restriction first.") % {"ref": signal.reference},
        code="restricted")


def _join(actor: User, dossier: Dossier, signals: list[Signal]) -> None:
    for signal in signals:
        _check_restriction_kept(signal, dossier)
        if signal.status == SignalStatus.NOT_TAKEN_UP:
            raise ValidationError(_("%(ref)s was not taken up; it cannot join a dossier.")
                                  % {"ref": signal.reference})
        if signal.status in OPEN_STATUSES:
            triage_take_in(actor=actor, signal=signal)
    Signal.objects.filter(pk__in=[s.pk for s in signals]).update(
        dossier=dossier, last_processed_at=timezone.now())
    for signal in signals:
        signal.dossier = dossier


def dossier_open(*, actor: User, signals: list[Signal], title: str,
                 priority: int = Dossier.Priority.NORMAL) -> Dossier:
    if not signals:
        raise ValidationError({"signals": _("Choose at least one signal.")})
    with transaction.atomic():
        dossier = dossier_create(actor=actor, title=title, priority=priority)
        _join(actor, dossier, signals)
        dossier_sync_persons(dossier)
        audit_record(actor=actor, action="register.dossier.signals_added", obj=dossier,
                     result_ids=[f"signals.signal:{s.pk}" for s in signals])
    return dossier


def dossier_add_signals(*, actor: User, dossier: Dossier, signals: list[Signal]) -> None:
    """Add signals; a signal already in another dossier moves here."""
    with transaction.atomic():
        previous = {s.dossier_id for s in signals if s.dossier_id and s.dossier_id != dossier.pk}
        _join(actor, dossier, signals)
        dossier_sync_persons(dossier)
        for other in Dossier.objects.filter(pk__in=previous):
            dossier_sync_persons(other)
            audit_record(actor=actor, action="register.dossier.signals_moved_out", obj=other,
                         result_ids=[f"signals.signal:{s.pk}" for s in signals],
                         detail={"to": dossier.pk})
        dossier.save(update_fields=["updated_at"])
        audit_record(actor=actor, action="register.dossier.signals_added", obj=dossier,
                     result_ids=[f"signals.signal:{s.pk}" for s in signals],
                     detail={"moved_from": sorted(previous)})


def dossier_remove_signal(*, actor: User, dossier: Dossier, signal: Signal) -> None:
    if signal.dossier_id != dossier.pk:
        raise ValidationError(_("This signal is not in this dossier."))
    _check_restriction_kept(signal, None)
    with transaction.atomic():
        signal.dossier = None
        signal.last_processed_at = timezone.now()
        signal.save(update_fields=["dossier", "last_processed_at"])
        dossier_sync_persons(dossier)
        dossier.save(update_fields=["updated_at"])
        audit_record(actor=actor, action="register.dossier.signal_removed", obj=dossier,
                     result_ids=[f"signals.signal:{signal.pk}"])
