"""Making reports: on demand or by schedule, each scheduled period exactly once."""

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from register.models import Role, User
from register.services.alerts import alert_managers
from register.services.audit import audit_record
from reporting.content import report_context
from reporting.figures import Period
from reporting.models import Report, ReportKind, ReportSchedule
from reporting.pdf import render_pdf

MAX_ATTEMPTS = 3


def report_request(*, actor: User, kind: str, period: Period, language: str) -> Report:
    """An on-demand report; made in the background (see reporting.tasks.make_report)."""
    from reporting.tasks import make_report

    with transaction.atomic():
        report = Report.objects.create(kind=kind, period_start=period.start,
                                       period_end=period.end, language=language,
                                       requested_by=actor)
        audit_record(actor=actor, action="reporting.report.requested", obj=report,
                     detail={"kind": kind, "period": str(period)})
        make_report.delay_on_commit(str(report.pk))
    return report


def report_claim_scheduled(kind: str, period: Period) -> Report | None:
    """The one claim a scheduled period can have: whoever inserts first makes the report;
    every other beat or retried task finds the unique constraint taken and does nothing."""
    try:
        with transaction.atomic():
            report = Report.objects.create(kind=kind, period_start=period.start,
                                           period_end=period.end, scheduled=True,
                                           language=settings.LANGUAGE_CODE)
            audit_record(actor=None, action="reporting.report.scheduled", obj=report,
                         detail={"kind": kind, "period": str(period)})
    except IntegrityError:
        return None
    return report


def due_period(schedule: ReportSchedule, today: dt.date) -> Period | None:
    """The most recent complete period of a schedule, once it has ended."""
    if schedule.kind == ReportKind.ANNUAL:
        return Period.year(today.year - 1) if today.month == 1 else None
    if schedule.kind == ReportKind.QUARTERLY:
        quarter = (today.month - 1) // 3  # the quarter before this one
        return Period.quarter(today.year - (quarter == 0), quarter or 4)
    # The working group: blocks of N months counted from January; the block before today's.
    months = max(1, schedule.every_months)
    current_start = dt.date(today.year, (today.month - 1) // months * months + 1, 1)
    end = current_start - dt.timedelta(days=1)
    start = dt.date(end.year, (end.month - 1) // months * months + 1, 1)
    return Period(start, end)


def reports_schedule(today: dt.date | None = None) -> list[Report]:
    """Beat's daily run: claim every due period; a period already claimed is skipped."""
    from reporting.tasks import make_report

    today = today or timezone.localdate()
    claimed = []
    for schedule in ReportSchedule.objects.filter(enabled=True):
        period = due_period(schedule, today)
        if period and (report := report_claim_scheduled(schedule.kind, period)):
            transaction.on_commit(lambda pk=str(report.pk): make_report.delay(pk))
            claimed.append(report)
    return claimed


def report_make(report_id: str) -> bool:
    """Render one report. Returns False when another worker has it or it is done already."""
    taken = Report.objects.filter(
        pk=report_id, status__in=[Report.Status.QUEUED, Report.Status.FAILED],
        attempts__lt=MAX_ATTEMPTS).update(status=Report.Status.RUNNING,
                                          attempts=F("attempts") + 1, progress=10)
    if not taken:
        return False
    report = Report.objects.get(pk=report_id)
    period = Period(report.period_start, report.period_end)
    with translation.override(report.language):
        context = report_context(report.kind, period)
        Report.objects.filter(pk=report.pk).update(progress=50)
        template = ("reporting/exchange.html" if report.kind == ReportKind.EXCHANGE
                    else "reporting/report.html")
        html = render_to_string(template, {
            **context, "language": report.language, "made_on": timezone.localdate(),
            "threshold": settings.SUPPRESS_BELOW})
        pdf = render_pdf(html)
    with transaction.atomic():
        report.file.save("report.pdf", ContentFile(pdf), save=False)
        report.size, report.status, report.progress = len(pdf), Report.Status.DONE, 100
        report.finished_at, report.error = timezone.now(), ""
        report.save(update_fields=["file", "size", "status", "progress", "finished_at",
                                   "error"])
        audit_record(actor=None, action="reporting.report.made", obj=report,
                     detail={"size": len(pdf)})
    _tell_recipients(report)
    return True


def report_failed(report_id: str, error: Exception, *, final: bool) -> None:
    Report.objects.filter(pk=report_id).update(status=Report.Status.FAILED,
                                               error=type(error).__name__[:200])
    if final:
        report = Report.objects.get(pk=report_id)
        alert_managers(_("A report could not be made"),
                       _("Report %(ref)s (%(kind)s, %(start)s to %(end)s) failed %(n)s times.")
                       % {"ref": report.audit_ref, "kind": report.get_kind_display(),
                          "start": report.period_start, "end": report.period_end,
                          "n": report.attempts})


def recipients(report: Report) -> list[str]:
    if report.requested_by_id:
        return [report.requested_by.email] if report.requested_by.email else []
    return list(User.objects.filter(is_active=True, role_grants__role__in=[
        Role.COORDINATOR, Role.MANAGER]).exclude(email="").values_list("email", flat=True)
        .distinct())


def _tell_recipients(report: Report) -> None:
    """A link to the archive, never the PDF itself: who downloads it is audited there."""
    to = recipients(report)
    if not to:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("reporting:archive")
    send_mail(_("A report is ready: %(title)s") % {"title": report.get_kind_display()},
              _("%(title)s for %(start)s to %(end)s is ready in the register's report archive:"
                "\n%(link)s") % {"title": report.get_kind_display(),
                                 "start": report.period_start, "end": report.period_end,
                                 "link": link}, None, to)
