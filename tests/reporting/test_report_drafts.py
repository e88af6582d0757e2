"""The draft stage: a report asked for is a draft the coordinator previews, comments on and
finalises; a final report is never changed, a correction is a new version; every step is in
the audit trail. And the executive summary, written by code from the figures."""

import datetime as dt
from pathlib import Path

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casework.dossiers import dossier_open, dossier_person_update
from register.models import AuditEvent
from reporting.figures import Period
from reporting.models import Report
from reporting.services import MAX_ATTEMPTS, report_claim_scheduled
from reporting.summary import KeyFigure, key_figures, year_before
from reporting.tasks import make_report
from tests.personas import persona
from tests.reporting.builders import YEAR, victim
from tests.signals.builders import file_signal

DRAFT_MARK = "Draft, not for distribution"
COMMENTARY = "Most signals came from Bonaire.\n\nThe partners agreed to train more staff."
# Finalising is irreversible: the form asks the coordinator to confirm having read the preview.
READ = {"read": "on"}


def render(report: Report) -> str:
    make_report.apply(args=[str(report.pk)])
    report.refresh_from_db()
    assert report.status == "done", report.error
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(report.file.path).pages)


def pages(report: Report) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(report.file.path).pages]


def finalise(client, report: Report, data=READ):
    return client.post(reverse("reporting:report_action", args=[report.pk, "finalise"]), data)


def victims_line(text: str) -> str:
    return next(line for line in text.splitlines()
                if line.startswith("Presumed or confirmed victims identified:"))


def one_more_victim() -> None:
    """The register changes after the preview: an eighth victim this year."""
    analyst = persona("analyst_kpcn")
    dossier = dossier_open(actor=analyst, title="Later", signals=[
        file_signal(persona("reporter_kmar"), persons=[victim(50)])])
    dossier_person_update(actor=analyst, role=dossier.persons.get(), values={
        "victim_status": "presumed", "identified_on": dt.date(YEAR, 3, 1)})


def ask(client) -> Report:
    response = client.post(reverse("reporting:archive"), {
        "kind": "annual", "period_start": f"{YEAR}-01-01", "period_end": f"{YEAR}-12-31",
        "language": "en"})
    assert response.status_code == 302
    return Report.objects.get()


def audited(action: str, report: Report) -> bool:
    return AuditEvent.objects.filter(action=action, object_id=str(report.pk)).exists()


def test_a_report_asked_for_starts_as_a_draft_marked_on_every_page(register_year, as_user):
    report = ask(as_user("coordinator"))
    assert report.stage == "draft" and report.version == 1
    render(report)
    assert all(DRAFT_MARK in text for text in pages(report))


def test_the_coordinator_comments_finalises_and_the_final_report_never_changes(
        register_year, as_user):
    client = as_user("coordinator")
    report = ask(client)
    render(report)
    review = reverse("reporting:review", args=[report.pk])
    assert client.get(review).status_code == 200

    assert client.post(review, {"commentary": COMMENTARY}).status_code == 302
    report.refresh_from_db()
    assert report.commentary == COMMENTARY and report.status == "queued"
    assert audited("reporting.report.commented", report)
    text = render(report)
    assert "Most signals came from Bonaire." in text and DRAFT_MARK in text

    assert finalise(client, report).status_code == 302
    report.refresh_from_db()
    assert report.stage == "final" and report.finalised_by == persona("coordinator")
    assert audited("reporting.report.finalised", report)
    text = render(report)
    assert "Most signals came from Bonaire." in text and DRAFT_MARK not in text
    final_pdf = Path(report.file.path).read_bytes()

    client.post(review, {"commentary": "Changed afterwards"})
    finalise(client, report)
    assert make_report.apply(args=[str(report.pk)]).result is False
    report.refresh_from_db()
    assert report.commentary == COMMENTARY and report.status == "done"
    assert Path(report.file.path).read_bytes() == final_pdf
    assert not AuditEvent.objects.filter(action="reporting.report.commented").exclude(
        object_id=str(report.pk)).exists()
    assert AuditEvent.objects.filter(action="reporting.report.commented").count() == 1


def test_a_correction_is_a_new_version_linked_to_the_final_report(register_year, as_user):
    client = as_user("coordinator")
    report = ask(client)
    render(report)
    client.post(reverse("reporting:review", args=[report.pk]), {"commentary": COMMENTARY})
    render(report)
    finalise(client, report)
    render(report)

    new_version = reverse("reporting:report_action", args=[report.pk, "new-version"])
    assert client.post(new_version).status_code == 302
    new = Report.objects.get(previous=report)
    assert (new.version, new.stage, new.commentary) == (2, "draft", COMMENTARY)
    assert audited("reporting.report.versioned", new)
    text = render(new)
    assert "Version 2, replaces version 1" in text and DRAFT_MARK in text
    report.refresh_from_db()
    assert report.stage == "final" and report.status == "done"
    # Only the newest version is corrected: the same final report is not branched twice.
    client.post(new_version)
    assert Report.objects.count() == 2


def test_a_draft_is_finalised_only_once_its_preview_is_ready(register_year, as_user):
    client = as_user("coordinator")
    report = ask(client)
    finalise(client, report)
    report.refresh_from_db()
    assert report.stage == "draft"
    assert not audited("reporting.report.finalised", report)


def test_a_draft_has_no_new_version(register_year, as_user):
    client = as_user("coordinator")
    report = ask(client)
    render(report)
    client.post(reverse("reporting:report_action", args=[report.pk, "new-version"]))
    assert Report.objects.count() == 1


def test_scheduled_reports_are_final_at_once(db):
    report = report_claim_scheduled("quarterly", Period.quarter(YEAR, 1))
    assert report.stage == "final" and report.finalised_at is not None
    text = render(report)
    assert "Draft" not in text and "Concept" not in text


@pytest.mark.parametrize("name", ["analyst_kpcn", "manager"])
def test_only_the_coordinator_writes_commentary_and_finalises(register_year, as_user, name):
    report = ask(as_user("coordinator"))
    render(report)
    client = as_user(name)
    assert client.get(reverse("reporting:review", args=[report.pk])).status_code == 403
    assert finalise(client, report).status_code == 403
    report.refresh_from_db()
    assert report.stage == "draft"


def test_the_final_report_holds_the_figures_of_the_preview_that_was_finalised(
        register_year, as_user):
    client = as_user("coordinator")
    report = ask(client)
    preview = render(report)
    assert victims_line(preview).endswith(" 7.")

    one_more_victim()
    finalise(client, report)
    final = render(report)
    assert DRAFT_MARK in preview and DRAFT_MARK not in final
    assert victims_line(final) == victims_line(preview)
    # The register did change: a report made now counts the eighth victim.
    now = Report.objects.create(kind="annual", period_start=report.period_start,
                                period_end=report.period_end, language="en")
    assert victims_line(render(now)).endswith(" 8.")


def test_finalising_asks_to_confirm_that_the_preview_was_read(register_year, as_user):
    client = as_user("coordinator")
    report = ask(client)
    render(report)
    review = reverse("reporting:review", args=[report.pk])
    page = client.get(review).content.decode()
    assert 'name="read"' in page and 'type="checkbox"' in page

    response = finalise(client, report, data={})
    report.refresh_from_db()
    assert report.stage == "draft" and not audited("reporting.report.finalised", report)
    assert "read the preview" in client.get(response["Location"]).content.decode()
    finalise(client, report)
    report.refresh_from_db()
    assert report.stage == "final"


def test_a_logged_out_visitor_who_opens_an_action_link_is_sent_to_the_login_page(
        register_year, as_user):
    report = ask(as_user("coordinator"))
    response = Client().get(reverse("reporting:report_action", args=[report.pk, "finalise"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # Logged in, an action is still only a POST.
    assert as_user("coordinator").get(reverse(
        "reporting:report_action", args=[report.pk, "finalise"])).status_code == 405


def test_a_final_report_that_could_not_be_made_says_so_and_is_made_again_as_approved(
        register_year, as_user, monkeypatch):
    client = as_user("coordinator")
    report = ask(client)
    preview = render(report)
    finalise(client, report)

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    with monkeypatch.context() as patched:
        patched.setattr("reporting.services.render_pdf", broken)
        make_report.apply(args=[str(report.pk)])
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("failed", MAX_ATTEMPTS)
    review = reverse("reporting:review", args=[report.pk])
    page = client.get(review).content.decode()
    assert "The PDF is being made" not in page and "could not be made" in page
    make_again = reverse("reporting:report_action", args=[report.pk, "make-again"])
    assert f'action="{make_again}"' in page

    one_more_victim()
    assert client.post(make_again).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("queued", 0)
    assert audited("reporting.report.remade", report)
    final = render(report)
    assert victims_line(final) == victims_line(preview) and DRAFT_MARK not in final
    assert "could not be made" not in client.get(review).content.decode()


def test_only_a_report_that_failed_for_good_is_made_again(register_year, as_user):
    client = as_user("coordinator")
    report = ask(client)
    render(report)
    client.post(reverse("reporting:report_action", args=[report.pk, "make-again"]))
    report.refresh_from_db()
    assert report.status == "done" and not audited("reporting.report.remade", report)


def test_the_archive_rows_say_whether_a_report_is_still_being_made(register_year, as_user):
    client = as_user("analyst_kpcn")
    report = ask(as_user("coordinator"))
    rows = client.get(reverse("reporting:archive_rows")).content.decode()
    assert 'data-busy="true"' in rows and "A report is being made." in rows
    render(report)
    rows = client.get(reverse("reporting:archive_rows")).content.decode()
    assert 'data-busy="false"' in rows and reverse("reporting:download", args=[report.pk]) in rows


def test_the_summary_states_the_change_against_a_year_before():
    translation.activate("en")
    assert KeyFigure("Signals received", 12, 8).sentence == (
        "Signals received: 12, 4 more than a year before (8).")
    assert KeyFigure("Signals received", 8, 12).sentence == (
        "Signals received: 8, 4 fewer than a year before (12).")
    assert KeyFigure("Signals received", 9, 9).sentence == (
        "Signals received: 9, as many as a year before.")
    assert year_before(Period(Period.year(2028).start, Period.year(2028).start.replace(
        month=2, day=29))).end.day == 28


def test_the_summary_never_gives_a_small_count_away(register_year):
    """Seven victims this year, one the year before: the one stays "<5", and no difference
    is stated from which it could be worked out."""
    translation.activate("en")
    figures = {figure.label: figure for figure in key_figures(Period.year(YEAR))}
    victims = figures["Presumed victims identified"]
    assert (victims.now, victims.before) == (7, "<5")
    assert "more" not in victims.sentence and "6" not in victims.sentence
    assert "<5" in victims.sentence
    suspects = figures["Suspects identified"]
    assert (suspects.now, suspects.before) == ("<5", 0)
    assert "more" not in suspects.sentence


def test_the_summary_is_in_the_pdf(register_year, as_user):
    report = ask(as_user("coordinator"))
    text = render(report)
    assert "Executive summary" in text
    assert "Presumed victims identified: 7 (a year before: <5" in text.replace("\n", " ")
