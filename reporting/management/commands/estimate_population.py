import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reporting.capture_table import CaptureTableError, table_from_csv
from reporting.population_estimate import (
    DEFAULT_METHOD,
    DEFAULT_THRESHOLD,
    METHODS,
    estimate_population,
)


class Command(BaseCommand):
    help = ("Estimate the total population, seen and unseen, from a capture-history table "
            "(multiple systems estimation). The CSV has one 0/1 column per list and, last, "
            "'count'; combinations with no persons may be left out. Prints JSON; a table "
            "that cannot support an estimate gives no number and the reason.")

    def add_arguments(self, parser):
        parser.add_argument("table", help="CSV file: list columns (0/1), then 'count'.")
        parser.add_argument("--method", choices=METHODS, default=DEFAULT_METHOD,
                            help="How the model is chosen (default: %(default)s).")
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                            help="p-value an interaction must beat in the stepwise method "
                                 "(default: %(default)s).")
        parser.add_argument("--language", default="en", choices=("en", "nl", "pap"),
                            help="Language of the model's explanation and the warnings.")

    def handle(self, *args, table, method, threshold, language, **options):
        if not 0 < threshold < 1:
            raise CommandError("--threshold must lie between 0 and 1.")
        try:
            text = Path(table).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{table}: cannot be read ({error}).") from None
        try:
            capture = table_from_csv(text)
        except CaptureTableError as error:
            raise CommandError(f"{table} is not a valid capture table:\n"
                               + "\n".join(f"- {problem}" for problem in error.problems)
                               ) from None
        with translation.override(language):
            result = estimate_population(capture, method=method, threshold=threshold)
            output = {key: value for key, value in result.as_json().items()}
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
        if result.refused:
            # The JSON says why; the exit code tells a script that there is no number.
            raise CommandError(result.refused, returncode=2)
