"""The bulk import at size: a synthetic partner workbook of N rows is checked (the preview)
and imported, timed, and the memory of reading and checking it is compared at N/10 and N rows
(it must not grow with the file: rows are read one by one, only their keys are kept). Wall
time, CPU time of this process and queries are given for each; results in
bench/results/import-<rows>.json (`--save`).

    python manage.py bench_import --rows 10000

It imports for real (each row commits, as in the worker), so run it on a scratch database:
its signals stay (the audit trail refuses deletion). Each run's record numbers are new.
"""

import datetime as dt
import io
import random
import time
import tracemalloc
from contextlib import contextmanager

import openpyxl
from django.core.files.base import ContentFile
from django.db import connection

from casework.imports.reading import check_file, open_table
from casework.imports.rows import checked_rows
from casework.imports.service import (
    import_preview,
    import_preview_page,
    import_run,
    import_set_mapping,
    import_upload,
)
from casework.models import SignalImport
from register.models import Organisation, Role, User
from register.services.accounts import user_create

HEADER = ["external_id", "observed_on", "island", "forms", "description", "location",
          "person1_role", "person1_family_name", "person1_given_names", "person1_nationality",
          "person1_date_of_birth", "vehicle1_kind", "vehicle1_name"]
FAMILY = ["Pérez", "Ramos", "Diaz", "Martínez", "Gómez", "Rodríguez", "Silva", "Castro"]
GIVEN = ["Ana", "Luis", "Maria", "José", "Carmen", "Juan", "Rosa", "Pedro"]


def workbook(rows: int, seed: int = 7, prefix: str = "KM") -> bytes:
    rng = random.Random(seed)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    start = dt.date(2015, 1, 1)
    for number in range(rows):
        sheet.append([
            f"{prefix}-{number:06d}", start + dt.timedelta(days=rng.randrange(3000)),
            rng.choice(["bonaire", "sint_eustatius", "saba", "at_sea"]),
            rng.choice(["people_smuggling", "labour_exploitation;people_smuggling", "other"]),
            f"Registration {number}: persons intercepted on arrival by boat.",
            rng.choice(["Lac Bay", "Kralendijk", "Fort Bay", "Oranjestad"]),
            rng.choice(["victim", "suspect", "witness"]), rng.choice(FAMILY),
            rng.choice(GIVEN), rng.choice(["VE", "CO", "DO"]),
            dt.date(1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)),
            "vessel", f"Boat {rng.randrange(300)}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@contextmanager
def stopwatch(results: dict, name: str):
    """Wall time, this process's CPU time (the machine is shared: wall time moves with the
    load, CPU time much less; the database's own CPU is not in it) and the queries asked."""
    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    began, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        yield
    results[name] = round(time.perf_counter() - began, 2)
    results[name.removesuffix("_s") + "_cpu_s"] = round(time.process_time() - cpu, 2)
    results[name.removesuffix("_s") + "_queries"] = queries[0]


def checking_peak_bytes(content: bytes, organisation) -> int:
    """Peak memory traced while the file is read and every row checked."""
    tracemalloc.start()
    with open_table(io.BytesIO(content), "xlsx") as table:
        mapping = {c: c for c in table.header}
        for _check in checked_rows(table.rows, table.header, mapping, organisation):
            pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def importing_peak_bytes(content: bytes, organisation, analyst) -> int:
    """Peak memory traced while a previewed file is imported (read, checked and written a
    block at a time)."""
    batch = import_upload(actor=analyst, organisation=organisation,
                          upload=ContentFile(content, name="bench.xlsx"))
    import_set_mapping(actor=analyst, batch=batch, mapping={c: c for c in batch.columns})
    import_preview(actor=analyst, batch=batch)
    SignalImport.objects.filter(pk=batch.pk).update(status=SignalImport.Status.QUEUED)
    tracemalloc.start()
    import_run(batch_id=batch.pk)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def measure(rows: int, memory_rows: tuple[int, int] = (1_000, 4_000)) -> dict:
    results: dict = {"rows": rows}
    prefix = f"BENCH{time.time_ns()}"
    content = workbook(rows, prefix=prefix)
    results["file_bytes"] = len(content)
    organisation = Organisation.objects.get(code="kmar")
    analyst = (User.objects.filter(username="bench.importer").first()
               or user_create(actor=None, username="bench.importer",
                              organisation=Organisation.objects.get(code="kpcn"),
                              roles=[Role.ANALYST], password=None))
    with stopwatch(results, "check_file_s"):
        check_file(io.BytesIO(content), len(content))
    batch = import_upload(actor=analyst, organisation=organisation,
                          upload=ContentFile(content, name="bench.xlsx"))
    import_set_mapping(actor=analyst, batch=batch, mapping={c: c for c in batch.columns})
    with stopwatch(results, "preview_s"):
        import_preview(actor=analyst, batch=batch)
    results["preview_rows_per_s"] = round(rows / max(results["preview_s"], 0.001), 1)
    # A further page of the preview reads the rows kept by the first, and suggests matches
    # for its own 50 rows only.
    with stopwatch(results, "preview_page_s"):
        import_preview_page(actor=analyst, batch=batch, page=2)
    SignalImport.objects.filter(pk=batch.pk).update(status=SignalImport.Status.QUEUED)
    with stopwatch(results, "import_s"):
        done = import_run(batch_id=batch.pk)
    results["imported"] = done.imported
    results["import_rows_per_s"] = round(done.imported / max(results["import_s"], 0.001), 1)
    results["import_queries_per_row"] = round(results["import_queries"] / max(rows, 1), 2)
    with open("/proc/loadavg") as load:
        results["loadavg"] = load.read().split()[:3]
    for size in memory_rows:
        small = workbook(size, prefix=f"{prefix}M{size}")
        results[f"check_peak_mib_{size}_rows"] = round(
            checking_peak_bytes(small, organisation) / 2**20, 1)
        results[f"import_peak_mib_{size}_rows"] = round(
            importing_peak_bytes(small, organisation, analyst) / 2**20, 1)
    return results
