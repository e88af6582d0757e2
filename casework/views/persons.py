"""A register person: where they appear, their roles, merging and undoing a merge."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.dossier_forms import PersonNumberForm
from casework.models import PersonMerge
from casework.need_to_know import dossiers_visible_to, persons_visible_to
from casework.person_facts import attach_visible_facts
from casework.person_timeline import person_timeline
from casework.persons import person_merge, person_unmerge
from casework.selectors import signals_visible_to
from register.access import analyst_only
from register.services.audit import audit_record
from register.ui import error_items


def _person(request, person_id: int):
    person = persons_visible_to(request.user).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def _page(request, person, merge_form=None):
    user = request.user
    mentions = list(person.mentions.filter(signal__in=signals_visible_to(user))
                    .select_related("signal").order_by("-signal__received_at"))
    roles = list(person.dossier_roles.filter(dossier__in=dossiers_visible_to(user))
                 .select_related("dossier"))
    merges = list(PersonMerge.objects.filter(target=person, undone_at__isnull=True)
                  .select_related("source"))
    audit_record(actor=user, action="register.person.viewed", obj=person,
                 result_ids=[f"signals.signal:{m.signal_id}" for m in mentions])
    attach_visible_facts(user, [person] + [m.source for m in merges])
    form = merge_form or PersonNumberForm()
    return render(request, "casework/persons/detail.html", {
        "person": person, "mentions": mentions, "roles": roles, "merges": merges,
        "timeline": person_timeline(user, person),
        "merge_form": form, "error_items": error_items(form)})


@analyst_only
def person_detail(request, person_id: int):
    return _page(request, _person(request, person_id))


@analyst_only
@require_POST
def person_merge_view(request, person_id: int):
    """Merge another person (given by number) into this one."""
    target = _person(request, person_id)
    form = PersonNumberForm(request.POST)
    if not form.is_valid():
        return _page(request, target, form)
    source = persons_visible_to(request.user).filter(pk=form.person_id()).first()
    if source is None:
        form.add_error("person", _("No person with this number that you may see."))
        return _page(request, target, form)
    try:
        person_merge(actor=request.user, source=source, target=target)
        messages.success(request, _("%(source)s was merged into this person.")
                         % {"source": source.audit_ref})
    except ValidationError as error:
        form.add_error("person", error.messages)
        return _page(request, target, form)
    return redirect("casework:person", person_id=target.pk)


@analyst_only
@require_POST
def person_unmerge_view(request, person_id: int, merge_id: int):
    target = _person(request, person_id)
    merge = get_object_or_404(PersonMerge, pk=merge_id, target=target)
    try:
        person_unmerge(actor=request.user, merge=merge)
        messages.success(request, _("The merge was undone."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("casework:person", person_id=target.pk)
