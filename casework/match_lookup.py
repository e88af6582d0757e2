"""What matching reads from the register about one mention, in one query (issue 17).

The candidates (register persons found by a name key, a part of the name, a phone or a
document, each lookup bounded by its own limit) and what the scorer needs to know about how
common the mention's values are (persons sharing each name word and pair of words, the whole
name's sound, the phone and the document; the register's size and the learnt weights) are
asked together: one round trip per mention, whatever the mention says, on PostgreSQL and
SQLite alike.

Need to know is checked inside every lookup, before its limit: an identifier that only a
dossier hidden from the analyst gave is never read, so a restricted dossier full of one
common name cannot crowd a visible namesake out of the few rows a lookup takes. The dossiers
hidden from the analyst (few: restriction is the exception) are listed once at the head of
the query, and each row a lookup reads looks its mention's dossier up in them; a row that
came from no mention needs no check at all. (Listing every mention of those dossiers at the
head instead cost about 100 ms per mention at 250,000 signals; issue 21.)

Each lookup is a plain index range (kind, value[, birth_year | birth_date]) with a LIMIT, so
the database stops after the first rows it needs: one lookup per kind of key, as an OR over
two kinds would make PostgreSQL collect every match first (a bitmap) before limiting.
"""

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection

from casework.models import MatchRejection, MatchWeights, NameFrequency, PersonIdentifier
from casework.need_to_know import (
    hidden_dossiers_head,
    mention_hidden_sql,
    persons_visible_to,
    sees_persons,
)
from register.models import Person, User
from signals.models import Signal, SignalPerson

# The need-to-know parts of the SQL as Django builds them, per user, kept by this process:
# building them (nested EXISTS expressions) cost more CPU than all the scoring. They depend
# on the user's id only; whether the user sees persons at all is asked every time.
_COMPILED: dict[tuple, tuple[str, list]] = {}


def _compiled(name: str, user: User, build) -> tuple[str, list]:
    key = (name, user.pk, connection.alias)
    if key not in _COMPILED:
        if len(_COMPILED) > 1000:
            _COMPILED.clear()
        _COMPILED[key] = build(user).values("pk").query.sql_with_params()
    sql, params = _COMPILED[key]
    return sql, list(params)


def _usable(mention: str) -> str:
    """The identifier or mention row whose mention id stands at `mention` may be used: it
    came from no mention, or from one outside the dossiers hidden from the user (the query
    starts with `hidden_dossiers_head`)."""
    return f"({mention} IS NULL OR ({mention_hidden_sql(mention)}) IS NOT TRUE)"


# Rows read at most to count the persons sharing a value that is not among the common ones
# (NameFrequency holds those): a value shared by more says little about anyone either way.
COUNTED = 500


@dataclass
class Found:
    """What one lookup query brought back."""

    candidates: list[tuple[int, str]] = field(default_factory=list)  # (person, kind found by)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (what, value) -> persons
    persons: int | None = None  # the register's size, from the weights or counted
    weights: dict | None = None  # the newest learnt m-probabilities and nationality shares


class Lookup:
    """The parts of the one query, added one by one, then run together."""

    def __init__(self, user: User):
        person = Person._meta.db_table
        hidden, self.head_params = hidden_dossiers_head(user)
        # The persons merged into another (who keep their identifiers for an exact undo, but
        # are neither candidates nor namesakes): few, listed once at the head of the query,
        # so each lookup only looks a row up in them (cheaper to plan than a join in every
        # lookup).
        self.head = (f"WITH {hidden}, merged (id) AS (SELECT p.id FROM {person} p "  # noqa: S608
                     "WHERE p.merged_into_id IS NOT NULL)")
        self.parts: list[str] = []
        self.params: list = []
        self.ident = PersonIdentifier._meta.db_table + " i"
        self.visible = (f"{_usable('i.mention_id')} "  # noqa: S608
                        "AND i.person_id NOT IN (SELECT id FROM merged)")

    @staticmethod
    def _marks(values: list) -> str:
        return ", ".join(["%s"] * len(values))

    def candidates(self, kind: str, values: Iterable[str], *, years: Iterable[int] = (),
                   dates: Iterable[dt.date] = (), limit: int) -> None:
        """Up to `limit` persons with an identifier of this kind and one of these values
        (born in one of these years, or on one of these dates)."""
        values = sorted(set(values))
        if not values:
            return
        where = [f"i.kind = %s AND i.value IN ({self._marks(values)})"]
        params: list = [kind, *values]
        # The dates' years too, though the dates decide: with them PostgreSQL reads only the
        # rows of those years through the (kind, value, birth_year) index, where it would
        # otherwise read every person with a common word ("francisco": 19,000 rows at a
        # million) and test each date.
        years = set(years) | {d.year for d in dates}
        if years := sorted(years):
            where.append(f"i.birth_year IN ({self._marks(years)})")
            params += years
        if dates := sorted(set(dates)):
            where.append(f"i.birth_date IN ({self._marks(dates)})")
            params += [connection.ops.adapt_datefield_value(d) for d in dates]
        self.parts.append(
            f"SELECT * FROM (SELECT 'c' AS what, i.person_id AS n, i.kind AS value "  # noqa: S608
            f"FROM {self.ident} WHERE {' AND '.join(where)} AND {self.visible} "
            f"LIMIT {int(limit)}) AS c{len(self.parts)}")
        self.params += params

    def count(self, what: str, kind: str, value: str, *, common: bool = True) -> None:
        """How many persons (as far as this analyst may know) have this value of this kind,
        up to COUNTED rows; a value among the common ones (NameFrequency) is not counted."""
        live = (f"(SELECT COUNT(DISTINCT x.person_id) FROM (SELECT i.person_id "  # noqa: S608
                f"FROM {self.ident} WHERE i.kind = %s AND i.value = %s AND {self.visible} "
                f"LIMIT {COUNTED}) x)")
        if common:
            frequency = NameFrequency._meta.db_table
            self.parts.append(f"SELECT %s, COALESCE((SELECT f.persons FROM {frequency} f "  # noqa: S608
                              f"WHERE f.value = %s), {live}), %s")
            self.params += [what, value, kind, value, value]
        else:
            self.parts.append(f"SELECT %s, {live}, %s")
            self.params += [what, kind, value, value]

    def register(self) -> None:
        """The newest learnt weights, and the register's size (counted only while no weights
        have been learnt: a new register, small)."""
        weights = MatchWeights._meta.db_table
        persons = Person._meta.db_table
        newest = f"FROM {weights} w ORDER BY w.learnt_at DESC, w.id DESC LIMIT 1"
        self.parts.append(
            f"SELECT 'n', COALESCE((SELECT NULLIF(w.persons, 0) {newest}), "  # noqa: S608
            f"(SELECT COUNT(*) FROM {persons} p WHERE p.merged_into_id IS NULL)), "
            f"(SELECT CAST(w.m_probabilities AS TEXT) {newest})")

    def run(self) -> Found:
        found = Found()
        if not self.parts:
            return found
        sql = self.head + " " + " UNION ALL ".join(self.parts)
        with connection.cursor() as cursor:
            cursor.execute(sql, self.head_params + self.params)
            rows = cursor.fetchall()
        for what, n, value in rows:
            if what == "c":
                found.candidates.append((n, value))
            elif what == "n":
                found.persons = n
                weights = json.loads(value) if value else None
                # SQLite keeps JSON as text inside text: decoded once more.
                found.weights = json.loads(weights) if isinstance(weights, str) else weights
            else:
                found.counts[(what, value)] = n or 0
        return found


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def candidates_with_identifiers(user: User, ids: set[int], mention, kinds: list[str]
                                ) -> list[Person]:
    """The candidates this user may see, less those rejected for this mention and its own
    person, each with `usable`: its identifiers of these kinds the user may use. One query."""
    if not ids or not sees_persons(user):
        return []
    head, params = hidden_dossiers_head(user)
    visible_sql, visible_params = _compiled("persons", user, persons_visible_to)
    ids, fields = sorted(ids), [f for f in Person._meta.concrete_fields]
    columns = ", ".join(f"p.{connection.ops.quote_name(f.column)}" for f in fields)
    ident, person = PersonIdentifier._meta.db_table, Person._meta.db_table
    rejection = MatchRejection._meta.db_table
    sql = (f"WITH {head} SELECT {columns}, i.id, i.kind, i.value, i.birth_date, "  # noqa: S608
           f"i.birth_precision, i.mention_id FROM {ident} i "
           f"INNER JOIN {person} p ON p.id = i.person_id "
           # The ids on both sides, or PostgreSQL may walk all persons to join them.
           f"WHERE i.person_id IN ({_marks(ids)}) AND p.id IN ({_marks(ids)}) "
           f"AND i.kind IN ({_marks(kinds)}) AND {_usable('i.mention_id')} "
           f"AND p.id IN ({visible_sql}) "
           f"AND p.id NOT IN (SELECT r.person_id FROM {rejection} r WHERE r.mention_id = %s) "
           "AND p.id <> %s ORDER BY p.id, i.id")
    params += [*ids, *ids, *kinds, *visible_params, mention.pk or 0, mention.person_id or 0]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found: dict[int, Person] = {}
    names = [f.attname for f in fields]
    # The converters each column needs (none for most on PostgreSQL), asked once per query.
    columns = [(column, connection.ops.get_db_converters(column)
                + column.get_db_converters(connection))
               for column in (f.get_col(person) for f in fields)]
    for row in rows:
        values, rest = row[:len(fields)], row[len(fields):]
        person_id = values[names.index("id")]
        if person_id not in found:
            found[person_id] = Person.from_db(connection.alias, names,
                                              _converted(columns, values))
            found[person_id].usable = []
        identifier_id, kind, value, born, precision, mention_id = rest
        found[person_id].usable.append(PersonIdentifier(
            id=identifier_id, person_id=person_id, kind=kind, value=value,
            birth_date=_as_date(born), birth_precision=precision, mention_id=mention_id))
    return list(found.values())


def _as_date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _converted(columns, values) -> list:
    """Values as the ORM would give them (SQLite hands dates and times over as text)."""
    out = []
    for (column, converters), value in zip(columns, values, strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        out.append(value)
    return out


def visible_first_mentions(user: User, persons: list[Person]) -> dict[int, SignalPerson]:
    """Per person, its first mention this user may see (what is shown of it). One query."""
    if not persons:
        return {}
    head, params = hidden_dossiers_head(user)
    mention, signal = SignalPerson._meta.db_table, Signal._meta.db_table
    ids = [p.pk for p in persons]
    shown = ["person_id", "given_names", "family_name", "alias", "date_of_birth",
             "nationality", "sex"]
    sql = (f"WITH {head} SELECT {', '.join('m.' + c for c in shown)} "  # noqa: S608
           f"FROM {mention} m "
           f"INNER JOIN {signal} s ON s.id = m.signal_id "
           f"WHERE m.person_id IN ({_marks(ids)}) "
           f"AND {_usable('m.id')} ORDER BY s.received_at, m.id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params + ids)
        rows = cursor.fetchall()
    first: dict[int, SignalPerson] = {}
    for row in rows:
        values = dict(zip(shown, row, strict=True))
        values["date_of_birth"] = _as_date(values["date_of_birth"])
        first.setdefault(values["person_id"], SignalPerson(**values))
    return first
