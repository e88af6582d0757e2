"""Writing many rows fast: COPY on PostgreSQL, executemany on SQLite.

Rows carry their own ids (handed out by `IdBlock`), so related rows can be written in the same
batch without asking the database for keys; the sequences are moved past them afterwards.
"""

from collections.abc import Iterable, Sequence

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
