"""Limits on what one signal may hold: the same at the web form and the API, enforced before
any work is done, and a quota on the files kept for refused forms (issue 12, items 6, 8, 9)."""

import importlib
import re
from pathlib import Path

import pytest
from django import forms
from django.forms import BaseFormSet
from django.urls import reverse
from rest_framework import serializers

from casework.api.views import DossierCreateSerializer, SignalsSerializer, TextSerializer
from casework.dossier_forms import DossierOpenForm
from casework.triage_forms import DeclineForm, QuestionForm
from signals.api.serializers import (
    BusinessSerializer,
    PersonSerializer,
    SignalSerializer,
    VehicleSerializer,
)
from signals.forms import (
    PART_FORMSETS,
    BusinessForm,
    PartForm,
    PersonForm,
    SignalEntryForm,
    VehicleForm,
)
from signals.limits import (
    BUSINESS_TEXT,
    PARTS_PER_SIGNAL,
    PERSON_TEXT,
    SIGNAL_TEXT,
    SIGNALS_PER_REQUEST,
    TRIAGE_TEXT,
    VEHICLE_TEXT,
)
from signals.models import Signal, SignalBusiness, SignalPerson, SignalVehicle, StagedUpload
from signals.services import staged_upload_keep
from signals.vocab import ExploitationForm, Indicator
from tests.personas import persona
from tests.signals.builders import PDF_BYTES, api_payload, file_signal, form_data, upload

NEW = reverse("signals:new")
API = "/api/v1/signals/"
LIMIT_MESSAGE = {
    "persons": f"A signal names at most {PARTS_PER_SIGNAL} persons.",
    "businesses": f"A signal names at most {PARTS_PER_SIGNAL} businesses.",
    "vehicles": f"A signal names at most {PARTS_PER_SIGNAL} vessels or vehicles.",
}
DAMAGED = "The form was damaged; please reload the page."
# The refusal page is the site layout and two sentences; the attack's page was 15 MB.
SMALL_PAGE = 20_000


@pytest.fixture
def reporter(as_user):
    return as_user("reporter_kmar")


@pytest.fixture
def token(reporter):
    page = reporter.get(NEW).content.decode()
    return re.search(r'name="form_token" value="(\w+)"', page).group(1)


@pytest.fixture
def no_row_is_built(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a row form was built for a request that claims too many rows")

    monkeypatch.setattr(PartForm, "__init__", refuse)


def every_row_field(prefix: str, index: int, form_class, **values) -> dict:
    """One row as a browser sends it: every field, empty where nothing was typed."""
    row = {f"{prefix}-{index}-{field}": "" for field in form_class.base_fields}
    row.update({f"{prefix}-{index}-{field}": value for field, value in values.items()})
    return row


def full_signal(token: str) -> dict:
    """Every row the form allows, every box ticked, every field sent (over 1,000 fields)."""
    data = form_data(token, forms=list(ExploitationForm.values),
                     indicators=list(Indicator.values), immediate_danger="on",
                     csrfmiddlewaretoken="x" * 64)
    for name, _cls in PART_FORMSETS:
        data.update({f"{name}-TOTAL_FORMS": str(PARTS_PER_SIGNAL), f"{name}-INITIAL_FORMS": "0",
                     f"{name}-MIN_NUM_FORMS": "0", f"{name}-MAX_NUM_FORMS": str(PARTS_PER_SIGNAL)})
    for i in range(PARTS_PER_SIGNAL):
        data.update(every_row_field("persons", i, PersonForm, role="witness", sex="unknown",
                                    family_name=f"Persona {i}"))
        data.update(every_row_field("businesses", i, BusinessForm, name=f"Bedrijf {i}"))
        data.update(every_row_field("vehicles", i, VehicleForm, kind="vessel",
                                    name=f"Boot {i}"))
    return data


# --- item 6: a row count the form never offers is refused before any row is built ---------

@pytest.mark.parametrize("name", [name for name, _cls in PART_FORMSETS])
@pytest.mark.parametrize("claimed, message", [
    ("1000", "limit"), (str(10**9), "limit"), ("9" * 5000, "limit"),
    (str(PARTS_PER_SIGNAL + 1), "limit"), ("-1", DAMAGED), ("abc", DAMAGED), ("", DAMAGED),
    ("١٢", DAMAGED),
])
def test_a_row_count_over_the_maximum_or_not_a_number_is_refused_with_a_small_page(
        reporter, token, no_row_is_built, name, claimed, message):
    for action in ("submit", f"add_{name}"):
        data = form_data(token, action=action, **{f"{name}-TOTAL_FORMS": claimed})
        response = reporter.post(NEW, data)
        assert response.status_code == 400
        assert len(response.content) < SMALL_PAGE
        expected = LIMIT_MESSAGE[name] if message == "limit" else message
        assert expected in response.content.decode()
    assert Signal.objects.count() == 0
    assert StagedUpload.objects.count() == 0


def test_a_signal_with_every_row_the_form_allows_is_accepted_as_a_browser_sends_it(
        reporter, token):
    response = reporter.post(NEW, full_signal(token))
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.persons.count() == PARTS_PER_SIGNAL
    assert signal.businesses.count() == PARTS_PER_SIGNAL
    assert signal.vehicles.count() == PARTS_PER_SIGNAL


def test_adding_a_row_at_the_maximum_adds_none_says_why_and_keeps_what_was_typed(
        reporter, token):
    data = full_signal(token)
    data["action"] = "add_persons"
    page = reporter.post(NEW, data).content.decode()
    assert f'name="persons-TOTAL_FORMS" value="{PARTS_PER_SIGNAL}"' in page
    assert f'name="persons-{PARTS_PER_SIGNAL}-' not in page
    assert page.count(LIMIT_MESSAGE["persons"]) >= 2  # in the summary and under the rows
    assert 'value="add_persons"' not in page  # the button stops at the maximum
    assert 'value="add_businesses"' not in page
    assert f'value="Persona {PARTS_PER_SIGNAL - 1}"' in page
    assert Signal.objects.count() == 0


def test_below_the_maximum_a_row_can_still_be_added(reporter, token):
    page = reporter.post(NEW, form_data(token, action="add_vehicles")).content.decode()
    assert 'name="vehicles-TOTAL_FORMS" value="2"' in page
    assert 'value="add_vehicles"' in page
    assert LIMIT_MESSAGE["vehicles"] not in page


APPS = ("register", "signals", "casework", "controls", "reporting")


def _formset_classes():
    """Every formset the apps define, so a new one cannot escape the rule."""
    root = Path(__file__).resolve().parents[2]
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "formset" in path.read_text(encoding="utf-8") and "migrations" not in path.parts:
                importlib.import_module(".".join(path.relative_to(root).with_suffix("").parts))
    found, todo = [], [BaseFormSet]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        form = getattr(cls, "form", None)  # formset_factory's classes carry their form
        if form is not None and form.__module__.split(".")[0] in APPS:
            found.append(cls)
    return found


def test_every_formset_has_a_hard_maximum_that_a_request_cannot_raise():
    formsets = _formset_classes()
    assert {cls for _name, cls in PART_FORMSETS} <= set(formsets)
    for cls in formsets:
        assert cls.validate_max, cls
        assert cls.absolute_max == cls.max_num, cls  # Django's default is max_num + 1000


# --- item 8: one set of limits for the form and the API ---------------------------------

FORM_AND_SERIALIZER = [
    (SignalEntryForm, SignalSerializer, Signal, SIGNAL_TEXT),
    (PersonForm, PersonSerializer, SignalPerson, PERSON_TEXT),
    (BusinessForm, BusinessSerializer, SignalBusiness, BUSINESS_TEXT),
    (VehicleForm, VehicleSerializer, SignalVehicle, VEHICLE_TEXT),
]


def _limits(field) -> dict:
    """What bounds a field's value: its length if it is free text, its range if a number."""
    if isinstance(field, forms.CharField | serializers.CharField):
        return {"max_length": field.max_length}
    if isinstance(field, forms.IntegerField | serializers.IntegerField):
        return {"min_value": field.min_value, "max_value": field.max_value}
    return {}


def _is_choice(field) -> bool:
    return isinstance(field, forms.ChoiceField | serializers.ChoiceField)


@pytest.mark.parametrize("form_class, serializer_class, model, limits", FORM_AND_SERIALIZER,
                         ids=lambda v: getattr(v, "__name__", ""))
def test_the_form_and_the_api_apply_the_same_limits_and_each_fits_its_column(
        form_class, serializer_class, model, limits):
    form_fields = (form_class(paper=True) if form_class is SignalEntryForm
                   else form_class()).fields
    api_fields = {name: f for name, f in serializer_class().fields.items() if not f.read_only}
    compared = set()
    for name in form_fields.keys() & api_fields.keys():
        if _is_choice(form_fields[name]) or _is_choice(api_fields[name]):
            continue  # bounded by its choices (a country list in the form, a code in the API)
        assert _limits(form_fields[name]) == _limits(api_fields[name]), name
        if _limits(form_fields[name]):
            compared.add(name)
    assert set(limits) <= compared
    for name, field in api_fields.items():  # no free text at the API is unbounded
        if isinstance(field, serializers.CharField):
            assert field.max_length is not None, name
    for name, length in limits.items():
        column = model._meta.get_field(name)
        if column.get_internal_type() != "TextField":  # a text column has no length to fit
            assert column.max_length == length, name


def test_the_rows_the_form_offers_are_the_rows_the_api_takes():
    api = SignalSerializer().fields
    for name, formset_class in PART_FORMSETS:
        assert formset_class.max_num == formset_class.absolute_max == api[name].max_length
        assert api[name].max_length == PARTS_PER_SIGNAL


def test_triage_text_and_dossier_titles_have_one_limit_at_both_doors():
    assert QuestionForm.base_fields["question"].max_length == TRIAGE_TEXT
    assert DeclineForm.base_fields["reason"].max_length == TRIAGE_TEXT
    assert TextSerializer().fields["text"].max_length == TRIAGE_TEXT
    assert (DossierOpenForm.base_fields["title"].max_length
            == DossierCreateSerializer().fields["title"].max_length)
    assert SignalsSerializer().fields["signals"].max_length == SIGNALS_PER_REQUEST


def _too_long(limits, row=None):
    for name, length in limits.items():
        value = "x" * (length + 1)
        payload = api_payload(**({row: [{**api_payload()[row][0], name: value}]} if row
                                 else {name: value}))
        yield pytest.param(payload, (row, 0, name) if row else (name,), length,
                           id=f"{row or 'signal'}.{name}")


@pytest.mark.parametrize("payload, path, limit", [
    *_too_long(SIGNAL_TEXT), *_too_long(PERSON_TEXT, "persons"),
    *_too_long(BUSINESS_TEXT, "businesses"), *_too_long(VEHICLE_TEXT, "vehicles"),
])
def test_the_api_refuses_text_over_its_limit_and_names_the_field(api_as, payload, path, limit):
    response = api_as("reporter_kmar").post(API, payload, format="json")
    assert response.status_code == 400
    errors = response.json()
    for step in path:  # a row's errors come keyed by its index
        errors = errors[step] if isinstance(errors, list) else errors[str(step)]
    assert any(str(limit) in message for message in errors)
    assert Signal.objects.count() == 0


@pytest.mark.parametrize("name", [name for name, _cls in PART_FORMSETS])
def test_the_api_refuses_more_rows_than_the_form_offers_and_names_the_list(api_as, name):
    row = api_payload()[name][0]
    response = api_as("reporter_kmar").post(
        API, api_payload(**{name: [row] * (PARTS_PER_SIGNAL + 1)}), format="json")
    assert response.status_code == 400
    assert str(PARTS_PER_SIGNAL) in str(response.json()[name])
    assert Signal.objects.count() == 0


def test_the_api_takes_exactly_the_maximum(api_as):
    payload = api_payload(description="x" * SIGNAL_TEXT["description"],
                          persons=[{"role": "witness", "family_name": f"Persona {i}"}
                                   for i in range(PARTS_PER_SIGNAL)])
    response = api_as("reporter_kmar").post(API, payload, format="json")
    assert response.status_code == 201
    assert Signal.objects.get().persons.count() == PARTS_PER_SIGNAL


def test_a_triage_text_over_the_limit_is_refused_by_the_api(api_as):
    signal = file_signal(persona("reporter_kmar"))
    response = api_as("analyst_kpcn").post(f"{API}{signal.reference}/ask/",
                                           {"text": "x" * (TRIAGE_TEXT + 1)}, format="json")
    assert response.status_code == 400
    assert str(TRIAGE_TEXT) in response.json()["text"][0]


# --- item 9: a quota on the files kept for refused forms --------------------------------

def _stage_elsewhere(user, size: int) -> None:
    """Files kept for another form of the same user (a new form token each time)."""
    staged_upload_keep(actor=user, form_token="0" * 32, name="earlier.pdf",
                       content_type="application/pdf",
                       file=upload("earlier.pdf", PDF_BYTES + b"0" * (size - len(PDF_BYTES))))


def test_a_reporter_cannot_keep_files_past_the_quota_and_is_told_next_to_the_field(
        reporter, token, settings):
    settings.STAGED_UPLOAD_QUOTA_BYTES = 1000
    _stage_elsewhere(persona("reporter_kmar"), 990)
    response = reporter.post(NEW, form_data(token, forms=[], location="Playa Lechi",
                                            attachments=[upload("statement.pdf", PDF_BYTES)]))
    page = response.content.decode()
    assert response.status_code == 200
    field = re.search(r'<div class="field[^"]*">(?:(?!<div class="field).)*'
                      r'name="attachments".*?</div>', page, re.S)
    assert field is not None
    assert ("statement.pdf was not kept, because files kept from forms not yet sent may take "
            "up at most 1000") in field.group(0)
    assert 'value="Playa Lechi"' in page  # nothing else the user typed is lost
    assert 'value="García Londoño"' in page
    assert not StagedUpload.objects.filter(original_name="statement.pdf").exists()


def test_new_form_tokens_do_not_reset_the_quota(reporter, settings):
    settings.STAGED_UPLOAD_QUOTA_BYTES = 3 * len(PDF_BYTES)
    for attempt in range(6):
        fresh = f"{attempt + 1:032x}"
        reporter.post(NEW, form_data(fresh, forms=[],
                                     attachments=[upload(f"f{attempt}.pdf", PDF_BYTES)]))
    owner = persona("reporter_kmar")
    assert StagedUpload.objects.filter(owner=owner).count() == 3
    assert sum(u.size for u in StagedUpload.objects.filter(owner=owner)) <= 3 * len(PDF_BYTES)


def test_within_the_quota_files_are_kept_and_a_full_form_still_sends_its_files(
        reporter, token, settings):
    settings.STAGED_UPLOAD_QUOTA_BYTES = len(PDF_BYTES)
    reporter.post(NEW, form_data(token, forms=[], attachments=[upload("a.pdf", PDF_BYTES)]))
    assert StagedUpload.objects.count() == 1
    # Files sent with a form that is accepted are never staged, so the quota does not apply.
    response = reporter.post(NEW, form_data(token, attachments=[upload("b.pdf", PDF_BYTES)]))
    assert response.status_code == 302
    assert sorted(a.original_name for a in Signal.objects.get().attachments.all()) == [
        "a.pdf", "b.pdf"]


def test_the_quota_is_per_user(reporter, token, settings):
    settings.STAGED_UPLOAD_QUOTA_BYTES = 1000
    _stage_elsewhere(persona("reporter_kmar_colleague"), 990)
    reporter.post(NEW, form_data(token, forms=[], attachments=[upload("mine.pdf", PDF_BYTES)]))
    assert StagedUpload.objects.filter(original_name="mine.pdf").exists()
