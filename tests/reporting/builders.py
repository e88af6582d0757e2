"""A year of the register with known figures, for the report tests."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.dossiers import dossier_open, dossier_person_update, follow_up_add
from register.models import Organisation
from signals.models import SignalPerson
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


def name_again(mention_names, reporter, island="bonaire"):
    """A later signal naming persons already in the register, linked to them as triage would."""
    signal = file_signal(persona(reporter), island=island,
                         persons=[victim(n) for n in mention_names])
    for mention in signal.persons.all():
        known = SignalPerson.objects.filter(given_names=mention.given_names,
                                            person__isnull=False).first()
        mention.person = known.person
        mention.save(update_fields=["person"])
    return signal


@pytest.fixture
def reported_victims(db):
    """Seven presumed victims reported by KMar this year, V0 and V1 named again by SZW on Saba
    and V0 a second time by KMar; V0-V2 in labour exploitation; one victim last year."""
    analyst = persona("analyst_kpcn")
    signal = file_signal(persona("reporter_kmar"), persons=[victim(n) for n in range(7)])
    dossier = dossier_open(actor=analyst, signals=[signal], title="Case")
    for role in dossier.persons.all():
        number = int(role.person.mentions.first().given_names[1:])
        dossier_person_update(actor=analyst, role=role, values={
            "victim_status": "presumed", "identified_on": dt.date(YEAR, 2, 1),
            "form_of_exploitation": "labour_exploitation" if number < 3 else ""})
    name_again([0, 1], "reporter_szw", island="saba")
    name_again([0], "reporter_kmar")
    old = file_signal(persona("reporter_szw"), persons=[victim(99)])
    old_dossier = dossier_open(actor=analyst, signals=[old], title="Old")
    dossier_person_update(actor=analyst, role=old_dossier.persons.get(), values={
        "victim_status": "presumed", "identified_on": dt.date(YEAR - 1, 5, 5)})
