"""The dossier list: filtered, sorted, with who works on each dossier and the bulk bar."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from casework.bulk_forms import DossierBulkForm
from casework.worklists import DossierWorklist, dossier_worklist
from register.access import analyst_only
from register.services.audit import audit_filters, audit_record
from register.ui import error_items, kept, list_query, page_of, sort_headers

DOSSIER_COLUMNS = (("number", _("Number")), ("title", _("Working title")),
                   ("status", _("Status")), ("priority", _("Priority")),
                   ("signals", _("Signals")), (None, _("Assigned to")),
                   ("updated", _("Updated")))


@analyst_only
def dossier_list(request):
    return dossier_list_page(request)


def dossier_list_page(request, bulk_form: DossierBulkForm | None = None):
    """The list as filtered by the query string; `bulk_form` is a refused bulk action, shown
    again with its errors next to the bar and the rows still ticked."""
    worklist = dossier_worklist(request)
    page = page_of(request, worklist.qs)
    audit_record(actor=request.user, action="register.dossier.listed",
                 object_type="register.dossier", result_ids=[d.pk for d in page],
                 detail={"filters": audit_filters(request.GET, DossierWorklist.base_filters)})
    bulk_form = bulk_form or DossierBulkForm()
    return render(request, "casework/dossiers/list.html", {
        "page": page, "worklist": worklist, "columns": sort_headers(request, DOSSIER_COLUMNS),
        "query": list_query(request), "keep": kept(request, "per_page", "ordering"),
        "bulk_form": bulk_form, "ticked": set(bulk_form.chosen()),
        "error_items": error_items(bulk_form)})
