"""pytest plugin for mutation runs (tools/mutate.py): every mutant's test session starts from a
copy of one ready SQLite test database instead of migrating a new one, which is most of a
session's time. A copy per session, because mutmut runs two sessions at once."""

import os
import shutil
from pathlib import Path

import pytest

TEMPLATE = Path("mutation-test-db.sqlite3").resolve()


def _session_db() -> Path:
    return TEMPLATE.with_name(f"mutation-test-db-{os.getpid()}.sqlite3")


def pytest_configure(config):
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    if not settings_dict["ENGINE"].endswith("sqlite3"):
        return
    path = _session_db()
    if TEMPLATE.exists():
        shutil.copyfile(TEMPLATE, path)
    settings_dict.setdefault("TEST", {})["NAME"] = str(path)
    config.option.reuse_db = True


def pytest_unconfigure(config):
    _session_db().unlink(missing_ok=True)


@pytest.fixture(scope="session", autouse=True)
def _template_after_setup(request):
    """The first session (mutmut's own test run) keeps its database as the template right
    after it was migrated and laid out, before any test ran: a test with real transactions
    empties every table when it ends, and a template taken at the end of the session would
    then lack what the migrations wrote (organisations, schedules)."""
    from django.db import connections

    if TEMPLATE.exists() or not connections["default"].settings_dict["ENGINE"].endswith(
            "sqlite3"):
        return
    request.getfixturevalue("django_db_setup")
    connections["default"].close()
    shutil.copyfile(_session_db(), TEMPLATE)
