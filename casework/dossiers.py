"""Every change to a dossier: opening it from signals, adding, moving and removing signals,
status, analysts, need-to-know restriction, notes, follow-up, MoU facts, merges.

Each service takes the acting user and writes its audit event in the same transaction.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import follow_up_tasks
from casework.dossier_persons import dossier_sync_persons, keep_better_role
from casework.need_to_know import VIEW_DOSSIER, restricted_to
from casework.triage import triage_take_in
from register.models import (
    Approval,
    Dossier,
    DossierCounter,
    DossierNote,
    DossierPerson,
    FollowUpAction,
    Organisation,
    Role,
    User,
)
from register.numbering import dossier_number, next_in_year
from register.services.approvals import approval_ask_own_dossier_access
from register.services.audit import audit_record
from register.services.notifications import notify
from signals.models import Signal
from signals.vocab import OPEN_STATUSES, SignalStatus


def _next_number() -> str:
    return dossier_number(*next_in_year(DossierCounter))


def same_restriction(one: Dossier, other: Dossier) -> bool:
    """Both dossiers are restricted, and to the same analysts: moving casework between them
    shows nothing to anyone new."""
    return one.restricted and other.restricted and \
        set(restricted_to(one)) == set(restricted_to(other))


def dossier_create(*, actor: User, title: str, priority: int = Dossier.Priority.NORMAL) -> Dossier:
    with transaction.atomic():
        dossier = Dossier.objects.create(number=_next_number(), title=title, priority=priority,
                                         created_by=actor)
        dossier.assigned_analysts.add(actor)
        audit_record(actor=actor, action="register.dossier.created", obj=dossier)
    return dossier


def dossier_update(*, actor: User, dossier: Dossier, values: dict) -> Dossier:
    status = values.get("status", dossier.status)
    if status == Dossier.Status.CLOSED and not (values.get("closed_reason")
                                                or dossier.closed_reason):
        raise ValidationError({"closed_reason": _("Give the reason for closing the dossier.")})
    fields = [name for name in ("title", "status", "priority", "closed_reason")
              if name in values and getattr(dossier, name) != values[name]]
    if not fields:
        return dossier
    with transaction.atomic():
        for name in fields:
            setattr(dossier, name, values[name])
        if "status" in fields:
            dossier.closed_at = timezone.now() if status == Dossier.Status.CLOSED else None
            fields.append("closed_at")
        dossier.save(update_fields=[*fields, "updated_at"])
        audit_record(actor=actor, action="register.dossier.changed", obj=dossier,
                     detail={"fields": fields, "status": dossier.status,
                             "priority": dossier.priority})
    return dossier


def _analysts(users) -> list[User]:
    users = list(users)
    for user in users:
        if not user.has_role(Role.ANALYST):
            raise ValidationError(_("%(user)s is not an analyst.") % {"user": user.username})
    return users


def dossier_assign(*, actor: User, dossier: Dossier, analysts) -> None:
    """Assigned analysts work on the dossier, so on a restricted one they are granted too.

    That makes assigning someone new to a restricted dossier a decision on who may see it,
    which is its assigned analysts' or the register manager's (as for dossier_restrict): any
    other analyst granted the dossier may reassign among those who see it already, no more.
    Those newly assigned are told in the app.
    """
    analysts = _analysts(analysts)
    current = set(dossier.assigned_analysts.all())
    with transaction.atomic():
        if dossier.restricted:
            opened = set(analysts) - set(restricted_to(dossier))
            if opened and actor not in current and not actor.has_role(Role.MANAGER):
                raise ValidationError({"analysts": ValidationError(
                    _("%(number)s is restricted; only its assigned analysts may open it to "
                      "someone new.") % {"number": dossier.number}, code="restricted")})
            for user in opened:
                assign_perm(VIEW_DOSSIER, user, dossier)
        dossier.assigned_analysts.set(analysts)
        audit_record(actor=actor, action="register.dossier.assigned", obj=dossier,
                     detail={"analysts": sorted(a.pk for a in analysts)})
        told = [user for user in analysts if user not in current and user.pk != actor.pk]
        if told:
            notify(users=told, event="casework.dossier.assigned",
                   params={"ref": dossier.number},
                   url=reverse("casework:dossier", args=[dossier.number]))


def dossier_restrict(*, actor: User, dossier: Dossier, analysts,
                     approval: Approval | None = None) -> Approval | None:
    """Restrict to the named analysts (need to know), or lift the restriction with none.

    Decided by the dossier's assigned analysts or the register manager; the assigned analysts
    always stay in, so nobody can lock the people working on a case out of it. Nobody grants
    themselves access to a restricted dossier: that is asked of a second register manager
    (register.services.approvals) and the request returned; `approval` is the approved
    request when that second manager makes the change.
    """
    is_manager = actor.has_role(Role.MANAGER)
    if approval is None and not is_manager and \
            not dossier.assigned_analysts.filter(pk=actor.pk).exists():
        raise ValidationError(_("Only the analysts assigned to this dossier decide who may "
                                "see it."), code="not_assigned")
    analysts = _analysts(analysts)
    if analysts:
        analysts = list(dict.fromkeys([*analysts, *dossier.assigned_analysts.all()]))
    with transaction.atomic():
        current = set(restricted_to(dossier))
        if approval is None and _opens_to_actor(actor, dossier, current, analysts):
            asked = approval_ask_own_dossier_access(actor=actor, dossier=dossier,
                                                    lift=not analysts)
            if not analysts:
                return asked
            # The rest of the change is made now; only the actor's own access waits.
            analysts = [user for user in analysts if user.pk != actor.pk]
            if set(analysts) != current:
                _apply_restriction(actor, dossier, current, analysts, approval)
            return asked
        _apply_restriction(actor, dossier, current, analysts, approval)
    return None


def _opens_to_actor(actor: User, dossier: Dossier, current: set, analysts: list) -> bool:
    """Whether this change would let the actor read a restricted dossier they cannot read now:
    by naming themselves, or by lifting the restriction while holding the analyst role."""
    if not dossier.restricted or actor in current or not actor.has_role(Role.ANALYST):
        return False
    return not analysts or actor in analysts


def _apply_restriction(actor: User, dossier: Dossier, current: set, analysts: list,
                       approval: Approval | None) -> None:
    for user in current - set(analysts):
        remove_perm(VIEW_DOSSIER, user, dossier)
    for user in set(analysts) - current:
        assign_perm(VIEW_DOSSIER, user, dossier)
    dossier.restricted = bool(analysts)
    dossier.save(update_fields=["restricted", "updated_at"])
    audit_record(actor=actor, action="register.dossier.restricted" if analysts
                 else "register.dossier.unrestricted", obj=dossier,
                 detail={"analysts": sorted(a.pk for a in analysts),
                         **({"approval_id": approval.pk} if approval else {})})


def dossier_add_note(*, actor: User, dossier: Dossier, text: str) -> DossierNote:
    with transaction.atomic():
        note = DossierNote.objects.create(dossier=dossier, author=actor, text=text)
        dossier.save(update_fields=["updated_at"])
        audit_record(actor=actor, action="register.dossier.note_added", obj=dossier,
                     detail={"note": note.pk})
    return note


def _check_follow_up(kind: str, outcome: str, happened_on, explanation: str, *,
                     ends_on: dt.date | None = None, start: dt.date | None = None) -> None:
    errors = {}
    if ends_on and start and ends_on < start:
        errors["ends_on"] = _("It cannot end before it starts.")
    if kind == FollowUpAction.Kind.NO_FURTHER_ACTION and not explanation.strip():
        errors["explanation"] = _("Explain why no further action is taken.")
    verdicts = {FollowUpAction.Outcome.CONVICTION, FollowUpAction.Outcome.ACQUITTAL}
    if (kind == FollowUpAction.Kind.VERDICT) != (outcome in verdicts):
        errors["outcome"] = _("A verdict's outcome is a conviction or an acquittal, and only "
                              "a verdict has one.")
    if outcome in verdicts | {FollowUpAction.Outcome.DONE} and happened_on is None:
        errors["happened_on"] = _("Give the date it happened.")
    if happened_on and happened_on > timezone.localdate():
        errors["happened_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def follow_up_add(*, actor: User, dossier: Dossier, kind: str, organisation: Organisation,
                  due_on: dt.date | None = None, outcome: str = FollowUpAction.Outcome.PLANNED,
                  happened_on: dt.date | None = None, explanation: str = "",
                  ends_on: dt.date | None = None, brief: str = "",
                  attachments=()) -> FollowUpAction:
    """Record a follow-up action. A planned one for another organisation is asked of it: a
    task for its portfolio holders, with the brief (required) and the attachments shared."""
    _check_follow_up(kind, outcome, happened_on, explanation, ends_on=ends_on,
                     start=happened_on or due_on)
    asked = follow_up_tasks.is_asked_of_partner(actor=actor, organisation=organisation,
                                                outcome=outcome)
    if asked:
        follow_up_tasks.check_task(action_dossier=dossier, brief=brief, attachments=attachments)
    with transaction.atomic():
        action = FollowUpAction.objects.create(
            dossier=dossier, kind=kind, responsible_organisation=organisation, due_on=due_on,
            outcome=outcome, happened_on=happened_on, explanation=explanation, ends_on=ends_on,
            created_by=actor)
        if dossier.status in (Dossier.Status.OPEN, Dossier.Status.IN_ANALYSIS):
            dossier.status = Dossier.Status.IN_FOLLOW_UP
        dossier.save(update_fields=["status", "updated_at"])
        dossier.signals.update(last_processed_at=timezone.now())
        audit_record(actor=actor, action="register.follow_up.added", obj=dossier,
                     detail={"follow_up": action.pk, "kind": kind, "outcome": outcome,
                             "organisation": organisation.code})
        if asked:
            follow_up_tasks.task_create(actor=actor, action=action, brief=brief,
                                        attachments=list(attachments))
    return action


def follow_up_update(*, actor: User, action: FollowUpAction, outcome: str,
                     happened_on: dt.date | None, explanation: str,
                     ends_on: dt.date | None = None) -> FollowUpAction:
    _check_follow_up(action.kind, outcome, happened_on, explanation, ends_on=ends_on,
                     start=happened_on or action.due_on)
    with transaction.atomic():
        action.outcome, action.happened_on, action.explanation = outcome, happened_on, explanation
        action.ends_on = ends_on
        action.save(update_fields=["outcome", "happened_on", "explanation", "ends_on"])
        action.dossier.save(update_fields=["updated_at"])
        audit_record(actor=actor, action="register.follow_up.changed", obj=action.dossier,
                     detail={"follow_up": action.pk, "outcome": outcome})
    return action


def dossier_person_update(*, actor: User, role: DossierPerson, values: dict) -> DossierPerson:
    if values.get("victim_status") and role.role != DossierPerson.Role.VICTIM:
        raise ValidationError({"victim_status": _("Only a victim has a victim status.")})
    if values.get("identified_on") and values["identified_on"] > timezone.localdate():
        raise ValidationError({"identified_on": _("The date cannot be in the future.")})
    fields = [name for name in ("victim_status", "status_decided_by", "identified_on",
                                "form_of_exploitation") if name in values]
    with transaction.atomic():
        for name in fields:
            setattr(role, name, values[name])
        role.save(update_fields=fields)
        audit_record(actor=actor, action="register.dossier.person_changed", obj=role.dossier,
                     detail={"person": role.person_id, "role": role.role, "fields": fields})
    return role


def dossier_merge(*, actor: User, source: Dossier, target: Dossier) -> Dossier:
    """Everything of `source` moves to `target`; a restriction on either carries over."""
    if source.pk == target.pk:
        raise ValidationError(_("A dossier cannot be merged with itself."))
    if source.restricted and target.restricted and not same_restriction(source, target):
        # Merging would show each dossier to the other's analysts: decide that first.
        raise ValidationError(_("Both dossiers are restricted to different analysts; make "
                                "the lists the same before merging."), code="grants_differ")
    with transaction.atomic():
        source.signals.update(dossier=target, last_processed_at=timezone.now())
        source.follow_ups.update(dossier=target)
        source.notes.update(dossier=target)
        for role in source.persons.all():
            keep_better_role(role, target.persons.filter(person_id=role.person_id,
                                                         role=role.role).first(), target)
        target.assigned_analysts.add(*source.assigned_analysts.all())
        if source.restricted and not target.restricted:
            # The open dossier takes on the restriction: nothing restricted is opened up.
            for user in restricted_to(source):
                assign_perm(VIEW_DOSSIER, user, target)
            target.restricted = True
        target.save(update_fields=["restricted", "updated_at"])
        dossier_sync_persons(target)
        source.merged_into = target
        source.status = Dossier.Status.CLOSED
        source.closed_at = source.closed_at or timezone.now()
        source.closed_reason = _("Merged into %(number)s") % {"number": target.number}
        source.save(update_fields=["merged_into", "status", "closed_reason", "closed_at",
                                   "updated_at"])
        audit_record(actor=actor, action="register.dossier.merged", obj=target,
                     detail={"source": source.pk})
        audit_record(actor=actor, action="register.dossier.merged_away", obj=source,
                     detail={"target": target.pk})
    return target


# Which signals make up a dossier.

def _check_restriction_kept(signal: Signal, target: Dossier | None) -> None:
    """A signal in a restricted dossier may only go where the same analysts, and no others,
    can see it: otherwise removing or moving it would declassify it without anyone deciding."""
    source = signal.dossier
    if source is None or not source.restricted or (target and target.pk == source.pk):
        return
    if target is not None and same_restriction(source, target):
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


def approval_apply_own_access(*, actor: User, approval: Approval, subject: User) -> None:
    """A second manager approved a manager's own access to a restricted dossier (or the
    lifting of its restriction): made now, on the state of now."""
    if approval.lift_restriction:
        dossier_restrict(actor=actor, dossier=approval.dossier, analysts=[], approval=approval)
    elif approval.dossier.restricted:
        dossier_restrict(actor=actor, dossier=approval.dossier, approval=approval,
                         analysts=[*restricted_to(approval.dossier), subject])
