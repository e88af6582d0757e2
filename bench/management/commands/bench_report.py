import json
import time

from django.core.management.base import BaseCommand

from reporting import rollup
from reporting.figures import Period
from reporting.models import Report, ReportKind
from reporting.services import report_make


class Command(BaseCommand):
    help = "Make one annual report here and now, as the PDF worker does (for bench/)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year, **options):
        period = Period.year(year)
        report = Report.objects.create(kind=ReportKind.ANNUAL, period_start=period.start,
                                       period_end=period.end, language="nl")
        started = time.perf_counter()
        if not report_make(str(report.pk)):
            raise SystemExit("the report was not made")
        seconds = time.perf_counter() - started
        report.refresh_from_db()
        # Whether the figures came from the rollup: a stale one is counted live (slower).
        self.stdout.write(json.dumps({"seconds": round(seconds, 2), "pdf_bytes": report.size,
                                      "from_rollup": rollup.is_fresh(year)}))
