import json
from pathlib import Path

from django.core.management.base import BaseCommand

from bench.imports import measure


class Command(BaseCommand):
    help = ("Time the bulk import's preview and import of a synthetic workbook and compare the "
            "memory of checking files of two sizes. Imports for real: use a scratch database.")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--memory-rows", type=int, nargs=2, default=(1_000, 4_000))
        parser.add_argument("--save", action="store_true",
                            help="also write bench/results/import-<rows>.json")

    def handle(self, *args, rows, memory_rows, save, **options):
        text = json.dumps(measure(rows, tuple(memory_rows)), indent=2)
        self.stdout.write(text)
        if save:
            (Path(__file__).resolve().parents[2] / "results" / f"import-{rows}.json").write_text(
                text + "\n", encoding="utf-8")
