"""pytest plugin for mutation runs (tools/mutate.py): every mutant's test session starts from a
copy of one ready SQLite test database instead of migrating a new one, which is most of a
session's time. A copy per session, because mutmut runs two sessions at once."""

import os
import shutil
from pathlib import Path

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
    path = _session_db()
    if not path.exists():
        return
    if TEMPLATE.exists():
        path.unlink()
    else:
        path.replace(TEMPLATE)  # the first session (mutmut's own test run) makes the template
