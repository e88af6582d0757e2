"""The portfolio holder's pages: the organisation's tasks (overdue first), one task with what
the analyst shared and the forms to accept, decline, record progress and the outcome, and the
feedback on the signals the organisation filed. A task of another organisation is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import task_work
from casework.follow_up_tasks import is_overdue, overdue_first, tasks_for
from casework.models import FollowUpTask
from casework.need_to_know import dossiers_visible_to
from casework.task_forms import TaskDeclineForm, TaskOutcomeForm, TaskProgressForm
from register.access import role_required
from register.models import Role
from register.services.audit import audit_record
from register.ui import add_service_errors, error_items, file_download, page_of
from signals.feedback import feedback_for, with_feedback_facts
from signals.models import Signal

holder_only = role_required(Role.PORTFOLIO_HOLDER)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _task_or_404(request, task_id: int) -> FollowUpTask:
    task = tasks_for(request.user).filter(pk=task_id).first()
    if task is None:
        raise Http404
    return task


@holder_only
def task_list(request):
    today = timezone.localdate()
    page = page_of(request, overdue_first(tasks_for(request.user), today))
    for task in page:
        task.overdue = is_overdue(task, today)
    audit_record(actor=request.user, action="casework.task.listed",
                 object_type="casework.followuptask", result_ids=[t.pk for t in page])
    return render(request, "casework/tasks/list.html", {"page": page})


def _detail_page(request, task: FollowUpTask, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    audit_record(actor=request.user, action="casework.task.viewed", obj=task)
    context = {
        "task": task, "action": task.action, "overdue": is_overdue(task),
        "attachments": task.shared_attachments.order_by("received_at"),
        "progress": task.progress.select_related("author"),
        "decline_form": forms.get("decline") or TaskDeclineForm(prefix="decline"),
        "progress_form": forms.get("progress") or TaskProgressForm(prefix="progress"),
        "outcome_form": forms.get("outcome") or TaskOutcomeForm(prefix="outcome"),
        "error_items": error_items(*forms.values()),
    }
    return render(request, "casework/tasks/detail.html", context, status=status)


@holder_only
def task_detail(request, task_id: int):
    return _detail_page(request, _task_or_404(request, task_id))


FORMS = {"decline": TaskDeclineForm, "progress": TaskProgressForm, "outcome": TaskOutcomeForm}
DONE = {"accept": _("You accepted the task."), "decline": _("You declined the task."),
        "progress": _("The progress was recorded."),
        "outcome": _("The outcome was recorded; the analysts see it on the dossier.")}


@holder_only
@require_POST
def task_action(request, task_id: int, action: str):
    task = _task_or_404(request, task_id)
    if action not in DONE:
        raise Http404
    form = None
    if action in FORMS:
        form = FORMS[action](request.POST, request.FILES, prefix=action)
    try:
        if action == "accept":
            task_work.task_accept(actor=request.user, task=task)
        elif form.is_valid():
            data = form.cleaned_data
            if action == "decline":
                task_work.task_decline(actor=request.user, task=task, reason=data["reason"])
            elif action == "progress":
                task_work.task_progress_add(actor=request.user, task=task, text=data["text"])
            else:
                task_work.task_record_outcome(
                    actor=request.user, task=task, outcome=data["outcome"],
                    happened_on=data["happened_on"], ends_on=data["ends_on"],
                    explanation=data["explanation"], document=data["document"])
        else:
            return _detail_page(request, task, {action: form})
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect("tasks:detail", task_id=task.pk)
        add_service_errors(form, error)
        return _detail_page(request, task, {action: form})
    messages.success(request, DONE[action])
    return redirect("tasks:detail", task_id=task.pk)


@holder_only
def task_attachment(request, task_id: int, attachment_id):
    """A file the analyst shared with the task, and only such a file."""
    task = _task_or_404(request, task_id)
    attachment = task.shared_attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    audit_record(actor=request.user, action="casework.task.attachment_downloaded", obj=task,
                 detail={"attachment": str(attachment.pk)})
    return file_download(attachment.file, filename=f"T-{task.pk}-{str(attachment.pk)[:8]}."
                         f"{EXTENSIONS.get(attachment.content_type, 'bin')}",
                         content_type=attachment.content_type)


@role_required(Role.PORTFOLIO_HOLDER, Role.ANALYST)
def task_decision(request, task_id: int):
    """The decision document: for the organisation's portfolio holders, and for the analysts
    who may see the dossier."""
    task = tasks_for(request.user).filter(pk=task_id).first()
    if task is None and request.user.has_role(Role.ANALYST):
        task = FollowUpTask.objects.filter(
            pk=task_id, action__dossier__in=dossiers_visible_to(request.user)).first()
    if task is None or not task.decision_document:
        raise Http404
    audit_record(actor=request.user, action="casework.task.decision_downloaded", obj=task)
    return file_download(task.decision_document, filename=f"T-{task.pk}-decision."
                         f"{EXTENSIONS.get(task.decision_document_type, 'bin')}",
                         content_type=task.decision_document_type or "application/octet-stream")


@holder_only
def feedback_list(request):
    """What became of each signal the organisation filed: stages, counts and organisations
    only, never what a signal says."""
    signals = with_feedback_facts(
        Signal.objects.filter(reporter_organisation_id=request.user.organisation_id)
        .only("id", "reference", "received_at", "status", "reason_for_reporter", "dossier")
        .order_by("-received_at", "-id"))
    page = page_of(request, signals)
    rows = [(signal, feedback_for(signal)) for signal in page]
    audit_record(actor=request.user, action="signals.signal.feedback_listed",
                 object_type="signals.signal", result_ids=[s.pk for s in page])
    return render(request, "casework/tasks/feedback.html", {"page": page, "rows": rows})
