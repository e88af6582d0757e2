"""A web worker loads statsmodels, SciPy and pandas (about 190 MB each worker) only when it fits
an estimate, not by serving pages."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
import reporting.services, reporting.pdf, reporting.estimate_summary  # noqa: F401
print(sorted({m.split('.')[0] for m in sys.modules} & {'statsmodels', 'scipy', 'pandas'}))
"""


def test_serving_pages_and_making_reports_does_not_load_the_statistics_libraries():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True,
        env={"DJANGO_SETTINGS_MODULE": "register.settings_test", "PATH": "/usr/bin:/bin",
             "PYTHONPATH": str(ROOT)})
    assert result.stdout.strip().splitlines()[-1] == "[]"
