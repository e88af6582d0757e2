"""The share-with-the-Kingdom flow on a dossier: asking (a form) and a second analyst's
decision (buttons on the dossier page)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.sharing import share_request_create, share_request_decide
from casework.views.dossiers import visible_dossier
from register.access import analyst_only
from register.disclosure_forms import ShareRequestForm
from register.ui import add_service_errors, error_items


class RefusalForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for refusing"), max_length=300,
                             required=False)


@analyst_only
def share_new(request, number: str):
    dossier = visible_dossier(request, number)
    form = ShareRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        share_request_create(actor=request.user, dossier=dossier, values=form.values())
        messages.success(request, _("Your request to share waits for a second analyst's "
                                    "approval. Nothing may be sent before it."))
        return redirect("casework:dossier", number=dossier.number)
    return render(request, "casework/dossiers/share_form.html", {
        "dossier": dossier, "form": form, "error_items": error_items(form)})


@analyst_only
@require_POST
def share_decide(request, number: str, share_id: int, decision: str):
    dossier = visible_dossier(request, number)
    share = get_object_or_404(dossier.share_requests, pk=share_id)
    if decision not in ("approve", "refuse"):
        return redirect("casework:dossier", number=dossier.number)
    form = RefusalForm(request.POST)
    form.is_valid()
    try:
        share_request_decide(actor=request.user, share=share, approve=decision == "approve",
                             reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        add_service_errors(form, error)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The share was approved and recorded in the disclosure "
                                    "ledger.") if decision == "approve"
                         else _("The share was refused."))
    return redirect("casework:dossier", number=dossier.number)
