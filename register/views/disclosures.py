"""The privacy officer's (auditor's) ledger of disclosures and list of unusual-reading alerts.

The ledger names recipients and references, not the data subjects; reading it is audited with
the ids shown, exporting it asks for the password again and is audited too."""

import csv

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from register.access import role_required
from register.models import Disclosure, ReadingAlert, Role
from register.reauth import recent_login_required
from register.services.audit import audit_record
from register.services.reading_alerts import reading_alert_review
from register.ui import add_service_errors, error_items, spreadsheet_safe

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
    # Those still to review first, then the newest.
    alerts = (ReadingAlert.objects.select_related("user__organisation", "reviewed_by")
              .order_by(F("reviewed_at").asc(nulls_first=True), "-day", "user_id", "kind"))
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action="register.reading_alert.listed",
                 object_type="register.readingalert", result_ids=[a.pk for a in page])
    return render(request, "register/audit/reading_alerts.html", {"page": page})


class ReviewForm(forms.Form):
    finding = forms.ChoiceField(label=gettext_lazy("What did you find?"),
                                choices=ReadingAlert.Finding.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=gettext_lazy("What you checked, without names of "
                                                    "persons."))


@role_required(Role.AUDITOR)
@require_http_methods(["GET", "POST"])
def reading_alert_review_view(request, alert_id: int):
    alert = get_object_or_404(ReadingAlert.objects.select_related("user__organisation",
                                                                  "reviewed_by"), pk=alert_id)
    form = ReviewForm(request.POST or None)
    if request.method == "GET":
        audit_record(actor=request.user, action="register.reading_alert.viewed", obj=alert)
    if request.method == "POST" and form.is_valid():
        try:
            reading_alert_review(actor=request.user, alert=alert,
                                 finding=form.cleaned_data["finding"],
                                 note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The alert is reviewed."))
            return redirect("reading_alerts")
    return render(request, "register/audit/reading_alert_review.html",
                  {"alert": alert, "form": form, "error_items": error_items(form)},
                  status=400 if form.errors else 200)
