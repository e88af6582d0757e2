"""Match quality that does not flatter (issue 17): a labelled population (bench.match_population)
is written into the register, its mentions go through the register's own suggestion function
(casework.matching.suggest_persons, as the triage page calls it), and precision, recall and
F1 are counted per kind of difference, with the time and the queries per mention. Splink runs
on exactly the same records (bench.match_splink) as the reference to beat.

Meant for a database of its own (`manage.py bench_match`): the register it fills is kept.
"""

import datetime as dt
import gc
import math
import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.bulk import IdBlock, indexes_built_after, reset_sequences, table_of, write_rows
from bench.generate import ensure_staff
from bench.match_population import Labelled, Record
from casework.match_learning import refresh_match_statistics
from casework.matching import THRESHOLD, suggest_persons
from casework.persons import MentionFacts, identifiers_for
from register.models import Organisation, Person
from register.names import digits, name_key, phone_key, phonetic_key
from signals.models import Signal, SignalPerson

PERSON_COLUMNS = ("id", "family_name", "given_names", "alias", "sex", "date_of_birth",
                  "date_of_birth_precision", "nationality", "created_at", "created_by_id")
IDENTIFIER_COLUMNS = ("person_id", "kind", "value", "birth_date", "birth_year",
                      "birth_precision")
BATCH = 20_000
# Thresholds tried for the best F1 (the register's and Splink's alike).
GRID = sorted({round(x, 4) for x in [0.001, 0.002, 0.005, 0.01, 0.02, 0.05]
               + [i / 100 for i in range(10, 100, 5)] + [0.97, 0.98, 0.99, 0.995, 0.999]})


def precision_of(record: Record) -> str:
    return "year" if record.year_only else "day"


def load_register(persons: list[Record], actor, *, fast_from: int = 100_000
                  ) -> dict[int, int]:
    """Persons and the keys that find them, written by COPY; returns truth -> person id."""
    person_table = table_of("register.Person")
    identifier_table = table_of("casework.PersonIdentifier")
    ids = IdBlock(person_table)
    now = timezone.now()
    person_of = {}
    # The identifiers' indexes are built once at the end into a register that was empty (a
    # million persons carry some twenty-five million keys).
    fast = len(persons) >= fast_from and not Person.objects.exists()
    # The trigram index of the data-subject search is not built again: matching never reads
    # it, and building it over 25 million values takes longer than the rest of the load.
    with indexes_built_after([identifier_table] if fast else [], leave_out=["USING gin"]):
        for start in range(0, len(persons), BATCH):
            person_rows, identifier_rows = [], []
            for record in persons[start:start + BATCH]:
                pid = person_of[record.truth] = ids.take()
                precision = precision_of(record)
                person_rows.append((pid, record.family_name, record.given_names, "",
                                    record.sex, record.born, precision, record.nationality,
                                    now, actor.pk))
                facts = MentionFacts(family_name=record.family_name,
                                     given_names=record.given_names, date_of_birth=record.born,
                                     date_of_birth_precision=precision, phone=record.phone,
                                     document_number=record.document)
                year = record.born.year if record.born else None
                identifier_rows += [(pid, kind, value, record.born, year, precision)
                                    for kind, value in identifiers_for(facts)]
            with transaction.atomic():
                write_rows(person_table, PERSON_COLUMNS, person_rows)
                write_rows(identifier_table, IDENTIFIER_COLUMNS, identifier_rows)
    reset_sequences([person_table, identifier_table])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {person_table}")  # noqa: S608
            cursor.execute(f"ANALYZE {identifier_table}")  # noqa: S608
    return person_of


def load_mentions(mentions: list[Record], actor) -> list[SignalPerson]:
    """All mentions in signals of the quality run (one signal per 500 mentions)."""
    org = Organisation.objects.get(code="kpcn")
    now = timezone.now()
    made = []
    for start in range(0, len(mentions), 500):
        signal = Signal.objects.create(
            reference=f"MQ-{now:%H%M%S}-{start}", channel="paper", received_at=now,
            submitted_by=actor, reporter_name="Match quality", reporter_organisation=org,
            observed_on=now.date(), island="bonaire", description="Match quality",
            last_processed_at=now)
        rows = [SignalPerson(
            signal=signal, position=i, role="victim", family_name=m.family_name,
            given_names=m.given_names, sex=m.sex or "unknown", date_of_birth=m.born,
            date_of_birth_precision=precision_of(m), nationality=m.nationality,
            document_type="passport" if m.document else "", document_number=m.document,
            phone=m.phone, name_key=name_key(m.given_names, m.family_name),
            phonetic_key=phonetic_key(m.given_names, m.family_name), phone_key=phone_key(m.phone),
            document_key=digits(m.document))
            for i, m in enumerate(mentions[start:start + 500])]
        made += SignalPerson.objects.bulk_create(rows)
    return made


@dataclass
class Counts:
    mentions: int = 0
    with_truth: int = 0
    shown: int = 0
    correct: int = 0
    found: int = 0

    def add(self, other: "Counts") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float:
        return self.correct / self.shown if self.shown else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.with_truth if self.with_truth else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {**self.__dict__, "precision": round(self.precision, 3),
                "recall": round(self.recall, 3), "f1": round(self.f1, 3)}


def counts_at(scored: list[tuple[tuple, list[tuple[float, bool]], bool]], threshold: float,
              shown: int = 5) -> tuple[Counts, dict[str, Counts]]:
    """Per mention (its kinds, its (probability, right person) suggestions, whether it has a
    person in the register): the counts overall and per kind at a threshold."""
    total, by_kind = Counts(), defaultdict(Counts)
    for kinds, suggestions, has_truth in scored:
        above = sorted((s for s in suggestions if s[0] >= threshold), reverse=True)[:shown]
        one = Counts(1, int(has_truth), len(above), sum(r for _p, r in above),
                     int(any(r for _p, r in above)))
        total.add(one)
        for kind in kinds:
            by_kind[kind].add(one)
    return total, dict(by_kind)


def best_threshold(scored, thresholds=None) -> tuple[float, Counts]:
    thresholds = thresholds or GRID
    best = (0.0, Counts(shown=1))  # an F1 of 0 until a threshold does better
    for threshold in thresholds:
        total, _ = counts_at(scored, threshold)
        if total.f1 > best[1].f1:
            best = (threshold, total)
    return best


@dataclass
class RegisterRun:
    scored: list = field(default_factory=list)
    timings: list = field(default_factory=list)
    # CPU time of this process (the app side, without the database's), per timed mention:
    # on a shared, loaded machine the wall time says as much about the neighbours.
    cpu: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    # Why the register missed: never a candidate, or scored below the threshold.
    misses: Counter = field(default_factory=Counter)

    def p95_ms(self) -> float:
        return _percentile_ms(self.timings, 0.95)

    def timing(self) -> dict:
        return {"p50_ms": _percentile_ms(self.timings, 0.5), "p95_ms": self.p95_ms(),
                "cpu_p50_ms": _percentile_ms(self.cpu, 0.5),
                "cpu_p95_ms": _percentile_ms(self.cpu, 0.95),
                "cpu_mean_ms": round(1000 * sum(self.cpu) / len(self.cpu), 1) if self.cpu
                else 0.0,
                "timed": len(self.timings), "load_average": load_average()}


def _percentile_ms(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[math.ceil(share * len(ordered)) - 1], 1) if ordered else 0.0


def load_average() -> list[float]:
    """The machine's load (1, 5, 15 minutes) when the timing ended."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # not on every platform
        return []


def run_register(labelled: Labelled, person_of: dict[int, int], mentions: list[SignalPerson],
                 analyst, weaker: bool = True, timed_every: int = 4) -> RegisterRun:
    run = RegisterRun()
    for number, (record, mention) in enumerate(zip(labelled.mentions, mentions, strict=True)):
        expected = person_of.get(record.truth)
        if number % timed_every == 0:
            # Timed as the triage page asks (without the weaker matches), queries counted
            # apart so counting them does not slow the timing.
            started, cpu = time.perf_counter(), time.process_time()
            suggest_persons(mention, user=analyst)
            run.timings.append(time.perf_counter() - started)
            run.cpu.append(time.process_time() - cpu)
        with CaptureQueriesContext(connection) as queries:
            suggestions = suggest_persons(mention, user=analyst, weaker=weaker)
        run.queries.append(len(queries))
        scored = [(s.probability, s.person.pk == expected) for s in suggestions]
        run.scored.append((record.kinds, scored, expected is not None))
        if expected is not None and not any(r and p >= THRESHOLD for p, r in scored):
            run.misses["scored below the threshold" if any(r for _p, r in scored)
                       else "not among the weaker suggestions"] += 1
    return run


def summary(scored, threshold: float) -> dict:
    total, by_kind = counts_at(scored, threshold)
    return {"threshold": threshold, "total": total.as_dict(),
            "by_kind": {k: v.as_dict() for k, v in sorted(by_kind.items())}}


def load(labelled: Labelled, *, log=print) -> tuple[dict[int, int], list[SignalPerson]]:
    """The labelled population written into the register: truth -> person id, and the
    mentions in order."""
    staff = ensure_staff()
    started = time.monotonic()
    person_of = load_register(labelled.persons, staff.bench_analyst)
    refresh_match_statistics()
    mentions = load_mentions(labelled.mentions, staff.bench_analyst)
    log(f"   loaded {len(labelled.persons):,} persons and {len(mentions):,} mentions in "
        f"{time.monotonic() - started:,.0f} s")
    return person_of, mentions


def loaded(labelled: Labelled) -> tuple[dict[int, int], list[SignalPerson]]:
    """The same population as an earlier `load` wrote it (same size, mentions and seed): the
    persons were given ids in their order, the mentions written in theirs."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    mentions = list(SignalPerson.objects.filter(signal__reference__startswith="MQ-")
                    .order_by("signal_id", "position"))
    if len(ids) != len(labelled.persons) or len(mentions) != len(labelled.mentions):
        raise ValueError(f"the register holds {len(ids):,} persons and {len(mentions):,} "
                         f"mentions, not {len(labelled.persons):,} and "
                         f"{len(labelled.mentions):,}")
    person_of = {record.truth: pk for record, pk in zip(labelled.persons, ids, strict=True)}
    return person_of, mentions


def evaluate(labelled: Labelled, *, splink: bool = True, log=print,
             person_of: dict[int, int] | None = None,
             mentions: list[SignalPerson] | None = None) -> dict:
    """Quality and time of the suggestions (loading the population first unless it is
    given), and Splink's on the same records."""
    if person_of is None or mentions is None:
        person_of, mentions = load(labelled, log=log)
    analyst = ensure_staff().bench_analyst
    started = time.monotonic()
    # The labelled population (a million records and their mentions) is the bench's own
    # data, not the triage page's: frozen out of the garbage collector, whose full passes
    # over it would otherwise land in the timings of whichever mentions they interrupt.
    gc.collect()
    gc.freeze()
    run = run_register(labelled, person_of, mentions, analyst)
    log(f"   register suggestions in {time.monotonic() - started:,.0f} s")
    threshold, best = best_threshold(run.scored)
    result = {
        "persons": len(labelled.persons), "mentions": len(labelled.mentions),
        "strangers": sum(1 for m in labelled.mentions if m.truth < 0),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "register": {**summary(run.scored, THRESHOLD), **run.timing(),
                     "queries_per_mention": {"min": min(run.queries), "max": max(run.queries)},
                     "misses": dict(run.misses),
                     "best_threshold": threshold, "best_f1": round(best.f1, 3)},
    }
    if splink:
        from bench.match_splink import run_splink

        started = time.monotonic()
        try:
            result["splink"] = run_splink(labelled, log=log)
        except Exception as error:  # reported, not hidden: the register's figures stand
            result["splink"] = {"error": f"{type(error).__name__}: {error}"}
        log(f"   splink in {time.monotonic() - started:,.0f} s")
    return result
