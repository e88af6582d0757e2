from django.core.management.base import BaseCommand

from casework.match_quality import measure


class Command(BaseCommand):
    help = ("Measure precision and recall of the person match suggestions on a synthetic "
            "labelled population (rolled back afterwards; the register is left as it was).")

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=300)
        parser.add_argument("--variants", type=int, default=2)
        parser.add_argument("--strangers", type=int, default=100)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--judged", type=int, default=0, help=(
            "first let an analyst judge the suggestions for this many mentions and learn the "
            "weights from them; measure on the others"))

        parser.add_argument("--no-learning", action="store_true", help=(
            "judge as with --judged but keep the default weights (the baseline for it)"))

    def handle(self, *args, persons, variants, strangers, seed, judged, no_learning,
               **options):
        quality = measure(persons=persons, variants=variants, strangers=strangers, seed=seed,
                          judged=judged, learn=not no_learning)
        self.stdout.write(
            f"mentions={quality.mentions} suggestions_shown={quality.shown} "
            f"correct={quality.correct} precision={quality.precision:.3f} "
            f"recall={quality.recall:.3f} p95_ms={quality.p95_ms:.1f}")
        for threshold in (0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99):
            precision, recall = quality.at_threshold(threshold)
            self.stdout.write(f"  at {threshold:.2f}: precision={precision:.3f} "
                              f"recall={recall:.3f}")
        for kind, recall in quality.recall_by_kind().items():
            self.stdout.write(f"  {kind}: {quality.by_kind[kind]} mentions, recall {recall:.3f}")
