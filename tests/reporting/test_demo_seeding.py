"""The lived-in demo seeding on an empty register: reproducible, and all or nothing.

Apart from test_demo_register.py, whose module-wide register would not leave these tests the
empty register `make run` seeds. Small seedings with stand-in PDFs: what is seeded is checked
there; here whether a seeding repeats itself, and whether it all lands or nothing does.
"""

import functools

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from controls.models import Control
from register.models import AuditEvent, Dossier, SubjectRequest, User
from reporting import demo
from reporting.models import Report, ReportKind
from reporting.services import report_make
from signals.models import Signal, SignalQuestion
from signals.vocab import Island

PASSWORD = "demo-password-1"
SMALL = (2, 2, 2, 2)  # with the fixed part of the story (recent, open and old signals)


class _LateFailure(Exception):
    pass


class _Rollback(Exception):
    pass


@pytest.fixture
def small_seeding(monkeypatch, settings, tmp_path):
    """`seed_demo` seeds a small lived-in register with stand-in PDFs into tmp_path."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("reporting.services.render_pdf", lambda html: b"%PDF-1.7 demo")
    # Every kind of step still runs (old, recent and open signals, controls, requests,
    # reports), only fewer of each: what fills the register is checked in the other module.
    monkeypatch.setattr(demo, "OLD_SIGNALS", 2)
    monkeypatch.setattr(demo, "RECENT_SIGNALS", 2)
    monkeypatch.setattr(demo, "TARGETS", {Island.BONAIRE: (1, 2)})
    monkeypatch.setattr("reporting.management.commands.seed_demo.seed_lived_in_register",
                        functools.partial(demo.seed_lived_in_register, signals_per_year=SMALL))
    return tmp_path


def fingerprint():
    """What a second seeding must repeat exactly."""
    return {
        "signals": sorted(Signal.objects.values_list("reference", "status", "island")),
        "dossiers": sorted(Dossier.objects.values_list("number", "status", "restricted")),
        "controls": sorted(Control.objects.values_list("planned_on", "island", "status")),
        "questions": SignalQuestion.objects.count(),
        "requests": sorted(SubjectRequest.objects.values_list("received_on", "outcome")),
        "reports": sorted(Report.objects.values_list("kind", "period_start", "stage")),
    }


def test_seeding_twice_in_fresh_databases_gives_the_same_register(db, small_seeding):
    seen = []
    for _ in range(2):
        try:
            with transaction.atomic():
                demo.seed_lived_in_register(password=PASSWORD, signals_per_year=SMALL)
                seen.append(fingerprint())
                raise _Rollback
        except _Rollback:
            pass
        assert not Signal.objects.exists(), "each seeding starts from an empty register"
    assert seen[0]["signals"] and seen[0]["dossiers"] and seen[0]["controls"]
    assert seen[0] == seen[1]


def _stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()]


def _rows():
    # The test database holds the test personas: what matters is that nothing was added.
    return {model.__name__: model.objects.count()
            for model in (User, Signal, AuditEvent, Report)}


def test_a_seeding_lands_in_full_and_leaves_the_worker_nothing_of_its_own_to_make(
        db, small_seeding, monkeypatch, django_capture_on_commit_callbacks):
    # Beat's own report, claimed while the demo seeds, still waiting for the worker: the
    # demo checks its own reports, and this one is not for it to make.
    other = Report.objects.create(kind=ReportKind.EXCHANGE, period_start="2020-01-01",
                                  period_end="2020-03-31")
    handed = []
    monkeypatch.setattr("reporting.tasks.make_report.apply_async",
                        lambda args, **options: handed.append(args[0]))
    with django_capture_on_commit_callbacks(execute=False) as published:
        call_command("seed_demo", password=PASSWORD, force=True)
    assert Signal.objects.exists()
    other.refresh_from_db()
    assert other.status == Report.Status.QUEUED, "left to the worker"
    made = Report.objects.exclude(pk=other.pk)
    assert made.count() >= 3 and not made.exclude(status=Report.Status.DONE).exists()
    assert len(_stored_files(small_seeding)) == made.count()
    # The draft's tasks are handed over on commit only, when the draft is made: the
    # worker's run claims nothing and leaves it as the demo made it.
    assert handed == []
    for publish in published:
        publish()
    draft = made.get(stage=Report.Stage.DRAFT)
    assert handed and set(handed) == {str(draft.pk)}
    assert not any(report_make(report_id) for report_id in handed)
    draft.refresh_from_db()
    assert draft.status == Report.Status.DONE and draft.attempts == 1


def test_a_seeding_that_fails_in_a_late_step_leaves_the_register_as_it_was(
        db, small_seeding, monkeypatch):
    # The quarterly draft comes last of all the reports, after years of casework.
    def fail(self, period):
        raise _LateFailure

    monkeypatch.setattr(demo._LivedIn, "_draft_report", fail)
    before = _rows()
    with pytest.raises(_LateFailure):
        call_command("seed_demo", password=PASSWORD, force=True)
    # Nothing for `make run` to mistake for a seeded register: it seeds again next time.
    assert _rows() == before
    assert not Signal.objects.exists()
    assert _stored_files(small_seeding) == [], "the annual reports' PDFs are removed too"


def test_a_seeding_whose_report_was_not_made_leaves_the_register_as_it_was(
        db, small_seeding, monkeypatch):
    # As when another run had claimed the report: report_make declines it.
    monkeypatch.setattr(demo, "report_make", lambda report_id: False)
    before = _rows()
    with pytest.raises(ValidationError, match="not made"):
        call_command("seed_demo", password=PASSWORD, force=True)
    assert _rows() == before
