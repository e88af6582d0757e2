"""B0, the baseline every page is measured against: the register's own settings and database,
but no middleware at all and one plain view per measurement (bench.b0)."""

from register.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.b0"
