import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from controls.models import Control
from controls.overview import overview
from controls.services import control_plan, control_record, finding_add
from register.models import AuditEvent, Notification, Organisation
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import form_data


def org(code):
    return Organisation.objects.get(code=code)


def plan(actor=None, *, island="bonaire", on=dt.date(2026, 3, 10), participants=("szw",),
         initiator="kmar", director="kpcn"):
    actor = actor or persona("reporter_kmar")
    return control_plan(actor=actor, businesses=[{"name": "Bouw Demo"}],
                        participants=[(org(code), "task") for code in participants], values={
                            "island": island, "place": "Kralendijk", "sector": "construction",
                            "planned_on": on, "initiating_organisation": org(initiator),
                            "directing_organisation": org(director), "goal": "Check permits",
                            "team": "", "briefing": ""})


def held(control, on=None, **counts):
    values = {"held_on": on or control.planned_on, "persons_checked": 12,
              "businesses_checked": 2, "arrests": 0, "fines": 1, **counts}
    return control_record(actor=persona("reporter_kmar"), control=control, status="held",
                          values=values, took_part=[org("kmar")])


def test_planning_a_control_tells_every_participant_in_the_app(as_user):
    client = as_user("reporter_kmar")
    response = client.post(reverse("controls:new"), {
        "planned_on": "2026-12-01", "island": "bonaire", "place": "Playa", "sector":
        "hospitality", "initiating_organisation": org("kmar").pk,
        "directing_organisation": org("kpcn").pk, "participants": [org("szw").pk],
        "tasks": "szw: working conditions", "businesses": "Hotel Demo\nBar Demo",
        "goal": "Check the staff of two hotels"})
    control = Control.objects.get()
    assert response["Location"] == reverse("controls:detail", args=[control.pk])
    assert {p.organisation.code: p.task for p in control.participants.all()} == {
        "kmar": "", "kpcn": "", "szw": "working conditions"}
    assert [b.name for b in control.businesses.all()] == ["Bar Demo", "Hotel Demo"]
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"reporter.szw", "analyst.kpcn"} <= told
    assert "reporter.kmar" not in told
    assert AuditEvent.objects.filter(action="controls.control.planned").exists()


def test_a_plan_with_missing_fields_is_refused_and_kept(as_user):
    response = as_user("reporter_kmar").post(reverse("controls:new"), {
        "island": "bonaire", "place": "Playa", "goal": ""})
    assert response.status_code == 200
    assert 'value="Playa"' in response.content.decode()
    assert Control.objects.count() == 0


def test_recording_a_held_control_needs_its_numbers(db):
    control = plan()
    with pytest.raises(ValidationError) as refused:
        control_record(actor=persona("reporter_kmar"), control=control, status="held",
                       values={"held_on": dt.date(2026, 3, 10)}, took_part=[])
    assert {"persons_checked", "arrests", "fines", "businesses_checked"} <= set(
        refused.value.message_dict)
    held(control)
    control.refresh_from_db()
    assert control.status == "held" and control.results_recorded_at is not None
    assert not control.lacks_results
    took_part = {p.organisation.code: p.took_part for p in control.participants.all()}
    assert took_part == {"kmar": True, "kpcn": False, "szw": False}


def test_a_cancelled_control_needs_a_reason(db):
    control = plan()
    with pytest.raises(ValidationError):
        control_record(actor=persona("reporter_kmar"), control=control, status="cancelled",
                       values={}, took_part=[])
    control_record(actor=persona("reporter_kmar"), control=control, status="cancelled",
                   values={"cancelled_reason": "Storm"}, took_part=[])
    assert Control.objects.get().status == "cancelled"


def test_each_organisation_records_its_own_findings(as_user):
    control = plan()
    as_user("reporter_szw").post(reverse("controls:action", args=[control.pk, "finding"]), {
        "category": "labour", "count": 3, "description": "Three workers without a contract"})
    assert control.findings.get().organisation.code == "szw"
    with pytest.raises(ValidationError):  # OM does not take part in this control
        finding_add(actor=persona("analyst_om"), control=control, category="other", count=1,
                    description="")


def test_a_finding_description_is_only_for_analysts_and_its_own_organisation(as_user):
    control = plan()
    finding_add(actor=persona("reporter_szw"), control=control, category="labour", count=1,
                description="Worker Quispe had no contract")
    url = reverse("controls:detail", args=[control.pk])
    assert "Quispe" in as_user("reporter_szw").get(url).content.decode()
    assert "Quispe" in as_user("analyst_om").get(url).content.decode()
    kmar_page = as_user("reporter_kmar").get(url)
    assert "Quispe" not in kmar_page.content.decode()
    assert [readable for _f, readable in kmar_page.context["findings"]] == [False]


def test_a_signal_raised_during_a_control_enters_triage_linked_back(as_user):
    control = plan()
    client = as_user("reporter_szw")
    url = reverse("controls:raise_signal", args=[control.pk])
    page = client.get(url).content.decode()
    assert 'value="Kralendijk"' in page and control.audit_ref in page
    token = re.search(r'name="form_token" value="(\w+)"', page).group(1)
    response = client.post(url, form_data(token))
    signal = Signal.objects.get()
    assert response["Location"] == reverse("signals:receipt", args=[signal.reference])
    assert signal.control_link.control == control
    assert signal.submitted_by == persona("reporter_szw")
    analyst = as_user("analyst_kpcn")
    inbox = analyst.get(reverse("casework:inbox")).context["page"]
    assert [s.reference for s in inbox] == [signal.reference]
    triage = analyst.get(reverse("signals:detail", args=[signal.reference])).content.decode()
    assert control.audit_ref in triage
    assert client.post(url, form_data(token)).status_code == 302
    assert control.signal_links.count() == 1, "a double submit links one signal"


def test_the_overview_counts_against_the_target_across_years_and_islands(db):
    from django.utils import timezone

    from controls.services import target_set

    target_set(actor=persona("coordinator"), island="bonaire", year=2026, target=3)
    held(plan(on=dt.date(2026, 2, 1)))
    held(plan(on=dt.date(2025, 12, 20)), on=dt.date(2026, 1, 5))  # counts where it was held
    held(plan(on=dt.date(2025, 6, 1)))
    plan(on=dt.date(2026, 4, 1), initiator="szw")  # its day passed; nobody recorded it
    cancelled = plan(on=dt.date(2026, 5, 1))
    control_record(actor=persona("reporter_kmar"), control=cancelled, status="cancelled",
                   values={"cancelled_reason": "Storm", "held_on": dt.date(2030, 1, 1)},
                   took_part=[])
    plan(island="saba", on=dt.date(2026, 5, 5), initiator="szw", director="szw")
    rows = {row.island: row for row in overview(2026)}
    bonaire = rows["bonaire"]
    assert (bonaire.target, bonaire.held, bonaire.planned, bonaire.cancelled,
            bonaire.without_results) == (3, 2, 1, 1, 1)
    assert bonaire.short == 1
    assert bonaire.initiated_by == {"KMAR": 2}
    assert bonaire.directed_by == {"KPCN": 2}
    assert (rows["saba"].target, rows["saba"].planned, rows["saba"].without_results) == (
        2, 1, 1)
    assert rows["sint_eustatius"].short == 2
    last_year = {row.island: row for row in overview(2025)}
    assert (last_year["bonaire"].held, last_year["bonaire"].target) == (1, 4)
    future = timezone.localdate() + dt.timedelta(days=30)
    plan(on=future)
    ahead = {row.island: row for row in overview(future.year)}["bonaire"]
    assert ahead.planned >= 1 and ahead.without_results == (1 if future.year == 2026 else 0)


def test_cancelling_clears_what_only_a_held_control_has(db):
    control = plan()
    held(control, arrests=3)
    control_record(actor=persona("reporter_kmar"), control=control, status="cancelled",
                   values={"cancelled_reason": "Recorded by mistake"}, took_part=[])
    control.refresh_from_db()
    assert (control.held_on, control.arrests, control.results_recorded_at) == (None, None, None)
    assert set(control.participants.values_list("took_part", flat=True)) == {None}
    event = AuditEvent.objects.filter(action="controls.control.recorded").latest("id")
    assert {"arrests", "cancelled_reason", "held_on"} <= set(event.detail["fields"])
    assert "Recorded by mistake" not in str(event.detail)


def test_participants_see_and_edit_others_do_not(as_user):
    control = plan()
    url = reverse("controls:detail", args=[control.pk])
    assert as_user("reporter_szw").get(url).status_code == 200
    assert as_user("reporter_kmar_colleague").get(url).status_code == 200
    outsider = as_user("reporter_szw")
    other = plan(participants=(), initiator="kmar")
    assert outsider.get(reverse("controls:detail", args=[other.pk])).status_code == 404
    analyst_page = as_user("analyst_om").get(url)
    assert analyst_page.status_code == 200 and not analyst_page.context["editable"]
    record = reverse("controls:action", args=[control.pk, "record"])
    assert as_user("analyst_om").post(record, {"status": "cancelled",
                                               "cancelled_reason": "x"}).status_code == 404
    assert as_user("coordinator").get(url).status_code == 403


def test_the_coordinator_sees_the_overview_and_sets_targets(as_user):
    plan()
    client = as_user("coordinator")
    page = client.get(reverse("controls:overview"), {"year": 2026})
    assert page.status_code == 200 and page.context["rows"]
    client.post(reverse("controls:targets"), {"island": "saba", "year": 2026, "target": 3})
    from controls.services import target_for

    assert (target_for("saba", 2026), target_for("saba", 2027), target_for("saba", 2025)) == (
        3, 3, 2)


def test_the_controls_api(api_as):
    client = api_as("reporter_kmar")
    created = client.post(reverse("control-list"), {
        "planned_on": "2026-06-01", "island": "sint_eustatius", "place": "Oranjestad",
        "sector": "hospitality", "initiating_organisation": "kmar",
        "directing_organisation": "kpcn", "goal": "Bars", "participants": [
            {"organisation": "ind", "task": "residence permits"}],
        "businesses": ["Bar Statia"]}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert sorted(body["participating"]) == ["ind", "kmar", "kpcn"]
    results = client.post(reverse("control-results", args=[body["id"]]), {
        "status": "held", "held_on": "2026-06-01", "persons_checked": 5,
        "businesses_checked": 1, "arrests": 1, "fines": 0, "took_part": ["kmar", "ind"]},
        format="json")
    assert results.status_code == 200 and results.json()["status"] == "held"
    refused = client.post(reverse("control-results", args=[body["id"]]),
                          {"status": "cancelled"}, format="json")
    assert refused.status_code == 400 and "cancelled_reason" in refused.json()
    assert api_as("reporter_szw").get(reverse("control-detail",
                                              args=[body["id"]])).status_code == 404


def test_a_data_subject_search_finds_a_name_in_a_finding(db):
    from register.subject_search import SubjectQuery, find_subject

    control = plan()
    finding_add(actor=persona("reporter_szw"), control=control, category="labour", count=1,
                description="Worker Quispe Mamani had no contract")
    found = find_subject(SubjectQuery(family_name="Quispe"))
    assert [f.reference for f in found] == [control.audit_ref]


def test_old_finding_texts_and_reports_are_anonymised_counts_stay(db):
    from django.utils import timezone

    from controls.models import ControlFinding
    from register.services.privacy import retention_review_apply, retention_review_create

    control = plan(on=dt.date(2019, 3, 1))
    held(control)
    finding_add(actor=persona("reporter_szw"), control=control, category="labour", count=4,
                description="Worker Quispe had no contract")
    ControlFinding.objects.update(created_at=timezone.now() - dt.timedelta(days=6 * 365))
    Control.objects.update(created_at=timezone.now() - dt.timedelta(days=6 * 365))
    review = retention_review_create()
    assert control.audit_ref in {i.reference for i in review.items.all()}
    retention_review_apply(actor=persona("manager"), review=review, keep=set())
    finding = ControlFinding.objects.get()
    assert (finding.description, finding.count, finding.category) == ("", 4, "labour")


def test_a_finding_text_follows_the_need_to_know_of_the_signals_raised(as_user):
    from casework.dossiers import dossier_open, dossier_restrict
    from controls.models import ControlSignal
    from tests.signals.builders import file_signal

    control = plan()
    finding_add(actor=persona("reporter_szw"), control=control, category="labour", count=1,
                description="Worker Quispe had no contract")
    signal = file_signal(persona("reporter_szw"))
    ControlSignal.objects.create(control=control, signal=signal)
    kpcn = persona("analyst_kpcn")
    dossier = dossier_open(actor=kpcn, signals=[signal], title="Secret")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    url = reverse("controls:detail", args=[control.pk])
    other = as_user("analyst_om").get(url)
    assert "Quispe" not in other.content.decode()
    assert signal.reference not in other.content.decode() and other.context["other_signals"] == 1
    assert "Quispe" in as_user("analyst_kpcn").get(url).content.decode()


def test_the_planner_takes_part_in_what_they_plan(api_as):
    response = api_as("reporter_szw").post(reverse("control-list"), {
        "planned_on": "2026-06-01", "island": "saba", "place": "The Bottom",
        "sector": "retail", "initiating_organisation": "kmar",
        "directing_organisation": "kpcn", "goal": "Shops"}, format="json")
    assert response.status_code == 201
    assert "szw" in response.json()["participating"]


def test_absurd_numbers_are_refused_not_a_server_error(api_as):
    client = api_as("reporter_kmar")
    control = plan()
    response = client.post(reverse("control-results", args=[control.pk]), {
        "status": "held", "held_on": "2026-03-10", "persons_checked": 10**12,
        "businesses_checked": 1, "arrests": 0, "fines": 0, "took_part": ["kmar"]},
        format="json")
    assert response.status_code == 400 and "persons_checked" in response.json()
