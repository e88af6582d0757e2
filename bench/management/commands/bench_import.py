import json

from django.core.management.base import BaseCommand

from bench.imports import measure


class Command(BaseCommand):
    help = ("Time the bulk import's preview and import of a synthetic workbook and compare the "
            "memory of checking it at a tenth and at the full size. Writes nothing (rolled "
            "back).")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)

    def handle(self, *args, rows, **options):
        self.stdout.write(json.dumps(measure(rows), indent=2))
