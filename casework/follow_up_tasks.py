"""Follow-up asked of another organisation: the task its portfolio holders see.

A planned follow-up action for an organisation other than the analyst's own is a task for that
organisation's portfolio holders. They see the task (what is asked, by when, the dossier's
number, the brief the analyst wrote and the attachments she chose to share) and nothing else of
the register. Creating the task is part of adding the follow-up action (casework.dossiers); what
the partner does with it is in casework.task_work.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import FollowUpTask
from register.models import FollowUpAction, Organisation, Role, User
from register.models.disclosures import Channel, LegalGround
from register.services.audit import audit_record
from register.services.disclosures import disclosed, record_disclosure
from register.services.notifications import notify
from signals.models import Attachment

OPEN_STATES = (FollowUpTask.State.ASKED, FollowUpTask.State.ACCEPTED)


def is_asked_of_partner(*, actor: User, organisation: Organisation, outcome: str) -> bool:
    """Only what is still to be done, by another organisation, is asked of it."""
    return (outcome == FollowUpAction.Outcome.PLANNED
            and organisation.pk != actor.organisation_id)


def portfolio_holders(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation, is_active=True,
                               role_grants__role=Role.PORTFOLIO_HOLDER).distinct()


def check_task(*, action_dossier, brief: str, attachments) -> None:
    """Refuse, before anything is written, a task without a brief or sharing a file that is not
    in the dossier."""
    errors = {}
    if not brief.strip():
        errors["brief"] = _("Write the brief for the partner: what they need to know to do "
                            "this, and nothing more.")
    allowed = set(Attachment.objects.filter(signal__dossier=action_dossier)
                  .values_list("pk", flat=True))
    if any(attachment.pk not in allowed for attachment in attachments):
        errors["attachments"] = _("Share only attachments of this dossier's signals.")
    if errors:
        raise ValidationError(errors)


def task_create(*, actor: User, action: FollowUpAction, brief: str, attachments=()) -> FollowUpTask:
    """Inside the caller's transaction: the task, the disclosure of the brief and the shared
    files, the audit event, and a notification to the organisation's portfolio holders."""
    task = FollowUpTask.objects.create(action=action, brief=brief)
    task.shared_attachments.set(attachments)
    organisation = action.responsible_organisation
    record_disclosure(
        actor=actor, channel=Channel.BRIEF, legal_ground=LegalGround.COVENANT,
        recipient_organisation=organisation.name,
        purpose=f"{action.get_kind_display()} ({action.dossier.number})",
        objects=[disclosed("casework.followuptask", task.pk, action.dossier.number)]
        + [disclosed("signals.attachment", a.pk, action.dossier.number) for a in attachments])
    audit_record(actor=actor, action="casework.task.created", obj=task,
                 detail={"follow_up": action.pk, "organisation": organisation.code,
                         "dossier": action.dossier.number,
                         "attachments": [str(a.pk) for a in attachments]})
    task.holders_told = notify(users=portfolio_holders(organisation), event="casework.task.new",
                               params={"ref": action.dossier.number, "kind": action.kind},
                               url=reverse("tasks:detail", args=[task.pk]))
    if not task.holders_told:
        # Nobody at the partner would ever see the task: the people who appoint holders must.
        managers = User.objects.filter(is_active=True, role_grants__role=Role.MANAGER)
        notify(users=managers, event="casework.task.no_holder",
               params={"org": organisation.code.upper(), "ref": action.dossier.number},
               url=reverse("manage_users"))
    return task


def tasks_for(user: User) -> QuerySet[FollowUpTask]:
    """The tasks a portfolio holder may see: those addressed to their own organisation."""
    if not user.has_role(Role.PORTFOLIO_HOLDER):
        return FollowUpTask.objects.none()
    return FollowUpTask.objects.filter(
        action__responsible_organisation_id=user.organisation_id).select_related(
        "action__dossier", "action__responsible_organisation", "action__created_by__organisation")


def overdue_first(tasks: QuerySet[FollowUpTask], today: dt.date | None = None):
    """Overdue first (oldest due date first), then open ones by due date, then the rest."""
    today = today or timezone.localdate()
    still_open = Q(state__in=OPEN_STATES, action__outcome=FollowUpAction.Outcome.PLANNED)
    return tasks.annotate(rank=Case(
        When(still_open & Q(action__due_on__lt=today), then=Value(0)),
        When(still_open, then=Value(1)),
        default=Value(2), output_field=IntegerField()),
    ).order_by("rank", F("action__due_on").asc(nulls_last=True), "-created_at", "pk")


def is_overdue(task: FollowUpTask, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (task.state in OPEN_STATES and task.action.outcome == FollowUpAction.Outcome.PLANNED
            and task.action.due_on is not None and task.action.due_on < today)
