import json
import time
from pathlib import Path

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
                                      "from_rollup": rollup.is_fresh(year),
                                      "peak_rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM), since it started this program: the
    peak the parent's wait4() reports also holds the parent's own memory, which Linux counts
    into a child's peak when the child replaces its image (exec) after the fork."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM in /proc/self/status")
