"""Limits on what one control may hold: the same at the web form and the API, and each fits
its database column (issue 12, items 6 and 8)."""

import pytest
from django import forms
from django.urls import reverse
from rest_framework import serializers

from controls.api import ControlSerializer, ParticipantSerializer, ResultsSerializer
from controls.forms import FindingForm, PlanForm, RecordForm
from controls.limits import (
    BUSINESS_NAME,
    BUSINESSES_PER_CONTROL,
    COUNT_MAX,
    FINDING_DESCRIPTION,
    FINDINGS_PER_CONTROL,
    PARTICIPANTS_PER_CONTROL,
    PLAN_TEXT,
    RESULTS_TEXT,
    TASK,
)
from controls.models import Control, ControlBusiness, ControlFinding, ControlParticipant
from register.models import Organisation
from tests.controls.test_controls import org, plan
from tests.personas import persona


def _limits(field) -> dict:
    if isinstance(field, forms.ChoiceField | serializers.ChoiceField):
        return {}
    if isinstance(field, forms.CharField | serializers.CharField):
        return {"max_length": field.max_length}
    if isinstance(field, forms.IntegerField | serializers.IntegerField):
        return {"min_value": field.min_value, "max_value": field.max_value}
    return {}


@pytest.mark.parametrize("form_class, serializer_class, limits", [
    (PlanForm, ControlSerializer, PLAN_TEXT), (RecordForm, ResultsSerializer, RESULTS_TEXT),
], ids=["plan", "results"])
def test_the_form_and_the_api_apply_the_same_limits(form_class, serializer_class, limits):
    form_fields = form_class().fields
    api_fields = {name: f for name, f in serializer_class().fields.items() if not f.read_only}
    compared = set()
    # Lists at the API are lines of a text box in the form: compared below, by what they hold.
    for name in (form_fields.keys() & api_fields.keys()) - {"businesses", "participants"}:
        assert _limits(form_fields[name]) == _limits(api_fields[name]), name
        if _limits(form_fields[name]):
            compared.add(name)
    assert set(limits) <= compared
    for name, field in api_fields.items():  # no free text or list at the API is unbounded
        if isinstance(field, serializers.CharField | serializers.ListField
                      | serializers.ListSerializer):
            assert field.max_length is not None, name
        if isinstance(field, serializers.IntegerField):
            assert field.max_value == COUNT_MAX, name


def test_the_lists_and_counts_have_one_limit_and_fit_their_columns():
    api = ControlSerializer().fields
    assert api["businesses"].max_length == BUSINESSES_PER_CONTROL
    assert api["businesses"].child.max_length == BUSINESS_NAME
    assert api["participants"].max_length == PARTICIPANTS_PER_CONTROL
    assert ResultsSerializer().fields["took_part"].max_length == PARTICIPANTS_PER_CONTROL
    assert ParticipantSerializer().fields["task"].max_length == TASK
    assert FindingForm.base_fields["count"].max_value == COUNT_MAX
    assert FindingForm.base_fields["description"].max_length == FINDING_DESCRIPTION
    assert ControlBusiness._meta.get_field("name").max_length == BUSINESS_NAME
    assert ControlParticipant._meta.get_field("task").max_length == TASK
    assert Control._meta.get_field("place").max_length == PLAN_TEXT["place"]
    assert Control._meta.get_field("cancelled_reason").max_length == RESULTS_TEXT[
        "cancelled_reason"]


def _plan_payload(**changes) -> dict:
    return {"planned_on": "2026-06-01", "island": "bonaire", "place": "Kralendijk",
            "sector": "hospitality", "initiating_organisation": "kmar",
            "directing_organisation": "kpcn", "goal": "Bars", **changes}


def _plan_form(**changes) -> dict:
    return {"planned_on": "2026-12-01", "island": "bonaire", "place": "Playa",
            "sector": "hospitality", "initiating_organisation": org("kmar").pk,
            "directing_organisation": org("kpcn").pk, "goal": "Hotels", **changes}


@pytest.mark.parametrize("name, limit", list(PLAN_TEXT.items()))
def test_the_api_refuses_plan_text_over_its_limit_and_names_the_field(api_as, name, limit):
    response = api_as("reporter_kmar").post(reverse("control-list"),
                                            _plan_payload(**{name: "x" * (limit + 1)}),
                                            format="json")
    assert response.status_code == 400
    assert str(limit) in response.json()[name][0]
    assert Control.objects.count() == 0


@pytest.mark.parametrize("changes, field", [
    ({"businesses": ["Bar"] * 3000}, "businesses"),
    ({"businesses": ["Bar"] * (BUSINESSES_PER_CONTROL + 1)}, "businesses"),
    ({"businesses": ["x" * (BUSINESS_NAME + 1)]}, "businesses"),
    ({"participants": [{"organisation": "szw"}] * (PARTICIPANTS_PER_CONTROL + 1)},
     "participants"),
    ({"participants": [{"organisation": "szw", "task": "x" * (TASK + 1)}]}, "participants"),
], ids=["3000-businesses", "one-business-too-many", "long-business", "participants",
        "long-task"])
def test_the_api_refuses_a_plan_over_its_limits_and_names_the_field(api_as, changes, field):
    response = api_as("reporter_kmar").post(reverse("control-list"), _plan_payload(**changes),
                                            format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Control.objects.count() == 0


def test_a_plan_at_the_limits_is_accepted_by_the_api_and_the_form(api_as, as_user):
    names = [f"Bedrijf {i:03}".ljust(BUSINESS_NAME, "x") for i in range(BUSINESSES_PER_CONTROL)]
    response = api_as("reporter_kmar").post(
        reverse("control-list"), _plan_payload(businesses=names, goal="x" * PLAN_TEXT["goal"]),
        format="json")
    assert response.status_code == 201
    form = as_user("reporter_kmar").post(reverse("controls:new"),
                                         _plan_form(businesses="\r\n".join(names)))
    assert form.status_code == 302
    assert [c.businesses.count() for c in Control.objects.all()] == [BUSINESSES_PER_CONTROL] * 2


def test_the_form_refuses_more_businesses_or_participants_than_the_api(as_user):
    client = as_user("reporter_kmar")
    lines = "\n".join(f"Bedrijf {i}" for i in range(BUSINESSES_PER_CONTROL + 1))
    page = client.post(reverse("controls:new"), _plan_form(businesses=lines)).content.decode()
    assert f"A control visits at most {BUSINESSES_PER_CONTROL} businesses." in page
    many = Organisation.objects.bulk_create(
        Organisation(code=f"extra{i}", name=f"Extra {i}")
        for i in range(PARTICIPANTS_PER_CONTROL + 1))
    page = client.post(reverse("controls:new"), _plan_form(
        participants=[o.pk for o in many])).content.decode()
    assert (f"A control has at most {PARTICIPANTS_PER_CONTROL} participating organisations."
            in page)
    assert 'value="Playa"' in page
    assert Control.objects.count() == 0


@pytest.mark.parametrize("changes, field", [
    ({"status": "cancelled", "cancelled_reason": "x" * (RESULTS_TEXT["cancelled_reason"] + 1)},
     "cancelled_reason"),
    ({"follow_up_agreed": "x" * (RESULTS_TEXT["follow_up_agreed"] + 1)}, "follow_up_agreed"),
    ({"arrests": COUNT_MAX + 1}, "arrests"),
    ({"took_part": ["kmar"] * (PARTICIPANTS_PER_CONTROL + 1)}, "took_part"),
], ids=["reason", "follow-up", "arrests", "took-part"])
def test_the_api_refuses_results_over_their_limits_and_names_the_field(api_as, changes, field):
    control = plan()
    results = {"status": "held", "held_on": "2026-03-10", "persons_checked": 1,
               "businesses_checked": 1, "arrests": 0, "fines": 0, "took_part": ["kmar"],
               **changes}
    response = api_as("reporter_kmar").post(reverse("control-results", args=[control.pk]),
                                            results, format="json")
    assert response.status_code == 400
    assert field in response.json()
    control.refresh_from_db()
    assert control.status == "planned"


def test_the_form_refuses_results_the_api_refuses(as_user):
    control = plan()
    page = as_user("reporter_kmar").post(reverse("controls:action", args=[control.pk, "record"]), {
        "status": "held", "held_on": "2026-03-10", "persons_checked": 1,
        "businesses_checked": COUNT_MAX + 1, "arrests": 0, "fines": 0,
        "took_part": [org("kmar").pk],
        "follow_up_agreed": "x" * (RESULTS_TEXT["follow_up_agreed"] + 1)}).content.decode()
    assert f"less than or equal to {COUNT_MAX}" in page
    assert f"at most {RESULTS_TEXT['follow_up_agreed']} characters" in page
    control.refresh_from_db()
    assert control.status == "planned"


def test_a_control_takes_findings_up_to_its_maximum_and_then_says_why_not(as_user):
    control = plan()
    kmar = persona("reporter_kmar")
    ControlFinding.objects.bulk_create(
        ControlFinding(control=control, organisation=kmar.organisation, category="labour",
                       created_by=kmar) for _ in range(FINDINGS_PER_CONTROL - 1))
    url = reverse("controls:action", args=[control.pk, "finding"])
    client = as_user("reporter_kmar")
    finding = {"category": "labour", "count": 1, "description": "No contracts"}
    assert client.post(url, finding).status_code == 302
    page = client.post(url, finding).content.decode()
    assert f"A control has at most {FINDINGS_PER_CONTROL} findings." in page
    assert control.findings.count() == FINDINGS_PER_CONTROL
