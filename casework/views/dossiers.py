"""Dossier pages: the dossier itself and everything an analyst does on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.dossier_contents import contents_ids, dossier_contents
from casework.dossiers import dossier_remove_signal
from casework.history import history_sentences
from casework.need_to_know import dossiers_visible_to
from casework.selectors import signals_visible_to
from register.access import analyst_only
from register.models import AuditEvent, Dossier
from register.services.audit import audit_record


def visible_dossier(request, number: str) -> Dossier:
    dossier = dossiers_visible_to(request.user).filter(number=number).first()
    if dossier is None:
        raise Http404
    return dossier


@analyst_only
def dossier_detail(request, number: str):
    """What an analyst needs first, on one screen; every edit opens its own form on demand
    (casework/views/dossier_edits.py), so the page renders no forms but its remove buttons."""
    dossier = visible_dossier(request, number)
    contents = dossier_contents(request.user, dossier)
    context = {
        **contents,
        "wide_page": True,  # the facts beside the timeline on a wide screen
        "share_requests": list(dossier.share_requests.select_related("requested_by",
                                                                     "decided_by")),
        # What was done to the dossier; looking at it is in the audit trail, not here.
        "history": history_sentences(list(
            AuditEvent.objects.filter(object_type="register.dossier", object_id=str(dossier.pk))
            .exclude(action__endswith="viewed").exclude(action__endswith=".listed")
            .exclude(action__endswith=".printed")
            .order_by("-id")[:50])),
    }
    audit_record(actor=request.user, action="register.dossier.viewed", obj=dossier,
                 result_ids=contents_ids(contents))
    return render(request, "casework/dossiers/detail.html", context)


@analyst_only
@require_POST
def dossier_remove(request, number: str, reference: str):
    dossier = visible_dossier(request, number)
    signal = get_object_or_404(signals_visible_to(request.user), reference=reference,
                               dossier=dossier)
    try:
        dossier_remove_signal(actor=request.user, dossier=dossier, signal=signal)
    except ValidationError as error:
        # A signal of a restricted dossier stays until the restriction allows its removal.
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(reference)s was removed from the dossier.")
                         % {"reference": signal.reference})
    return redirect("casework:dossier", number=dossier.number)
