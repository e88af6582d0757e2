"""A web worker loads statsmodels, SciPy and pandas (about 190 MB each worker) only when it fits
an estimate, not by serving pages; the report worker not when the annual report's estimate was
fitted with the yearly rollup (issue 21)."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from casework.dossiers import dossier_person_update
from register.models import DossierPerson
from reporting import rollup
from tests.personas import persona
from tests.reporting.builders import YEAR
from tests.workers import needs_shared_database, process_env

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


REPORT_PROBE = f"""
import sys
import django
django.setup()
from reporting.content import report_context
from reporting.figures import Period
from django.utils import translation
for language in {[code for code, _name in settings.LANGUAGES]!r}:
    with translation.override(language):
        report_context("annual", Period.year({YEAR}))
print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'statsmodels', 'scipy', 'pandas'}}))
"""


def heavy_modules_after_a_report() -> str:
    result = subprocess.run([sys.executable, "-c", REPORT_PROBE], cwd=ROOT, capture_output=True,
                            text=True, check=True, env=process_env())
    return result.stdout.strip().splitlines()[-1]


@needs_shared_database
def test_the_annual_report_from_a_fresh_rollup_does_not_load_the_statistics_libraries(
        transactional_db, reported_victims):
    rollup.refresh(YEAR)
    assert heavy_modules_after_a_report() == "[]"
    # The probe would see them: once the rollup is stale, the report fits live.
    dossier_person_update(actor=persona("analyst_kpcn"), role=DossierPerson.objects.filter(
        role="victim", dossier__title="Case").first(), values={"victim_status": "not_a_victim"})
    assert heavy_modules_after_a_report() != "[]"
