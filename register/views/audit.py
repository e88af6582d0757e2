"""The auditor's view of the audit trail: events only, never the personal data itself."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from register.access import role_required
from register.models import Role
from register.reauth import recent_login_required
from register.selectors.audit import AuditEventFilter, audit_events_visible_to
from register.services.audit import audit_filters, audit_record
from register.ui import spreadsheet_safe

EXPORT_COLUMNS = ("id", "at", "actor_username", "organisation_code", "roles", "action",
                  "object_type", "object_id", "object_ref", "request_id", "ip", "result_ids",
                  "detail", "hash")


def _filtered(request):
    return AuditEventFilter(request.GET or None, queryset=audit_events_visible_to(request.user)
                            .order_by("-id"))


def _filter_summary(filterset) -> dict:
    return audit_filters(filterset.data, AuditEventFilter.base_filters) if filterset.is_bound \
        else {}


@role_required(Role.AUDITOR)
def audit_event_list(request):
    filterset = _filtered(request)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action="register.audit.searched",
                 object_type="register.auditevent", result_ids=[e.pk for e in page],
                 detail={"filters": _filter_summary(filterset)})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "register/audit/event_list.html",
                  {"filter": filterset, "page": page, "query": query.urlencode()})


class _Echo:
    def write(self, value):
        return value


@role_required(Role.AUDITOR)
@recent_login_required
def audit_event_export(request):
    filterset = _filtered(request)
    events = filterset.qs.order_by("id")
    audit_record(actor=request.user, action="register.audit.exported",
                 object_type="register.auditevent",
                 detail={"filters": _filter_summary(filterset), "count": events.count()})
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow([spreadsheet_safe(getattr(event, column))
                                   for column in EXPORT_COLUMNS])

    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-events-{stamp}.csv"'
    return response
