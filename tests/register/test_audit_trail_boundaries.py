"""The audit trail at its edges: an empty trail, its first event and the checkpoint kept
outside the database (`register/services/audit.py`, issue 14)."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from register.models import AuditEvent
from register.models.audit import GENESIS_HASH, chain_hash
from register.services.audit import (
    ChainBreak,
    FreeTextInAuditDetail,
    audit_chain_breaks,
    audit_record,
    audit_record_many,
    audit_watermark,
    check_detail,
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


def tamper(sql, params=()):
    """Change the trail as an attacker with the database would: around the ORM and trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE register_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE register_auditevent ENABLE TRIGGER USER")


@pytest.fixture
def three_events(db):
    actor = persona("analyst_kpcn")
    return [audit_record(actor=actor, action=f"tests.event.{i}", object_type="tests.thing",
                         object_id=i) for i in range(3)]


def test_a_changed_event_is_reported_with_its_reason_and_its_code(three_events):
    changed = three_events[1]
    tamper("UPDATE register_auditevent SET action = %s WHERE id = %s",
           ["tests.event.innocent", changed.pk])
    assert list(audit_chain_breaks()) == [
        ChainBreak(changed.pk, "content changed after it was written", "content_changed")]


def test_a_removed_event_is_reported_at_the_next_with_its_reason_and_its_code(three_events):
    tamper("DELETE FROM register_auditevent WHERE id = %s", [three_events[1].pk])
    assert list(audit_chain_breaks()) == [ChainBreak(
        three_events[2].pk,
        "previous-hash mismatch: an event before it was removed, inserted or reordered",
        "previous_hash_mismatch")]


def test_a_cut_off_trail_is_reported_against_the_checkpoint_with_its_reason_and_code(
        three_events):
    write_checkpoint()
    newest = three_events[-1]
    tamper("DELETE FROM register_auditevent WHERE id = %s", [newest.pk])
    assert list(audit_chain_breaks()) == [ChainBreak(
        newest.pk, "the checkpoint kept outside the database no longer matches: events were "
                   "removed or rewritten", "checkpoint_mismatch")]


def test_the_chain_is_walked_across_chunks_as_one_chain(three_events):
    assert list(audit_chain_breaks(chunk_size=1)) == []
    tamper("UPDATE register_auditevent SET action = %s WHERE id = %s",
           ["tests.event.innocent", three_events[2].pk])
    assert [b.event_id for b in audit_chain_breaks(chunk_size=2)] == [three_events[2].pk]


def test_the_checkpoint_says_when_it_was_written(db, settings):
    audit_record(actor=persona("analyst_kpcn"), action="tests.event.checkpointed")
    before = timezone.now()
    checkpoint = write_checkpoint()
    assert set(checkpoint) == {"id", "hash", "at"}
    assert before <= dt.datetime.fromisoformat(checkpoint["at"]) <= timezone.now()
    assert read_checkpoint() == checkpoint


def test_an_intact_trail_is_reported_in_so_many_words(three_events, capsys):
    call_command("audit_verify")
    assert capsys.readouterr().out == "Audit trail intact.\n"


def test_the_command_help_explains_the_checkpoint_option():
    from register.management.commands.audit_verify import Command

    help_text = " ".join(Command().create_parser("manage.py", "audit_verify")
                         .format_help().split())
    assert ("--checkpoint After a clean check, record the newest event outside the database "
            "(AUDIT_CHECKPOINT_PATH), as the nightly job does.") in help_text


@pytest.mark.parametrize(("detail", "where"), [
    ("a sentence", "detail holds text"),
    ({"note": "a sentence"}, "detail.note holds text"),
    ({"fields": ["name", "a sentence"]}, "detail.fields[1] holds text"),
    ({"a key with spaces": 1}, "detail key holds text"),
    ({"nested": {"deeper": ["ok", {"x": "two words"}]}}, "detail.nested.deeper[1].x holds text"),
])
def test_text_in_a_detail_is_refused_naming_where_it_sits(detail, where):
    with pytest.raises(FreeTextInAuditDetail) as refused:
        check_detail(detail)
    assert str(refused.value) == (
        f"{where}; audit details hold field names, codes and ids only")


@pytest.mark.parametrize("detail", [
    None, True, 0, 3.5, "", "signals.signal.viewed", ["name", "phone", 12],
    ("a", "b"), {"fields": ["name"], "count": 2, "ok": None, "nested": {"id": "MH-2026-1"}},
])
def test_codes_numbers_lists_and_nested_codes_pass_the_detail_check(detail):
    assert check_detail(detail) is None


def test_an_object_that_is_no_code_is_refused_by_its_type():
    with pytest.raises(FreeTextInAuditDetail) as refused:
        check_detail({"when": dt.date(2026, 1, 1)})
    assert str(refused.value) == "detail.when is a date; give a code or an id"


def test_an_event_records_the_actor_with_their_organisation_roles_and_the_request(db):
    from register.models import Role, RoleGrant
    from register.request_context import RequestContext, activate, reset

    actor = persona("analyst_kpcn")
    RoleGrant.objects.create(user=actor, role=Role.MANAGER)
    actor.forget_roles()
    token = activate(RequestContext(request_id="req-1", ip="192.0.2.7"))
    try:
        event = audit_record(actor=actor, action="tests.event.recorded",
                             result_ids=[3, "x"], detail={"fields": ["name"]},
                             username="ignored.for.a.known.actor")
    finally:
        reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_username, stored.organisation_code, stored.roles) == (
        actor, "analyst.kpcn", "kpcn", ",".join(sorted([Role.ANALYST, Role.MANAGER])))
    assert "," in stored.roles
    assert (stored.request_id, stored.ip) == ("req-1", "192.0.2.7")
    assert (stored.action, stored.result_ids, stored.detail) == (
        "tests.event.recorded", ["3", "x"], {"fields": ["name"]})
    assert (stored.object_type, stored.object_id, stored.object_ref) == ("", "", "")


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["no actor", "anonymous"])
def test_an_event_without_a_known_actor_keeps_only_the_username_given(db, actor):
    event = audit_record(actor=actor, action="tests.event.login_failed", username="u" * 151)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_username, stored.organisation_code, stored.roles) == (
        None, "u" * 150, "", "")
    assert stored.detail == {}


def test_an_event_about_an_object_names_its_type_id_and_reference(db):
    from register.models import Person

    person = Person.objects.create(family_name="Kockx", created_by=persona("analyst_kpcn"))
    event = audit_record(actor=persona("analyst_kpcn"), action="tests.event.viewed", obj=person)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.object_type, stored.object_id, stored.object_ref) == (
        "register.person", str(person.pk), f"P-{person.pk}")


def test_a_given_type_and_id_win_over_the_object_and_an_object_without_reference_has_none(db):
    organisation = persona("analyst_kpcn").organisation
    event = audit_record(actor=None, action="tests.event.named", obj=organisation,
                         object_type="tests.kind", object_id="7")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.object_type, stored.object_id, stored.object_ref) == ("tests.kind", "7", "")
    plain = AuditEvent.objects.get(pk=audit_record(actor=None, action="tests.event.plain",
                                                   obj=organisation).pk)
    assert (plain.object_type, plain.object_id, plain.object_ref) == (
        "register.organisation", str(organisation.pk), "")


@pytest.mark.parametrize("detail", [{"note": "a sentence"}, {"fields": ["two words"]}])
def test_the_writer_of_the_trail_refuses_text_before_anything_is_written(db, detail):
    count = AuditEvent.objects.count()
    with pytest.raises(FreeTextInAuditDetail):
        audit_record(actor=persona("analyst_kpcn"), action="tests.event.leaky", detail=detail)
    assert AuditEvent.objects.count() == count


def test_an_event_without_actor_or_username_names_nobody(db):
    stored = AuditEvent.objects.get(pk=audit_record(actor=None, action="tests.event.beat").pk)
    assert (stored.actor_username, stored.organisation_code, stored.roles) == ("", "", "")


@pytest.mark.parametrize(("value", "kept"), [
    (None, ""), ("", ""), ("open", "open"), (42, "42"), ("MH-2026-000123", "MH-2026-000123"),
    ("two words", ":text:"), ("someone@example.invalid", ":text:"), ("x" * 65, ":text:"),
])
def test_a_value_typed_into_a_filter_is_kept_only_when_it_is_a_code(value, kept):
    from register.services.audit import audit_code

    assert audit_code(value) == kept


def test_only_the_named_filters_that_were_filled_in_go_into_a_detail():
    from register.services.audit import audit_filters

    data = {"query": "Amarilis Kockx", "status": "open", "island": "", "other": "x"}
    assert audit_filters(data, ["query", "status", "island", "absent"]) == {
        "query": ":text:", "status": "open"}


def test_the_watermark_of_an_empty_trail_is_zero_and_then_the_newest_event(empty_trail):
    assert audit_watermark() == 0
    first = audit_record(actor=None, action="tests.event.first")
    second = audit_record(actor=None, action="tests.event.second")
    assert audit_watermark() == second.pk > first.pk


def test_many_events_appended_at_once_are_chained_as_if_written_one_by_one(empty_trail):
    from register.models import Person

    analyst = persona("analyst_kpcn")
    before = audit_record(actor=analyst, action="tests.event.before")
    persons = [Person.objects.create(family_name=f"Kockx{i}", created_by=analyst)
               for i in range(3)]
    events = audit_record_many(actor=analyst, action="tests.event.filed",
                               objects=[(p, {"row": i}) for i, p in enumerate(persons)])
    stored = list(AuditEvent.objects.filter(action="tests.event.filed").order_by("id"))
    assert [e.object_id for e in stored] == [str(p.pk) for p in persons]
    assert [e.object_ref for e in stored] == [f"P-{p.pk}" for p in persons]
    assert [e.detail for e in stored] == [{"row": 0}, {"row": 1}, {"row": 2}]
    assert {(e.actor_id, e.organisation_code) for e in stored} == {(analyst.pk, "kpcn")}
    assert [e.prev_hash for e in stored] == [before.hash] + [e.hash for e in stored[:2]]
    assert [e.hash for e in stored] == [e.hash for e in events]
    assert all(e.hash == chain_hash(e.prev_hash, e.payload()) for e in stored)
    after = audit_record(actor=None, action="tests.event.after")
    assert after.prev_hash == stored[-1].hash
    assert list(audit_chain_breaks()) == []


def test_many_events_on_an_empty_trail_start_at_the_genesis_hash(empty_trail):
    organisation = persona("analyst_kpcn").organisation
    (event,) = audit_record_many(actor=None, action="tests.event.filed",
                                 objects=[(organisation, None)])
    stored = AuditEvent.objects.get()
    assert (stored.pk, stored.prev_hash, stored.detail) == (event.pk, GENESIS_HASH, {})
    assert (stored.actor_username, stored.object_type, stored.object_id) == (
        "", "register.organisation", str(organisation.pk))


def test_appending_no_events_at_once_writes_nothing(db):
    count = AuditEvent.objects.count()
    assert audit_record_many(actor=None, action="tests.event.filed", objects=[]) == []
    assert AuditEvent.objects.count() == count


def test_text_in_one_of_many_details_writes_none_of_them(db):
    organisation = persona("analyst_kpcn").organisation
    count = AuditEvent.objects.count()
    with pytest.raises(FreeTextInAuditDetail):
        audit_record_many(actor=None, action="tests.event.filed",
                          objects=[(organisation, {"row": 1}), (organisation, {"n": "a b"})])
    assert AuditEvent.objects.count() == count
