"""A person's timeline tells their case oldest first, across the signals and dossiers the
analyst may see, and nothing of a dossier hidden from her."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from casework.dossiers import (
    dossier_open,
    dossier_person_update,
    dossier_restrict,
    follow_up_add,
)
from casework.triage import mention_link, triage_take_in
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

VICTIM = {"role": "victim", "given_names": "Luz Marina", "family_name": "Kanariewitz"}


def texts(response) -> list[str]:
    return [moment.text for moment in response.context["timeline"]]


def test_the_timeline_tells_the_case_oldest_first(db, as_user):
    kpcn = persona("analyst_kpcn")
    first = file_signal(persona("reporter_kmar"), persons=[VICTIM], island="saba")
    Signal.objects.filter(pk=first.pk).update(received_at=timezone.now() - dt.timedelta(days=30))
    dossier = dossier_open(actor=kpcn, signals=[Signal.objects.get(pk=first.pk)], title="Case")
    person = Signal.objects.get(pk=first.pk).persons.get().person
    role = dossier.persons.get(person=person)
    identified = timezone.localdate() - dt.timedelta(days=10)
    dossier_person_update(actor=kpcn, role=role, values={
        "victim_status": "presumed", "status_decided_by": "police", "identified_on": identified})
    follow_up_add(actor=kpcn, dossier=dossier, kind="victim_care",
                  organisation=kpcn.organisation, due_on=timezone.localdate() - dt.timedelta(
                      days=5))
    later = file_signal(persona("reporter_szw"), persons=[VICTIM])
    triage_take_in(actor=kpcn, signal=later)
    mention_link(actor=kpcn, mention=Signal.objects.get(pk=later.pk).persons.get(),
                 person=person)

    page = as_user("analyst_kpcn").get(reverse("casework:person", args=[person.pk]))

    moments = page.context["timeline"]
    assert [m.on for m in moments] == sorted(m.on for m in moments)
    lines = texts(page)
    assert lines[0] == f"Mentioned as possible victim in signal {first.reference} (Saba)"
    assert f"Identified as victim in dossier {dossier.number} (presumed victim)" in lines
    assert any(line.startswith("Victim referred to care or shelter (KPCN, planned)")
               for line in lines)
    assert any(later.reference in line for line in lines)


def test_the_timeline_says_nothing_of_a_dossier_hidden_from_the_reader(db, as_user):
    kpcn = persona("analyst_kpcn")
    secret = file_signal(persona("reporter_kmar"), persons=[VICTIM])
    dossier = dossier_open(actor=kpcn, signals=[secret], title="Secret")
    follow_up_add(actor=kpcn, dossier=dossier, kind="victim_care",
                  organisation=kpcn.organisation, due_on=timezone.localdate())
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    person = Signal.objects.get(pk=secret.pk).persons.get().person
    public = file_signal(persona("reporter_szw"), persons=[VICTIM])
    triage_take_in(actor=kpcn, signal=public)
    mention_link(actor=kpcn, mention=Signal.objects.get(pk=public.pk).persons.get(),
                 person=person)

    page = as_user("analyst_om").get(reverse("casework:person", args=[person.pk]))

    assert page.status_code == 200
    lines = texts(page)
    assert lines == [f"Mentioned as possible victim in signal {public.reference} (Bonaire)"]
    assert dossier.number not in page.content.decode()
