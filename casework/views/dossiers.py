"""Dossier pages: the dossier itself and everything an analyst does on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import dossiers as service
from casework.dossier_contents import contents_ids, dossier_contents
from casework.dossier_forms import (
    AnalystsForm,
    DossierPersonForm,
    DossierUpdateForm,
    FollowUpForm,
    FollowUpOutcomeForm,
    NoteForm,
    NumberForm,
)
from casework.dossiers import dossier_add_signals, dossier_remove_signal
from casework.history import history_sentences
from casework.need_to_know import dossiers_visible_to
from casework.selectors import signals_visible_to
from casework.triage_forms import ReferenceForm
from register.access import analyst_only
from register.models import AuditEvent, Dossier, DossierPerson
from register.services.audit import audit_record
from register.ui import add_service_errors, error_items


def _dossier(request, number: str) -> Dossier:
    dossier = dossiers_visible_to(request.user).filter(number=number).first()
    if dossier is None:
        raise Http404
    return dossier


def _page(request, dossier: Dossier, forms: dict | None = None):
    """Everything on the dossier page in a fixed number of queries, whatever its size."""
    user = request.user
    contents = dossier_contents(user, dossier)
    forms = forms or {}
    granted = contents["restricted_to"]
    context = {
        **contents,
        # What was done to the dossier; looking at it is in the audit trail, not here.
        "history": history_sentences(list(
            AuditEvent.objects.filter(object_type="register.dossier", object_id=str(dossier.pk))
            .exclude(action__endswith="viewed").exclude(action__endswith=".listed")
            .exclude(action__endswith=".printed")
            .order_by("-id")[:50])),
        "update_form": forms.get("update") or DossierUpdateForm(initial={
            "title": dossier.title, "status": dossier.status, "priority": dossier.priority,
            "closed_reason": dossier.closed_reason}),
        "assign_form": forms.get("assign") or AnalystsForm(
            prefix="assign", initial={"analysts": [u.pk for u in dossier.assigned_analysts
                                                   .all()]}),
        "restrict_form": forms.get("restrict") or AnalystsForm(
            prefix="restrict", initial={"analysts": [u.pk for u in granted]}),
        "note_form": forms.get("note") or NoteForm(),
        "follow_up_form": forms.get("follow-up") or FollowUpForm(initial={
            "organisation": user.organisation}),
        "add_signal_form": forms.get("add-signal") or ReferenceForm(),
        "merge_form": forms.get("merge") or NumberForm(),
        "person_form": DossierPersonForm(),
        "outcome_form": FollowUpOutcomeForm(),
        "error_items": error_items(*forms.values()),
    }
    audit_record(actor=user, action="register.dossier.viewed", obj=dossier,
                 result_ids=contents_ids(contents))
    return render(request, "casework/dossiers/detail.html", context)


@analyst_only
def dossier_detail(request, number: str):
    return _page(request, _dossier(request, number))


# One small view per action on the dossier page: the posted form, one service call. An invalid
# form, or a refusal by the service, shows the page again with the errors next to the fields.

def _posted(request, number: str, key: str, form_class, prefix: str | None = None):
    """The dossier and its posted form; `page` is the page to show again when invalid."""
    dossier = _dossier(request, number)
    form = form_class(request.POST, prefix=prefix)
    page = None if form.is_valid() else _page(request, dossier, {key: form})
    return dossier, form, page


def _saved(request, dossier, key: str, form, save, *, message=None, to=None):
    """Run `save`; the page with the service's errors on the form, or the dossier (or `to`)
    with a message."""
    try:
        save()
    except ValidationError as error:
        add_service_errors(form, error)
        return _page(request, dossier, {key: form})
    messages.success(request, message or _("Saved."))
    return redirect("casework:dossier", number=(to or dossier).number)


@analyst_only
@require_POST
def dossier_update(request, number: str):
    dossier, form, page = _posted(request, number, "update", DossierUpdateForm)
    return page or _saved(request, dossier, "update", form, lambda: service.dossier_update(
        actor=request.user, dossier=dossier, values=form.cleaned_data))


@analyst_only
@require_POST
def dossier_assign(request, number: str):
    dossier, form, page = _posted(request, number, "assign", AnalystsForm, prefix="assign")
    return page or _saved(request, dossier, "assign", form, lambda: service.dossier_assign(
        actor=request.user, dossier=dossier, analysts=form.cleaned_data["analysts"]))


@analyst_only
@require_POST
def dossier_restrict(request, number: str):
    dossier, form, page = _posted(request, number, "restrict", AnalystsForm, prefix="restrict")
    return page or _saved(request, dossier, "restrict", form, lambda: service.dossier_restrict(
        actor=request.user, dossier=dossier, analysts=form.cleaned_data["analysts"]))


@analyst_only
@require_POST
def dossier_note(request, number: str):
    dossier, form, page = _posted(request, number, "note", NoteForm)
    return page or _saved(request, dossier, "note", form, lambda: service.dossier_add_note(
        actor=request.user, dossier=dossier, text=form.cleaned_data["text"]))


@analyst_only
@require_POST
def follow_up_add(request, number: str):
    dossier, form, page = _posted(request, number, "follow-up", FollowUpForm)
    if page:
        return page
    data = form.cleaned_data
    return _saved(request, dossier, "follow-up", form, lambda: service.follow_up_add(
        actor=request.user, dossier=dossier, kind=data["kind"],
        organisation=data["organisation"], due_on=data["due_on"], outcome=data["outcome"],
        happened_on=data["happened_on"], explanation=data["explanation"]))


@analyst_only
@require_POST
def dossier_add_signal(request, number: str):
    dossier, form, page = _posted(request, number, "add-signal", ReferenceForm)
    if page:
        return page
    signal = signals_visible_to(request.user).filter(
        reference=form.cleaned_data["reference"]).first()
    if signal is None:
        form.add_error("reference", _("No signal with this reference that you may see."))
        return _page(request, dossier, {"add-signal": form})
    return _saved(request, dossier, "add-signal", form, lambda: dossier_add_signals(
        actor=request.user, dossier=dossier, signals=[signal]),
        message=_("%(reference)s was added to dossier %(number)s.")
        % {"reference": signal.reference, "number": dossier.number})


@analyst_only
@require_POST
def dossier_merge(request, number: str):
    dossier, form, page = _posted(request, number, "merge", NumberForm)
    if page:
        return page
    target = dossiers_visible_to(request.user).filter(number=form.cleaned_data["number"]).first()
    if target is None:
        form.add_error("number", _("No dossier with this number that you may see."))
        return _page(request, dossier, {"merge": form})
    return _saved(request, dossier, "merge", form, lambda: service.dossier_merge(
        actor=request.user, source=dossier, target=target),
        message=_("The dossier was merged into %(number)s.") % {"number": target.number},
        to=target)


@analyst_only
@require_POST
def dossier_remove(request, number: str, reference: str):
    dossier = _dossier(request, number)
    signal = get_object_or_404(signals_visible_to(request.user), reference=reference,
                               dossier=dossier)
    dossier_remove_signal(actor=request.user, dossier=dossier, signal=signal)
    messages.success(request, _("%(reference)s was removed from the dossier.")
                     % {"reference": signal.reference})
    return redirect("casework:dossier", number=dossier.number)


@analyst_only
@require_POST
def dossier_person(request, number: str, role_id: int):
    dossier = _dossier(request, number)
    role = get_object_or_404(DossierPerson, pk=role_id, dossier=dossier)
    return _save_row(request, dossier, DossierPersonForm(request.POST),
                     lambda data: service.dossier_person_update(actor=request.user, role=role,
                                                                values=data))


@analyst_only
@require_POST
def follow_up_outcome(request, number: str, follow_up_id: int):
    dossier = _dossier(request, number)
    action = get_object_or_404(dossier.follow_ups, pk=follow_up_id)
    return _save_row(request, dossier, FollowUpOutcomeForm(request.POST),
                     lambda data: service.follow_up_update(actor=request.user, action=action,
                                                           **data))


def _save_row(request, dossier, form, save):
    """A row edited in place on the dossier page: saved, or the problem shown as a message."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
            messages.success(request, _("Saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    return redirect("casework:dossier", number=dossier.number)

