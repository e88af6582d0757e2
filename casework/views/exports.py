"""Exporting a worklist as the analyst filtered it. A disclosure: it asks for the password again
(as every export does) and is audited with the ids of the rows that left."""

from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone

from casework.exports import FORMATS, Sheet, dossier_sheet, export_disclosed, signal_sheet
from casework.worklists import dossier_worklist, inbox_worklist
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


def export_list(request, extension: str, worklist, *, action: str, sheet_of, name: str,
                prepare=list, **detail) -> HttpResponse:
    """A worklist as filtered, at most MAX_ROWS rows, audited with the ids of the rows that
    left and the filters; `prepare` turns the rows into what the sheet shows."""
    if extension not in FORMATS:
        raise Http404
    rows = prepare(worklist.qs[:MAX_ROWS])
    with transaction.atomic():
        audit_record(actor=request.user, action=action,
                     object_type=worklist.qs.model._meta.label_lower,
                     result_ids=[row.pk for row in rows],
                     detail={"format": extension, **detail,
                             "filters": audit_filters(request.GET, type(worklist).base_filters)})
        export_disclosed(actor=request.user, rows=rows)
    return export_response(sheet_of(rows), extension, name)


@analyst_only
@recent_login_required
def inbox_export(request, extension: str):
    worklist, overdue = inbox_worklist(request)
    return export_list(request, extension, worklist, action="signals.inbox.exported",
                       sheet_of=signal_sheet, name="signals",
                       view="overdue" if overdue else "open")


@analyst_only
@recent_login_required
def dossier_list_export(request, extension: str):
    return export_list(request, extension, dossier_worklist(request),
                       action="register.dossier.exported", sheet_of=dossier_sheet,
                       name="dossiers")
