import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from register.models import AuditEvent
from register.services.audit import audit_record
from register.tasks import verify_audit_chain
from tests.personas import persona

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="triggers and REVOKE exist only on PostgreSQL; SQLite runs have no such guard",
)


@pytest.fixture
def events(db):
    actor = persona("analyst_kpcn")
    return [audit_record(actor=actor, action=f"tests.event.{i}", object_type="tests.thing",
                         object_id=i) for i in range(5)]


def raw_sql(sql, params=()):
    """Tamper as an attacker with database access would: around the ORM and the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks for ALTER
            cursor.execute("ALTER TABLE register_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE register_auditevent ENABLE TRIGGER USER")


def verify():
    call_command("audit_verify")


def test_each_event_is_chained_to_the_one_before(events):
    chain = list(AuditEvent.objects.order_by("id"))
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.hash == after.compute_hash(before.hash)


def test_an_intact_trail_verifies(events, capsys):
    verify()
    assert "intact" in capsys.readouterr().out


def test_a_changed_event_is_detected_and_named(events):
    target = events[2]
    raw_sql("UPDATE register_auditevent SET action = %s WHERE id = %s",
            ["tests.event.innocent", target.pk])
    with pytest.raises(CommandError, match=f"broken at event {target.pk}: content changed"):
        verify()


def test_a_removed_event_is_detected(events):
    raw_sql("DELETE FROM register_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}: previous-hash"):
        verify()


def test_reordered_events_are_detected(events):
    first, second = events[1], events[2]
    raw_sql("UPDATE register_auditevent SET action = CASE id WHEN %s THEN %s ELSE %s END "
            "WHERE id IN (%s, %s)", [first.pk, second.action, first.action, first.pk, second.pk])
    with pytest.raises(CommandError, match=f"broken at event {first.pk}"):
        verify()


def test_a_recomputed_hash_still_breaks_the_next_link(events):
    target = events[2]
    target.action = "tests.event.rewritten"
    raw_sql("UPDATE register_auditevent SET action = %s, hash = %s WHERE id = %s",
            [target.action, target.compute_hash(target.prev_hash), target.pk])
    with pytest.raises(CommandError, match=f"broken at event {events[3].pk}: previous-hash"):
        verify()


def test_events_hold_no_personal_data_from_the_signal(db, as_user):
    from tests.signals.builders import file_signal

    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "family_name": "Zambrano", "nationality": "VE"}])
    as_user("analyst_kpcn").get(f"/signals/{signal.reference}/")
    for event in AuditEvent.objects.all():
        assert b"Zambrano" not in event.payload()


def test_the_daily_job_alerts_the_register_managers_when_the_chain_is_broken(events):
    assert verify_audit_chain() is True
    assert mail.outbox == []
    raw_sql("UPDATE register_auditevent SET object_id = %s WHERE id = %s", ["99", events[0].pk])
    assert verify_audit_chain() is False
    assert mail.outbox[0].to == [persona("manager").email]
    assert str(events[0].pk) in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="register.audit.chain_broken").exists()


def test_the_daily_job_is_scheduled(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="register.tasks.verify_audit_chain")
    assert task.enabled and task.crontab.hour == "3"


@postgres_only
@pytest.mark.parametrize("statement", [
    "UPDATE register_auditevent SET action = 'x'",
    "DELETE FROM register_auditevent",
    "TRUNCATE register_auditevent",
])
def test_postgresql_refuses_to_change_or_remove_events(events, statement):
    with connection.cursor() as cursor:  # the test database lifts this one; put it back
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE register_auditevent "
                       "ENABLE TRIGGER register_auditevent_no_truncate")
    before = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.count() == before


@postgres_only
def test_the_application_role_cannot_change_the_audit_table(events):
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE register_app_test NOLOGIN")
    call_command("grant_app_role", "register_app_test")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE register_app_test")
        cursor.execute("SELECT count(*) FROM register_auditevent")
        assert cursor.fetchone()[0] == AuditEvent.objects.count()
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            cursor.execute("UPDATE register_auditevent SET action = 'x'")
        cursor.execute("SELECT count(*) FROM register_organisation")


@pytest.mark.skipif(connection.vendor != "postgresql", reason=(
    "SQLite's in-memory test database refuses concurrent writers outright; a SQLite file "
    "serialises them by its single-writer lock, so there is nothing to race"))
def test_concurrent_appends_keep_one_chain(transactional_db):
    """Three threads appending at once must not fork the chain (same prev_hash twice)."""
    import threading

    actor = persona("analyst_kpcn")
    failures = []

    def append(n):
        try:
            for i in range(n):
                audit_record(actor=actor, action="tests.concurrent", object_id=i)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(15,)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert AuditEvent.objects.filter(action="tests.concurrent").count() == 45
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prev_hashes) == len(set(prev_hashes))
    call_command("audit_verify")


def test_cutting_off_the_newest_events_is_detected_against_the_checkpoint(events):
    call_command("audit_verify", "--checkpoint")
    newest = AuditEvent.objects.order_by("-id").first()
    raw_sql("DELETE FROM register_auditevent WHERE id = %s", [newest.pk])
    with pytest.raises(CommandError, match=f"broken at event {newest.pk}: the checkpoint"):
        verify()


def test_the_nightly_job_moves_the_checkpoint_forward(events, settings):
    import json
    from pathlib import Path

    assert verify_audit_chain() is True
    checkpoint = json.loads(Path(settings.AUDIT_CHECKPOINT_PATH).read_text())
    assert checkpoint["id"] == AuditEvent.objects.latest("id").pk


def test_the_chain_check_hashes_exactly_what_an_event_hashes(events):
    from register.models.audit import HASHED_FIELDS, event_payload

    for event in AuditEvent.objects.order_by("id"):
        row = AuditEvent.objects.filter(pk=event.pk).values_list(*HASHED_FIELDS).get()
        assert event_payload(*row) == event.payload()
