"""What a portfolio holder does with a task, and the daily reminders.

The partner accepts or declines (with a reason), records progress, and records the outcome on
the follow-up action itself through the same service the analysts use, so the dossier page and
the MoU figures (counted by kind and date where it is recorded) show it as they always did.
Each service takes the acting user and writes its audit event in the same transaction.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.dossiers import follow_up_update
from casework.follow_up_tasks import OPEN_STATES, portfolio_holders
from casework.models import FollowUpProgress, FollowUpTask
from register.models import FollowUpAction, User
from register.services.audit import audit_record
from register.services.notifications import notify
from signals.attachments import check_upload

DUE_SOON_DAYS = 7
# An overdue task is brought up again each week until it is done.
OVERDUE_EVERY_DAYS = 7


def _locked(task: FollowUpTask) -> FollowUpTask:
    current = FollowUpTask.objects.select_for_update().get(pk=task.pk)
    task.state = current.state
    return task


def _tell_analyst(task: FollowUpTask, event: str) -> None:
    action = task.action
    notify(users=[action.created_by], event=event,
           params={"org": action.responsible_organisation.code.upper(),
                   "ref": action.dossier.number},
           url=reverse("casework:dossier", args=[action.dossier.number]))


def task_accept(*, actor: User, task: FollowUpTask) -> None:
    with transaction.atomic():
        if _locked(task).state != FollowUpTask.State.ASKED:
            raise ValidationError(_("This task was already accepted or declined."))
        task.state, task.decided_by, task.decided_at = (FollowUpTask.State.ACCEPTED, actor,
                                                        timezone.now())
        task.save(update_fields=["state", "decided_by", "decided_at"])
        audit_record(actor=actor, action="casework.task.accepted", obj=task,
                     detail={"follow_up": task.action_id})
        _tell_analyst(task, "casework.task.accepted")


def task_decline(*, actor: User, task: FollowUpTask, reason: str) -> None:
    """Declined with a reason; the follow-up action is cancelled, so it no longer counts as
    under way, and the analyst who asked is told."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason why your organisation declines.")})
    with transaction.atomic():
        if _locked(task).state != FollowUpTask.State.ASKED:
            raise ValidationError(_("This task was already accepted or declined."))
        task.state, task.decided_by, task.decided_at = (FollowUpTask.State.DECLINED, actor,
                                                        timezone.now())
        task.decline_reason = reason
        task.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
        action = task.action
        action.outcome = FollowUpAction.Outcome.CANCELLED
        action.save(update_fields=["outcome"])
        audit_record(actor=actor, action="casework.task.declined", obj=task,
                     detail={"follow_up": action.pk})
        _tell_analyst(task, "casework.task.declined")


def _check_accepted(task: FollowUpTask) -> None:
    if task.state != FollowUpTask.State.ACCEPTED:
        raise ValidationError(_("Accept the task first."))


def task_progress_add(*, actor: User, task: FollowUpTask, text: str) -> FollowUpProgress:
    if not text.strip():
        raise ValidationError({"text": _("Write what happened.")})
    _check_accepted(task)
    with transaction.atomic():
        line = FollowUpProgress.objects.create(task=task, author=actor, text=text)
        audit_record(actor=actor, action="casework.task.progress_added", obj=task,
                     detail={"progress": line.pk})
    return line


def task_record_outcome(*, actor: User, task: FollowUpTask, outcome: str,
                        happened_on: dt.date | None, explanation: str = "",
                        ends_on: dt.date | None = None, document=None) -> None:
    """The outcome and its date, on the follow-up action (where the figures count it), and the
    decision document if given (PDF, JPEG or PNG, checked by content)."""
    _check_accepted(task)
    if outcome == FollowUpAction.Outcome.PLANNED:
        raise ValidationError({"outcome": _("Choose what came of it.")})
    content_type = ""
    if document is not None:
        try:
            content_type = check_upload(document)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from None
    with transaction.atomic():
        follow_up_update(actor=actor, action=task.action, outcome=outcome,
                         happened_on=happened_on, explanation=explanation, ends_on=ends_on)
        if document is not None:
            task.decision_document.save("decision", document, save=False)
            task.decision_document_type = content_type
            task.save(update_fields=["decision_document", "decision_document_type"])
        audit_record(actor=actor, action="casework.task.outcome_recorded", obj=task,
                     detail={"follow_up": task.action_id, "outcome": outcome,
                             "document": document is not None})
        _tell_analyst(task, "casework.task.outcome")


def _reminders_due(today: dt.date) -> tuple[Q, Q]:
    """Tasks to remind today: due within a week and not yet reminded since they came within
    it; overdue and not reminded since the due date, or not for a week."""
    due_soon = (Q(action__due_on__gte=today,
                  action__due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
                & (Q(reminded_on__isnull=True) | Q(
                    reminded_on__lt=today - dt.timedelta(days=DUE_SOON_DAYS))))
    overdue = (Q(action__due_on__lt=today)
               & (Q(reminded_on__isnull=True) | Q(reminded_on__lte=F("action__due_on"))
                  | Q(reminded_on__lte=today - dt.timedelta(days=OVERDUE_EVERY_DAYS))))
    return due_soon, overdue


def task_reminders_send(*, today: dt.date | None = None) -> int:
    """The daily reminders: portfolio holders of tasks due within a week and of overdue tasks;
    for an overdue task the analyst who asked too. Each task is claimed for the day by one
    UPDATE that only one run can win, so a second beat or a retried job tells nobody twice.
    Returns the number of tasks reminded."""
    today = today or timezone.localdate()
    due_soon, overdue = _reminders_due(today)
    open_tasks = FollowUpTask.objects.filter(state__in=OPEN_STATES,
                                             action__outcome=FollowUpAction.Outcome.PLANNED)
    reminded = 0
    for which, condition in (("due_soon", due_soon), ("overdue", overdue)):
        for task in open_tasks.filter(condition).select_related(
                "action__dossier", "action__responsible_organisation", "action__created_by"):
            with transaction.atomic():
                won = FollowUpTask.objects.filter(Q(pk=task.pk) & condition).exclude(
                    reminded_on=today).update(reminded_on=today)
                if not won:
                    continue
                action = task.action
                params = {"ref": action.dossier.number, "date": action.due_on.isoformat()}
                url = reverse("tasks:detail", args=[task.pk])
                holders = portfolio_holders(action.responsible_organisation)
                if which == "due_soon":
                    notify(users=holders, event="casework.task.due_soon", params=params, url=url)
                else:
                    notify(users=holders, event="casework.task.overdue", params=params, url=url)
                    notify(users=[action.created_by], event="casework.task.escalated",
                           params={**params, "org": action.responsible_organisation.code.upper()},
                           url=reverse("casework:dossier", args=[action.dossier.number]))
                audit_record(actor=None, action=f"casework.task.reminded_{which}", obj=task,
                             username="system")
                reminded += 1
    return reminded
