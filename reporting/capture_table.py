"""A capture-history table: how many persons appear on each combination of lists.

The table is what multiple systems estimation starts from, whether it comes from a CSV file
(`manage.py estimate_population`) or from the register (`reporting.register_capture`). It
holds counts only: one count per combination of lists, absent combinations counting zero.
"""

import csv
import io
from dataclasses import dataclass, field
from itertools import product

# 2**10 combinations is far more than any sensible table: beyond it a file is surely a mistake,
# and the models (45 two-list interactions) would no longer fit in the time a page may take.
MAX_LISTS = 10


class CaptureTableError(ValueError):
    """A table that cannot be read, with one message per problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class CaptureTable:
    lists: tuple[str, ...]
    # capture history (one 0/1 per list) -> number of persons with exactly that history
    counts: dict[tuple[int, ...], int] = field(default_factory=dict)

    @property
    def observed(self) -> int:
        return sum(self.counts.values())

    def count(self, history: tuple[int, ...]) -> int:
        return self.counts.get(history, 0)

    def histories(self) -> list[tuple[int, ...]]:
        """Every combination a person can be seen in (all but 'on no list'), in a fixed order."""
        return [h for h in product((0, 1), repeat=len(self.lists)) if any(h)]

    def list_total(self, index: int) -> int:
        return sum(n for h, n in self.counts.items() if h[index])

    def overlap(self, first: int, second: int) -> int:
        """Persons on both lists (whatever other lists they are on too)."""
        return sum(n for h, n in self.counts.items() if h[first] and h[second])

    def on_other_lists(self, index: int) -> int:
        return sum(n for h, n in self.counts.items() if h[index] and sum(h) > 1)

    def without(self, indexes: set[int]) -> "CaptureTable":
        """The table with some lists left out (persons only on those lists drop out too)."""
        keep = [i for i in range(len(self.lists)) if i not in indexes]
        counts: dict[tuple[int, ...], int] = {}
        for history, n in self.counts.items():
            reduced = tuple(history[i] for i in keep)
            if any(reduced):
                counts[reduced] = counts.get(reduced, 0) + n
        return CaptureTable(tuple(self.lists[i] for i in keep), counts)


def table_from_rows(header: list[str], rows: list[list[str]]) -> CaptureTable:
    """Read a table whose columns are the lists (0/1) and, last, `count`; every problem found
    is reported, each with the line it is on (the header is line 1)."""
    problems = []
    header = [name.strip() for name in header]
    if not header or header[-1].lower() != "count":
        problems.append("the last column must be called 'count'")
    lists = header[:-1]
    if len(lists) < 2:
        problems.append("at least two list columns are needed before 'count'")
    if len(lists) > MAX_LISTS:
        problems.append(f"at most {MAX_LISTS} lists are supported, the file has {len(lists)}")
    if any(not name for name in lists):
        problems.append("every list column needs a name")
    duplicates = sorted({name for name in lists if lists.count(name) > 1})
    if duplicates:
        problems.append(f"list names appear more than once: {', '.join(duplicates)}")
    if problems:
        raise CaptureTableError(problems)
    counts: dict[tuple[int, ...], int] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"line {line}: {len(row)} values, expected {len(header)}")
            continue
        cells = [cell.strip() for cell in row]
        if any(cell not in ("0", "1") for cell in cells[:-1]):
            problems.append(f"line {line}: list columns must be 0 or 1")
            continue
        try:
            n = int(cells[-1])
        except ValueError:
            problems.append(f"line {line}: the count must be a whole number")
            continue
        if n < 0:
            problems.append(f"line {line}: the count cannot be negative")
            continue
        history = tuple(int(cell) for cell in cells[:-1])
        if not any(history):
            problems.append(f"line {line}: a row for persons on no list cannot be observed; "
                            "that number is what is estimated")
            continue
        if history in counts:
            problems.append(f"line {line}: this combination of lists appears twice")
            continue
        counts[history] = n
    if not problems and not counts:
        problems.append("the file has no rows of counts")
    if problems:
        raise CaptureTableError(problems)
    return CaptureTable(tuple(lists), {h: n for h, n in counts.items() if n})


def table_from_csv(text: str) -> CaptureTable:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise CaptureTableError(["the file is empty"]) from None
    except csv.Error as error:
        raise CaptureTableError([f"not a CSV file: {error}"]) from None
    try:
        rows = list(reader)
    except csv.Error as error:
        raise CaptureTableError([f"not a CSV file: {error}"]) from None
    return table_from_rows(header, rows)
