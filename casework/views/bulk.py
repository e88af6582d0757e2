"""The bulk bar of the inbox and the dossier list: a plain form POST with the ticked rows.

The form is posted to the list's own query string, so a refusal shows the same filtered list
again with the errors next to the bar, and success goes back to it. An export keeps the
selection in the session (never in the address) and continues at the export's own address,
which asks for the password again like every export: the selection survives that round trip.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from casework import bulk
from casework.bulk_forms import DossierBulkForm, SignalBulkForm
from casework.exports import FORMATS
from casework.views.dossier_list import dossier_list_page
from casework.views.exports import export_response
from casework.views.triage import inbox_page
from register.access import analyst_only
from register.reauth import recent_login_required
from register.ui import add_service_errors

# The session holds, per list, the references or numbers chosen for an export.
SELECTION = "casework_export_selection"


def _back(request, url_name: str):
    """The list the bar was on, with its filters, sort and page."""
    query = request.GET.urlencode()
    return redirect(reverse(url_name) + (f"?{query}" if query else ""))


def _keep_for_export(request, kind: str, selection: list[str], extension: str, url_name: str):
    selections = request.session.get(SELECTION, {})
    selections[kind] = selection
    request.session[SELECTION] = selections
    return redirect(url_name, extension=extension)


def _kept_selection(request, kind: str) -> list[str]:
    return request.session.get(SELECTION, {}).get(kind) or []


def _forget_selection(request, kind: str) -> None:
    selections = request.session.get(SELECTION, {})
    selections.pop(kind, None)
    request.session[SELECTION] = selections


@analyst_only
@require_POST
def inbox_selection(request):
    form = SignalBulkForm(request.POST)
    if not form.is_valid():
        return inbox_page(request, form)
    user, action, chosen = request.user, form.cleaned_data["action"], form.selection
    try:
        if form.export_format:
            bulk.selected_signals(user, chosen)  # refused now, not after the password
            return _keep_for_export(request, "signals", chosen, form.export_format,
                                    "casework:inbox_selection_export")
        if action == "add_to_dossier":
            dossier = bulk.bulk_add_to_dossier(actor=user, references=chosen,
                                               number=form.cleaned_data["number"])
            messages.success(request, ngettext(
                "%(count)s signal was added to dossier %(number)s.",
                "%(count)s signals were added to dossier %(number)s.", len(chosen))
                % {"count": len(chosen), "number": dossier.number})
        else:
            analyst = user if action == "assign_me" else form.cleaned_data["analyst"]
            signals = bulk.bulk_assign_signals(actor=user, references=chosen, analyst=analyst)
            messages.success(request, bulk.assigned_message(len(signals), analyst, user))
    except ValidationError as error:
        add_service_errors(form, error)
        return inbox_page(request, form)
    return _back(request, "casework:inbox")


@analyst_only
@require_POST
def dossier_selection(request):
    form = DossierBulkForm(request.POST)
    if not form.is_valid():
        return dossier_list_page(request, form)
    user, action, chosen = request.user, form.cleaned_data["action"], form.selection
    try:
        if form.export_format:
            bulk.selected_dossiers(user, chosen)
            return _keep_for_export(request, "dossiers", chosen, form.export_format,
                                    "casework:dossiers_selection_export")
        analysts = [user] if action == "assign_me" else form.cleaned_data["analysts"]
        dossiers = bulk.bulk_assign_dossiers(actor=user, numbers=chosen, analysts=analysts)
        names = ", ".join(a.display_name for a in analysts)
        messages.success(request, ngettext(
            "Assigned to %(count)s dossier: %(names)s.",
            "Assigned to %(count)s dossiers: %(names)s.", len(dossiers))
            % {"names": names, "count": len(dossiers)})
    except ValidationError as error:
        add_service_errors(form, error)
        return dossier_list_page(request, form)
    return _back(request, "casework:dossiers")


def _export(request, kind: str, extension: str, make, name: str, back: str):
    if extension not in FORMATS:
        raise Http404
    chosen = _kept_selection(request, kind)
    if not chosen:
        messages.error(request, _("Tick the rows to export in the list first."))
        return redirect(back)
    try:
        sheet = make(actor=request.user, extension=extension, selection=chosen)
    except ValidationError as error:  # e.g. restricted since it was chosen
        _forget_selection(request, kind)
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    _forget_selection(request, kind)
    return export_response(sheet, extension, name)


@analyst_only
@recent_login_required
def inbox_selection_export(request, extension: str):
    return _export(request, "signals", extension, lambda selection, **kw: (
        bulk.bulk_export_signals(references=selection, **kw)), "signals", "casework:inbox")


@analyst_only
@recent_login_required
def dossier_selection_export(request, extension: str):
    return _export(request, "dossiers", extension, lambda selection, **kw: (
        bulk.bulk_export_dossiers(numbers=selection, **kw)), "dossiers", "casework:dossiers")
