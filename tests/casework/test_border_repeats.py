"""The triage page says so prominently when a person in a border signal was met at the
border before."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.triage import triage_take_in
from tests.personas import persona
from tests.signals.builders import file_signal

pytestmark = pytest.mark.django_db
PEREZ = {"role": "victim", "family_name": "Pérez", "given_names": "Ana", "nationality": "VE",
         "date_of_birth": dt.date(1990, 4, 12), "phone": "+599 717 4455"}


def border_signal(**changes):
    values = {"forms": ["people_smuggling"], "island": "at_sea", "persons": [PEREZ]}
    return file_signal(persona("reporter_kmar"), **{**values, **changes})


def page_of(as_user, signal) -> str:
    return as_user("analyst_kpcn").get(
        reverse("signals:detail", args=[signal.reference])).content.decode()


def test_a_person_intercepted_before_is_named_on_the_new_border_signal(as_user):
    first = border_signal()
    triage_take_in(actor=persona("analyst_kpcn"), signal=first)
    second = border_signal()
    page = page_of(as_user, second)
    assert "border-repeat" in page
    assert first.reference in page


def test_no_notice_when_the_earlier_signal_was_not_at_the_border(as_user):
    first = border_signal(forms=["labour_exploitation"], island="bonaire")
    triage_take_in(actor=persona("analyst_kpcn"), signal=first)
    second = border_signal()
    assert "border-repeat" not in page_of(as_user, second)


def test_no_notice_on_a_signal_that_is_not_about_the_border(as_user):
    first = border_signal()
    triage_take_in(actor=persona("analyst_kpcn"), signal=first)
    second = border_signal(forms=["labour_exploitation"], island="bonaire")
    assert "border-repeat" not in page_of(as_user, second)
