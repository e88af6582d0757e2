"""The dossier page shows what is known and opens one edit form at a time, on demand."""

import pytest
from django.urls import reverse
from django.utils import translation

from casework.dossiers import dossier_open, follow_up_add
from register.models import AuditEvent
from tests.personas import persona
from tests.signals.builders import file_signal

EDIT_FIELDS = ('name="title"', 'name="text"', 'name="reference"', 'name="number"',
               'name="assign-analysts"', 'name="restrict-analysts"', 'name="kind"',
               'name="victim_status"', 'name="outcome"')


@pytest.fixture
def dossier(db):
    analyst = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Ana", "family_name": "Pérez"},
        {"role": "suspect", "given_names": "Rico", "family_name": "Boss"}])
    dossier = dossier_open(actor=analyst, signals=[signal], title="Bar case")
    follow_up_add(actor=analyst, dossier=dossier, kind="victim_care",
                  organisation=analyst.organisation)
    return dossier


@pytest.fixture
def client(as_user):
    return as_user("analyst_kpcn")


def test_the_dossier_page_holds_no_edit_form_but_links_to_each(client, dossier):
    page = client.get(reverse("casework:dossier", args=[dossier.number])).content.decode()
    for field in EDIT_FIELDS:
        assert field not in page
    for name in ("dossier_update", "dossier_assign", "dossier_restrict", "dossier_note",
                 "follow_up_add", "dossier_add_signal", "dossier_merge"):
        url = reverse(f"casework:{name}", args=[dossier.number])
        assert f'href="{url}" hx-get="{url}"' in page
    role = dossier.persons.get(role="victim")
    assert reverse("casework:dossier_person", args=[dossier.number, role.pk]) in page


def test_a_refused_edit_comes_back_with_the_error_at_the_field_and_the_typed_values(client,
                                                                                   dossier):
    url = reverse("casework:dossier_update", args=[dossier.number])
    with translation.override("en"):
        response = client.post(url, {"title": "Bar case, phase two", "status": "closed",
                                     "priority": 3, "closed_reason": ""},
                               HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page and "<html" in page
    assert 'value="Bar case, phase two"' in page
    assert '<option value="closed" selected>' in page
    dossier.refresh_from_db()
    assert dossier.title == "Bar case" and dossier.status != "closed"


def test_a_merge_into_a_dossier_one_may_not_see_is_refused_at_the_number(client, dossier):
    response = client.post(reverse("casework:dossier_merge", args=[dossier.number]),
                           {"number": "DS-2026-9999"})
    assert response.status_code == 200
    assert response.context["form"].errors["number"]


def test_someone_who_is_not_a_victim_gets_no_victim_status_fields(client, dossier):
    suspect = dossier.persons.get(role="suspect")
    url = reverse("casework:dossier_person", args=[dossier.number, suspect.pk])
    page = client.get(url).content.decode()
    assert 'name="identified_on"' in page and 'name="victim_status"' not in page
    # ... and posting one anyway changes nothing but the date.
    client.post(url, {"victim_status": "presumed", "identified_on": "2026-01-05"})
    suspect.refresh_from_db()
    assert suspect.victim_status == "" and str(suspect.identified_on) == "2026-01-05"


def test_an_outcome_opens_with_what_was_recorded_and_saves_it(client, dossier):
    action = dossier.follow_ups.get()
    url = reverse("casework:follow_up_outcome", args=[dossier.number, action.pk])
    form = client.get(url).context["form"]
    assert form.initial["outcome"] == action.outcome
    response = client.post(url, {"outcome": "done", "happened_on": "2026-02-01"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.outcome == "done"
    assert AuditEvent.objects.filter(action="register.follow_up.changed",
                                     detail__follow_up=action.pk).exists()


def test_opening_a_form_is_not_a_change_of_the_dossier(client, dossier):
    before = AuditEvent.objects.count()
    client.get(reverse("casework:dossier_update", args=[dossier.number]))
    assert AuditEvent.objects.count() == before


def test_opening_a_persons_form_is_a_read_of_what_is_recorded_about_them(client, dossier):
    victim = dossier.persons.get(role="victim")
    response = client.get(reverse("casework:dossier_person", args=[dossier.number, victim.pk]))
    event = AuditEvent.objects.get(request_id=response["X-Request-ID"])
    assert (event.action, event.detail) == ("register.dossier.person_viewed",
                                            {"person": victim.person_id})
    # A read, so not part of the dossier's history of changes.
    page = client.get(reverse("casework:dossier", args=[dossier.number]))
    assert all("person_viewed" not in e.action for e, _sentence in page.context["history"])
