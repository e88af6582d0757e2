import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reporting.capture_table import CaptureTableError, table_from_csv
from reporting.population_estimate import (
    BOOTSTRAP_REPLICATES,
    DEFAULT_INTERVAL,
    DEFAULT_METHOD,
    DEFAULT_THRESHOLD,
    INTERVALS,
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
        parser.add_argument("--interval", choices=INTERVALS, default=DEFAULT_INTERVAL,
                            help="profile: the profile likelihood interval (default, "
                                 "seconds); bootstrap: a parametric bootstrap that chooses "
                                 "the model again on every replicate (minutes for six "
                                 "lists).")
        parser.add_argument("--replicates", type=int, default=BOOTSTRAP_REPLICATES,
                            help="Bootstrap tables to draw (default: %(default)s).")
        parser.add_argument("--seed", type=int, default=0,
                            help="Seed of the bootstrap draws: the same seed and table give "
                                 "the same interval (default: %(default)s).")
        parser.add_argument("--language", default="en", choices=("en", "nl", "pap"),
                            help="Language of the model's explanation and the warnings.")

    def handle(self, *args, table, method, threshold, language, interval, replicates, seed,
               **options):
        if not 0 < threshold < 1:
            raise CommandError("--threshold must lie between 0 and 1.")
        if not 20 <= replicates <= 10000:
            raise CommandError("--replicates must lie between 20 and 10000.")
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
            result = estimate_population(capture, method=method, threshold=threshold,
                                         interval=interval, replicates=replicates, seed=seed)
            output = {key: value for key, value in result.as_json().items()}
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))
        if result.refused:
            # The JSON says why; the exit code tells a script that there is no number.
            raise CommandError(result.refused, returncode=2)
