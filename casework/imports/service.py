"""Upload, mapping, preview, confirmation and the import itself. Each writes its audit event
in its own transaction; the import writes each row in a transaction of its own, so a refused
or failing row never undoes another and a stopped import is taken up where it was."""

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from casework.imports.fields import check_mapping, propose_mapping
from casework.imports.reading import ImportFileError, check_file, open_table
from casework.imports.report import ReportWriter
from casework.imports.rows import ERROR, EXISTING, NEW, RowCheck, checked_rows
from casework.models import ImportedRow, ImportMapping, SignalImport
from casework.triage import triage_take_in
from register.models import Organisation, User
from register.services.audit import audit_record
from register.tasks_queue import enqueue_on_commit
from signals.api.serializers import signal_input
from signals.attachments import sha256_of
from signals.services import signal_submit
from signals.vocab import Channel

PROGRESS_EVERY = 25
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
    return import_preview_page(actor=actor, batch=batch, page=0).outcomes


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


def import_run(*, batch_id: int) -> SignalImport | None:
    """Import the confirmed file row by row and write the report. Run in the worker."""
    batch = _claim(batch_id)
    if batch is None:
        return None
    actor = batch.uploaded_by
    with tempfile.TemporaryFile() as scratch:
        report = ReportWriter(scratch, batch.columns)
        for check in batch_rows(batch):
            imported = False
            if check.status == NEW:
                reference = _import_one(batch, actor, check)
                if reference:
                    check.reference, imported = reference, True
                else:
                    check.status = EXISTING
            if imported:
                batch.imported += 1
            elif check.status == ERROR:
                batch.refused += 1
            else:
                batch.skipped += 1
            batch.rows_done += 1
            report.row(check.cells, check.status, check.message, check.reference, imported)
            if batch.rows_done % PROGRESS_EVERY == 0:
                SignalImport.objects.filter(pk=batch.pk).update(
                    rows_done=batch.rows_done, imported=batch.imported,
                    skipped=batch.skipped, refused=batch.refused)
        report.close()
        scratch.seek(0)
        with transaction.atomic():
            batch.report.save("report", File(scratch), save=False)
            batch.status, batch.finished_at = Status.DONE, timezone.now()
            batch.save()
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
    outcomes: list[list]  # [number, status, message, reference] per row
    rows: list[PreviewRow]  # the page's rows, with the persons' match suggestions
    counts: Counts


def import_preview_page(*, actor: User, batch: SignalImport, page: int = 1) -> Preview:
    """Check every row (writing no signal, and keeping the counts on the import) and, for the
    rows of one page, find each person's match suggestions among the persons the analyst may
    see. Audited with the register persons suggested."""
    from casework.matching import suggest_persons  # matching is heavy; only the page needs it
    from signals.services import unsaved_mention

    first = (page - 1) * PAGE
    outcomes, counts, shown = [], Counts(), []
    for index, check in enumerate(batch_rows(batch)):
        counts.add(check.status)
        outcomes.append([check.number, check.status, check.message, check.reference])
        if first <= index < first + PAGE:
            persons = []
            if check.data:
                for values in check.data.get("persons", []):
                    mention = unsaved_mention(values, check.data["observed_on"])
                    persons.append((mention, suggest_persons(mention, user=actor)))
            shown.append(PreviewRow(check, persons))
    suggested = sorted({s.person.pk for row in shown for _m, found in row.persons
                        for s in found})
    with transaction.atomic():
        _editable(batch)
        batch.new, batch.skipped, batch.refused = counts.new, counts.existing, counts.refused
        batch.status = Status.PREVIEWED
        batch.save(update_fields=["new", "skipped", "refused", "status"])
        audit_record(actor=actor, action="casework.import.previewed", obj=batch,
                     result_ids=[f"register.person:{pk}" for pk in suggested],
                     detail={"new": counts.new, "existing": counts.existing,
                             "refused": counts.refused, "page": page})
    return Preview(outcomes, shown, counts)
