"""A register filled before casework had its own app migrates forward without loss.

The database is taken back to the schema of before the move (register 0010, signals 0007, no
casework), with data in every table of it, then migrated forward as a deployment would.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from casework import triage
from casework.dossiers import dossier_open
from casework.persons import person_merge
from tests.personas import persona
from tests.signals.builders import file_signal

BEFORE = [("register", "0010_notification_events"), ("signals", "0007_backfill_taken_up_by"),
          ("casework", None)]
# Migrating a database back and forth needs one the test owns outright: SQLite's in-memory
# test database rebuilds its tables with the foreign keys checked, and cannot.
pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="migrates the test database back and forth (PostgreSQL)")

MOVED = {"personidentifier": "register", "personmerge": "register", "matchrejection": "signals"}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


@pytest.fixture
def forward_again():
    """Whatever happens in the test, the database ends at today's schema for the next one."""
    yield
    call_command("migrate", verbosity=0)


def _rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
        return cursor.fetchall()


def _counts():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return {table: len(_rows(table)) for table in tables if table != "django_migrations"}


def _casework_filled():
    """Signals with persons taken in, a dossier, a rejected suggestion and a merge: a row in
    each table casework takes over, and in the tables they point at."""
    reporter, analyst = persona("reporter_kmar"), persona("analyst_kpcn")
    people = [{"role": "victim", "family_name": "Kanariewitz", "given_names": "Ilse",
               "phone": "+599 717 1234"},
              {"role": "suspect", "family_name": "Brandsma", "given_names": "Olaf",
               "document_type": "passport", "document_number": "NX1234567"}]
    first, second = (file_signal(reporter, persons=people) for _ in range(2))
    for signal in (first, second):
        triage.triage_take_in(actor=analyst, signal=signal)
    dossier_open(actor=analyst, signals=[first], title="Migration")
    one, other = (signal.persons.order_by("position").first() for signal in (first, second))
    triage.mention_reject(actor=analyst, mention=one, person=second.persons.last().person)
    person_merge(actor=analyst, source=other.person, target=one.person)
    return first


def test_a_register_from_before_casework_migrates_forward_without_loss(transactional_db,
                                                                      forward_again):
    _casework_filled()
    old = _migrate(BEFORE)
    identifier = old.get_model("register", "PersonIdentifier")
    mention = old.get_model("signals", "SignalPerson")
    # A value from a mention that was deleted long ago: the old plain id allowed that.
    gone = mention.objects.order_by("-pk").first().pk + 1000
    identifier.objects.create(person_id=old.get_model("register", "Person").objects.first().pk,
                              mention_id=gone,
                              kind="name", value="ilse kanariewitz")
    before = _counts()
    old_rows = {model: _rows(f"{app}_{model}") for model, app in MOVED.items()}
    assert all(old_rows.values()), "every moved table holds data before the move"
    # As a database from before the move has them: the content types under the old apps.
    content_type = old.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="casework").delete()
    for model, app in MOVED.items():
        content_type.objects.get_or_create(app_label=app, model=model)

    call_command("migrate", verbosity=0)

    after = _counts()
    for model, app in MOVED.items():
        assert f"{app}_{model}" not in after
        rows = _rows(f"casework_{model}")
        if model == "personidentifier":
            # Same rows, same values (the column kept its name), less the orphan; casework
            # 0005 adds the keys by name parts (issue 17) and a precision column at the end.
            width = len(old_rows[model][0])
            kept = [row[:width] for row in rows if row[2] in ("name", "sound", "phone",
                                                                "document")]
            assert [row for row in old_rows[model] if gone not in row] == kept
            assert {row[2] for row in rows} >= {"part", "pair", "pair_sound", "typo"}
        else:
            assert rows == old_rows[model]
    # Migrations after the move may schedule tasks of their own (signals 0009: the sweep of
    # attachments never read), so the beat's schedule is not compared.
    unchanged = {t: n for t, n in before.items() if (t.split("_", 1)[0] not in
                 ("register", "signals") or t.split("_", 1)[1] not in MOVED)
                 and not t.startswith("django_celery_beat_")}
    assert {t: after[t] for t in unchanged} == unchanged
    from django.contrib.contenttypes.models import ContentType

    assert set(ContentType.objects.filter(model__in=MOVED).values_list("app_label", "model")) \
        == {("casework", model) for model in MOVED}


def test_the_match_index_now_points_at_its_mention_and_follows_it(transactional_db):
    signal = _casework_filled()
    from casework.models import PersonIdentifier

    mention = signal.persons.order_by("position").first()
    found = PersonIdentifier.objects.filter(mention=mention)
    assert found.exists() and all(i.mention == mention for i in found)
    # The database keeps them consistent: an identifier of a mention that is gone goes too.
    mention.rejections.all().delete()
    PersonIdentifier.objects.filter(mention=mention).first().mention.delete()
    assert not PersonIdentifier.objects.filter(mention_id=mention.pk).exists()
