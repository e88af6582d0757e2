"""Audit details hold field names, codes and ids, never free text: the trail is append-only,
so retention could never remove a name or a reason written into it, and auditors read it."""

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from casework.dossiers import (
    dossier_add_note,
    dossier_open,
    dossier_update,
    follow_up_add,
    follow_up_update,
)
from casework.triage import question_answer, triage_ask, triage_decline
from controls.services import control_plan, control_record, finding_add
from register.models import AuditEvent, Organisation
from register.services.audit import FreeTextInAuditDetail, audit_code, audit_record
from register.services.privacy import (
    subject_request_create,
    subject_request_decide,
    subject_request_verify_identity,
)
from tests.personas import persona
from tests.signals.builders import file_signal

ROOT = Path(__file__).resolve().parents[2]
APPS = ("register", "signals", "casework", "controls", "reporting")
# One word each, so the structural guard (no white space) cannot be what keeps them out: a
# single-word name or reason is exactly what a pattern cannot tell from a code.
CANARY = "Zwaluwkanarie"


def source_files():
    for app in APPS:
        yield from (p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def action_codes_written() -> dict[str, set[str]]:
    """Every action code passed to audit_record anywhere in the code base, by file."""
    found: dict[str, set[str]] = {}
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) ==
                    "audit_record"):
                continue
            for keyword in node.keywords:
                if keyword.arg == "action":
                    for constant in ast.walk(keyword.value):
                        if isinstance(constant, ast.Constant) and isinstance(constant.value,
                                                                              str):
                            found.setdefault(constant.value, set()).add(str(path))
    return found


@pytest.mark.parametrize("detail", [
    {"reason": "Lost his passport at sea"},
    {"changed": {"cancelled_reason": ["", "Storm over Saba"]}},
    {"names": ["Maria Lopez"]},
    {"Free text as a key": 1},
    {"note": "x" * 65},
    {"when": dt.date(2026, 1, 1)},
    {"contact": "maria@example.invalid"},
    {"phone": "+5997001234"},
])
def test_the_one_writer_of_the_trail_refuses_text_in_a_detail(db, detail):
    with pytest.raises(FreeTextInAuditDetail):
        audit_record(actor=None, action="tests.audit.refused", detail=detail)
    assert not AuditEvent.objects.filter(action="tests.audit.refused").exists()


def test_codes_ids_dates_and_references_are_accepted_in_a_detail(db):
    event = audit_record(actor=None, action="tests.audit.accepted", detail={
        "fields": ["cancelled_reason"], "status": "held", "ids": [1, 2], "ok": True,
        "period": "2026-01-01/2026-12-31", "reference": "MH-2026-000123", "user": "j.doe.kmar"})
    assert event.detail["reference"] == "MH-2026-000123"


def test_a_filter_typed_by_an_auditor_is_kept_only_as_a_code():
    assert audit_code("signals.signal.viewed") == "signals.signal.viewed"
    assert audit_code("Maria Lopez") == ":text:"


def test_every_action_code_goes_through_the_one_guarded_writer():
    """The guard sits in audit_record; no other code may write an audit event, so every
    action code the code base writes (found here by walking its source) is held to it."""
    codes = action_codes_written()
    assert len(codes) > 60 and "controls.control.recorded" in codes
    writers = []
    for path in source_files():
        if path.name == "audit.py" and path.parent.name == "services":
            continue
        source = path.read_text()
        calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
        constructs = any(ast.unparse(call.func) in ("AuditEvent", "AuditEvent.objects.create",
                                                     "AuditEvent.objects.bulk_create")
                         for call in calls)
        if constructs or "INSERT INTO register_auditevent" in source:
            writers.append(str(path.relative_to(ROOT)))
    assert writers == []


def free_text_values() -> set[str]:
    """Every value of a free-text field in the database: char and text fields without
    choices, of every model of the register's apps."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model is AuditEvent:
            continue
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField) and not f.choices]
        for row in model.objects.values_list(*fields) if fields else []:
            values.update(v for v in row if isinstance(v, str) and len(v) >= 5)
    return values


def test_no_free_text_value_lands_in_an_audit_event(db):
    """Run the services that take free text, with a canary in every free-text field, and read
    every event they wrote."""
    kmar, analyst, manager = persona("reporter_kmar"), persona("analyst_kpcn"), \
        persona("manager")
    signal = file_signal(kmar, description=f"{CANARY}description", location=f"{CANARY}place",
                         reporter_name=f"{CANARY}reporter",
                         persons=[{"role": "victim", "family_name": f"{CANARY}family",
                                   "given_names": f"{CANARY}given", "notes": f"{CANARY}notes"}],
                         businesses=[{"name": f"{CANARY}business"}])
    question = triage_ask(actor=analyst, signal=signal, question=f"{CANARY}question")
    question_answer(actor=kmar, question=question, answer=f"{CANARY}answer")
    declined = file_signal(kmar, description="Another signal for the canary.")
    triage_decline(actor=analyst, signal=declined, reason=f"{CANARY}declined")
    dossier = dossier_open(actor=analyst, signals=[signal], title=f"{CANARY}title")
    dossier_update(actor=analyst, dossier=dossier, values={
        "title": f"{CANARY}retitled", "closed_reason": f"{CANARY}closed"})
    dossier_add_note(actor=analyst, dossier=dossier, text=f"{CANARY}note")
    action = follow_up_add(actor=analyst, dossier=dossier, kind="no_further_action",
                           organisation=analyst.organisation, explanation=f"{CANARY}why")
    follow_up_update(actor=analyst, action=action, outcome="done",
                     happened_on=dt.date(2026, 4, 1),
                     explanation=f"{CANARY}whyagain")
    organisations = {o.code: o for o in Organisation.objects.all()}
    control = control_plan(actor=kmar, businesses=[{"name": f"{CANARY}bar"}],
                           participants=[(organisations["szw"], f"{CANARY}task")], values={
                               "island": "bonaire", "place": f"{CANARY}place",
                               "sector": "construction", "planned_on": dt.date(2026, 3, 10),
                               "initiating_organisation": organisations["kmar"],
                               "directing_organisation": organisations["kpcn"],
                               "goal": f"{CANARY}goal", "team": f"{CANARY}team",
                               "briefing": f"{CANARY}briefing"})
    control_record(actor=kmar, control=control, status="cancelled",
                   values={"cancelled_reason": f"{CANARY}storm"}, took_part=[])
    texts = free_text_values()  # the reason is cleared when the control is held after all
    control_record(actor=kmar, control=control, status="held", took_part=[kmar.organisation],
                   values={"held_on": dt.date(2026, 3, 10), "persons_checked": 1,
                           "businesses_checked": 1, "arrests": 0, "fines": 0,
                           "follow_up_agreed": f"{CANARY}agreed"})
    finding_add(actor=kmar, control=control, category="labour", count=1,
                description=f"{CANARY}finding")
    request = subject_request_create(actor=manager, values={
        "received_on": dt.date(2026, 5, 1), "requester_name": f"{CANARY}requester",
        "subject_family_name": f"{CANARY}subject"})
    subject_request_verify_identity(actor=manager, request=request,
                                    verified_on=dt.date(2026, 5, 1), method=f"{CANARY}passport")
    subject_request_decide(actor=manager, request=request, outcome="refused",
                           ground="other", decided_on=dt.date(2026, 5, 2),
                           notes=f"{CANARY}decision")

    written = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"controls.control.recorded", "signals.signal.not_taken_up", "register.dossier.changed",
            "register.dossier.note_added", "register.follow_up.changed",
            "register.subject_request.decided"} <= written
    planted = {text for text in texts | free_text_values() if CANARY in text}
    assert len(planted) >= 20 and f"{CANARY}storm" in planted
    for event in AuditEvent.objects.all():
        stored = json.dumps([event.detail, event.object_ref, event.object_id,
                             event.result_ids, event.actor_username])
        assert CANARY not in stored, event.action
