import json
import random
from pathlib import Path

from django.core.management.base import BaseCommand

from bench import pages
from bench.core import last_full_year
from bench.generate import ensure_staff
from bench.profile import breakdown, profile_text, report_queries


class Command(BaseCommand):
    help = ("Where each measured page spends its time (SQL, template, the rest), and a "
            "cProfile of every page, written next to the benchmark results: the README "
            "explains a missed target with its page's profile.")

    def add_arguments(self, parser):
        parser.add_argument("--label", required=True)
        parser.add_argument("--out", required=True, type=Path, help="a folder")

    def handle(self, *args, label, out, **options):
        actors = pages.actors(ensure_staff(), random.Random(7))
        requests = pages.page_requests(actors)
        split = breakdown(actors, requests)
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{label}-breakdown.json").write_text(json.dumps(split, indent=2) + "\n")
        for name, make in requests.items():
            (out / f"{label}-profile-{name}.txt").write_text(profile_text(actors, make))
        (out / f"{label}-report-queries.txt").write_text(report_queries(last_full_year()))
        for name, parts in split.items():
            self.stdout.write(f"{name:>10}: {parts}")
