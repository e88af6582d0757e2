"""The privacy officer's (auditor's) ledger of disclosures and list of unusual-reading alerts.

The ledger names recipients and references, not the data subjects; reading it is audited with
the ids shown, exporting it asks for the password again and is audited too."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from register.access import role_required
from register.models import Disclosure, ReadingAlert, Role
from register.reauth import recent_login_required
from register.services.audit import audit_record
from register.ui import spreadsheet_safe

EXPORT_COLUMNS = ("id", "disclosed_at", "channel", "recipient_organisation", "recipient_person",
                  "country", "legal_ground", "purpose", "kept_until", "disclosed_by",
                  "approved_by", "objects")


def _ledger():
    return (Disclosure.objects.select_related("disclosed_by", "approved_by")
            .prefetch_related("items"))


@role_required(Role.AUDITOR)
def disclosure_list(request):
    page = Paginator(_ledger(), 50).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action="register.disclosure.listed",
                 object_type="register.disclosure", result_ids=[d.pk for d in page])
    return render(request, "register/audit/disclosures.html", {"page": page})


class _Echo:
    def write(self, value):
        return value


def _row(disclosure: Disclosure) -> list:
    objects = " ".join(f"{o.object_type}:{o.object_id}" for o in disclosure.items.all())
    return [disclosure.pk, disclosure.disclosed_at.isoformat(), disclosure.channel,
            disclosure.recipient_organisation, disclosure.recipient_person, disclosure.country,
            disclosure.legal_ground, disclosure.purpose,
            disclosure.kept_until.isoformat() if disclosure.kept_until else "",
            disclosure.disclosed_by.get_username(),
            disclosure.approved_by.get_username() if disclosure.approved_by else "", objects]


@role_required(Role.AUDITOR)
@recent_login_required
def disclosure_export(request):
    ledger = _ledger().order_by("id")
    audit_record(actor=request.user, action="register.disclosure.exported",
                 object_type="register.disclosure", detail={"count": ledger.count()})
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for disclosure in ledger.iterator(chunk_size=500):
            yield writer.writerow([spreadsheet_safe(v) for v in _row(disclosure)])

    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="disclosures-{stamp}.csv"'
    return response


@role_required(Role.AUDITOR)
def reading_alert_list(request):
    page = Paginator(ReadingAlert.objects.select_related("user__organisation"), 50).get_page(
        request.GET.get("page"))
    audit_record(actor=request.user, action="register.reading_alert.listed",
                 object_type="register.readingalert", result_ids=[a.pk for a in page])
    return render(request, "register/audit/reading_alerts.html", {"page": page})
