"""Mutation testing of the security- and figure-critical modules (`make mutate`).

Each module is mutated on its own, against only the tests that cover it, so a run fits a small
machine and a score says which tests guard which code. mutmut reads one configuration per
working directory; every module therefore gets its own copy of the project under mutants/<name>/
with the shared [tool.mutmut] settings of pyproject.toml plus that module's files and tests.

    python tools/mutate.py                  # every module
    python tools/mutate.py need-to-know     # some of them
    python tools/mutate.py --ci             # the modules CI holds to their target

Exit status 1 when a module with a target scores below it, or did not finish in its budget.
The tests run on the embedded defaults (in-memory SQLite, filesystem broker): every mutant
runs in a forked process, and forks must not share a PostgreSQL test database.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "mutants"
# Never copied into a module's working copy: big, local or made by the run itself.
SKIP = {".git", ".venv", "var", "mutants", "__pycache__", ".pytest_cache", ".ruff_cache",
        "staticfiles", "test-results", "node_modules"}


@dataclass(frozen=True)
class Module:
    name: str
    files: tuple[str, ...]
    tests: tuple[str, ...]
    target: float  # percent of mutants that must be killed
    budget: int  # seconds the mutmut run may take on two workers
    ci: bool = False


MODULES = (
    Module("need-to-know", ("casework/need_to_know.py",),
           ("tests/casework/test_need_to_know.py",
            "tests/casework/test_need_to_know_boundaries.py"),
           target=100, budget=1200, ci=True),
    Module("selectors-by-user", ("casework/selectors.py", "controls/selectors.py",
                                 "register/selectors/audit.py"),
           ("tests/casework/test_need_to_know.py",
            "tests/casework/test_need_to_know_boundaries.py",
            "tests/controls/test_controls.py",
            "tests/register/test_auditor.py",
            "tests/casework/test_selector_mutants.py"),
           target=90, budget=1800),
    Module("audit-trail", ("register/services/audit.py",
                           "register/management/commands/audit_verify.py"),
           ("tests/register/test_audit_trail.py",
            "tests/register/test_audit_trail_boundaries.py",
            "tests/register/test_audit_details.py",
            "tests/register/test_audit_append_round_trip.py"),
           target=100, budget=1500, ci=True),
    Module("intake-rules", ("signals/rules.py",),
           ("tests/signals/test_intake_rule_boundaries.py",),
           target=90, budget=1200),
    Module("role-guards", ("register/access.py",),
           ("tests/register/test_role_guard_mutants.py",),
           target=90, budget=600),
    Module("figures", ("reporting/figures.py",),
           ("tests/reporting/test_reports.py", "tests/reporting/test_figure_mutants.py"),
           target=90, budget=1800),
    Module("match-scorer", ("casework/matching.py", "casework/match_scoring.py"),
           ("tests/casework/test_matching.py", "tests/casework/test_match_scorer_mutants.py",
            "tests/casework/test_match_scoring.py",
            "tests/casework/test_match_kinds_of_difference.py"),
           target=90, budget=1800),
)

SCORED = ("killed", "timeout")  # a mutant that hangs the tests is caught as well

# Survivors not counted, each with the reason: (function, a piece of the changed line, why).
# A survivor is excused only when it is in that function and its changed line holds the
# piece, so a new survivor elsewhere, even on the same line, still counts.
PG_ONLY = ("PostgreSQL only: the mutation run uses SQLite (forked sessions cannot share one "
           "PostgreSQL test database); test_concurrent_appends_keep_one_chain and "
           "test_audit_append_round_trip cover it")
# Survivors that only PostgreSQL tells apart from the original: the mutation run uses SQLite.
PG_VENDOR = ("PostgreSQL only: on SQLite the vendor differs from any misspelt name as it does "
             "from 'postgresql'; test_on_sqlite_names_sharing_a_four_letter_word_beginning_"
             "make_candidates fails on PostgreSQL")
PG_SCALAR = ("PostgreSQL only: SQLite reads the first row of a scalar subquery however many it "
             "returns, PostgreSQL refuses two; test_figure_mutants covers it there")
ONE_FORM_ROW = ("a signal has each form once (unique_form_per_signal) and nothing is joined, so "
                "counting signals per form counts each once, distinct or not")
EQUIVALENT = (
    ("casework.need_to_know.x_hidden_mentions", ".values_list(flat=True)",
     "values_list(flat=True) without a field gives the first field, which is the pk"),
    ("register.services.audit.x_audit_chain_breaks", "chunk_size: int = 5001",
     "the chunk size changes how many rows one query reads, not what the walk finds"),
    ("register.services.audit.x_audit_chain_breaks", "_events_in_order(None)",
     "no chunk size reads the rows in one query: the same walk, with more memory"),
    ("register.services.audit.x_write_checkpoint", 'with_suffix(".TMP")',
     "the temporary file is renamed at once; its name is never seen"),
    ("register.services.audit.x_audit_record", "save(force_insert=False)",
     "a new event has no primary key, so saving it inserts it either way"),
    ("register.services.audit.x_audit_record", "connection.vendor ==", PG_ONLY),
    ("register.services.audit.x_audit_record", "_append_on_postgresql(None)", PG_ONLY),
    # The whole function runs on PostgreSQL only (test_audit_append_round_trip there).
    ("register.services.audit.x__append_on_postgresql", "", PG_ONLY),
    ("register.services.audit.x_audit_watermark", "connection.vendor ==", PG_ONLY),
    ("register.services.audit.x_audit_watermark", "_watermark_on_postgresql(None)", PG_ONLY),
    ("register.services.audit.x_audit_record_many", "connection.vendor ==", PG_ONLY),
    ("register.services.audit.x_audit_record_many", "_lock_chain_on_postgresql(None)",
     PG_ONLY),
    # Whole functions on PostgreSQL only: the rollup's and the bulk import's tests run there.
    ("register.services.audit.x__watermark_on_postgresql", "", PG_ONLY),
    ("register.services.audit.x__lock_chain_on_postgresql", "", PG_ONLY),
    ("casework.matching.x__candidate_ids", "if key or connection.vendor",
     "without a name key there are no word beginnings, so the word search finds nothing"),
    ("casework.matching.x__candidate_ids", 'connection.vendor != "XXpostgresqlXX"', PG_VENDOR),
    ("casework.matching.x__candidate_ids", 'connection.vendor != "POSTGRESQL"', PG_VENDOR),
    ("reporting.figures.x_signal_figures", "output_field=None)))",
     "a datetime minus a datetime is a duration: Django infers the DurationField named here"),
    ("reporting.figures.x_signal_figures", 'Count("signal", distinct=None)', ONE_FORM_ROW),
    ("reporting.figures.x_signal_figures", 'Count("signal", distinct=False)', ONE_FORM_ROW),
    ("reporting.figures.x_signal_figures", 'Count("signal", )', ONE_FORM_ROW),
    ("reporting.figures.x_signal_figures", '.values("created_at")[:2]', PG_SCALAR),
    ("reporting.figures.x_victim_figures", '.values("sex")[:2]', PG_SCALAR),
    ("reporting.figures.x_victim_figures", '.values("age_band")[:2]', PG_SCALAR),
    ("reporting.figures.x_victim_figures", '.values("nationality")[:2]', PG_SCALAR),
    ("casework.selectors.x_signals_visible_to", "user.is_authenticated or user.is_active",
     "has_role is False for an inactive user, and an anonymous user is not active: none()"),
    ("controls.selectors.x_controls_visible_to", "user.is_authenticated or user.is_active",
     "has_role is False for an inactive user, and an anonymous user is not active: none()"),
    ("register.selectors.audit.xǁAuditEventFilterǁfilter_reference", "filter(object_ref=None)",
     "no event has this reference (known is None), so none has it, nor a null reference"),
    ("register.selectors.audit.x__in_results", "result_ids__contains=None",
     "PostgreSQL only: the SQLite run takes the other branch; on PostgreSQL "
     "test_selector_mutants and test_auditor fail"),
)


def _equivalent(name: str, diff: str) -> str | None:
    function = name.rsplit("__mutmut_", 1)[0]
    added = [line for line in diff.splitlines()
             if line.startswith("+") and not line.startswith("+++")]
    for where, piece, reason in EQUIVALENT:
        if where == function and any(piece in line for line in added):
            return reason
    return None


def _copy_project(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for entry in ROOT.iterdir():
        if entry.name in SKIP:
            continue
        if entry.is_dir():
            shutil.copytree(entry, dest / entry.name,
                            ignore=shutil.ignore_patterns(*SKIP, "*.pyc"))
        else:
            shutil.copy2(entry, dest / entry.name)


def _toml_list(values) -> str:
    return json.dumps(list(values))  # a JSON list of plain strings is a TOML array


def _write_config(dest: Path, module: Module) -> None:
    """The project's [tool.mutmut] with this module's files and tests added."""
    text = (ROOT / "pyproject.toml").read_text()
    base = tomllib.loads(text)["tool"]["mutmut"]
    config = dict(base, only_mutate=list(module.files),
                  pytest_add_cli_args_test_selection=list(module.tests))
    section = "\n".join(f"{key} = {json.dumps(value)}" if not isinstance(value, list)
                        else f"{key} = {_toml_list(value)}" for key, value in config.items())
    kept = re.sub(r"\n\[tool\.mutmut\]\n(?:(?!\n\[).)*", "\n", text, flags=re.S)
    (dest / "pyproject.toml").write_text(kept.rstrip() + "\n\n[tool.mutmut]\n" + section + "\n")


def _mutmut(dest: Path, env: dict, *args: str, timeout: float | None = None):
    command = [str(Path(sys.executable).parent / "mutmut"), *args]
    return subprocess.run(command, cwd=dest, env=env, timeout=timeout, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)


def run_module(module: Module, max_children: int, verbose: bool, rerun: bool = True,
               only: tuple[str, ...] = ()) -> dict:
    dest = WORK / module.name
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "register.settings_test"
    if not rerun:  # only report on the last run (--report)
        return _results(module, dest, env, seconds=0, finished=True, only=only)
    _copy_project(dest)
    _write_config(dest, module)
    started = time.monotonic()
    finished = True
    try:
        ran = _mutmut(dest, env, "run", "--max-children", str(max_children), *only,
                      timeout=module.budget)
        log = ran.stdout
    except subprocess.TimeoutExpired as expired:
        finished = False
        log = expired.stdout or ""
        log = log.decode() if isinstance(log, bytes) else log
    seconds = time.monotonic() - started
    (dest / "mutmut-run.log").write_text(log)
    if verbose:
        print(log[-4000:])
    return _results(module, dest, env, seconds, finished, only)


def _results(module: Module, dest: Path, env: dict, seconds: float, finished: bool,
             only: tuple[str, ...] = ()) -> dict:
    results = _mutmut(dest, env, "results", "--all", "true").stdout
    statuses: dict[str, str] = {}
    for line in results.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name and (not only or any(fnmatch(name, o) for o in only)):
            statuses[name] = status
    survivors, equivalent = {}, {}
    for name, status in statuses.items():
        if status in SCORED:
            continue
        diff = _mutmut(dest, env, "show", name).stdout
        reason = _equivalent(name, diff)
        # A PostgreSQL-only function has no test that reaches it on SQLite: its mutants are
        # "no tests" here and covered by the PostgreSQL tests its reason names.
        if reason and (status == "survived" or (status == "no tests" and reason == PG_ONLY)):
            equivalent[name] = reason
        else:
            survivors[name] = diff
    total = len(statuses) - len(equivalent)
    killed = sum(status in SCORED for status in statuses.values())
    score = 100.0 * killed / total if total else 0.0
    return {"module": module.name, "files": module.files, "total": total, "killed": killed,
            "equivalent": equivalent, "score": score, "target": module.target,
            "seconds": round(seconds), "finished": finished and total > 0,
            "survivors": survivors, "statuses": {name: statuses[name] for name in survivors}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="names of modules (default: all)")
    parser.add_argument("--ci", action="store_true", help="only the modules CI checks")
    parser.add_argument("--max-children", type=int,
                        default=int(os.environ.get("MUTATE_CHILDREN", "2")))
    parser.add_argument("--verbose", action="store_true", help="print mutmut's own output")
    parser.add_argument("--only", action="append", default=[], metavar="GLOB",
                        help="only the mutants named so, e.g. 'casework.matching.x_score*'")
    parser.add_argument("--report", action="store_true",
                        help="do not run: report on the last run of these modules")
    args = parser.parse_args()
    by_name = {module.name: module for module in MODULES}
    unknown = [name for name in args.modules if name not in by_name]
    if unknown:
        parser.error(f"unknown module(s) {unknown}; known: {', '.join(by_name)}")
    chosen = [by_name[name] for name in args.modules] or [
        module for module in MODULES if module.ci or not args.ci]

    reports = []
    for module in chosen:
        print(f"== mutating {module.name}: {', '.join(module.files)}", flush=True)
        report = run_module(module, args.max_children, args.verbose, rerun=not args.report,
                            only=tuple(args.only))
        reports.append(report)
        for name, diff in report["survivors"].items():
            print(f"-- {report['statuses'][name]}: {name}\n{diff.rstrip()}\n")
        for name, reason in report["equivalent"].items():
            print(f"-- equivalent, not counted: {name}: {reason}")
        print(f"{module.name}: {report['killed']} of {report['total']} killed "
              f"({report['score']:.1f}%, target {module.target:.0f}%) "
              f"in {report['seconds']} s" + ("" if report["finished"] else
                                              " -- DID NOT FINISH in its budget"), flush=True)
    WORK.mkdir(exist_ok=True)
    (WORK / "scores.json").write_text(json.dumps(reports, indent=2))

    print("\n| module | mutants killed | equivalent | score | target | time |")
    print("| --- | --- | --- | --- | --- | --- |")
    failed = []
    for report in reports:
        print(f"| {report['module']} | {report['killed']} of {report['total']} | "
              f"{len(report['equivalent'])} | "
              f"{report['score']:.1f}% | {report['target']:.0f}% | {report['seconds']} s |")
        if not report["finished"] or report["score"] < report["target"]:
            failed.append(report["module"])
    if failed:
        print(f"\nBelow target or unfinished: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
