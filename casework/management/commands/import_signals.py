"""python manage.py import_signals FILE --organisation CODE [--mapping MAPPING.json]
[--dry-run] [--user USERNAME] [--take-in]"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from casework.imports.fields import REPORT_COLUMNS, check_mapping, is_field
from casework.imports.reading import ImportFileError, check_file, open_table
from casework.imports.rows import ERROR, EXISTING, checked_rows
from casework.imports.service import import_preview, import_run, import_set_mapping, import_upload
from casework.models import SignalImport
from register.models import Organisation, Role, User


class Command(BaseCommand):
    help = ("Import past signals of one organisation from an .xlsx or CSV file. Exits "
            "non-zero when the file or any row is refused, naming each row.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="The organisation's code.")
        parser.add_argument("--mapping", help="A JSON file: {\"column\": \"field\", ...}. "
                            "Without it the columns must be named as the intake API's fields.")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check every row and write nothing.")
        parser.add_argument("--user", help="The analyst recorded as importer (required "
                                           "unless --dry-run).")
        parser.add_argument("--take-in", action="store_true",
                            help="Take the signals straight into the register.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        organisation = Organisation.objects.filter(code=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with code {options['organisation']!r}.")
        actor = None
        if not options["dry_run"]:
            actor = User.objects.filter(username=options["user"] or "", is_active=True).first()
            if actor is None or not actor.has_role(Role.ANALYST):
                raise CommandError("Give --user: an active analyst, recorded as the importer.")
        with path.open("rb") as handle:
            try:
                kind, header, _count = check_file(handle, path.stat().st_size)
            except ImportFileError as error:
                raise CommandError(f"{path.name}: {error.message} Nothing was imported.") \
                    from None
            mapping = self._mapping(options["mapping"], header)
            if options["dry_run"]:
                return self._dry_run(handle, kind, mapping, organisation)
            try:
                batch = import_upload(actor=actor, organisation=organisation,
                                      upload=File(handle, name=path.name))
                import_set_mapping(actor=actor, batch=batch, mapping=mapping)
                outcomes = import_preview(actor=actor, batch=batch)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        SignalImport.objects.filter(pk=batch.pk).update(
            status=SignalImport.Status.QUEUED, take_in=options["take_in"])
        batch = import_run(batch_id=batch.pk)
        self.stdout.write(f"Import I-{batch.pk}: {batch.imported} imported, {batch.skipped} "
                          f"already imported, {batch.refused} refused.")
        if batch.refused:
            refused = [f"row {number}: {message}"
                       for number, status, message, _ref in outcomes if status == ERROR]
            raise CommandError("Refused:\n" + "\n".join(refused))

    def _mapping(self, mapping_path, header) -> dict[str, str]:
        if mapping_path:
            try:
                mapping = json.loads(Path(mapping_path).read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"The mapping file cannot be read: {error}") from None
            if not isinstance(mapping, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
                raise CommandError('The mapping file must be {"column": "field", ...}.')
        else:
            unknown = [c for c in header if not is_field(c) and c not in REPORT_COLUMNS]
            if unknown:
                raise CommandError("Columns that are not intake API fields (give --mapping): "
                                   + ", ".join(unknown))
            mapping = {c: c for c in header if is_field(c)}
        if problems := check_mapping(mapping, header):
            raise CommandError(" ".join(problems))
        return mapping

    def _dry_run(self, handle, kind, mapping, organisation):
        counts = {"new": 0, EXISTING: 0, ERROR: 0}
        refused = []
        with open_table(handle, kind) as table:
            for check in checked_rows(table.rows, table.header, mapping, organisation):
                counts[check.status] += 1
                if check.status == ERROR:
                    refused.append(f"row {check.number}: {check.message}")
        self.stdout.write(f"Dry run: {counts['new']} new, {counts[EXISTING]} already "
                          f"imported, {counts[ERROR]} refused. Nothing was written.")
        if refused:
            raise CommandError("Refused:\n" + "\n".join(refused))
