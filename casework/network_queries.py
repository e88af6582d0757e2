"""The network walk's queries, in plain SQL that PostgreSQL and SQLite both run.

A walk asks the same few questions at every step (which signals name these records, which
records do these signals name, which signals were at the same place within two weeks), each
for a whole frontier at once. Asked through the ORM, building and compiling those queries
(an OR of a condition per signal, an aggregate with a filter per signal) cost more than
running them. Here each is one statement: the frontier travels as a VALUES list joined to the
table, so the database uses its indexes (signals_same_place, the key columns) per row; the
need-to-know condition is compiled once per walk from the same selector every page uses
(casework.selectors.signals_visible_to) and embedded as a sub-select.
"""

import datetime
from dataclasses import dataclass

from django.db import connection

from signals.models import Signal, SignalBusiness, SignalPerson, SignalVehicle

SIGNAL = Signal._meta.db_table
# A signal s at the frontier's place f: the expression of the index signals_same_place.
AT_PLACE = "s.island = f.island AND LOWER(TRIM(s.location)) = f.place"

# A signal s on the frontier's route f: the same country of departure, countries of transit
# (in order, compared as JSON text, which PostgreSQL's jsonb and SQLite both write as
# '["CW", "AW"]') and island of arrival. The index signals_same_route holds the first two and
# the date, so a route's signals are read in date order.
TRANSIT = "CAST({}.transit_countries AS TEXT)"
ON_ROUTE = (f"s.departure_country = f.departure AND s.island = f.island "
            f"AND {TRANSIT.format('s')} = f.transit")

# A record node kind -> (table, key column) of the rows that name it in a signal.
KEYED = {
    "person": (SignalPerson._meta.db_table, "person_id"),
    "phone": (SignalPerson._meta.db_table, "phone_key"),
    "document": (SignalPerson._meta.db_table, "document_key"),
    "business": (SignalBusiness._meta.db_table, "name_key"),
    "vehicle": (SignalVehicle._meta.db_table, "key"),
    "dossier": (SIGNAL, "dossier_id"),
}


@dataclass(frozen=True)
class SignalRow:
    id: int
    reference: str
    island: str
    observed_on: datetime.date
    dossier_id: int | None = None
    location: str = ""
    departure_country: str = ""
    transit: str = "[]"  # the countries of transit as JSON text (see ON_ROUTE)

    @property
    def place(self) -> str:
        return self.location.strip().lower()

    @property
    def route(self) -> tuple[str, str, str] | None:
        """(country of departure, island, transit as JSON text), or None without a country
        of departure: a route starts somewhere."""
        return ((self.departure_country, self.island, self.transit) if self.departure_country
                else None)


def _date(value) -> datetime.date:
    """SQLite hands a date column back as text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _values(rows: list[tuple]) -> tuple[str, list]:
    """A VALUES list of `rows` (all of one width) with its parameters."""
    width = len(rows[0])
    one = "(" + ", ".join(["%s"] * width) + ")"
    return ", ".join([one] * len(rows)), [value for row in rows for value in row]


def _in(values) -> tuple[str, list]:
    values = list(values)
    return ", ".join(["%s"] * len(values)), values


# The columns of a signal the walk shows, as selected from the alias s.
SIGNAL_COLUMNS = "s.id, s.reference, s.island, s.observed_on"


def _signal(row) -> SignalRow:
    return SignalRow(row[0], row[1], row[2], _date(row[3]))


# How many of a record's neighbours are counted: past this, a "more" node says "at least".
# Counting every signal at a common place would cost what the place holds, which grows with
# the register; counting up to this many costs the same at any size.
COUNTED = 250


class Queries:
    """The walk's questions for one analyst: every answer holds only signals she may see."""

    def __init__(self, visible_signals):
        # Without its ordering the sub-select is a semi-join PostgreSQL plans per row; with
        # it, it is a sorted list of every signal she may see, built for every question.
        sql, params = visible_signals.order_by().values("pk").query.sql_with_params()
        self.visible, self.visible_params = sql, list(params)
        self.lateral = connection.vendor == "postgresql"

    def _run(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def signals(self, ids) -> list[SignalRow]:
        """The signals among `ids` she may see, with their dossier and place."""
        if not ids:
            return []
        marks, params = _in(ids)
        rows = self._run(
            f"SELECT {SIGNAL_COLUMNS}, s.dossier_id, s.location, s.departure_country, "
            f"{TRANSIT.format('s')} FROM {SIGNAL} s "
            f"WHERE s.id IN ({marks}) AND s.id IN ({self.visible})",
            params + self.visible_params)
        return [SignalRow(r[0], r[1], r[2], _date(r[3]), r[4], r[5], r[6] or "", r[7] or "[]")
                for r in rows]

    def _page(self, frontier, columns: str, source: str, match: str, order: str,
              start: int, stop: int, counted: bool = True) -> list[tuple]:
        """For each frontier row f (`frontier` is a list of tuples, or the (sql, params) of a
        query, with `columns`), the signals `source` holds that `match` it, numbers
        start+1..stop in `order`, as (*f, id, reference, island, observed_on, total): a
        bounded number of rows whatever a hub's size, and on PostgreSQL (a lateral top-N per
        frontier row, read from the index in order) a bounded amount of work too; the total
        counts up to COUNTED (0 unless `counted`)."""
        if isinstance(frontier, list):
            values, params = _values(frontier)
            values = f"VALUES {values}"
        else:
            values, params = frontier[0], list(frontier[1])
        keys = ", ".join(f"f.{c.strip()}" for c in columns.split(","))
        where = f"{match} AND s.id IN ({self.visible})"
        if self.lateral and counted:
            sql = (f"WITH f({columns}) AS ({values}) "
                   f"SELECT {keys}, page.*, counted.total FROM f "
                   f"CROSS JOIN LATERAL (SELECT {SIGNAL_COLUMNS} FROM {source} WHERE {where} "
                   f"ORDER BY {order} LIMIT %s OFFSET %s) page "
                   f"CROSS JOIN LATERAL (SELECT COUNT(*) AS total FROM (SELECT 1 FROM {source} "
                   f"WHERE {where} LIMIT %s) capped) counted")
            params += self.visible_params + [stop - start, start] + self.visible_params
            params.append(COUNTED)
        elif self.lateral:
            sql = (f"WITH f({columns}) AS ({values}) "
                   f"SELECT {keys}, page.*, 0 FROM f "
                   f"CROSS JOIN LATERAL (SELECT {SIGNAL_COLUMNS} FROM {source} WHERE {where} "
                   f"ORDER BY {order} LIMIT %s OFFSET %s) page")
            params += self.visible_params + [stop - start, start]
        else:
            sql = (f"WITH f({columns}) AS ({values}) "
                   f"SELECT * FROM (SELECT {keys}, {SIGNAL_COLUMNS}, "
                   f"ROW_NUMBER() OVER (PARTITION BY {keys} ORDER BY {order}) AS rank_in, "
                   f"COUNT(*) OVER (PARTITION BY {keys}) AS total_in "
                   f"FROM f, {source} WHERE {where}) ranked "
                   f"WHERE rank_in > %s AND rank_in <= %s")
            params += self.visible_params + [start, stop]
        width = len(columns.split(","))
        return [(*row[:width], _signal(row[width:width + 4]),
                 min(row[-1], COUNTED))
                for row in self._run(sql, params)]

    def signals_naming(self, kind: str, keys, start: int, stop: int):
        """(key, signal, total) for the newest signals (start..stop) whose rows hold each key
        of a record `kind`: a person's id, a phone, business or vessel key, a dossier's id."""
        if not keys:
            return []
        table, column = KEYED[kind]
        if table == SIGNAL:
            source, key = f"{SIGNAL} s", f"s.{column}"
        else:
            source, key = f"{table} r JOIN {SIGNAL} s ON s.id = r.signal_id", f"r.{column}"
        return self._page([(k,) for k in keys], "node_key", source, f"{key} = f.node_key",
                          "s.received_at DESC, s.id DESC", start, stop)

    def signals_naming_rows(self, kind: str, row_ids, start: int, stop: int):
        """(row id, signal, total) for the newest signals (start..stop) whose rows hold the
        key of each row: a phone, business, vessel or document named by a row's id. A row
        she may not see, or without a key, finds nothing."""
        if not row_ids:
            return []
        table, column = KEYED[kind]
        marks, params = _in(row_ids)
        frontier = (f"SELECT r0.id, r0.{column} FROM {table} r0 WHERE r0.id IN ({marks}) "
                    f"AND r0.{column} <> '' AND r0.signal_id IN ({self.visible})",
                    params + self.visible_params)
        rows = self._page(frontier, "row_id, node_key",
                          f"{table} r JOIN {SIGNAL} s ON s.id = r.signal_id",
                          f"r.{column} = f.node_key", "s.received_at DESC, s.id DESC",
                          start, stop)
        return [(row_id, signal, total) for row_id, _key, signal, total in rows]

    def signals_at_place_of(self, signal_ids, start: int, stop: int):
        """(signal id, signal, total) for the signals at the place (island and place) of
        each of `signal_ids` she may see, the latest observed first: a place named by the id
        of a signal there."""
        if not signal_ids:
            return []
        marks, params = _in(signal_ids)
        frontier = (f"SELECT p.id, p.island, LOWER(TRIM(p.location)) FROM {SIGNAL} p "
                    f"WHERE p.id IN ({marks}) AND LOWER(TRIM(p.location)) <> '' "
                    f"AND p.id IN ({self.visible})", params + self.visible_params)
        rows = self._page(frontier, "source, island, place", f"{SIGNAL} s", AT_PLACE,
                          "s.observed_on DESC, s.id DESC", start, stop)
        return [(source, signal, total) for source, _island, _place, signal, total in rows]

    def signals_on_route_of(self, signal_ids, start: int, stop: int):
        """(signal id, signal, total) for the signals on the route (country of departure,
        transit, island) of each of `signal_ids` she may see, the latest observed first: a
        route named by the id of a signal on it."""
        if not signal_ids:
            return []
        marks, params = _in(signal_ids)
        frontier = (f"SELECT p.id, p.departure_country, p.island, {TRANSIT.format('p')} "
                    f"FROM {SIGNAL} p WHERE p.id IN ({marks}) AND p.departure_country <> '' "
                    f"AND p.id IN ({self.visible})", params + self.visible_params)
        rows = self._page(frontier, "source, departure, island, transit", f"{SIGNAL} s",
                          ON_ROUTE, "s.observed_on DESC, s.id DESC", start, stop)
        return [(row[0], signal, total) for *row, signal, total in rows]

    def first_signals_on(self, routes) -> dict:
        """(country of departure, island, transit) -> the id of the first signal she may see
        on that route (the earliest observed): the one node id of a route whichever signal
        led to it."""
        if not routes:
            return {}
        rows = self._page(sorted(routes), "departure, island, transit", f"{SIGNAL} s",
                          ON_ROUTE, "s.observed_on, s.id", 0, 1, counted=False)
        return {(departure, island, transit): signal.id
                for departure, island, transit, signal, _total in rows}

    def rows_with_first(self, kind: str, signal_ids, columns: tuple[str, ...]):
        """(signal id, *columns, first) for each row of `kind` in the signals that has a
        key, `first` being the id of the first row she may see that holds the same key: the
        one node id of a phone, business, vessel or document whichever signal led to it.
        (The signals are the walk's own, which she may see.)"""
        if not signal_ids:
            return []
        table, column = KEYED[kind]
        marks, params = _in(signal_ids)
        picked = ", ".join(f"r.{c}" for c in columns)
        return self._run(
            f"WITH found AS (SELECT r.signal_id, r.{column} AS node_key, {picked} "
            f"FROM {table} r WHERE r.signal_id IN ({marks}) AND r.{column} <> ''), "
            f"firsts AS (SELECT r.{column} AS node_key, MIN(r.id) AS first FROM {table} r "
            f"WHERE r.{column} IN (SELECT node_key FROM found) "
            f"AND r.signal_id IN ({self.visible}) GROUP BY r.{column}) "
            f"SELECT found.signal_id, {', '.join(f'found.{c}' for c in columns)}, firsts.first "
            f"FROM found JOIN firsts ON firsts.node_key = found.node_key",
            params + self.visible_params)

    def near_in_time(self, signals: list[SignalRow], days: int, start: int, stop: int):
        """(signal id, other signal, total) for the signals at the same place as each of
        `signals` observed at most `days` apart, oldest first."""
        signals = [s for s in signals if s.place]
        if not signals:
            return []
        near = datetime.timedelta(days=days)
        adapt = connection.ops.adapt_datefield_value
        frontier = [(s.id, s.island, s.place, adapt(s.observed_on - near),
                     adapt(s.observed_on + near)) for s in signals]
        rows = self._page(frontier, "source, island, place, low, high", f"{SIGNAL} s",
                          f"{AT_PLACE} AND s.observed_on BETWEEN f.low AND f.high "
                          f"AND s.id <> f.source", "s.observed_on, s.id", start, stop)
        return [(row[0], signal, total) for *row, signal, total in rows]

    def first_rows(self, kind: str, keys) -> dict:
        """key -> the id of the first row she may see that holds it: the one node id of a
        phone, business or vessel whichever signal led to it."""
        if not keys:
            return {}
        table, column = KEYED[kind]
        marks, params = _in(keys)
        return dict(self._run(
            f"SELECT r.{column}, MIN(r.id) FROM {table} r WHERE r.{column} IN ({marks}) "
            f"AND r.signal_id IN ({self.visible}) GROUP BY r.{column}",
            params + self.visible_params))

    def first_signals_at(self, places) -> dict:
        """(island, place) -> the id of the first signal she may see there (the earliest
        observed): the one node id of a place whichever signal led to it."""
        if not places:
            return {}
        rows = self._page(sorted(places), "island, place", f"{SIGNAL} s", AT_PLACE,
                          "s.observed_on, s.id", 0, 1, counted=False)
        return {(island, place): signal.id for island, place, signal, _total in rows}
