"""The audit trail at its edges: an empty trail, its first event and the checkpoint kept
outside the database (`register/services/audit.py`, issue 14)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from register.models import AuditEvent
from register.models.audit import GENESIS_HASH, chain_hash
from register.services.audit import (
    audit_chain_breaks,
    audit_record,
    read_checkpoint,
    write_checkpoint,
)
from register.tasks import verify_audit_chain
from tests.personas import persona


@pytest.fixture
def empty_trail(db):
    """No events at all, as on a register's first day. Removed as an attacker with the
    database would, around the trigger; the test's transaction puts them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE register_auditevent DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM register_auditevent")
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE register_auditevent ENABLE TRIGGER USER")
    assert not AuditEvent.objects.exists()


def test_the_first_event_of_an_empty_trail_is_chained_to_the_genesis_hash(empty_trail):
    first = audit_record(actor=persona("analyst_kpcn"), action="tests.event.first",
                         object_type="tests.thing", object_id=1)
    stored = AuditEvent.objects.get()
    assert GENESIS_HASH == "0" * 64
    assert (stored.pk, stored.prev_hash) == (first.pk, GENESIS_HASH)
    assert stored.hash == chain_hash(GENESIS_HASH, stored.payload()) == first.hash
    second = audit_record(actor=None, action="tests.event.second", username="nobody")
    assert second.prev_hash == first.hash
    assert list(audit_chain_breaks()) == []


def test_an_empty_trail_verifies_and_leaves_no_checkpoint(empty_trail, settings, capsys):
    assert write_checkpoint() is None
    call_command("audit_verify", "--checkpoint")
    assert "intact" in capsys.readouterr().out
    assert not Path(settings.AUDIT_CHECKPOINT_PATH).exists()
    assert read_checkpoint() is None
    assert verify_audit_chain() is True


def test_the_checkpoint_folder_is_created_with_its_parents(db, settings, tmp_path):
    audit_record(actor=persona("analyst_kpcn"), action="tests.event.checkpointed")
    path = tmp_path / "var" / "audit" / "checkpoint.json"
    settings.AUDIT_CHECKPOINT_PATH = str(path)
    call_command("audit_verify", "--checkpoint")
    newest = AuditEvent.objects.order_by("-id").first()
    written = json.loads(path.read_text())
    assert (written["id"], written["hash"]) == (newest.pk, newest.hash)
    assert read_checkpoint() == written
    assert sorted(p.name for p in path.parent.iterdir()) == ["checkpoint.json"]


def test_a_new_checkpoint_replaces_the_old_one_in_the_same_folder(db, settings, tmp_path):
    path = tmp_path / "var" / "checkpoint.json"
    settings.AUDIT_CHECKPOINT_PATH = str(path)
    audit_record(actor=persona("analyst_kpcn"), action="tests.event.one")
    first = write_checkpoint()
    audit_record(actor=persona("analyst_kpcn"), action="tests.event.two")
    second = write_checkpoint()
    newest = AuditEvent.objects.order_by("-id").first()
    assert second["id"] == newest.pk > first["id"]
    assert read_checkpoint() == second
    assert list(audit_chain_breaks()) == []
