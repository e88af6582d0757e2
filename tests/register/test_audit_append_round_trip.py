"""On PostgreSQL an audit event is appended in one statement (register_audit_append), and
the hash the database computes is exactly the one the chain check computes."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from register import request_context
from register.models import AuditEvent
from register.models.audit import HASHED_FIELDS, chain_hash, event_payload
from register.services.audit import _CHAIN_LOCK, audit_record
from tests.personas import persona

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the append function is PostgreSQL's")


def append_variety():
    analyst = persona("analyst_kpcn")
    token = request_context.activate(request_context.RequestContext(
        request_id="req-12345678", ip="2001:db8::1"))
    try:
        events = [audit_record(actor=analyst, action="tests.one", obj=analyst,
                               result_ids=[3, "place:7"], detail={"b": [1, 2], "a": True})]
    finally:
        request_context.reset(token)
    events.append(audit_record(actor=None, action="tests.two", username="ghost",
                               object_type="x.y", object_id="42", detail={"n": 1.5}))
    events.append(audit_record(actor=analyst, action="tests.three"))
    return events


@postgres_only
def test_an_event_is_appended_in_one_statement(db):
    persona("analyst_kpcn")
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        audit_record(actor=None, action="tests.one_statement", username="x")
    statements = [q["sql"] for q in captured]
    assert len(statements) == 1 and "register_audit_append" in statements[0]


def test_the_stored_hash_is_the_chain_hash_of_the_stored_values(db):
    events = append_variety()
    for event in events:
        row = AuditEvent.objects.filter(pk=event.pk).values_list(
            *HASHED_FIELDS, "prev_hash", "hash").get()
        assert (event.prev_hash, event.hash) == row[-2:]
        assert event.hash == chain_hash(event.prev_hash, event_payload(*row[:-2]))
        assert event.hash == event.compute_hash(event.prev_hash)
        assert not event._state.adding
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    call_command("audit_verify")


def test_the_first_event_of_an_empty_trail_follows_the_genesis_hash(transactional_db):
    from register.models.audit import GENESIS_HASH

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE register_auditevent DISABLE TRIGGER "
                           "register_auditevent_append_only")
            cursor.execute("DELETE FROM register_auditevent")
            cursor.execute("ALTER TABLE register_auditevent ENABLE TRIGGER "
                           "register_auditevent_append_only")
    else:
        AuditEvent.objects.all().delete()
    event = audit_record(actor=None, action="tests.first", username="x")
    assert event.prev_hash == GENESIS_HASH
    assert event.hash == event.compute_hash(GENESIS_HASH)


@postgres_only
def test_the_function_takes_the_lock_the_service_names(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'register_audit_append'")
        (source,) = cursor.fetchone()
    assert f"pg_advisory_xact_lock({_CHAIN_LOCK})" in source
