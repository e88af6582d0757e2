"""The report archive, on-demand reports, schedules, the dashboard and the exchange files."""

import csv
import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from register.access import role_required
from register.models import Role
from register.services.audit import audit_record
from register.ui import error_items, file_download, year_param
from reporting.charts import bar_chart
from reporting.content import report_context
from reporting.figures import Period, mou_figures, suppress
from reporting.forms import ReportRequestForm, ScheduleForm
from reporting.models import Report, ReportKind, ReportSchedule
from reporting.services import report_request
from signals.vocab import Island

READERS = (Role.COORDINATOR, Role.MANAGER, Role.ANALYST)
EXCHANGE_FIELDS = ("victims", "suspects", "investigations", "prosecutions", "verdicts",
                   "convictions")


@role_required(*READERS)
def archive(request):
    form = ReportRequestForm(request.POST or None, initial={
        "language": get_language(), "period_start": timezone.localdate().replace(month=1, day=1),
        "period_end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _report, publication = report_request(
            actor=request.user, kind=data["kind"], language=data["language"],
            period=Period(data["period_start"], data["period_end"]))
        if publication.sent is False:
            messages.warning(request, _(
                "The background service cannot be reached right now. Your request is kept: "
                "the report will be made when the service is back, and appears below."))
        else:
            messages.success(request,
                             _("The report is being made; it appears below when ready."))
        return redirect("reporting:archive")
    reports = list(Report.objects.select_related("requested_by")[:100])
    return render(request, "reporting/archive.html", {
        "reports": reports, "form": form, "error_items": error_items(form),
        "pending": any(r.status in ("queued", "running") for r in reports)})


@role_required(*READERS)
def download(request, report_id):
    report = Report.objects.filter(pk=report_id, status=Report.Status.DONE).first()
    if report is None:
        raise Http404
    audit_record(actor=request.user, action="reporting.report.downloaded", obj=report)
    return file_download(report.file,
                    filename=f"{report.kind}-{report.period_start}-{report.period_end}.pdf",
                    content_type="application/pdf")


@role_required(Role.COORDINATOR, Role.MANAGER)
def schedules(request):
    forms = []
    for schedule in ReportSchedule.objects.order_by("kind"):
        form = ScheduleForm(request.POST if request.POST.get("kind") == schedule.kind else None,
                            instance=schedule, prefix=schedule.kind)
        if form.is_bound and form.is_valid():
            form.save()
            audit_record(actor=request.user, action="reporting.schedule.changed",
                         object_type="reporting.reportschedule", object_id=schedule.kind,
                         detail={"enabled": schedule.enabled,
                                 "every_months": schedule.every_months})
            messages.success(request, _("The schedule was saved."))
            return redirect("reporting:schedules")
        forms.append((schedule, form))
    return render(request, "reporting/schedules.html", {"forms": forms})


@role_required(Role.COORDINATOR, Role.ANALYST, Role.MANAGER)
def dashboard(request):
    """The coordinator sees suppressed aggregates; analysts the register's own counts."""
    year = year_param(request)
    island = request.GET.get("island", "")
    island = island if island in Island.values else ""
    exact = request.user.has_role(Role.ANALYST)
    context = report_context(ReportKind.ANNUAL, Period.year(year), island=island,
                             suppress_counts=not exact)
    context["charts"]["victims_by_nationality"] = bar_chart(
        _("Presumed victims by nationality"), context["tables"]["victims_by_nationality"])
    context["charts"]["signals_by_sector"] = bar_chart(
        _("Signals by sector"), context["tables"]["signals_by_sector"])
    audit_record(actor=request.user, action="reporting.dashboard.viewed",
                 detail={"year": year, "island": island})
    return render(request, "reporting/dashboard.html", {
        **context, "year": year, "years": range(timezone.localdate().year, 2016, -1),
        "islands": Island.choices[:3], "exact": exact})



def exchange_rows(year: int) -> dict:
    """MoU art. 4 for one year, as exchanged with Aruba, Curaçao, Sint Maarten and the
    Netherlands: stable field names, counts below the threshold as "<5"."""
    figures = mou_figures(year)
    return {"format": "cn-thb-mou-art4/1", "country": "Caribbean Netherlands", "year": year,
            **{name: suppress(getattr(figures, name)) for name in EXCHANGE_FIELDS}}


@role_required(Role.COORDINATOR, Role.MANAGER)
def exchange(request, year: int, extension: str):
    if extension not in ("json", "csv"):
        raise Http404
    rows = exchange_rows(year)
    audit_record(actor=request.user, action="reporting.exchange.exported",
                 detail={"year": year, "format": extension})
    if extension == "json":
        response = HttpResponse(json.dumps(rows, indent=2), content_type="application/json")
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        writer.writerow(list(rows))
        writer.writerow(list(rows.values()))
    response["Content-Disposition"] = f'attachment; filename="mou-art4-{year}.{extension}"'
    return response
