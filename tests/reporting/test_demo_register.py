"""The demo register `make run` seeds: lived in, reproducible, something to see for every role.

Seeding takes a while, so the module seeds once, inside a transaction that is rolled back
when the module is done; each test runs in its own savepoint on top. A test-only size (every
step of the story still runs) and stand-in PDFs, all but one real one, keep it quick. Seeding
twice, and failing, are in test_demo_seeding.py, on an empty register.
"""

import datetime as dt
from typing import NamedTuple

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from casework.need_to_know import dossiers_visible_to
from controls.models import Control
from register.models import AuditEvent, Dossier, RetentionReview, SubjectRequest, User
from register.services.audit import audit_chain_breaks
from reporting import services as reporting_services
from reporting.demo import seed_lived_in_register
from reporting.models import Report
from signals.models import Signal, SignalQuestion
from signals.vocab import SignalStatus

PASSWORD = "demo-password-1"
# Signals per year counted back from this year, for the tests: a sixth of the demo's.
SIZE = (12, 10, 8, 6)
STAND_IN_PDF = b"%PDF-1.7 demo stand-in"


class _Rollback(Exception):
    pass


class Seeded(NamedTuple):
    counts: object
    pdfs: dict


@pytest.fixture(scope="module")
def lived_in(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("demo-media")
    real_render = reporting_services.render_pdf
    rendered = []

    def first_one_real(html):
        # One real PDF proves the demo's reports render; the others need not, each taking
        # seconds.
        rendered.append(html)
        return real_render(html) if len(rendered) == 1 else STAND_IN_PDF

    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=media, AUDIT_CHECKPOINT_PATH=str(media / "checkpoint.json")):
        try:
            with transaction.atomic():
                with pytest.MonkeyPatch.context() as patch:
                    patch.setattr("reporting.services.render_pdf", first_one_real)
                    counts = seed_lived_in_register(password=PASSWORD, signals_per_year=SIZE)
                pdfs = {r.pk: r.file.open("rb").read() for r in Report.objects.all()}
                yield Seeded(counts, pdfs)
                raise _Rollback
        except _Rollback:
            pass


def test_the_demo_register_holds_years_of_signals_in_every_status(lived_in, db):
    counts = lived_in.counts
    statuses = set(Signal.objects.values_list("status", flat=True))
    assert statuses == set(SignalStatus.values)
    this_year = timezone.localdate().year
    for year in range(this_year - 3, this_year + 1):
        assert Signal.objects.filter(received_at__year=year).exists(), year
    assert counts.signals == Signal.objects.count()
    assert SignalQuestion.objects.filter(answered_at__isnull=False).exists()
    assert SignalQuestion.objects.filter(answered_at__isnull=True).exists()


def test_the_audit_trail_of_the_demo_is_one_intact_chain_in_time_order(lived_in, db):
    assert list(audit_chain_breaks()) == []
    times = list(AuditEvent.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1))
                 .order_by("id").values_list("at", flat=True))
    assert len(times) > 500  # at the test size; the demo itself writes thousands
    assert times == sorted(times), "the services ran in the order it happened"


def test_the_dashboard_has_figures_for_each_of_the_three_past_years(lived_in, as_user):
    client = as_user("coordinator")
    this_year = timezone.localdate().year
    for year in range(this_year - 3, this_year):
        context = client.get(reverse("reporting:dashboard"), {"year": year}).context
        mou = next(row for row in context["mou"] if row["year"] == year)
        assert context["signals_total"] not in (0, "0"), year
        assert context["dossiers_opened"] not in (0, "0"), year
        assert mou["victims"] not in (0, "0") and mou["investigations"] not in (0, "0"), year


def test_the_retention_page_lists_items_that_are_due(lived_in, as_user):
    client = as_user("manager")
    review = RetentionReview.objects.get(status=RetentionReview.Status.PENDING)
    listing = client.get(reverse("manage_retention")).content.decode()
    assert reverse("manage_retention_review", args=[review.pk]) in listing
    page = client.get(reverse("manage_retention_review", args=[review.pk])).content.decode()
    old = Signal.objects.filter(last_processed_at__lt=review.cutoff).first()
    assert old is not None and old.reference in page
    assert review.items.filter(object_type="register.subjectrequest").exists()


def test_the_archive_lists_finished_reports_that_are_real_pdfs(lived_in, as_user):
    pdfs = lived_in.pdfs
    page = as_user("coordinator").get(reverse("reporting:archive"))
    final = Report.objects.filter(status=Report.Status.DONE, stage=Report.Stage.FINAL,
                                  kind="annual")
    assert final.count() == 3
    real = [pdf for pdf in pdfs.values() if pdf != STAND_IN_PDF]
    assert len(real) == 1 and real[0].startswith(b"%PDF-") and b"%%EOF" in real[0][-64:]
    assert all(pdfs[report.pk].startswith(b"%PDF-") for report in final)
    shown = {report.pk for report in page.context["reports"]}
    assert {report.pk for report in final} <= shown
    draft = Report.objects.get(stage=Report.Stage.DRAFT)
    assert draft.status == Report.Status.DONE and draft.commentary


def test_each_demo_report_was_queued_at_the_moment_it_was_asked_for(lived_in, db):
    # Not at the real time of seeding: Report.queued_at's default escapes the simulated clock.
    for report in Report.objects.all():
        assert report.queued_at <= report.started_at <= report.finished_at, report.kind
        assert (timezone.localtime(report.queued_at).date()
                == timezone.localtime(report.finished_at).date())


def test_the_controls_overview_lists_held_and_planned_controls_against_targets(lived_in,
                                                                             as_user):
    page = as_user("coordinator").get(reverse("controls:overview"))
    statuses = {control.status for control in page.context["controls"]}
    assert {Control.Status.HELD, Control.Status.PLANNED} <= statuses
    assert any(row.target and row.held for row in page.context["rows"])


def test_a_restricted_dossier_is_hidden_from_an_analyst_without_a_grant(lived_in, as_user):
    restricted = Dossier.objects.filter(restricted=True).first()
    assert restricted is not None
    outsider = User.objects.get(username="analyst.kmar")
    assert not dossiers_visible_to(outsider).filter(pk=restricted.pk).exists()
    url = reverse("casework:dossier", args=[restricted.number])
    assert as_user("analyst_kmar").get(url).status_code == 404
    assert as_user("analyst_om").get(url).status_code == 200


def test_every_role_finds_something_on_its_first_pages(lived_in, as_user):
    inbox = as_user("analyst_kpcn").get(reverse("casework:inbox")).content.decode()
    assert Signal.objects.filter(status=SignalStatus.RECEIVED).first().reference in inbox
    dossiers = as_user("analyst_kpcn").get(reverse("casework:dossiers")).content.decode()
    # The list is paged: the dossier at its top, in the list's own order.
    top = dossiers_visible_to(User.objects.get(username="analyst.kpcn")).order_by(
        "-priority", "-updated_at", "-id").first()
    assert top.number in dossiers
    reporter = User.objects.get(username="reporter.szw")
    mine = as_user("reporter_szw").get(reverse("signals:mine")).content.decode()
    assert Signal.objects.filter(submitted_by=reporter).first().reference in mine
    requests = as_user("manager").get(reverse("manage_requests")).content.decode()
    waiting = SubjectRequest.objects.get(outcome="")
    assert reverse("manage_request", args=[waiting.pk]) in requests
    audit = as_user("auditor").get(reverse("audit_events"))
    assert audit.status_code == 200 and AuditEvent.objects.count() > 500
    assert reporter.notifications.exists()
    notifications = as_user("reporter_szw").get(reverse("notifications")).content.decode()
    # Told of the controls SZW takes part in that someone else planned.
    control = Control.objects.filter(participants__organisation__code="szw").exclude(
        created_by=reporter).latest("pk")
    assert reverse("controls:detail", args=[control.pk]) in notifications
