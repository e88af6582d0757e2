"""Writing many rows fast: COPY on PostgreSQL, executemany on SQLite.

Rows carry their own ids (handed out by `IdBlock`), so related rows can be written in the same
batch without asking the database for keys; the sequences are moved past them afterwards.
"""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager

from django.apps import apps
from django.db import connection


class IdBlock:
    """The next free ids of one table, counted in Python while a batch is built."""

    def __init__(self, table: str):
        self.table = table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            self.last = cursor.fetchone()[0]

    def take(self) -> int:
        self.last += 1
        return self.last


def table_of(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def write_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Append rows (JSON columns as JSON text). Returns how many were written."""
    if not rows:
        return 0
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, cursor.copy(
                f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                               rows)
    return len(rows)


def reset_sequences(tables: Iterable[str]) -> None:
    """Move each table's id sequence past the ids written here (PostgreSQL only; SQLite takes
    the next rowid by itself)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"GREATEST((SELECT MAX(id) FROM {table}), 1))")


@contextmanager
def indexes_built_after(tables: Sequence[str], *, leave_out: Sequence[str] = ()):
    """Load many rows into empty tables fast (PostgreSQL): their secondary indexes and unique
    constraints are dropped while loading and built again at the end (one sort each, instead
    of one insertion per row and index), and foreign keys are not checked row by row (the
    rows written here carry ids that exist). Indexes whose definition contains one of
    `leave_out` (e.g. "USING gin") are not built again: what is measured never reads them.
    SQLite loads as it is."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'u' AND c.conrelid::regclass::text "
            "= ANY(%s)", [list(tables)])
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
            "AND i.indexname NOT IN (SELECT conname FROM pg_constraint)", [list(tables)])
        indexes = cursor.fetchall()
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                if not any(part in definition for part in leave_out):
                    cursor.execute(definition)
            for table, name, definition in constraints:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("RESET maintenance_work_mem")
