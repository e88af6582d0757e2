import json
import resource
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.generate import Generator
from bench.sizes import SIZES


class Command(BaseCommand):
    help = ("Fill the database with invented casework (signals, persons, dossiers, follow-up, "
            "controls, a valid audit chain) and the truth of which mentions are the same "
            "individual. Appends to what is there; run it on a database of its own.")

    def add_arguments(self, parser):
        parser.add_argument("--signals", type=int, help="how many signals to add")
        parser.add_argument("--size", choices=sorted(SIZES),
                            help="small (10k), national (250k) or large (1M)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=int, default=10,
                            help="the signals spread over this many years up to today")
        parser.add_argument("--stats-json", type=Path,
                            help="also write the counts, seconds and peak memory here")

    def handle(self, *args, signals, size, seed, years, stats_json, **options):
        if (signals is None) == (size is None):
            raise CommandError("Give either --signals N or --size NAME.")
        total = signals if signals is not None else SIZES[size]
        if total < 1:
            raise CommandError("--signals must be at least 1.")
        started = time.perf_counter()
        stats = Generator(signals=total, seed=seed, years=years,
                          log=self.stdout.write).run()
        seconds = time.perf_counter() - started
        for name, value in stats.as_dict().items():
            self.stdout.write(f"{name:>14}: {value:,}")
        self.stdout.write(f"{'seconds':>14}: {seconds:,.1f}")
        if stats_json:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            stats_json.parent.mkdir(parents=True, exist_ok=True)
            stats_json.write_text(json.dumps({**stats.as_dict(), "seconds": round(seconds, 1),
                                              "peak_rss_mb": round(peak, 1)}, indent=2))
