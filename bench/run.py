"""`make bench`: for each size, a PostgreSQL database of its own is filled once with synthetic
data and measured; then the report checks the targets (exit 1 when one is missed).

    python -m bench.run [--sizes small,national,large] [--fresh] [--requests 300]
                        [--match 10000,100000] [--match-mentions 2000] [--no-splink]

--match measures the match suggestions on a labelled population of that many register persons
(bench.match_eval), beside Splink on the same records, each in a database of its own
(<BENCH_DB_PREFIX>match_<persons>, made anew every run); --sizes none skips the page benchmark.

The databases (register_bench_<size>, or BENCH_DB_PREFIX<size>) are kept between runs, so a
second run measures without generating again; --fresh drops and fills them anew. Everything
runs on 127.0.0.1.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from bench.sizes import SIZES

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# The databases' names: PREFIX<size>. Several people sharing one PostgreSQL server each set
# their own prefix.
PREFIX = os.environ.get("BENCH_DB_PREFIX", "register_bench_")


def bench_env(size: str) -> dict:
    """Production settings (DEBUG off) without HTTPS, on the size's own database; local state
    under var/bench so nothing touches a developer's register."""
    var = ROOT / "var" / "bench"
    return {**os.environ, "DATABASE_URL": f"{SERVER}/{PREFIX}{size}",
            "DEBUG": "false", "SECURE_HTTPS": "false",
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "benchmark-only-" + "x" * 40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver", "VAR_DIR": str(var),
            "AUDIT_CHECKPOINT_PATH": str(var / f"audit-checkpoint-{size}.json"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(size: str, *, fresh: bool) -> dict:
    env = bench_env(size)
    name = f"{PREFIX}{size}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        filled = conn.execute("SELECT count(*) FROM bench_mentiontruth").fetchone()[0]
    if not filled:
        print(f"== {size}: generating {SIZES[size]:,} signals", flush=True)
        manage(env, "generate_synthetic", "--size", size, "--seed", "1",
               "--stats-json", str(RESULTS / f"{size}-generate.json"))
    return env


def fresh_database(name: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def measure_matching(persons: int, mentions: int, splink: bool) -> None:
    name = f"{PREFIX}match_{persons}"
    fresh_database(name)
    env = {**bench_env(f"match_{persons}"), "DATABASE_URL": f"{SERVER}/{name}"}
    manage(env, "migrate", "--verbosity", "0")
    print(f"== matching: {persons:,} register persons, {mentions:,} mentions", flush=True)
    manage(env, "bench_match", "--persons", str(persons), "--mentions", str(mentions),
           "--out", str(RESULTS / f"match-{persons}.json"),
           *([] if splink else ["--no-splink"]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="small",
                        help="comma-separated: small (10k), national (250k), large (1M)")
    parser.add_argument("--fresh", action="store_true", help="generate the data again")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page")
    parser.add_argument("--match", default="",
                        help="comma-separated register persons for the match quality, "
                             "e.g. 10000,100000")
    parser.add_argument("--match-mentions", type=int, default=2000)
    parser.add_argument("--no-splink", action="store_true")
    args = parser.parse_args(argv)
    for persons in [int(n) for n in args.match.split(",") if n.strip()]:
        measure_matching(persons, args.match_mentions, not args.no_splink)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip() and s.strip() != "none"]
    unknown = sorted(set(sizes) - set(SIZES))
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    for size in sizes:
        started = time.monotonic()
        env = prepare(size, fresh=args.fresh)
        print(f"== {size}: measuring", flush=True)
        manage(env, "bench_measure", "--label", size, "--out", str(RESULTS / f"{size}.json"),
               "--requests", str(args.requests))
        manage(env, "bench_profile", "--label", size, "--out", str(RESULTS))
        print(f"== {size}: done in {time.monotonic() - started:,.0f} s", flush=True)
    from bench import report

    return report.main(["--results", str(RESULTS)])


if __name__ == "__main__":
    sys.exit(main())
