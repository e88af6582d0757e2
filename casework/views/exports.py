"""Exporting a worklist as the analyst filtered it. A disclosure: it asks for the password again
(as every export does) and is audited with the ids of the rows that left."""

from django.http import Http404, HttpResponse
from django.utils import timezone

from casework.exports import FORMATS, Sheet, dossier_sheet, signal_sheet
from casework.worklists import (
    DossierWorklist,
    SignalWorklist,
    dossier_worklist,
    inbox_worklist,
)
from register.access import analyst_only
from register.reauth import recent_login_required
from register.services.audit import audit_filters, audit_record

# An export is a list an analyst looks at, not a way to take the register home.
MAX_ROWS = 5000


def export_response(sheet: Sheet, extension: str, name: str) -> HttpResponse:
    write, content_type = FORMATS[extension]
    response = HttpResponse(write(sheet), content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{extension}"'
    return response


@analyst_only
@recent_login_required
def inbox_export(request, extension: str):
    if extension not in FORMATS:
        raise Http404
    worklist, overdue = inbox_worklist(request)
    rows = list(worklist.qs[:MAX_ROWS])
    audit_record(actor=request.user, action="signals.inbox.exported",
                 object_type="signals.signal", result_ids=[s.pk for s in rows],
                 detail={"format": extension, "view": "overdue" if overdue else "open",
                         "filters": audit_filters(request.GET, SignalWorklist.base_filters)})
    return export_response(signal_sheet(rows), extension, "signals")


@analyst_only
@recent_login_required
def dossier_list_export(request, extension: str):
    if extension not in FORMATS:
        raise Http404
    worklist = dossier_worklist(request)
    rows = list(worklist.qs[:MAX_ROWS])
    audit_record(actor=request.user, action="register.dossier.exported",
                 object_type="register.dossier", result_ids=[d.pk for d in rows],
                 detail={"format": extension,
                         "filters": audit_filters(request.GET, DossierWorklist.base_filters)})
    return export_response(dossier_sheet(rows), extension, "dossiers")
