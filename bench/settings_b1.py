"""B1, the login baseline: the register's settings and middleware, with one trivial
authenticated view added (bench.b1)."""

from register.settings import *  # noqa: F403

ROOT_URLCONF = "bench.b1"
