"""The edits on a dossier's page: one small view per action, each form opened on demand.

GET shows the one form asked for: a fragment that htmx puts into the dossier page, or without
JavaScript a page of its own. POST saves it through one service call and goes back to the
dossier. An invalid form, or a refusal by the service, shows that form again on its own page
with the errors next to the fields and everything typed kept.
"""

from functools import partial
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from casework import dossiers as service
from casework.dossier_forms import (
    AnalystsForm,
    DossierPersonForm,
    DossierUpdateForm,
    FollowUpForm,
    FollowUpOutcomeForm,
    NoteForm,
    NumberForm,
)
from casework.need_to_know import dossiers_visible_to, restricted_to
from casework.selectors import signals_visible_to
from casework.triage_forms import ReferenceForm
from casework.views.dossiers import visible_dossier
from register.access import analyst_only
from register.models import Dossier, DossierPerson
from register.services.audit import audit_record
from register.ui import add_service_errors, error_items

get_or_post = require_http_methods(["GET", "POST"])


class Done(NamedTuple):
    message: str | None = None
    target: Dossier | None = None


def _edit(request, dossier, form_class, *, heading, submit, initial, save, prefix=None,
          drop=(), viewed=None):
    """The one form: shown (GET), or saved and back to the dossier, or shown with its errors.

    `save(data)` calls the service; it may return a Done saying what to tell the analyst and
    where to go instead of "Saved." and the dossier.
    """
    if request.method == "POST":
        form = form_class(request.POST, prefix=prefix)
        for name in drop:
            del form.fields[name]
        if form.is_valid():
            try:
                done = save(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                done = done if isinstance(done, Done) else Done()
                messages.success(request, done.message or _("Saved."))
                return redirect("casework:dossier", number=(done.target or dossier).number)
    else:
        form = form_class(initial=initial, prefix=prefix)
        for name in drop:
            del form.fields[name]
        if viewed:  # a form that shows what is recorded about a person is a read of it
            action, detail = viewed
            audit_record(actor=request.user, action=action, obj=dossier, detail=detail)
    # htmx asks for the fragment only when opening the form in the page; a posted form is a
    # plain navigation, so errors always come back as a whole page.
    fragment = request.method == "GET" and request.htmx
    return render(request, "casework/dossiers/edit_fragment.html" if fragment
                  else "casework/dossiers/edit.html", {
                      "dossier": dossier, "form": form, "heading": heading, "submit": submit,
                      "action": request.path, "error_items": error_items(form)})


@analyst_only
@get_or_post
def dossier_update(request, number: str):
    dossier = visible_dossier(request, number)
    return _edit(
        request, dossier, DossierUpdateForm, heading=gettext_lazy("Status and priority"),
        submit=gettext_lazy("Save"),
        initial={"title": dossier.title, "status": dossier.status,
                 "priority": dossier.priority, "closed_reason": dossier.closed_reason},
        save=lambda data: (service.dossier_update(actor=request.user, dossier=dossier,
                                                  values=data)))


@analyst_only
@get_or_post
def dossier_assign(request, number: str):
    dossier = visible_dossier(request, number)
    return _edit(
        request, dossier, AnalystsForm, prefix="assign",
        heading=gettext_lazy("Assigned analysts"), submit=gettext_lazy("Assign"),
        initial={"analysts": [u.pk for u in dossier.assigned_analysts.all()]},
        save=lambda data: (service.dossier_assign(actor=request.user, dossier=dossier,
                                                  analysts=data["analysts"])))


@analyst_only
@get_or_post
def dossier_restrict(request, number: str):
    dossier = visible_dossier(request, number)
    granted = restricted_to(dossier) if dossier.restricted else []
    return _edit(
        request, dossier, AnalystsForm, prefix="restrict", heading=gettext_lazy("Access"),
        submit=gettext_lazy("Restrict to these analysts (none: all analysts)"),
        initial={"analysts": [u.pk for u in granted]},
        save=lambda data: (service.dossier_restrict(actor=request.user, dossier=dossier,
                                                    analysts=data["analysts"])))


@analyst_only
@get_or_post
def dossier_note(request, number: str):
    dossier = visible_dossier(request, number)
    return _edit(
        request, dossier, NoteForm, heading=gettext_lazy("Add note"),
        submit=gettext_lazy("Add note"), initial={},
        save=lambda data: (service.dossier_add_note(actor=request.user, dossier=dossier,
                                                    text=data["text"])))


@analyst_only
@get_or_post
def follow_up_add(request, number: str):
    dossier = visible_dossier(request, number)

    def save(data):
        action = service.follow_up_add(
            actor=request.user, dossier=dossier, kind=data["kind"],
            organisation=data["organisation"], due_on=data["due_on"], outcome=data["outcome"],
            happened_on=data["happened_on"], explanation=data["explanation"],
            ends_on=data["ends_on"], brief=data["brief"],
            attachments=list(data.get("attachments") or []))
        if hasattr(action, "task") and not action.task.holders_told:
            return Done(_("The follow-up was asked of %(organisation)s, but it has no portfolio "
                          "holder yet to receive it: the register manager has been asked to "
                          "appoint one.") % {"organisation": action.responsible_organisation})
        if hasattr(action, "task"):
            return Done(_("The follow-up was asked of %(organisation)s: its portfolio holders "
                          "have the task.") % {"organisation": action.responsible_organisation})
        return None

    return _edit(request, dossier, partial(FollowUpForm, dossier=dossier),
                 heading=gettext_lazy("Add follow-up action"),
                 submit=gettext_lazy("Add follow-up action"),
                 initial={"organisation": request.user.organisation}, save=save)


@analyst_only
@get_or_post
def dossier_add_signal(request, number: str):
    dossier = visible_dossier(request, number)

    def save(data):
        signal = signals_visible_to(request.user).filter(reference=data["reference"]).first()
        if signal is None:
            raise ValidationError({"reference": _("No signal with this reference that you "
                                                  "may see.")})
        service.dossier_add_signals(actor=request.user, dossier=dossier, signals=[signal])
        return Done(_("%(reference)s was added to dossier %(number)s.")
                    % {"reference": signal.reference, "number": dossier.number})

    return _edit(request, dossier, ReferenceForm, heading=gettext_lazy("Add a signal"),
                 submit=gettext_lazy("Add signal"), initial={}, save=save)


@analyst_only
@get_or_post
def dossier_merge(request, number: str):
    dossier = visible_dossier(request, number)

    def save(data):
        target = dossiers_visible_to(request.user).filter(number=data["number"]).first()
        if target is None:
            raise ValidationError({"number": _("No dossier with this number that you may "
                                               "see.")})
        service.dossier_merge(actor=request.user, source=dossier, target=target)
        return Done(_("The dossier was merged into %(number)s.") % {"number": target.number},
                    target)

    return _edit(request, dossier, NumberForm, heading=gettext_lazy("Merge into another dossier"),
                 submit=gettext_lazy("Merge into that dossier"), initial={}, save=save)


VICTIM_ONLY = ("victim_status", "status_decided_by", "form_of_exploitation")


@analyst_only
@get_or_post
def dossier_person(request, number: str, role_id: int):
    dossier = visible_dossier(request, number)
    role = get_object_or_404(DossierPerson.objects.select_related("person"), pk=role_id,
                             dossier=dossier)
    return _edit(
        request, dossier, DossierPersonForm,
        heading=_("%(person)s as %(role)s") % {"person": role.person.audit_ref,
                                                "role": role.get_role_display()},
        submit=gettext_lazy("Save"),
        drop=() if role.role == DossierPerson.Role.VICTIM else VICTIM_ONLY,
        viewed=("register.dossier.person_viewed", {"person": role.person_id}),
        initial={name: getattr(role, name) for name in (*VICTIM_ONLY, "identified_on")},
        save=lambda data: (service.dossier_person_update(actor=request.user, role=role,
                                                         values=data)))


@analyst_only
@get_or_post
def follow_up_outcome(request, number: str, follow_up_id: int):
    dossier = visible_dossier(request, number)
    action = get_object_or_404(dossier.follow_ups, pk=follow_up_id)
    return _edit(
        request, dossier, FollowUpOutcomeForm,
        heading=_("Outcome of: %(action)s") % {"action": action.get_kind_display()},
        submit=gettext_lazy("Save"),
        initial={"outcome": action.outcome, "happened_on": action.happened_on,
                 "explanation": action.explanation},
        viewed=("register.follow_up.viewed", {"follow_up": action.pk}),
        save=lambda data: (service.follow_up_update(actor=request.user, action=action, **data)
                          ))
