"""Upload, mapping, preview, confirmation and the import itself. Each writes its audit event
in its own transaction. The preview checks the file once and keeps each row's result, which its
pages read. The import writes a block of rows in one transaction (a fixed number of statements
per block, not per row); a block that meets a row made meanwhile by another run is done again
row by row, each in its own transaction, so such a row never undoes another, and a stopped
import is taken up where it was."""

import datetime as dt
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from casework.imports.fields import check_mapping, propose_mapping
from casework.imports.reading import ImportFileError, check_file, open_table
from casework.imports.report import ReportWriter
from casework.imports.rows import ERROR, EXISTING, NEW, RowCheck, RowValidator, checked_rows
from casework.models import ImportCheckedRow, ImportedRow, ImportMapping, SignalImport
from casework.triage import triage_take_in
from register.models import Organisation, User
from register.services.audit import audit_record
from register.tasks_queue import enqueue_on_commit
from signals.api.serializers import signal_input
from signals.attachments import sha256_of
from signals.services import signal_submit, signals_file_many
from signals.vocab import Channel

# Rows written per transaction: the progress bar moves a block at a time.
BLOCK = 250
STORE_EVERY = 1000  # checked rows kept per insert
Status = SignalImport.Status


@dataclass
class Counts:
    new: int = 0
    existing: int = 0
    refused: int = 0

    def add(self, status: str) -> None:
        if status == NEW:
            self.new += 1
        elif status == EXISTING:
            self.existing += 1
        else:
            self.refused += 1


def remembered_mapping(organisation: Organisation) -> dict[str, str]:
    found = ImportMapping.objects.filter(organisation=organisation).first()
    return found.mapping if found else {}


def import_upload(*, actor: User, organisation: Organisation, upload) -> SignalImport:
    """Keep a checked file and propose a mapping; ValidationError (at "file") when the file
    cannot be imported, and then nothing is kept."""
    try:
        kind, header, count = check_file(upload, upload.size)
    except ImportFileError as error:
        raise ValidationError({"file": error.message}, code="malformed") from None
    with transaction.atomic():
        batch = SignalImport(
            organisation=organisation, uploaded_by=actor, kind=kind, size=upload.size,
            original_name=(getattr(upload, "name", "") or "import")[-200:],
            sha256=sha256_of(upload), columns=header, rows_total=count,
            mapping=propose_mapping(header, remembered_mapping(organisation)))
        batch.file.save("import", File(upload), save=False)
        batch.save()
        audit_record(actor=actor, action="casework.import.uploaded", obj=batch,
                     detail={"organisation": organisation.code, "rows": count,
                             "kind": kind})
    return batch


def import_set_mapping(*, actor: User, batch: SignalImport, mapping: dict[str, str]) -> None:
    """Use this mapping for the file, and propose it for the organisation's next file."""
    mapping = {column: field for column, field in mapping.items() if field}
    if problems := check_mapping(mapping, batch.columns):
        raise ValidationError(problems, code="mapping")
    with transaction.atomic():
        _editable(batch)
        batch.mapping, batch.status = mapping, Status.UPLOADED
        batch.save(update_fields=["mapping", "status"])
        ImportCheckedRow.objects.filter(source=batch).delete()  # checked with the old mapping
        ImportMapping.objects.update_or_create(
            organisation=batch.organisation,
            defaults={"mapping": {**remembered_mapping(batch.organisation), **mapping},
                      "updated_by": actor})
        audit_record(actor=actor, action="casework.import.mapped", obj=batch,
                     detail={"fields": sorted(mapping.values())})


def _editable(batch: SignalImport) -> None:
    locked = SignalImport.objects.select_for_update().get(pk=batch.pk)
    if locked.status not in (Status.UPLOADED, Status.PREVIEWED):
        raise ValidationError("This import was confirmed already.", code="confirmed")


def batch_rows(batch: SignalImport) -> Iterator[RowCheck]:
    """The file's rows, each checked against the mapping and what was imported before."""
    with batch.file.open("rb") as handle, open_table(handle, batch.kind) as table:
        yield from checked_rows(table.rows, table.header, batch.mapping, batch.organisation)


def import_preview(*, actor: User, batch: SignalImport) -> list[list]:
    """Check every row; the counts are kept on the import; each row's number, status, errors
    and earlier signal are returned. Writes no signal."""
    import_preview_page(actor=actor, batch=batch, page=0)
    return [list(row) for row in ImportCheckedRow.objects.filter(source=batch)
            .values_list("number", "status", "message", "reference")]


def import_confirm(*, actor: User, batch: SignalImport, take_in: bool = False) -> bool | None:
    """The analyst confirms the preview: the worker imports the file. Returns whether the
    task reached the broker (None inside an outer transaction)."""
    from casework.tasks import run_signal_import  # the tasks module imports this one

    with transaction.atomic():
        locked = SignalImport.objects.select_for_update().get(pk=batch.pk)
        if locked.status != Status.PREVIEWED:
            raise ValidationError("Check the rows (preview) before importing.",
                                  code="not_previewed")
        batch.status, batch.take_in = Status.QUEUED, take_in
        batch.save(update_fields=["status", "take_in"])
        audit_record(actor=actor, action="casework.import.confirmed", obj=batch,
                     detail={"take_in": take_in})
        publication = enqueue_on_commit(run_signal_import, batch.pk)
    return publication.sent


def _claim(batch_id: int) -> SignalImport | None:
    """Queued, or running when a worker stopped half-way (rows already made are skipped)."""
    with transaction.atomic():
        batch = (SignalImport.objects.select_for_update()
                 .filter(pk=batch_id, status__in=[Status.QUEUED, Status.RUNNING]).first())
        if batch is None:
            return None
        batch.status, batch.started_at = Status.RUNNING, timezone.now()
        batch.rows_done = batch.imported = batch.skipped = batch.refused = 0
        batch.save()
    return batch


def _relaxed_commit() -> None:
    """A row's commit need not wait for the disk (PostgreSQL's synchronous_commit off, for
    this transaction only): a crash can lose only the last rows' commits, whole, and running
    the import again makes exactly those rows, by their keys. A row then costs its queries,
    not a flush of the write-ahead log each."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _import_one(batch: SignalImport, actor: User, check: RowCheck) -> str:
    """The row's signal, in its own transaction; the reference, or "" when another run made
    it meanwhile."""
    organisation = batch.organisation
    try:
        with transaction.atomic():
            _relaxed_commit()
            signal, _created = signal_submit(
                actor=actor, channel=Channel.IMPORT,
                data=signal_input(check.data, organisation=organisation,
                                  reporter_name=organisation.name))
            ImportedRow.objects.create(organisation=organisation, key=check.key,
                                       signal=signal, source=batch, row_number=check.number,
                                       imported_by=actor)
            if batch.take_in:
                triage_take_in(actor=actor, signal=signal)
    except IntegrityError:
        return ""
    return signal.reference


def _import_block(batch: SignalImport, actor: User, checks: list[RowCheck]) -> dict[int, str]:
    """The new rows of a block as signals, in one transaction: row number -> reference. When
    another run made one of them meanwhile (its key is taken), the block is rolled back and
    done again row by row, so that only that row is skipped."""
    if not checks:
        return {}
    organisation = batch.organisation
    inputs = [signal_input(check.data, organisation=organisation,
                           reporter_name=organisation.name) for check in checks]
    try:
        with transaction.atomic():
            _relaxed_commit()
            signals = signals_file_many(actor=actor, channel=Channel.IMPORT, inputs=inputs)
            ImportedRow.objects.bulk_create(
                ImportedRow(organisation=organisation, key=check.key, signal=signal,
                            source=batch, row_number=check.number, imported_by=actor)
                for check, signal in zip(checks, signals, strict=True))
            if batch.take_in:
                for signal in signals:
                    triage_take_in(actor=actor, signal=signal)
    except IntegrityError:
        made = {check.number: _import_one(batch, actor, check) for check in checks}
        return {number: reference for number, reference in made.items() if reference}
    return {check.number: signal.reference
            for check, signal in zip(checks, signals, strict=True)}


def _blocks(checks: Iterator[RowCheck], size: int) -> Iterator[list[RowCheck]]:
    while block := list(islice(checks, size)):
        yield block


def import_run(*, batch_id: int) -> SignalImport | None:
    """Import the confirmed file a block of rows at a time and write the report. Run in the
    worker."""
    batch = _claim(batch_id)
    if batch is None:
        return None
    actor = batch.uploaded_by
    with tempfile.TemporaryFile() as scratch:
        report = ReportWriter(scratch, batch.columns)
        for block in _blocks(batch_rows(batch), BLOCK):
            made = _import_block(batch, actor, [c for c in block if c.status == NEW])
            for check in block:
                imported = check.number in made
                if imported:
                    check.reference = made[check.number]
                    batch.imported += 1
                elif check.status == ERROR:
                    batch.refused += 1
                else:
                    check.status = EXISTING  # made meanwhile by another run, if it was new
                    batch.skipped += 1
                batch.rows_done += 1
                report.row(check.cells, check.status, check.message, check.reference,
                           imported)
            SignalImport.objects.filter(pk=batch.pk).update(
                rows_done=batch.rows_done, imported=batch.imported,
                skipped=batch.skipped, refused=batch.refused)
        report.close()
        scratch.seek(0)
        with transaction.atomic():
            batch.report.save("report", File(scratch), save=False)
            batch.status, batch.finished_at = Status.DONE, timezone.now()
            batch.save()
            # The preview's rows hold the file's values; the report now says what they did.
            ImportCheckedRow.objects.filter(source=batch).delete()
            audit_record(actor=actor, action="casework.import.finished", obj=batch,
                         detail={"imported": batch.imported, "skipped": batch.skipped,
                                 "refused": batch.refused})
    return batch


PAGE = 50


@dataclass
class PreviewRow:
    check: RowCheck
    persons: list  # [(mention, [Suggestion])]


@dataclass
class Preview:
    total: int
    refused: list[tuple[int, str]]  # (number, message) of every row with errors
    rows: list[PreviewRow]  # the page's rows, with the persons' match suggestions
    counts: Counts


def _check_and_keep(batch: SignalImport) -> None:
    """Read and check every row once, keeping each row's result (ImportCheckedRow) and the
    counts on the import. Call inside a transaction that locked the import."""
    ImportCheckedRow.objects.filter(source=batch).delete()
    counts, kept = Counts(), []
    for check in batch_rows(batch):
        counts.add(check.status)
        kept.append(ImportCheckedRow(source=batch, number=check.number, status=check.status,
                                     message=check.message, reference=check.reference,
                                     payload=check.raw))
        if len(kept) >= STORE_EVERY:
            ImportCheckedRow.objects.bulk_create(kept)
            kept = []
    ImportCheckedRow.objects.bulk_create(kept)
    batch.new, batch.skipped, batch.refused = counts.new, counts.existing, counts.refused
    batch.status = Status.PREVIEWED
    batch.save(update_fields=["new", "skipped", "refused", "status"])


def _page_rows(batch: SignalImport, first: int) -> list[RowCheck]:
    """The page's rows as checked, each valid one validated again from its kept values
    (a page's worth: the file is not read again)."""
    validate = RowValidator()
    rows = []
    for kept in ImportCheckedRow.objects.filter(source=batch)[first:first + PAGE]:
        check = RowCheck(kept.number, [], status=kept.status, raw=kept.payload,
                         reference=kept.reference, kept_message=kept.message)
        if kept.status != ERROR:
            check.data, _errors = validate(kept.payload)
        rows.append(check)
    return rows


def import_preview_page(*, actor: User, batch: SignalImport, page: int = 1) -> Preview:
    """Check every row once (writing no signal, keeping each row's result and the counts on
    the import; later pages read what was kept) and, for the rows of one page, find each
    person's match suggestions among the persons the analyst may see. Audited with the
    register persons suggested."""
    from casework.matching import suggest_persons  # matching is heavy; only the page needs it
    from signals.services import unsaved_mention

    with transaction.atomic():
        _editable(batch)
        if batch.status != Status.PREVIEWED or not ImportCheckedRow.objects.filter(
                source=batch).exists():
            _check_and_keep(batch)
        checks = _page_rows(batch, (page - 1) * PAGE) if page > 0 else []
        counts = Counts(batch.new, batch.skipped, batch.refused)
        refused = list(ImportCheckedRow.objects.filter(source=batch, status=ERROR)
                       .values_list("number", "message"))
    # The suggestions (a few queries per person) after the import's lock is let go.
    shown = []
    for check in checks:
        persons = []
        if check.data:
            for values in check.data.get("persons", []):
                mention = unsaved_mention(values, check.data["observed_on"])
                persons.append((mention, suggest_persons(mention, user=actor)))
        shown.append(PreviewRow(check, persons))
    suggested = sorted({s.person.pk for row in shown for _m, found in row.persons
                        for s in found})
    audit_record(actor=actor, action="casework.import.previewed", obj=batch,
                 result_ids=[f"register.person:{pk}" for pk in suggested],
                 detail={"new": counts.new, "existing": counts.existing,
                         "refused": counts.refused, "page": page})
    return Preview(counts.new + counts.existing + counts.refused, refused, shown, counts)


def import_files_purge(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Delete the uploaded file and the report of each import finished (or left unconfirmed)
    more than IMPORT_FILE_KEEP_DAYS ago, with the rows its preview kept: they hold the
    partner's personal data, and the signals made of them are kept in the register. The
    import's record and counts stay. One transaction and one audit event per import; the files
    go from storage once it committed. Returns how many imports were purged."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.IMPORT_FILE_KEEP_DAYS)
    finished = [Status.DONE, Status.FAILED]
    due = (SignalImport.objects.filter(files_purged_at__isnull=True)
           .filter(models.Q(status__in=finished, finished_at__lt=before)
                   | models.Q(status__in=finished, finished_at__isnull=True,
                              created_at__lt=before)
                   | models.Q(status__in=[Status.UPLOADED, Status.PREVIEWED],
                              created_at__lt=before))
           .order_by("pk").values_list("pk", flat=True)[:limit])
    purged = 0
    storage = SignalImport._meta.get_field("file").storage
    for batch_id in list(due):
        with transaction.atomic():
            batch = (SignalImport.objects.select_for_update()
                     .filter(pk=batch_id, files_purged_at__isnull=True).first())
            if batch is None or batch.status in (Status.QUEUED, Status.RUNNING):
                continue
            names = [stored.name for stored in (batch.file, batch.report) if stored]
            detail = {"file": bool(batch.file), "report": bool(batch.report),
                      "status": batch.status}
            if batch.status in (Status.UPLOADED, Status.PREVIEWED):
                batch.status = Status.FAILED  # never confirmed; without its file it cannot be
            batch.file, batch.report, batch.files_purged_at = "", "", now
            batch.save(update_fields=["file", "report", "files_purged_at", "status"])
            ImportCheckedRow.objects.filter(source=batch).delete()
            audit_record(actor=None, action="casework.import.files_purged", obj=batch,
                         detail=detail)
            transaction.on_commit(lambda names=names, storage=storage:
                                  [storage.delete(name) for name in names])
        purged += 1
    return purged
