"""Who sees which signals, controls and audit events, at the edges of each rule
(`signals/selectors.py`, `controls/selectors.py`, `register/selectors/audit.py`; mutation
testing in issue 14). The selectors are called directly: the pages and the API use them."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from casework.dossiers import dossier_open, dossier_restrict, follow_up_add
from casework.selectors import (
    inbox_for,
    signal_detail_for,
    signals_visible_to,
    without_follow_up,
)
from casework.triage import triage_decline, triage_take_in
from controls.models import ControlParticipant, ControlReport, ControlSignal
from controls.selectors import (
    controls_visible_to,
    findings_for,
    may_edit,
    may_read_report,
    sees_everything_of,
)
from controls.services import control_plan, finding_add
from register.models import AuditEvent, Dossier, FollowUpAction, Organisation
from register.selectors.audit import AuditEventFilter, audit_events_visible_to
from register.services.audit import audit_record
from register.ui import DateInput
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def inactive(name: str):
    user = persona(name)
    user.is_active = False
    return user


def filed_by(name: str, **changes) -> Signal:
    return file_signal(persona(name), **changes)


def in_restricted_dossier(signal: Signal, analyst: str = "analyst_kpcn") -> Dossier:
    dossier = dossier_open(actor=persona(analyst), signals=[signal], title="Restricted")
    dossier_restrict(actor=persona(analyst), dossier=dossier, analysts=[persona(analyst)])
    return dossier


# signals/selectors.py

def test_a_reporter_sees_only_the_signals_they_filed(db):
    own = filed_by("reporter_kmar")
    filed_by("reporter_kmar_colleague")
    filed_by("reporter_szw")
    assert list(signals_visible_to(persona("reporter_kmar"))) == [own]


def test_analysts_see_every_signal_except_those_of_a_dossier_restricted_to_others(db):
    everyone = [filed_by("reporter_kmar"), filed_by("reporter_szw")]
    restricted = filed_by("reporter_kmar")
    in_restricted_dossier(restricted)
    assert set(signals_visible_to(persona("analyst_kpcn"))) == {*everyone, restricted}
    assert set(signals_visible_to(persona("analyst_om"))) == set(everyone)


@pytest.mark.parametrize("who", ["coordinator", "manager", "auditor"])
def test_roles_without_casework_see_no_signals(db, who):
    filed_by("reporter_kmar")
    assert not signals_visible_to(persona(who)).exists()


def test_an_inactive_or_anonymous_user_sees_no_signals(db):
    filed_by("reporter_kmar")
    assert not signals_visible_to(inactive("analyst_kpcn")).exists()
    assert not signals_visible_to(inactive("reporter_kmar")).exists()
    assert not signals_visible_to(AnonymousUser()).exists()


def test_a_signals_detail_comes_with_all_its_parts_in_one_go(db, django_assert_num_queries):
    signal = filed_by("reporter_kmar", persons=[{"role": "victim", "family_name": "A"}],
                      businesses=[{"name": "Bar Demo"}], with_pdf=True,
                      indicators=["debt_bondage"])
    dossier_open(actor=persona("analyst_kpcn"), signals=[signal], title="Parts")
    detail = signal_detail_for(persona("analyst_kpcn"), signal.reference)
    with django_assert_num_queries(0):
        parts = [list(getattr(detail, name).all()) for name in (
            "forms", "indicators", "persons", "businesses", "vehicles", "attachments",
            "questions")]
        assert (detail.dossier.title, detail.reporter_organisation.code) == ("Parts", "kmar")
    assert [len(part) for part in parts] == [1, 1, 1, 1, 0, 1, 0]


def test_a_signal_one_may_not_see_is_not_found(db):
    signal = filed_by("reporter_kmar")
    with pytest.raises(Signal.DoesNotExist):
        signal_detail_for(persona("reporter_szw"), signal.reference)
    assert signal_detail_for(persona("reporter_kmar"), signal.reference) == signal


def test_the_inbox_holds_open_signals_danger_first_then_the_newest(db):
    now = timezone.now()
    # Filed in another order than received, so that neither the id alone nor the time alone
    # gives the inbox's order.
    new, same_time, old, danger, taken_in, declined = (filed_by("reporter_kmar")
                                                       for _ in range(6))
    for signal, received in ((old, now - dt.timedelta(days=3)), (new, now),
                             (danger, now - dt.timedelta(days=5)), (same_time, now)):
        Signal.objects.filter(pk=signal.pk).update(received_at=received)
    Signal.objects.filter(pk=danger.pk).update(immediate_danger=True)
    triage_take_in(actor=persona("analyst_kpcn"), signal=taken_in)
    triage_decline(actor=persona("analyst_kpcn"), signal=declined, reason="Not a case")
    inbox = inbox_for(persona("analyst_kpcn"))
    assert list(inbox) == [danger, same_time, new, old]
    assert list(inbox_for(persona("reporter_szw"))) == []


@pytest.fixture
def follow_up_days(settings):
    settings.FOLLOW_UP_DAYS = 10
    return dt.timedelta(days=10)


NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)


def received(at: dt.datetime, **changes) -> Signal:
    signal = filed_by("reporter_kmar", **changes)
    Signal.objects.filter(pk=signal.pk).update(received_at=at)
    return Signal.objects.get(pk=signal.pk)


def in_dossier(signal: Signal, *outcomes: str) -> Dossier:
    analyst = persona("analyst_kpcn")
    dossier = dossier_open(actor=analyst, signals=[signal], title="Case")
    for outcome in outcomes:
        follow_up_add(actor=analyst, dossier=dossier, kind="victim_care",
                      organisation=analyst.organisation, outcome=outcome,
                      **({"explanation": "Not needed"} if outcome == "cancelled" else {}))
    return dossier


def test_signals_older_than_the_follow_up_days_wait_for_follow_up_oldest_first(
        db, follow_up_days):
    late = NOW - follow_up_days
    just_too_late = received(late - dt.timedelta(seconds=1))
    oldest = received(late - dt.timedelta(days=30))
    received(late)  # exactly on time
    received(late + dt.timedelta(days=1))
    assert list(without_follow_up(persona("analyst_kpcn"), now=NOW)) == [oldest, just_too_late]
    # Without a moment given it is now, when all four are long overdue.
    assert without_follow_up(persona("analyst_kpcn")).count() == 4


def test_a_signal_declined_followed_up_or_closed_needs_no_follow_up(db, follow_up_days):
    old = NOW - follow_up_days - dt.timedelta(days=1)
    in_triage = received(old)
    declined = received(old)
    triage_decline(actor=persona("analyst_kpcn"), signal=declined, reason="Not a case")
    followed = received(old)
    in_dossier(followed, "planned")
    cancelled_only = received(old)
    in_dossier(cancelled_only, "cancelled")
    closed = received(old)
    Dossier.objects.filter(pk=in_dossier(closed).pk).update(status=Dossier.Status.CLOSED)
    no_action = received(old)
    in_dossier(no_action)
    assert FollowUpAction.objects.count() == 2
    # Received at the same moment: in the order they were filed.
    assert list(without_follow_up(persona("analyst_kpcn"), now=NOW)) == [
        in_triage, cancelled_only, no_action]


def test_a_signal_of_a_restricted_dossier_waits_only_in_the_granted_analysts_list(
        db, follow_up_days):
    hidden = received(NOW - follow_up_days - dt.timedelta(days=1))
    in_restricted_dossier(hidden)
    assert list(without_follow_up(persona("analyst_kpcn"), now=NOW)) == [hidden]
    assert list(without_follow_up(persona("analyst_om"), now=NOW)) == []


# controls/selectors.py

def planned(initiator="kmar", director="kpcn", participants=(), planner="reporter_kmar"):
    """A control as planned, then with only `participants` taking part besides the initiating
    and directing organisations (who plans it takes part too, unless left out here)."""
    control = control_plan(
        actor=persona(planner), businesses=[], participants=[], values={
            "island": "bonaire", "place": "Kralendijk", "sector": "construction",
            "planned_on": dt.date(2026, 3, 10), "initiating_organisation": org(initiator),
            "directing_organisation": org(director), "goal": "Check permits"})
    control.participants.all().delete()
    ControlParticipant.objects.bulk_create(
        ControlParticipant(control=control, organisation=org(code)) for code in participants)
    return control


def test_partner_staff_see_the_controls_their_organisation_initiates_directs_or_joins(db):
    initiated = planned(initiator="szw", director="kpcn")
    directed = planned(initiator="kmar", director="szw")
    joined = planned(initiator="kmar", director="kpcn", participants=("szw", "om"))
    planned(initiator="kmar", director="kpcn", participants=("om",))
    assert list(controls_visible_to(persona("reporter_szw")).order_by("pk")) == [
        initiated, directed, joined]


def test_a_control_is_listed_once_however_many_ways_an_organisation_takes_part(db):
    control = planned(initiator="szw", director="szw", participants=("szw", "om", "kmar"))
    assert list(controls_visible_to(persona("reporter_szw"))) == [control]


def test_analysts_see_every_control_other_roles_and_inactive_users_none(db):
    controls = {planned(), planned(initiator="szw", director="szw")}
    assert set(controls_visible_to(persona("analyst_om"))) == controls
    for user in (persona("coordinator"), persona("auditor"), inactive("analyst_om"),
                 inactive("reporter_kmar"), AnonymousUser()):
        assert not controls_visible_to(user).exists()


def test_who_takes_part_may_edit_a_control_others_and_roles_without_casework_not(db):
    control = planned(initiator="kmar", director="kpcn", participants=("szw",))
    assert may_edit(persona("reporter_kmar"), control)  # initiating
    assert may_edit(persona("analyst_kpcn"), control)  # directing
    assert may_edit(persona("reporter_szw"), control)  # taking part
    assert not may_edit(persona("analyst_om"), control)
    assert not may_edit(persona("coordinator"), control)  # KPCN directs, but no casework role
    assert not may_edit(persona("manager"), control)


@pytest.fixture
def control_with_findings(db):
    control = planned(initiator="kmar", director="kpcn", participants=("kmar", "szw"))
    finding_add(actor=persona("reporter_kmar"), control=control, category="labour",
                count=2, description="Two workers without a permit")
    finding_add(actor=persona("reporter_szw"), control=control, category="labour",
                count=1, description="One worker unpaid")
    return control


def readable(user, control) -> dict[str, bool]:
    return {finding.organisation.code: may_read for finding, may_read in
            findings_for(user, control)}


def test_a_finding_is_read_by_its_own_organisation_and_analysts_who_may_see_everything(
        control_with_findings):
    control = control_with_findings
    assert readable(persona("reporter_kmar"), control) == {"kmar": True, "szw": False}
    assert readable(persona("reporter_szw"), control) == {"kmar": False, "szw": True}
    assert readable(persona("analyst_om"), control) == {"kmar": True, "szw": True}


def test_an_analyst_not_granted_a_signal_raised_in_the_control_reads_only_their_own(
        control_with_findings):
    control = control_with_findings
    signal = filed_by("reporter_kmar")
    ControlSignal.objects.create(control=control, signal=signal)
    assert sees_everything_of(persona("analyst_om"), control)
    in_restricted_dossier(signal, "analyst_kpcn")
    assert sees_everything_of(persona("analyst_kpcn"), control)
    assert not sees_everything_of(persona("analyst_om"), control)
    assert readable(persona("analyst_om"), control) == {"kmar": False, "szw": False}
    assert not sees_everything_of(persona("reporter_kmar"), control)


def test_only_analysts_may_see_everything_of_a_control(control_with_findings):
    assert sees_everything_of(persona("analyst_om"), control_with_findings)
    for name in ("reporter_kmar", "coordinator", "manager"):
        assert not sees_everything_of(persona(name), control_with_findings)


def test_a_control_report_is_read_by_the_uploaders_organisation_and_analysts(
        control_with_findings):
    control = control_with_findings
    report = ControlReport(control=control, uploaded_by=persona("reporter_szw"))
    assert may_read_report(persona("reporter_szw"), report)
    assert may_read_report(persona("analyst_om"), report)
    assert not may_read_report(persona("reporter_kmar"), report)


# register/selectors/audit.py

def test_only_auditors_see_the_audit_trail(db):
    filed_by("reporter_kmar")
    assert audit_events_visible_to(persona("auditor")).count() == AuditEvent.objects.count()
    for user in (persona("analyst_kpcn"), persona("manager"), AnonymousUser()):
        assert not audit_events_visible_to(user).exists()


def search(**data) -> set[int]:
    return set(AuditEventFilter(data, queryset=AuditEvent.objects.all()).qs
               .values_list("pk", flat=True))


def event(name: str, action: str, **facts) -> int:
    return audit_record(actor=persona(name), action=action, **facts).pk


@pytest.fixture
def trail(db):
    """Who saw signal 9007 and person 9007, alone or in lists and searches, and more."""
    return {
        "created": event("reporter_kmar", "signals.signal.created", object_type="signals.signal",
                         object_id=9007),
        "viewed": event("analyst_kpcn", "signals.signal.viewed", object_type="signals.signal",
                        object_id=9007),
        "listed": event("analyst_om", "signals.signal.listed", object_type="signals.signal",
                        result_ids=[9006, 9007, 9008]),
        "listed 19007": event("analyst_om", "signals.signal.listed",
                              object_type="signals.signal", result_ids=[19007]),
        "searched": event("analyst_om", "register.search.performed",
                          result_ids=["signals.signal:9007", "register.person:9007"]),
        "person": event("analyst_kpcn", "register.person.viewed",
                        object_type="register.person", object_id=9007),
        "session": event("analyst_om", "register.session.started"),
    }


def test_the_audit_trail_is_searched_by_action_beginning_user_and_organisation(trail):
    ours = set(trail.values())  # not the events of laying the ground
    assert search(action="signals.signal.") & ours == {
        trail["created"], trail["viewed"], trail["listed"], trail["listed 19007"]}
    assert search(action="signals.signal.viewed") == {trail["viewed"]}
    assert search(user="analyst.kpcn") == {trail["viewed"], trail["person"]}
    assert search(organisation="om") & ours == {
        trail["listed"], trail["listed 19007"], trail["searched"], trail["session"]}


def test_the_audit_trail_is_searched_by_day_in_the_registers_time_zone(trail):
    today = timezone.localdate()
    ours = set(trail.values())
    assert ours <= search(since=today.isoformat(), until=today.isoformat())
    assert not ours & search(since=(today + dt.timedelta(days=1)).isoformat())
    assert not ours & search(until=(today - dt.timedelta(days=1)).isoformat())


def test_an_object_is_found_with_the_lists_and_searches_that_returned_it(trail):
    touching = {trail["created"], trail["viewed"], trail["listed"], trail["searched"]}
    assert search(object_type="signals.signal", object_id=" 9007 ") == touching
    # Without a type: every event about an object 9007, or listing a bare 9007, of any type.
    assert search(object_id="9007") == {trail["created"], trail["viewed"], trail["listed"],
                                     trail["person"]}
    assert search(object_type="register.person", object_id="9007") == {
        trail["person"], trail["searched"]}


def test_a_type_alone_finds_every_event_about_that_type(trail):
    assert search(object_type="register.person") == {trail["person"]}
    assert trail["viewed"] in search(object_type="signals.signal")


def test_a_reference_finds_everything_that_touched_its_object(db):
    signal = filed_by("reporter_kmar")
    listed = event("analyst_om", "signals.signal.listed", object_type="signals.signal",
                   result_ids=[signal.pk])
    other = filed_by("reporter_kmar")
    found = search(reference=f"  {signal.reference.lower()} ")
    created = AuditEvent.objects.get(action="signals.signal.created", object_id=str(signal.pk))
    assert found == {created.pk, listed}
    assert not found & set(AuditEvent.objects.filter(object_id=str(other.pk))
                           .values_list("pk", flat=True))


def test_a_reference_nobody_recorded_finds_only_events_naming_it(db):
    filed_by("reporter_kmar")
    assert search(reference="MH-1999-000001") == set()


# What a list costs does not grow with its length: the parts come with the rows.

def queries(read) -> int:
    read()  # once before, so that what is cached for the user is not counted
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def test_the_inbox_and_the_overdue_list_read_the_forms_with_the_signals(db, follow_up_days):
    analyst = persona("analyst_kpcn")

    def read_both():
        for listed in (inbox_for(analyst), without_follow_up(analyst, now=NOW)):
            for signal in listed:
                assert signal.reporter_organisation.code == "kmar"
                assert [form.code for form in signal.forms.all()]

    old = NOW - follow_up_days - dt.timedelta(days=1)
    received(old, forms=["labour_exploitation", "sexual_exploitation"])
    one = queries(read_both)
    for _ in range(3):
        received(old, forms=["labour_exploitation"])
    assert queries(read_both) == one


def test_the_controls_come_with_their_initiating_and_directing_organisations(db):
    def read_controls():
        for control in controls_visible_to(persona("reporter_szw")):
            assert control.initiating_organisation.code == "szw"
            assert control.directing_organisation.code == "om"

    planned(initiator="szw", director="om")
    one = queries(read_controls)
    for _ in range(3):
        planned(initiator="szw", director="om")
    assert queries(read_controls) == one


def test_the_findings_come_with_their_organisations(db):
    control = planned(initiator="szw", director="om", participants=("szw", "kmar"))

    def read_findings():
        assert {finding.organisation.code for finding, _ in
                findings_for(persona("reporter_szw"), control)} == {"szw", "kmar"}

    for name in ("reporter_szw", "reporter_kmar"):
        finding_add(actor=persona(name), control=control, category="labour", count=1,
                    description="A worker without a permit")
    two = queries(read_findings)
    for name in ("reporter_szw", "reporter_kmar"):
        finding_add(actor=persona(name), control=control, category="labour", count=2,
                    description="Two workers without a permit")
    assert queries(read_findings) == two


def test_the_audit_search_form_names_its_fields_and_explains_action_and_reference(db):
    with translation.override("en"):
        form = AuditEventFilter().form
        labels = {name: str(field.label) for name, field in form.fields.items()}
        helped = {name: str(field.help_text) for name, field in form.fields.items()
                  if field.help_text}
    assert labels == {"since": "From", "until": "Until", "action": "Action",
                      "organisation": "Organisation", "user": "Username",
                      "reference": "Reference", "object_type": "Object type",
                      "object_id": "Object id"}
    assert set(helped) == {"action", "reference"}
    assert "signals.signal.viewed" in helped["action"]
    assert "MH-2026-000123" in helped["reference"]
    assert all(isinstance(form.fields[name].widget, DateInput) for name in ("since", "until"))
    codes = [value for value, _ in form.fields["organisation"].choices if value]
    assert sorted(str(code) for code in codes) == sorted(
        Organisation.objects.values_list("code", flat=True))
