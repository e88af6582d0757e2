import csv
import io

import pytest
from django.urls import reverse

from register.models import AuditEvent
from tests.personas import persona
from tests.signals.builders import file_signal


@pytest.fixture
def history(as_user):
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "family_name": "Quispe", "nationality": "PE"}])
    other = file_signal(persona("reporter_szw"))
    as_user("analyst_kpcn").get(reverse("signals:detail", args=[signal.reference]))
    as_user("analyst_om").get(reverse("signals:mine"))
    as_user("analyst_om").get(reverse("signal-list"))
    return signal, other


def test_the_auditor_finds_who_saw_a_signal_by_its_reference(as_user, history):
    signal, other = history
    auditor = as_user("auditor")
    page = auditor.get(reverse("audit_events"), {"reference": signal.reference})
    events = list(page.context["page"])
    actions = {(e.actor_username, e.action) for e in events}
    assert ("analyst.kpcn", "signals.signal.viewed") in actions
    assert ("analyst.om", "signals.signal.listed") in actions
    assert ("reporter.kmar", "signals.signal.created") in actions
    assert all(e.object_type == "signals.signal" for e in events)
    assert "Quispe" not in page.content.decode()


def test_the_auditor_filters_by_user_action_organisation_and_period(as_user, history):
    auditor = as_user("auditor")
    by_user = auditor.get(reverse("audit_events"), {"user": "analyst.kpcn",
                                                    "action": "signals.signal.v"}).context["page"]
    assert {e.action for e in by_user} == {"signals.signal.viewed"}
    by_org = auditor.get(reverse("audit_events"), {"organisation": "om"}).context["page"]
    assert {e.organisation_code for e in by_org} == {"om"}
    future = auditor.get(reverse("audit_events"), {"since": "2999-01-01"}).context["page"]
    assert list(future) == []


def test_searching_the_audit_trail_is_itself_audited(as_user, history):
    as_user("auditor").get(reverse("audit_events"), {"user": "analyst.kpcn"})
    event = AuditEvent.objects.filter(action="register.audit.searched").latest("id")
    assert event.detail["filters"] == {"user": "analyst.kpcn"}


def test_the_auditor_exports_the_filtered_events_as_csv(as_user, history):
    signal, _ = history
    response = as_user("auditor").get(reverse("audit_export"), {"reference": signal.reference})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Disposition"].startswith("attachment")
    assert {row["action"] for row in rows} >= {"signals.signal.created", "signals.signal.viewed"}
    assert AuditEvent.objects.filter(action="register.audit.exported").exists()


def test_the_audit_api_gives_auditors_the_same_filters(as_user, history, api_as):
    signal, _ = history
    body = api_as("auditor").get(reverse("api_audit_events"),
                                 {"reference": signal.reference, "action": "signals.signal.v"})
    assert body.status_code == 200
    results = body.json()["results"]
    assert [r["actor_username"] for r in results] == ["analyst.kpcn"]
    assert results[0]["hash"] and results[0]["prev_hash"]


@pytest.mark.parametrize("name", ["analyst_kpcn", "manager", "coordinator", "reporter_kmar"])
def test_only_auditors_read_the_audit_trail(api_as, name):
    assert api_as(name).get(reverse("api_audit_events")).status_code == 403


def test_the_auditor_finds_searches_that_returned_a_person(as_user, db):
    from casework.persons import MentionFacts, person_create

    person = person_create(actor=persona("analyst_kpcn"),
                           facts=MentionFacts(given_names="Ana", family_name="Quispe"))
    file_signal(persona("reporter_kmar"), persons=[{"role": "victim", "given_names": "Ana",
                                                    "family_name": "Quispe"}])
    as_user("analyst_om").post(reverse("casework:search"), {"query": "Ana Quispe"})
    page = as_user("auditor").get(reverse("audit_events"), {
        "object_type": "register.person", "object_id": str(person.pk)}).context["page"]
    assert ("analyst.om", "register.search.performed") in {(e.actor_username, e.action)
                                                           for e in page}
