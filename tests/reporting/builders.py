"""A year of the register with known figures, for the report tests."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.dossiers import dossier_open, dossier_person_update, follow_up_add
from register.models import Organisation
from tests.personas import persona
from tests.signals.builders import file_signal

YEAR = timezone.localdate().year


def victim(n):
    return {"role": "victim", "given_names": f"V{n}", "family_name": "Test", "sex": "female",
            "nationality": "VE", "estimated_age": 22}


@pytest.fixture
def register_year(db):
    """Seven presumed victims, two suspects, three investigations, one prosecution, one
    conviction and one acquittal in this year; one victim last year."""
    analyst = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), forms=["sexual_exploitation"],
                         persons=[victim(n) for n in range(7)] + [
                             {"role": "suspect", "family_name": "S1"},
                             {"role": "suspect", "family_name": "S2"}])
    dossier = dossier_open(actor=analyst, signals=[signal], title="Case")
    for role in dossier.persons.all():
        dossier_person_update(actor=analyst, role=role, values={
            "victim_status": "presumed" if role.role == "victim" else "",
            "identified_on": dt.date(YEAR, 2, 1)})
    kpcn, om = analyst.organisation, Organisation.objects.get(code="om")
    for _ in range(3):
        follow_up_add(actor=analyst, dossier=dossier, kind="criminal_investigation",
                      organisation=kpcn, outcome="done", happened_on=dt.date(YEAR, 1, 10))
    follow_up_add(actor=analyst, dossier=dossier, kind="prosecution", organisation=om,
                  outcome="done", happened_on=dt.date(YEAR, 1, 11))
    for outcome in ("conviction", "acquittal"):
        follow_up_add(actor=analyst, dossier=dossier, kind="verdict", organisation=om,
                      outcome=outcome, happened_on=dt.date(YEAR, 1, 12))
    old = file_signal(persona("reporter_szw"), persons=[victim(99)])
    old_dossier = dossier_open(actor=analyst, signals=[old], title="Old")
    dossier_person_update(actor=analyst, role=old_dossier.persons.get(), values={
        "victim_status": "confirmed", "identified_on": dt.date(YEAR - 1, 5, 5)})
    return dossier
