import datetime as dt
import json

import pypdf
import pytest
from django.core import mail
from django.urls import reverse

from register.models import AuditEvent, FollowUpAction, Notification
from register.services.notifications import notification_mail_send
from reporting.figures import Period, mou_figures, suppress
from reporting.models import Report, ReportSchedule
from reporting.pdf import StaticOnlyFetcher, render_pdf
from reporting.services import due_period, report_claim_scheduled, reports_schedule
from reporting.tasks import make_report
from signals.models import Signal
from tests.personas import persona
from tests.reporting.builders import YEAR, victim
from tests.signals.builders import file_signal


def pdf_text(report: Report) -> str:
    reader = pypdf.PdfReader(report.file.path)
    return "\n".join(page.extract_text() for page in reader.pages)


def make(kind="annual", language="en", period=None):
    period = period or Period.year(YEAR)
    report = Report.objects.create(kind=kind, period_start=period.start,
                                   period_end=period.end, language=language)
    make_report.apply(args=[str(report.pk)])
    report.refresh_from_db()
    return report


def test_the_mou_figures_are_counted_where_they_arise(register_year):
    figures = mou_figures(YEAR)
    assert (figures.victims, figures.suspects, figures.investigations, figures.prosecutions,
            figures.verdicts, figures.convictions) == (7, 2, 3, 1, 2, 1)
    assert mou_figures(YEAR - 1).victims == 1


def test_small_counts_are_suppressed(settings):
    settings.SUPPRESS_BELOW = 5
    assert [suppress(n) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]


def test_the_annual_report_pdf_holds_the_figures_with_small_counts_suppressed(register_year):
    report = make()
    assert report.status == "done" and report.size > 1000
    text = pdf_text(report)
    mou_row = next(line for line in text.splitlines() if line.startswith(str(YEAR) + " "))
    assert mou_row.split() == [str(YEAR), "7", "<5", "<5", "<5", "<5", "<5"]
    previous = next(line for line in text.splitlines() if line.startswith(str(YEAR - 1) + " "))
    assert previous.split()[1] == "<5"
    assert "Signals received: <5" in text
    assert "Presumed or confirmed victims identified: 7" in text
    assert "Test" not in text.replace("Test ", "") or "V1" not in text


def test_the_pdf_is_pdf_a_with_contents_and_page_numbers(register_year):
    report = make()
    reader = pypdf.PdfReader(report.file.path)
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part" in raw and "3" in raw
    text = pdf_text(report)
    assert "Contents" in text and "MoU art. 4 figures" in text
    assert f"2 / {len(reader.pages)}" in reader.pages[1].extract_text()


def test_the_report_is_in_the_users_language(register_year):
    text = pdf_text(make(language="nl"))
    assert "Inhoud" in text or "Signalen" in text


def test_a_report_fetches_nothing_whatever_its_data_says(db, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    fetcher = StaticOnlyFetcher()
    pdf = render_pdf(f'<img src="file://{secret}"><link rel="stylesheet" '
                     f'href="http://127.0.0.1:9/x.css"><p>hello</p>'
                     f'<img src="http://169.254.169.254/latest">', fetcher)
    assert b"TOP-SECRET" not in pdf
    assert len(fetcher.refused) == 3
    assert all(not url.startswith("static:") for url in fetcher.refused)


def test_hostile_text_in_the_register_stays_text(db):
    file_signal(persona("reporter_kmar"), location='<style>*{font-size:9999px}</style>'
                '<img src="file:///etc/passwd">')
    report = make()
    assert report.status == "done"
    with open(report.file.path, "rb") as pdf:
        assert b"root:" not in pdf.read()


def test_a_scheduled_period_is_claimed_once_by_two_beats_and_a_retry(db):
    period = Period.quarter(YEAR, 1)
    first = report_claim_scheduled("quarterly", period)
    second = report_claim_scheduled("quarterly", period)
    assert first is not None and second is None
    make_report.apply(args=[str(first.pk)])
    assert make_report.apply(args=[str(first.pk)]).result is False, "a retry changes nothing"
    assert Report.objects.filter(kind="quarterly").count() == 1
    assert Report.objects.get().attempts == 1


def test_the_schedules_claim_what_is_due(db):
    today = dt.date(2027, 1, 1)
    assert due_period(ReportSchedule.objects.get(kind="annual"), today) == Period.year(2026)
    assert due_period(ReportSchedule.objects.get(kind="quarterly"), today) == Period.quarter(
        2026, 4)
    group = ReportSchedule.objects.get(kind="working_group")
    assert due_period(group, dt.date(2027, 5, 3)) == Period(dt.date(2027, 3, 1),
                                                             dt.date(2027, 4, 30))
    claimed = reports_schedule(today)
    assert {r.kind for r in claimed} == {"annual", "quarterly", "working_group"}
    assert reports_schedule(today) == []


def test_a_failing_report_is_retried_then_reported_to_the_managers(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("reporting.services.render_pdf", broken)
    report = Report.objects.create(kind="annual", period_start=dt.date(YEAR, 1, 1),
                                   period_end=dt.date(YEAR, 12, 31))
    result = make_report.apply(args=[str(report.pk)])
    report.refresh_from_db()
    assert result.failed() and report.status == "failed" and report.attempts == 3
    assert mail.outbox[-1].to == [persona("manager").email]
    assert report.audit_ref in mail.outbox[-1].body


def test_recipients_get_a_link_never_the_pdf(register_year):
    reports_schedule(dt.date(YEAR + 1, 1, 1))
    for report in Report.objects.filter(scheduled=True):
        make_report.apply(args=[str(report.pk)])
    # Told through the notification pipeline: what the worker sends for each of them.
    for pk in Notification.objects.filter(event="reporting.report.ready").values_list(
            "pk", flat=True):
        notification_mail_send(pk)
    assert mail.outbox
    assert all("/notifications/" in m.body and not m.attachments for m in mail.outbox)
    # One e-mail per recipient: nobody sees who else was told.
    assert {m.to[0] for m in mail.outbox} >= {persona("coordinator").email,
                                              persona("manager").email}


def test_the_coordinator_requests_downloads_and_is_audited(register_year, as_user):
    client = as_user("coordinator")
    client.post(reverse("reporting:archive"), {
        "kind": "annual", "period_start": f"{YEAR}-01-01", "period_end": f"{YEAR}-12-31",
        "language": "en"})
    report = Report.objects.get()
    assert report.requested_by == persona("coordinator")
    make_report.apply(args=[str(report.pk)])
    response = client.get(reverse("reporting:download", args=[report.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="reporting.report.downloaded",
                                     actor=persona("coordinator")).exists()


@pytest.mark.parametrize("name", ["reporter_kmar", "auditor"])
def test_reporters_and_auditors_get_no_reports(register_year, as_user, name):
    report = make()
    assert as_user(name).get(reverse("reporting:download", args=[report.pk])).status_code == 403


def test_the_exchange_files_have_a_stable_format(register_year, as_user):
    client = as_user("coordinator")
    body = json.loads(client.get(reverse("reporting:exchange", args=[YEAR, "json"])).content)
    assert body == {"format": "cn-thb-mou-art4/1", "country": "Caribbean Netherlands",
                    "year": YEAR, "victims": 7, "suspects": "<5", "investigations": "<5",
                    "prosecutions": "<5", "verdicts": "<5", "convictions": "<5"}
    csv_text = client.get(reverse("reporting:exchange", args=[YEAR, "csv"])).content.decode()
    assert csv_text.splitlines()[0].startswith("format,country,year,victims")


def test_the_dashboard_suppresses_for_the_coordinator_not_for_analysts(register_year, as_user):
    coordinator = as_user("coordinator").get(reverse("reporting:dashboard"), {"year": YEAR})
    analyst = as_user("analyst_kpcn").get(reverse("reporting:dashboard"), {"year": YEAR})
    assert coordinator.context["mou"][-1]["suspects"] == "<5"
    assert analyst.context["mou"][-1]["suspects"] == 2
    assert "<svg" in coordinator.content.decode()


def test_the_report_costs_the_same_queries_whatever_the_register_holds(register_year):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.content import report_context

    with CaptureQueriesContext(connection) as few:
        report_context("annual", Period.year(YEAR))
    for _ in range(5):
        file_signal(persona("reporter_szw"), persons=[victim(1)])
    cache.clear()  # the estimate is kept a day: both measure the cost without it
    with CaptureQueriesContext(connection) as more:
        report_context("annual", Period.year(YEAR))
    assert len(more) == len(few)
    assert Signal.objects.count() > 5 and FollowUpAction.objects.count() == 6


def test_every_section_of_the_annual_report_counts_the_data_built(register_year, as_user):
    """The same numbers as in the PDF, before suppression, checked one by one."""
    from casework.triage import triage_decline
    from controls.services import control_plan, control_record
    from reporting.content import report_context

    extra = file_signal(persona("reporter_szw"), island="saba", sector="retail",
                        forms=["people_smuggling"])
    triage_decline(actor=persona("analyst_om"), signal=extra, reason="Not a case")
    kmar = persona("reporter_kmar")
    control = control_plan(actor=kmar, participants=[], businesses=[], values={
        "island": "bonaire", "place": "X", "sector": "construction",
        "planned_on": dt.date(YEAR, 3, 1), "initiating_organisation": kmar.organisation,
        "directing_organisation": persona("analyst_kpcn").organisation, "goal": "g"})
    control_record(actor=kmar, control=control, status="held", took_part=[kmar.organisation],
                   values={"held_on": dt.date(YEAR, 3, 1), "persons_checked": 1,
                           "businesses_checked": 1, "arrests": 0, "fines": 0})
    from django.utils import translation

    with translation.override("en"):
        context = report_context("annual", Period.year(YEAR), suppress_counts=False)
    tables = context["tables"]
    assert context["signals_total"] == 3 and context["not_taken_up"] == 1
    assert dict(tables["signals_by_form"]) == {"Sexual exploitation": 1,
                                               "People smuggling": 1,
                                               "Labour exploitation (forced labour, servitude)": 1}
    assert dict(tables["signals_by_island"]) == {"Bonaire": 2, "Saba": 1}
    assert dict(tables["signals_by_organisation"]) == {
        "Koninklijke Marechaussee (KMar)": 1, "SZW / Arbeidsinspectie Caribisch Nederland": 2}
    assert sum(n for _m, n in tables["signals_by_month"]) == 3
    assert context["days_to_triage"] is not None
    assert context["dossiers_opened"] == 2 and context["dossiers_closed"] == 0
    assert dict(tables["follow_ups_by_kind"]) == {
        "Criminal investigation started": 3, "Prosecution started": 1, "Verdict": 2}
    assert dict(tables["follow_ups_by_organisation"]) == {
        "Korps Politie Caribisch Nederland (KPCN)": 3, "Openbaar Ministerie BES (OM)": 3}
    assert context["victims_total"] == 7
    assert dict(tables["victims_by_sex"]) == {"Female": 7}
    assert dict(tables["victims_by_age_band"]) == {"18-24": 7}
    assert dict(tables["victims_by_nationality"]) == {"Venezuela": 7}
    bonaire = next(row for row in context["controls"] if row.island == "bonaire")
    assert (bonaire.held, bonaire.initiated_by) == (1, {"Koninklijke Marechaussee (KMar)": 1})


def test_the_exchange_report_is_a_pdf_of_the_art_4_figures(register_year):
    report = make(kind="exchange")
    text = pdf_text(report)
    assert report.status == "done" and "Aruba" in text
    row = next(line for line in text.splitlines() if line.startswith(str(YEAR) + " "))
    assert row.split()[1] == "7"
