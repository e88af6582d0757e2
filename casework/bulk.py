"""Bulk actions on a selection from the inbox or the dossier list: assign, add to a dossier,
export.

Each action takes the acting user and the references or numbers she ticked, reads them through
the need-to-know selectors, and refuses the whole selection, naming the first reference that
stands in the way, when any one of them is hidden from her or may not take the action: a bulk
action is done whole or not at all, in one transaction. Every item goes through the service
that acts on one item, so it gets its usual audit event and notification; one more event
records the bulk action with all the ids.

A reference the analyst may not see is refused with the same words as one that does not exist,
so a selection cannot be used to learn that a hidden signal or dossier exists.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.dossiers import dossier_add_signals, dossier_assign
from casework.exports import Sheet, dossier_sheet, export_disclosed, signal_sheet
from casework.need_to_know import dossiers_visible_to
from casework.selectors import signals_visible_to
from casework.triage import triage_assign
from casework.worklists import with_signal_count
from register.models import Dossier, Role, User
from register.services.audit import audit_record
from signals.models import Signal
from signals.vocab import OPEN_STATUSES

# A selection is what one page shows at most (PAGE_SIZES); more is not a selection by hand.
MAX_SELECTION = 200


def _unique(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
    if len(chosen) > MAX_SELECTION:
        raise ValidationError(
            _("Choose at most %(max)s at a time.") % {"max": MAX_SELECTION}, code="too_many")
    return chosen


def selected_signals(actor: User, references: Iterable[str]) -> list[Signal]:
    """The signals ticked, in the order given; refused whole when one is not visible."""
    references = _unique(references)
    if not references:
        raise ValidationError(_("Choose at least one signal."), code="empty")
    found = {s.reference: s for s in signals_visible_to(actor)
             .filter(reference__in=references)
             .select_related("taken_up_by", "dossier").prefetch_related("forms")}
    for reference in references:
        if reference not in found:
            raise ValidationError(
                _("No signal %(ref)s that you may see; nothing was done.") % {"ref": reference},
                code="not_visible")
    return [found[reference] for reference in references]


def selected_dossiers(actor: User, numbers: Iterable[str]) -> list[Dossier]:
    """The dossiers ticked, in the order given; refused whole when one is not visible."""
    numbers = _unique(numbers)
    if not numbers:
        raise ValidationError(_("Choose at least one dossier."), code="empty")
    found = {d.number: d for d in with_signal_count(dossiers_visible_to(actor))
             .filter(number__in=numbers).prefetch_related("assigned_analysts")}
    for number in numbers:
        if number not in found:
            raise ValidationError(
                _("No dossier %(number)s that you may see; nothing was done.")
                % {"number": number}, code="not_visible")
    return [found[number] for number in numbers]


def _check_analyst(analyst: User) -> None:
    if not (analyst.is_active and analyst.has_role(Role.ANALYST)):
        raise ValidationError(_("%(user)s is not an analyst.")
                              % {"user": analyst.get_username()}, code="not_analyst")


def bulk_assign_signals(*, actor: User, references: Iterable[str], analyst: User) -> list[Signal]:
    """Hand every selected signal to `analyst` (the actor herself: she takes them up). A signal
    that is no longer open refuses the whole selection."""
    _check_analyst(analyst)
    signals = selected_signals(actor, references)
    for signal in signals:
        if signal.status not in OPEN_STATUSES:
            raise ValidationError(
                _("%(ref)s is no longer open and cannot be assigned; nothing was assigned.")
                % {"ref": signal.reference}, code="closed")
    with transaction.atomic():
        for signal in signals:
            try:
                triage_assign(actor=actor, signal=signal, analyst=analyst)
            except ValidationError as error:  # e.g. triaged by a colleague a moment ago
                raise ValidationError(
                    _("%(ref)s: %(problem)s Nothing was assigned.")
                    % {"ref": signal.reference, "problem": " ".join(error.messages)},
                    code=getattr(error, "code", None)) from error
        audit_record(actor=actor, action="casework.bulk.signals_assigned",
                     object_type="signals.signal", result_ids=[s.pk for s in signals],
                     detail={"to": analyst.pk, "count": len(signals)})
    return signals


def bulk_add_to_dossier(*, actor: User, references: Iterable[str], number: str) -> Dossier:
    """Add every selected signal to the dossier `number` (a signal in another dossier moves).
    The dossier's own rules hold for each signal (not a declined one, a restriction kept)."""
    dossier = dossiers_visible_to(actor).filter(number=number).first()
    if dossier is None:
        raise ValidationError({"number": _("No dossier with this number that you may see.")},
                              code="not_visible")
    signals = selected_signals(actor, references)
    with transaction.atomic():
        try:
            dossier_add_signals(actor=actor, dossier=dossier, signals=signals)
        except ValidationError as error:
            raise ValidationError(
                _("%(problem)s Nothing was added.") % {"problem": " ".join(error.messages)},
                code=getattr(error, "code", None)) from error
        audit_record(actor=actor, action="casework.bulk.signals_added_to_dossier", obj=dossier,
                     result_ids=[f"signals.signal:{s.pk}" for s in signals],
                     detail={"count": len(signals)})
    return dossier


def bulk_assign_dossiers(*, actor: User, numbers: Iterable[str],
                         analysts: Iterable[User]) -> list[Dossier]:
    """Add the analysts to each selected dossier's assigned analysts; those already assigned
    stay. A closed dossier refuses the whole selection (nobody works on it any more); so does a
    restricted one that the assignment would open to someone new, unless the actor is one of
    its assigned analysts, who decide who may see it."""
    analysts = list(dict.fromkeys(analysts))
    if not analysts:
        raise ValidationError({"analysts": _("Choose at least one analyst.")}, code="empty")
    for analyst in analysts:
        _check_analyst(analyst)
    dossiers = selected_dossiers(actor, numbers)
    for dossier in dossiers:
        if dossier.status == Dossier.Status.CLOSED:
            raise ValidationError(
                _("%(number)s is closed and cannot be assigned; nothing was assigned.")
                % {"number": dossier.number}, code="closed")
    changed = []
    with transaction.atomic():
        for dossier in dossiers:
            current = list(dossier.assigned_analysts.all())
            new = [a for a in analysts if a not in current]
            if not new:
                continue  # all of them work on it already: nothing changes, nothing recorded
            # dossier_assign refuses to open a restricted dossier to someone new unless the
            # actor decides who may see it; its refusal undoes the whole selection.
            dossier_assign(actor=actor, dossier=dossier, analysts=[*current, *new])
            changed.append(dossier)
        audit_record(actor=actor, action="casework.bulk.dossiers_assigned",
                     object_type="register.dossier", result_ids=[d.pk for d in dossiers],
                     detail={"analysts": sorted(a.pk for a in analysts),
                             "changed": sorted(d.pk for d in changed),
                             "count": len(dossiers)})
    return dossiers


def bulk_export_signals(*, actor: User, references: Iterable[str], extension: str) -> Sheet:
    """The selected signals as the list export's sheet; audited with the ids that left."""
    signals = selected_signals(actor, references)
    with transaction.atomic():
        audit_record(actor=actor, action="signals.selection.exported",
                     object_type="signals.signal", result_ids=[s.pk for s in signals],
                     detail={"format": extension})
        export_disclosed(actor=actor, rows=signals)
    return signal_sheet(signals)


def bulk_export_dossiers(*, actor: User, numbers: Iterable[str], extension: str) -> Sheet:
    """The selected dossiers as the list export's sheet; audited with the ids that left."""
    dossiers = selected_dossiers(actor, numbers)
    with transaction.atomic():
        audit_record(actor=actor, action="register.dossier.selection_exported",
                     object_type="register.dossier", result_ids=[d.pk for d in dossiers],
                     detail={"format": extension})
        export_disclosed(actor=actor, rows=dossiers)
    return dossier_sheet(dossiers)


def assigned_message(count: int, analyst: User, actor: User) -> str:
    if analyst.pk == actor.pk:
        return ngettext("You now hold %(count)s signal.", "You now hold %(count)s signals.",
                        count) % {"count": count}
    return ngettext("%(name)s now holds %(count)s signal.", "%(name)s now holds %(count)s "
                    "signals.", count) % {"count": count, "name": analyst.display_name}
