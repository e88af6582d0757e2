from django.core.management.base import BaseCommand

from reporting import rollup


class Command(BaseCommand):
    help = ("Count the report figures' rollup again: the given years, or (as the nightly task "
            "does) the stale years among the last four and any older stale one.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", default=[],
                            help="count this year again, fresh or not (repeatable)")

    def handle(self, *args, year, **options):
        if year:
            for each in year:
                rollup.refresh(each)
            years = year
        else:
            years = rollup.refresh_stale()
        for each in years:
            self.stdout.write(f"rollup {each} counted")
