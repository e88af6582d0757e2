"""The import writes a block of rows at a time (a fixed number of queries per block), keeps
each row on its own when another run made it meanwhile, keeps the audit chain whole, lets the
preview's pages read the rows it checked once, and deletes its files after a while."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from casework.imports import service
from casework.imports.service import (
    import_files_purge,
    import_preview,
    import_preview_page,
    import_run,
    import_set_mapping,
    import_upload,
)
from casework.models import ImportCheckedRow, ImportedRow, SignalImport
from register.models import AuditEvent, Organisation
from register.services.audit import audit_chain_breaks
from signals.models import Signal
from tests.casework.imports.files import BAD, GOOD, HEADER, csv_bytes
from tests.personas import persona
from tests.signals.builders import file_signal

pytestmark = pytest.mark.django_db


def rows(count: int, prefix: str = "KM") -> list[list[str]]:
    return [[f"{prefix}-{n:05d}", "2018-03-02", "bonaire", "people_smuggling",
             f"Boat landing {n}", "Lac Bay", "victim", "Pérez", "Ana", "VE"]
            for n in range(count)]


def previewed(content: bytes) -> SignalImport:
    analyst = persona("analyst_kpcn")
    batch = import_upload(actor=analyst, organisation=Organisation.objects.get(code="kmar"),
                          upload=ContentFile(content, name="kmar.csv"))
    import_set_mapping(actor=analyst, batch=batch, mapping={c: c for c in HEADER})
    import_preview(actor=analyst, batch=batch)
    return batch


def queued(content: bytes) -> SignalImport:
    batch = previewed(content)
    SignalImport.objects.filter(pk=batch.pk).update(status=SignalImport.Status.QUEUED)
    return batch


def report_lines(batch) -> list[str]:
    with batch.report.open("rb") as handle:
        return handle.read().decode("utf-8-sig").splitlines()


def test_a_block_of_rows_becomes_signals_each_with_its_own_audit_event_and_a_whole_chain(
        personas):
    batch = queued(csv_bytes([*GOOD, BAD]))
    done = import_run(batch_id=batch.pk)
    assert (done.imported, done.skipped, done.refused) == (2, 0, 1)
    signals = list(Signal.objects.filter(channel="import").order_by("reference"))
    assert len(signals) == 2
    assert len({s.reference for s in signals}) == 2
    # Consecutive references from one reserved block.
    numbers = sorted(int(s.reference.rsplit("-", 1)[1]) for s in signals)
    assert numbers[1] == numbers[0] + 1
    created = AuditEvent.objects.filter(action="signals.signal.created",
                                        object_type="signals.signal")
    assert sorted(created.values_list("object_id", flat=True)) == sorted(
        str(s.pk) for s in signals)
    assert all(e.detail["channel"] == "import" for e in created)
    assert all(e.actor_id == persona("analyst_kpcn").pk for e in created)
    assert [p.family_name for s in signals for p in s.persons.all()] == ["Pérez", "Ramos"]
    assert list(audit_chain_breaks()) == []
    # A signal filed the ordinary way after the block takes the next reference.
    later = file_signal(persona("reporter_kmar"))
    assert int(later.reference.rsplit("-", 1)[1]) == numbers[1] + 1
    assert list(audit_chain_breaks()) == []


def test_an_import_asks_the_same_queries_for_forty_rows_as_for_five(personas):
    def queries(count: int, prefix: str) -> int:
        batch = queued(csv_bytes(rows(count, prefix)))
        with CaptureQueriesContext(connection) as captured:
            assert import_run(batch_id=batch.pk).imported == count
        return len(captured)

    queries(1, "W")  # the year's reference counter is made by the first
    few = queries(5, "A")
    # The same on PostgreSQL; SQLite splits an insert of many signals by its limit of 999
    # parameters, a few statements more, never one more per row.
    assert few <= queries(40, "B") <= few + (0 if connection.vendor == "postgresql" else 5)


def test_a_row_made_meanwhile_by_another_run_is_skipped_alone(personas, monkeypatch):
    batch = queued(csv_bytes(rows(6)))
    real = service._import_block
    raced = []

    def racing(batch, actor, checks):
        if checks and not raced:  # another worker made the third row after the check
            other = file_signal(persona("reporter_kmar"))
            ImportedRow.objects.create(organisation=batch.organisation, key=checks[2].key,
                                       signal=other, source=batch, row_number=4,
                                       imported_by=actor)
            raced.append(checks[2].number)
        return real(batch, actor, checks)

    monkeypatch.setattr(service, "_import_block", racing)
    done = import_run(batch_id=batch.pk)
    assert (done.imported, done.skipped, done.refused) == (5, 1, 0)
    assert ImportedRow.objects.filter(source=batch).count() == 6
    assert Signal.objects.filter(channel="import").count() == 5
    lines = report_lines(done)
    assert ",already imported," in lines[raced[0] - 1]
    assert list(audit_chain_breaks()) == []


def test_the_import_moves_the_progress_a_block_at_a_time(personas, monkeypatch):
    monkeypatch.setattr(service, "BLOCK", 2)
    seen = []
    real = service._import_block

    def watching(batch, actor, checks):
        seen.append(SignalImport.objects.get(pk=batch.pk).rows_done)
        return real(batch, actor, checks)

    monkeypatch.setattr(service, "_import_block", watching)
    batch = queued(csv_bytes(rows(5)))
    assert import_run(batch_id=batch.pk).rows_done == 5
    assert seen == [0, 2, 4]


def test_the_preview_checks_the_file_once_and_its_pages_read_what_was_kept(
        as_user, personas, monkeypatch):
    client = as_user("analyst_kpcn")
    client.post(reverse("casework:imports"), {
        "organisation": "kmar",
        "file": ContentFile(csv_bytes([*rows(60), BAD]), name="kmar.csv")})
    batch = SignalImport.objects.get()
    client.post(reverse("casework:import_mapping", args=[batch.pk]),
                {f"column_{i}": name for i, name in enumerate(HEADER)})
    url = reverse("casework:import_preview", args=[batch.pk])
    first = client.get(url).content.decode()
    assert "60 new, 0 already imported, 1 with errors" in first
    assert ImportCheckedRow.objects.filter(source=batch).count() == 61

    def no_reading(batch):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(service, "batch_rows", no_reading)
    second = client.get(url, {"page": "2"}).content.decode()
    assert "60 new, 0 already imported, 1 with errors" in second
    assert "<td>52</td>" in second  # row 52 is on the second page (50 a page, header row 1)
    assert "person1_nationality: Not an ISO 3166 country code." in second
    assert "Pérez" in second


def test_a_new_mapping_checks_the_file_again(personas):
    batch = previewed(csv_bytes([*GOOD, BAD]))
    assert ImportCheckedRow.objects.filter(source=batch, status="error").count() == 1
    analyst = persona("analyst_kpcn")
    mapping = {c: c for c in HEADER if c != "person1_nationality"}
    import_set_mapping(actor=analyst, batch=batch, mapping=mapping)
    assert not ImportCheckedRow.objects.filter(source=batch).exists()
    preview = import_preview_page(actor=analyst, batch=batch, page=1)
    assert (preview.counts.new, preview.counts.refused) == (3, 0)


def test_the_rows_kept_by_the_preview_go_when_the_import_is_done(personas):
    batch = queued(csv_bytes(GOOD))
    assert ImportCheckedRow.objects.filter(source=batch).exists()
    import_run(batch_id=batch.pk)
    assert not ImportCheckedRow.objects.filter(source=batch).exists()


def test_the_files_of_an_import_are_deleted_some_days_after_it_finished(personas, settings,
                                                                      as_user):
    settings.IMPORT_FILE_KEEP_DAYS = 30
    batch = import_run(batch_id=queued(csv_bytes([*GOOD, BAD])).pk)
    storage = batch.file.storage
    names = [batch.file.name, batch.report.name]
    assert all(storage.exists(name) for name in names)
    now = batch.finished_at + dt.timedelta(days=29)
    assert import_files_purge(now=now) == 0
    assert all(storage.exists(name) for name in names)

    with pytest.MonkeyPatch.context() as patch:
        # The files go once the purge committed: run the commit hooks as they come.
        patch.setattr("django.db.transaction.on_commit", lambda hook, **kwargs: hook())
        assert import_files_purge(now=now + dt.timedelta(days=2)) == 1
    batch.refresh_from_db()
    assert not any(storage.exists(name) for name in names)
    assert (batch.file.name, batch.report.name) == ("", "")
    assert batch.files_purged_at == now + dt.timedelta(days=2)
    # The record and its counts stay.
    assert (batch.status, batch.imported, batch.refused) == ("done", 2, 1)
    assert Signal.objects.filter(channel="import").count() == 2
    event = AuditEvent.objects.get(action="casework.import.files_purged")
    assert event.object_id == str(batch.pk)
    assert event.detail == {"file": True, "report": True, "status": "done"}
    # Once only.
    assert import_files_purge(now=now + dt.timedelta(days=60)) == 0
    # The page says so, and the report is gone.
    client = as_user("analyst_kpcn")
    page = client.get(reverse("casework:import", args=[batch.pk])).content.decode()
    assert "The uploaded file and the report were deleted on" in page
    assert reverse("casework:import_report", args=[batch.pk]) not in page
    assert client.get(reverse("casework:import_report", args=[batch.pk])).status_code == 404


def test_an_upload_never_confirmed_loses_its_file_and_a_running_one_keeps_it(personas,
                                                                           settings):
    settings.IMPORT_FILE_KEEP_DAYS = 30
    left = previewed(csv_bytes(GOOD))
    running = queued(csv_bytes(rows(2, "R")))
    SignalImport.objects.filter(pk=running.pk).update(status=SignalImport.Status.RUNNING)
    later = timezone.now() + dt.timedelta(days=31)
    assert import_files_purge(now=later) == 1
    left.refresh_from_db()
    running.refresh_from_db()
    assert (left.file.name, left.status) == ("", "failed")
    assert not ImportCheckedRow.objects.filter(source=left).exists()
    assert running.file.name and running.files_purged_at is None


def test_the_purge_is_scheduled_every_night():
    task = PeriodicTask.objects.get(task="casework.tasks.purge_import_files")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("3", "40")
