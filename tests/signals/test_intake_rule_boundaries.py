"""The intake rules at every boundary, as one table per rule (`signals/rules.py`).

The web form and the API both call these rules, so each row holds for both doors; the last
tests walk a few rows through the doors themselves.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from signals import rules
from signals.models import Signal
from tests.signals.builders import api_payload

FUTURE_SIGNAL = "The date of the signal cannot be in the future."
TOO_OLD_SIGNAL = "The date of the signal must be in the year 2000 or later."
PHONE = "Enter a phone number of digits, for example +599 717 8000."
NO_NAME = "Give a name or alias, or describe the person under notes if the name is unknown."
FUTURE_BIRTH = "The date of birth cannot be in the future."
TOO_OLD_BIRTH = "The date of birth must be in 1900 or later."
AGE_RANGE = "The estimated age must be between 0 and 120."
AGE_MISFIT = "The estimated age does not fit the date of birth; give one of the two."
NO_DOCUMENT_TYPE = "Choose the kind of document for this number."
NO_VEHICLE = "Give a name, a registration or a description."


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def days_from_today(days: int) -> dt.date:
    return rules.today() + dt.timedelta(days=days)


@pytest.mark.parametrize(("observed_on", "refusal"), [
    pytest.param(lambda: None, None, id="no date (the field's own rule asks for it)"),
    pytest.param(lambda: days_from_today(0), None, id="today is accepted"),
    pytest.param(lambda: days_from_today(-1), None, id="yesterday is accepted"),
    pytest.param(lambda: days_from_today(1), FUTURE_SIGNAL, id="tomorrow is refused"),
    pytest.param(lambda: dt.date(2000, 1, 1), None, id="the first day of 2000 is accepted"),
    pytest.param(lambda: dt.date(1999, 12, 31), TOO_OLD_SIGNAL, id="the last day of 1999 is "
                                                                    "refused"),
])
def test_the_date_of_a_signal_lies_between_the_year_2000_and_today(observed_on, refusal):
    assert rules.check_observed_on(observed_on()) == refusal


@pytest.mark.parametrize(("phone", "refusal"), [
    ("", None),
    ("+599 717 8000", None),
    ("123456", None),                    # six digits, the fewest accepted
    ("12345", PHONE),
    ("(599) 717-80.00/1", None),         # every separator the pattern allows
    ("+" + "1" * 24, None),              # 25 characters after the plus, the most accepted
    ("1" * 25, None),
    ("1" * 26, PHONE),
    ("12-34-5", PHONE),                  # the pattern fits, but only five digits
    ("(1) (2) (3) 4 5", PHONE),          # long enough, but only five digits
    ("--- ---", PHONE),                  # separators only
    ("++599 717 8000", PHONE),           # one plus at most, and only in front
    ("599+717 8000", PHONE),
    ("0800 CALL ME", PHONE),
    ("+599 717 8000 ext", PHONE),
])
def test_a_phone_number_is_digits_with_separators_and_at_least_six_digits(phone, refusal):
    assert rules.check_phone(phone) == refusal


def person(**values) -> dict:
    return {"role": "victim", "family_name": "Pérez", **values}


BORN_30_YEARS_AGO = 30 * 365 + 10  # days: 30 years by the rule's own count, not near 29 or 31


def born_days_ago(days: int) -> dt.date:
    return days_from_today(-days)


PERSON_ROWS = [
    # names: any one of the three, or notes, describes the person
    ("a family name alone describes a person", lambda: person(), {}),
    ("given names alone describe a person", lambda: {"given_names": "Luz"}, {}),
    ("an alias alone describes a person", lambda: {"alias": "Papi"}, {}),
    ("notes alone describe a person whose name is unknown",
     lambda: {"notes": "Tall, speaks Papiamentu, stays above the bar"}, {}),
    ("a role alone is refused", lambda: {"role": "suspect"}, {"family_name": NO_NAME}),
    ("empty names and notes are refused",
     lambda: {"family_name": None, "given_names": None, "alias": None, "notes": None},
     {"family_name": NO_NAME}),
    ("names of only spaces are refused",
     lambda: {"family_name": "   ", "given_names": " \t", "alias": "  "},
     {"family_name": NO_NAME}),
    ("notes of only spaces are refused", lambda: {"family_name": " ", "notes": "   "},
     {"family_name": NO_NAME}),
    # date of birth: from 1 January 1900 up to today
    ("born on 1 January 1900 is accepted",
     lambda: person(date_of_birth=dt.date(1900, 1, 1)), {}),
    ("born on 31 December 1899 is refused",
     lambda: person(date_of_birth=dt.date(1899, 12, 31)), {"date_of_birth": TOO_OLD_BIRTH}),
    ("born today is accepted", lambda: person(date_of_birth=days_from_today(0)), {}),
    ("born tomorrow is refused",
     lambda: person(date_of_birth=days_from_today(1)), {"date_of_birth": FUTURE_BIRTH}),
    # estimated age: 0 to 120
    ("an estimated age of 0 is accepted", lambda: person(estimated_age=0), {}),
    ("an estimated age of 120 is accepted", lambda: person(estimated_age=120), {}),
    ("an estimated age of -1 is refused",
     lambda: person(estimated_age=-1), {"estimated_age": AGE_RANGE}),
    ("an estimated age of 121 is refused",
     lambda: person(estimated_age=121), {"estimated_age": AGE_RANGE}),
    ("no estimated age is accepted", lambda: person(estimated_age=None), {}),
    # estimated age against a date of birth: five years either way
    ("an age that is the date of birth's is accepted",
     lambda: person(date_of_birth=born_days_ago(BORN_30_YEARS_AGO), estimated_age=30), {}),
    ("an age five years under the date of birth's is accepted",
     lambda: person(date_of_birth=born_days_ago(BORN_30_YEARS_AGO), estimated_age=25), {}),
    ("an age five years over the date of birth's is accepted",
     lambda: person(date_of_birth=born_days_ago(BORN_30_YEARS_AGO), estimated_age=35), {}),
    ("an age six years under the date of birth's is refused",
     lambda: person(date_of_birth=born_days_ago(BORN_30_YEARS_AGO), estimated_age=24),
     {"estimated_age": AGE_MISFIT}),
    ("an age six years over the date of birth's is refused",
     lambda: person(date_of_birth=born_days_ago(BORN_30_YEARS_AGO), estimated_age=36),
     {"estimated_age": AGE_MISFIT}),
    ("an age five years under, weeks before the next birthday, is accepted",
     lambda: person(date_of_birth=born_days_ago(30 * 365 + 340), estimated_age=25), {}),
    ("an age five years over, weeks before the next birthday, is accepted",
     lambda: person(date_of_birth=born_days_ago(30 * 365 + 340), estimated_age=35), {}),
    ("a newborn of estimated age 0 is accepted",
     lambda: person(date_of_birth=born_days_ago(0), estimated_age=0), {}),
    ("a newborn of estimated age 6 is refused",
     lambda: person(date_of_birth=born_days_ago(0), estimated_age=6),
     {"estimated_age": AGE_MISFIT}),
    # a date of birth already refused is not held against the age as well
    ("a future date of birth is not also compared with the age",
     lambda: person(date_of_birth=days_from_today(400), estimated_age=40),
     {"date_of_birth": FUTURE_BIRTH}),
    ("a date of birth before 1900 is not also compared with the age",
     lambda: person(date_of_birth=dt.date(1850, 1, 1), estimated_age=30),
     {"date_of_birth": TOO_OLD_BIRTH}),
    # an identity document: a number needs its type, a type alone is fine
    ("a document number with its type is accepted",
     lambda: person(document_type="passport", document_number="NX1234567"), {}),
    ("a document type without a number is accepted",
     lambda: person(document_type="passport"), {}),
    ("a document number without its type is refused",
     lambda: person(document_number="NX1234567"), {"document_type": NO_DOCUMENT_TYPE}),
    ("a document number with an empty type is refused",
     lambda: person(document_number="NX1234567", document_type=""),
     {"document_type": NO_DOCUMENT_TYPE}),
    # the person's phone follows the phone rule, and its refusal is reported on the person
    ("a person's good phone number is accepted", lambda: person(phone="+599 717 8000"), {}),
    ("a person without a phone number is accepted", lambda: person(phone=""), {}),
    ("a person whose phone is None is accepted", lambda: person(phone=None), {}),
    ("a person's phone of five digits is refused",
     lambda: person(phone="12345"), {"phone": PHONE}),
    ("a person's phone in words is refused", lambda: person(phone="call me"), {"phone": PHONE}),
    ("every refusal at once is reported, each on its own field",
     lambda: {"family_name": " ", "date_of_birth": days_from_today(1), "estimated_age": 121,
              "document_number": "123", "phone": "x"},
     {"family_name": NO_NAME, "date_of_birth": FUTURE_BIRTH, "estimated_age": AGE_RANGE,
      "document_type": NO_DOCUMENT_TYPE, "phone": PHONE}),
]


@pytest.mark.parametrize(("make", "refusal"), [
    pytest.param(make, refusal, id=description) for description, make, refusal in PERSON_ROWS])
def test_a_person_row_is_refused_exactly_where_a_rule_is_broken(make, refusal):
    assert rules.check_person(make()) == refusal


@pytest.mark.parametrize(("vehicle", "refusal"), [
    pytest.param({"kind": "vessel", "name": "Esperanza"}, {}, id="only a name"),
    pytest.param({"kind": "car", "registration": "B-1234"}, {}, id="only a registration"),
    pytest.param({"kind": "car", "description": "White pick-up, dented door"}, {},
                 id="only a description"),
    pytest.param({"kind": "vessel"}, {"name": NO_VEHICLE}, id="only a kind is refused"),
    pytest.param({"kind": "vessel", "name": None, "registration": None, "description": None},
                 {"name": NO_VEHICLE}, id="empty values are refused"),
    pytest.param({"kind": "car", "name": "  ", "registration": " ", "description": "\n"},
                 {"name": NO_VEHICLE}, id="values of only spaces are refused"),
    pytest.param({"kind": "car", "name": " ", "registration": "B-1234", "description": ""}, {},
                 id="a registration beside a blank name"),
])
def test_a_vehicle_needs_a_name_a_registration_or_a_description(vehicle, refusal):
    assert rules.check_vehicle(vehicle) == refusal


def test_the_api_accepts_a_signal_dated_today_and_refuses_one_dated_tomorrow(api_as):
    client = api_as("reporter_kmar")
    today = client.post(reverse("signal-list"), api_payload(
        observed_on=days_from_today(0).isoformat()), format="json")
    assert today.status_code == 201
    tomorrow = client.post(reverse("signal-list"), api_payload(
        observed_on=days_from_today(1).isoformat()), format="json")
    assert tomorrow.status_code == 400
    assert tomorrow.json()["observed_on"] == [FUTURE_SIGNAL]
    assert Signal.objects.count() == 1


def test_the_api_reports_a_persons_phone_and_age_errors_on_that_person(api_as):
    payload = api_payload(persons=[
        {"role": "victim", "family_name": "Pérez", "phone": "12-34-5"},
        {"role": "witness", "notes": "Older man at the gate", "estimated_age": 0},
        {"role": "suspect", "alias": "El Jefe",
         "date_of_birth": born_days_ago(BORN_30_YEARS_AGO).isoformat(), "estimated_age": 40},
    ])
    response = api_as("reporter_kmar").post(reverse("signal-list"), payload, format="json")
    assert response.status_code == 400
    assert response.json()["persons"] == {"0": {"phone": [PHONE]},
                                          "2": {"estimated_age": [AGE_MISFIT]}}


def test_the_web_form_refuses_the_same_rows_on_the_same_fields(as_user):
    import uuid

    from tests.signals.builders import form_data

    born = born_days_ago(BORN_30_YEARS_AGO).isoformat()
    response = as_user("reporter_kmar").post(reverse("signals:new"), form_data(
        uuid.uuid4().hex, **{
            "observed_on": days_from_today(1).isoformat(),
            "persons-TOTAL_FORMS": "3",
            "persons-0-phone": "12-34-5",
            "persons-1-date_of_birth": born, "persons-1-estimated_age": "40",
            "persons-2-role": "witness", "persons-2-sex": "unknown",
            "persons-2-document_number": "NX1234567",
        }))
    assert response.status_code == 200
    persons = response.context["formsets"]["persons"]
    assert [form.errors for form in persons.forms] == [
        {"phone": [PHONE]}, {"estimated_age": [AGE_MISFIT]},
        {"family_name": [NO_NAME], "document_type": [NO_DOCUMENT_TYPE]}]
    assert response.context["entry"].errors["observed_on"] == [FUTURE_SIGNAL]
    assert not Signal.objects.exists()
