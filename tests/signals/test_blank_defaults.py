"""No choice that feeds a figure starts on a real value; a row removed is not filed.

A pre-selected real value is filed by everyone who leaves it alone and then counts as an
answer: the person rows' "Sex" showed "Female" and every undescribed person was a woman in
"victims by sex". A single select without a selected option shows (and sends) its first
option, so that first option counts as the field's default too.
"""

import re

import pytest
from django import forms
from django.urls import reverse
from rest_framework.fields import empty

from signals.models import Signal
from tests.signals.builders import api_payload, form_data
from tests.signals.form_walk import choice_fields, choice_serializer_fields, form_classes

NOT_A_VALUE = {None, "", "unknown"}

# Choices that may start on a value, each with the reason it is not an answer that a figure
# counts. Everything else starts blank or "unknown".
ALLOWED = {
    "reporting.forms.ReportRequestForm.kind": "which report to make, not data",
    "reporting.forms.ReportRequestForm.language": "the language of the PDF, not data",
    "reporting.views.ReleaseForm.kind": "which anonymised release to make, not data",
    "register.views.privacy.DecisionForm.outcome":
        "a decision on a data-subject request, recorded on its own page and in no figure",
    "casework.dossier_forms.DossierOpenForm.priority":
        "the analysts' working order, in no figure",
    "casework.api.views.DossierCreateSerializer.priority":
        "the analysts' working order, in no figure",
    "casework.dossier_forms.DossierUpdateForm.status":
        "only ever shown filled with the dossier's own stored status",
    "casework.dossier_forms.DossierUpdateForm.priority":
        "only ever shown filled with the dossier's own stored priority",
    "casework.triage_forms.CodingForm.island":
        "a correction, only ever shown filled with the signal's own coding",
    "casework.triage_forms.CodingForm.sector":
        "a correction, only ever shown filled with the signal's own coding",
    "casework.dossier_forms.FollowUpForm.outcome":
        "'planned' is no result: the figures count only outcomes of actions that happened",
    "casework.dossier_forms.FollowUpOutcomeForm.outcome":
        "'planned' is no result: the figures count only outcomes of actions that happened",
}


def value(initial):
    initial = initial() if callable(initial) else initial
    return getattr(initial, "value", initial)  # a vocabulary member is its code


def is_a_value(initial) -> bool:
    initial = value(initial)
    if isinstance(initial, list | tuple | set):
        return any(is_a_value(item) for item in initial)
    return initial not in NOT_A_VALUE


def shows_its_first_option(field) -> bool:
    widget = field.widget
    return isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple)


def form_default(field):
    """What the field starts on: its initial, or the first option a select shows."""
    if is_a_value(field.initial):
        return value(field.initial)
    if not shows_its_first_option(field):
        return None  # radio buttons and checkboxes start with nothing ticked
    if getattr(field, "queryset", None) is not None:
        # A model choice has a blank first line unless Django dropped it.
        return "(the first row)" if field.empty_label is None else None
    options = [choice for choice in field.choices if not isinstance(choice[1], list | tuple)]
    return options[0][0] if options else None


def test_the_walk_finds_the_forms_the_formset_rows_and_the_serializers():
    walked = {where for where, _field in choice_fields()}
    assert {"signals.forms.PersonForm.sex", "signals.forms.PersonFormSet.form.sex",
            "signals.forms.SignalEntryForm.sector", "controls.forms.PlanForm.sector"} <= walked
    assert {"signals.api.serializers.PersonSerializer.sex"} <= {
        where for where, _field in choice_serializer_fields()}
    assert len(form_classes()) > 20


def test_no_form_choice_starts_on_a_real_value():
    started = {where: form_default(field) for where, field in choice_fields()
               if where not in ALLOWED}
    assert {where: default for where, default in started.items()
            if default not in NOT_A_VALUE} == {}


def test_no_serializer_choice_defaults_to_a_real_value():
    defaults = {where: value(field.default) for where, field in choice_serializer_fields()
                if where not in ALLOWED and field.default is not empty}
    assert {where: default for where, default in defaults.items()
            if is_a_value(default)} == {}


def test_every_allowed_exception_still_exists():
    walked = {where for where, _f in choice_fields()} | {
        where for where, _f in choice_serializer_fields()}
    assert set(ALLOWED) - walked == set()


# --- What a browser sends for a row nobody touched -------------------------------------------

def token_of(page: str) -> str:
    return re.search(r'name="form_token" value="(\w+)"', page).group(1)


def sent_by_a_browser(page: str, name: str) -> str:
    """The value a browser sends for a select: the selected option, else the first."""
    select = re.search(rf'<select[^>]* name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select {name} on the page"
    options = re.findall(r'<option value="([^"]*)"([^>]*)>', select.group(1))
    chosen = [code for code, rest in options if "selected" in rest]
    return chosen[0] if chosen else options[0][0]


def without_rows(token: str, **changes) -> dict:
    data = form_data(token, **changes)
    for kind in ("persons", "businesses", "vehicles"):
        for key in [key for key in data if key.startswith(f"{kind}-")]:
            del data[key]
        data.update({f"{kind}-TOTAL_FORMS": "0", f"{kind}-INITIAL_FORMS": "0"})
    return data


def add_a_row(client, kind: str) -> tuple[str, dict]:
    """Press "Add a person" (or business, vehicle) on an empty form; the page and its data."""
    url = reverse("signals:new")
    data = without_rows(token_of(client.get(url).content.decode()), action=f"add_{kind}")
    page = client.post(url, data).content.decode()
    data.update({f"{kind}-TOTAL_FORMS": "1", "action": "submit"})
    return page, data


def test_a_person_row_left_on_its_sex_is_filed_as_unknown_on_the_web_form(as_user):
    client = as_user("reporter_kmar")
    page, data = add_a_row(client, "persons")
    data.update({"persons-0-role": "victim", "persons-0-given_names": "Ana",
                 "persons-0-sex": sent_by_a_browser(page, "persons-0-sex")})

    response = client.post(reverse("signals:new"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Signal.objects.get().persons.get().sex == "unknown"


def test_a_new_signal_form_starts_on_an_unknown_sector(as_user):
    page = as_user("reporter_kmar").get(reverse("signals:new")).content.decode()
    assert sent_by_a_browser(page, "sector") == "unknown"


def test_a_vehicle_row_with_only_a_name_is_not_filed_as_a_vessel(as_user):
    client = as_user("reporter_kmar")
    page, data = add_a_row(client, "vehicles")
    data.update({"vehicles-0-name": "Esperanza",
                 "vehicles-0-kind": sent_by_a_browser(page, "vehicles-0-kind")})

    response = client.post(reverse("signals:new"), data)

    assert response.status_code == 200
    assert 'id="id_vehicles-0-kind_error"' in response.content.decode()
    assert not Signal.objects.exists()


def test_a_row_added_and_left_alone_is_not_filed(as_user):
    client = as_user("reporter_kmar")
    page, data = add_a_row(client, "persons")
    data.update({f"persons-0-{name}": sent_by_a_browser(page, f"persons-0-{name}")
                 for name in ("role", "sex", "nationality", "document_type")})

    assert client.post(reverse("signals:new"), data).status_code == 302
    assert not Signal.objects.get().persons.exists()


def test_a_person_sent_without_a_sex_through_the_api_is_filed_as_unknown(api_as):
    payload = api_payload(persons=[{"role": "victim", "given_names": "Ana"}])

    response = api_as("reporter_kmar").post("/api/v1/signals/", payload, format="json")

    assert response.status_code == 201, response.content
    assert Signal.objects.get().persons.get().sex == "unknown"


# --- Removing a row without JavaScript -------------------------------------------------------

def two_persons(token: str, **changes) -> dict:
    return form_data(token, **changes)  # a victim (row 0) and a suspect (row 1)


@pytest.mark.parametrize("removed", [False, True], ids=["kept", "removed"])
def test_a_person_ticked_for_removal_is_not_filed(as_user, removed):
    client = as_user("reporter_kmar")
    url = reverse("signals:new")
    token = token_of(client.get(url).content.decode())
    flag = {"persons-1-DELETE": "on"} if removed else {}

    response = client.post(url, two_persons(token, **flag))

    assert response.status_code == 302, response.content.decode()[:3000]
    roles = list(Signal.objects.get().persons.values_list("role", flat=True))
    assert roles == (["victim"] if removed else ["victim", "suspect"])


@pytest.mark.parametrize("kind, row", [("businesses", {"businesses-0-name": "Bar Demo"}),
                                       ("vehicles", {"vehicles-0-kind": "vessel"})])
def test_a_business_or_vehicle_ticked_for_removal_is_not_filed(as_user, kind, row):
    client = as_user("reporter_kmar")
    url = reverse("signals:new")
    token = token_of(client.get(url).content.decode())

    response = client.post(url, form_data(token, **{f"{kind}-0-DELETE": "on"}))

    assert response.status_code == 302
    assert not getattr(Signal.objects.get(), kind).exists()


def test_a_removed_row_with_mistakes_neither_stops_the_signal_nor_is_filed(as_user):
    client = as_user("reporter_kmar")
    url = reverse("signals:new")
    token = token_of(client.get(url).content.decode())
    # Row 1 has no role, which a kept row must have; it is ticked for removal.
    data = two_persons(token, **{"persons-1-role": "", "persons-1-DELETE": "on"})

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Signal.objects.get().persons.count() == 1


def test_the_service_gets_no_removed_row(as_user, monkeypatch):
    from signals.views import entry

    received = {}
    real = entry.signal_submit

    def spy(**kwargs):
        received.update(persons=kwargs["data"].persons)
        return real(**kwargs)

    client = as_user("reporter_kmar")
    url = reverse("signals:new")
    token = token_of(client.get(url).content.decode())
    # signal_entry takes the service as a default argument.
    monkeypatch.setitem(entry.signal_entry.__kwdefaults__, "submit", spy)

    client.post(url, two_persons(token, **{"persons-0-DELETE": "on"}))

    assert [p["role"] for p in received["persons"]] == ["suspect"]
    assert all("DELETE" not in p or not p["DELETE"] for p in received["persons"])


def test_every_row_has_a_visible_labelled_removal_checkbox(as_user):
    client = as_user("reporter_kmar")
    url = reverse("signals:new")
    token = token_of(client.get(url).content.decode())
    page = client.post(url, two_persons(token, action="add_vehicles")).content.decode()

    for name, label in (("persons-0", "Remove this person"), ("persons-1", "Remove this person"),
                        ("businesses-0", "Remove this business"),
                        ("vehicles-1", "Remove this vessel or vehicle")):
        checkbox = (rf'<label for="id_{name}-DELETE"><input type="checkbox" '
                    rf'name="{name}-DELETE" id="id_{name}-DELETE"> {label}</label>')
        assert re.search(checkbox, page), name
