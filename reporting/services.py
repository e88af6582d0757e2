"""Making reports: on demand or by schedule, each report exactly once and at least once.

Exactly once: a run claims its report with one UPDATE ... WHERE that only one runner can win,
and stores its PDF only while it still holds that claim. At least once: a run whose worker was
killed is taken over once it is older than the task's hard time limit, a report nobody took
is queued again, and after the last attempt the report is failed and the managers alerted
(reports_sweep, every few minutes from beat).
"""

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from register.models import Role, User
from register.services.alerts import alert_managers
from register.services.audit import audit_record
from register.services.notifications import notify
from register.tasks_queue import Publication, enqueue_on_commit
from reporting.content import report_context
from reporting.figures import Period
from reporting.models import MAX_ATTEMPTS, Report, ReportKind, ReportSchedule
from reporting.pdf import render_pdf

# The hard time limit of reporting.tasks.make_report, in seconds: no run lives longer.
RENDER_TIME_LIMIT = 600
# A run that started longer ago than the hard limit (plus a margin for its last commit) has
# lost its worker, killed before it could record anything: another run may take over.
RUN_EXPIRES = dt.timedelta(seconds=RENDER_TIME_LIMIT + 60)
# A report still queued this long after it was handed to the broker is handed over again
# (the broker was down, or lost the message).
QUEUE_GRACE = dt.timedelta(minutes=5)


def report_request(*, actor: User, kind: str, period: Period,
                   language: str) -> tuple[Report, Publication]:
    """An on-demand report; made in the background (see reporting.tasks.make_report).

    The report is committed first and queued after the commit. When the broker cannot be
    reached, the request still succeeds (`publication.sent` is False) and the sweep queues
    the report once the broker is back."""
    with transaction.atomic():
        report, publication = _queue_new(actor, kind=kind, period_start=period.start,
                                         period_end=period.end, language=language)
        audit_record(actor=actor, action="reporting.report.requested", obj=report,
                     detail={"kind": kind, "period": period.iso})
    return report, publication


def _queue_new(actor: User, **values) -> tuple[Report, Publication]:
    """A new report someone asked for (a draft), queued once the caller's transaction
    commits; the caller audits it in that transaction."""
    from reporting.tasks import make_report

    report = Report.objects.create(requested_by=actor, **values)
    return report, enqueue_on_commit(make_report, str(report.pk))


def report_claim_scheduled(kind: str, period: Period) -> Report | None:
    """The one claim a scheduled period can have: whoever inserts first makes the report;
    every other beat or retried task finds the unique constraint taken and does nothing."""
    try:
        with transaction.atomic():
            # Final at once: a scheduled report waits for nobody's review (see Report.stage).
            report = Report.objects.create(kind=kind, period_start=period.start,
                                           period_end=period.end, scheduled=True,
                                           language=settings.LANGUAGE_CODE,
                                           stage=Report.Stage.FINAL,
                                           finalised_at=timezone.now())
            audit_record(actor=None, action="reporting.report.scheduled", obj=report,
                         detail={"kind": kind, "period": period.iso})
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
            enqueue_on_commit(make_report, str(report.pk))
            claimed.append(report)
    return claimed


def _claimable(now: dt.datetime) -> Q:
    """Reports a run may claim: queued, failed with attempts left (a retry), or running on a
    claim so old that its worker must be dead (a takeover)."""
    return Q(attempts__lt=MAX_ATTEMPTS) & (
        Q(status=Report.Status.QUEUED) | Q(status=Report.Status.FAILED)
        | Q(status=Report.Status.RUNNING, started_at__lt=now - RUN_EXPIRES))


def report_claim(report_id: str) -> dt.datetime | None:
    """Claim a report for one run; the claim's time (its token), or None when another run
    has it, it is done, or it has no attempts left.

    One UPDATE ... WHERE: of two runners, the second waits for the first's row lock, then
    re-reads the row the first changed, finds a fresh claim and updates nothing."""
    claimed_at = timezone.now()
    taken = Report.objects.filter(_claimable(claimed_at), pk=report_id).update(
        status=Report.Status.RUNNING, started_at=claimed_at, attempts=F("attempts") + 1,
        progress=10)
    return claimed_at if taken else None


def report_make(report_id: str) -> bool:
    """Render one report. Returns False when another run has it or it is done already."""
    claimed_at = report_claim(report_id)
    if claimed_at is None:
        return False
    mine = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING,
                                 started_at=claimed_at)
    report = Report.objects.get(pk=report_id)
    if report.is_final and report.final_html:
        # The snapshot the coordinator approved as preview, whenever this run happens.
        final_html = html = report.final_html
    else:
        final_html, html = _render_html(report)
    mine.update(progress=50)
    pdf = render_pdf(html)
    replaced = report.file.name  # a draft's earlier preview, replaced by this one
    first_time = report.finished_at is None
    with transaction.atomic():
        report.file.save("report.pdf", ContentFile(pdf), save=False)
        stored = mine.update(file=report.file.name, size=len(pdf), final_html=final_html,
                             status=Report.Status.DONE, progress=100,
                             finished_at=timezone.now(), error="")
        if not stored:  # taken over or changed meanwhile: this PDF is not the one
            report.file.delete(save=False)
            return False
        report.refresh_from_db()
        audit_record(actor=None, action="reporting.report.made", obj=report,
                     detail={"size": len(pdf), "stage": report.stage})
    if replaced and replaced != report.file.name:
        report.file.storage.delete(replaced)
    # Told when a report is first ready and when its final version is: not for every
    # preview the coordinator asks for while writing the commentary.
    if first_time or report.is_final:
        _tell_recipients(report)
    return True


def _render_html(report: Report) -> tuple[str, str]:
    """The report's HTML from the register as it is now: (final, as shown). A draft shows the
    draft marking; the final differs from it by nothing else."""
    period = Period(report.period_start, report.period_end)
    template = ("reporting/exchange.html" if report.kind == ReportKind.EXCHANGE
                else "reporting/report.html")
    with translation.override(report.language):
        context = {
            **report_context(report.kind, period), "language": report.language,
            "made_on": timezone.localdate(), "threshold": settings.SUPPRESS_BELOW,
            "commentary": report.commentary, "version": report.version}
        final = render_to_string(template, {**context, "draft": False})
        shown = final if report.is_final else render_to_string(
            template, {**context, "draft": True})
    return final, shown


class ReportIsFinal(Exception):
    """A final report is never changed: make a new version instead."""


class ReportNotReady(Exception):
    """A draft is finalised only after its preview was made (and could be read)."""


class ReportReplaced(Exception):
    """A newer version exists: a correction starts from that one."""


class ReportNotFailed(Exception):
    """Only a report whose every attempt failed is made again by hand; any other is made, or
    being made, already."""


def _make_again(report: Report) -> Publication:
    """Queue a report to be rendered afresh. A run still busy on it loses its claim (its
    started_at no longer matches) and throws its now outdated PDF away."""
    from reporting.tasks import make_report

    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.QUEUED, progress=0, attempts=0, started_at=None, error="",
        queued_at=timezone.now())
    return enqueue_on_commit(make_report, str(report.pk))


def _locked_draft(report: Report) -> Report:
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.is_final:
        raise ReportIsFinal
    return report


def report_comment(*, actor: User, report: Report, commentary: str) -> Publication:
    """Write a draft's commentary; the preview is made again with it."""
    with transaction.atomic():
        report = _locked_draft(report)
        # The snapshot goes with the old commentary: until the new preview is made, there is
        # nothing to finalise.
        Report.objects.filter(pk=report.pk).update(commentary=commentary, final_html="")
        audit_record(actor=actor, action="reporting.report.commented", obj=report,
                     detail={"characters": len(commentary)})
        return _make_again(report)


def report_finalise(*, actor: User, report: Report) -> Publication:
    """Make a draft final: rendered once more from the snapshot taken with its preview, only
    without the draft marking; never changed again."""
    with transaction.atomic():
        report = _locked_draft(report)
        if report.status != Report.Status.DONE or not report.final_html:
            raise ReportNotReady
        Report.objects.filter(pk=report.pk).update(
            stage=Report.Stage.FINAL, finalised_by=actor, finalised_at=timezone.now())
        audit_record(actor=actor, action="reporting.report.finalised", obj=report,
                     detail={"version": report.version})
        return _make_again(report)


def report_new_version(*, actor: User, report: Report) -> tuple[Report, Publication]:
    """A correction of a final report: a new draft, version n+1, that starts from the
    commentary of the one it replaces. The final report itself stays as it was."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if not report.is_final:
            raise ReportNotReady  # a draft is edited itself, not replaced
        if report.next_versions.exists():
            raise ReportReplaced
        new, publication = _queue_new(
            actor, kind=report.kind, period_start=report.period_start,
            period_end=report.period_end, language=report.language,
            commentary=report.commentary, version=report.version + 1, previous=report)
        audit_record(actor=actor, action="reporting.report.versioned", obj=new,
                     detail={"previous": report.audit_ref, "version": new.version})
    return new, publication


def report_remake(*, actor: User, report: Report) -> Publication:
    """Make again a report that failed for good (every attempt failed, the managers were
    alerted). A final report is made from its snapshot, so it still holds what was approved."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if not report.failed_for_good:
            raise ReportNotFailed
        audit_record(actor=actor, action="reporting.report.remade", obj=report,
                     detail={"stage": report.stage, "attempts": report.attempts})
        return _make_again(report)


def report_failed(report_id: str, error: Exception) -> bool:
    """Record a failed run. True when it was the last attempt: the report stays failed and
    the managers are alerted; otherwise the caller retries."""
    with transaction.atomic():
        Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
            status=Report.Status.FAILED, error=type(error).__name__[:200])
        report = Report.objects.get(pk=report_id)
        final = report.status == Report.Status.FAILED and report.attempts >= MAX_ATTEMPTS
        if final:
            audit_record(actor=None, action="reporting.report.failed", obj=report,
                         detail={"attempts": report.attempts})
    if final:
        _alert_failed(report)
    return final


def _alert_failed(report: Report) -> None:
    alert_managers(_("A report could not be made"),
                   _("Report %(ref)s (%(kind)s, %(start)s to %(end)s) failed %(n)s times.")
                   % {"ref": report.audit_ref, "kind": report.get_kind_display(),
                      "start": report.period_start, "end": report.period_end,
                      "n": report.attempts})


def reports_sweep(now: dt.datetime | None = None) -> list[Report]:
    """Beat's sweep, every few minutes: what a killed worker or an unreachable broker left
    behind is queued again; a run lost on its last attempt is failed and alerted, once.
    Returns the reports queued again."""
    from reporting.tasks import make_report

    now = now or timezone.now()
    lost = now - RUN_EXPIRES
    for report in Report.objects.filter(status=Report.Status.RUNNING, started_at__lt=lost,
                                        attempts__gte=MAX_ATTEMPTS):
        with transaction.atomic():
            # Conditional, so that of two sweeps only one fails the report and alerts.
            failed = Report.objects.filter(
                pk=report.pk, status=Report.Status.RUNNING, started_at=report.started_at,
            ).update(status=Report.Status.FAILED, error="WorkerLost")
            if failed:
                report.refresh_from_db()
                audit_record(actor=None, action="reporting.report.failed", obj=report,
                             detail={"attempts": report.attempts})
        if failed:
            _alert_failed(report)
    stuck = Report.objects.filter(
        Q(status=Report.Status.QUEUED)
        | Q(status=Report.Status.RUNNING, started_at__lt=lost)
        # A failure whose retry never came (the retry message was lost with its worker).
        | Q(status=Report.Status.FAILED, started_at__lt=lost),
        attempts__lt=MAX_ATTEMPTS, queued_at__lt=now - QUEUE_GRACE)
    again = []
    for report in stuck:
        # Conditional, so that two sweeps queue a report once per grace period at most; a
        # report queued twice is still made once (the claim in report_make).
        if Report.objects.filter(pk=report.pk, queued_at=report.queued_at).update(
                queued_at=now):
            make_report.apply_async(args=[str(report.pk)])
            again.append(report)
    return again


def recipients(report: Report) -> list[User]:
    if report.requested_by_id:
        return [report.requested_by] if report.requested_by.is_active else []
    return list(User.objects.filter(is_active=True, role_grants__role__in=[
        Role.COORDINATOR, Role.MANAGER]).distinct())


def _tell_recipients(report: Report) -> None:
    """In the app and, as each recipient chose (by default at once), a neutral e-mail with a
    link to log in: never the PDF itself, whose downloads are audited in the archive."""
    to = recipients(report)
    if not to:
        return
    notify(users=to, event="reporting.report.ready",
           params={"kind": report.kind, "start": report.period_start.isoformat(),
                   "end": report.period_end.isoformat()},
           url=reverse("reporting:archive"))
