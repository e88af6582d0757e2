"""What a restricted dossier holds stays with the analysts it is granted to, by every path."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework.dossiers import (
    dossier_add_signals,
    dossier_merge,
    dossier_open,
    dossier_person_update,
    dossier_remove_signal,
    dossier_restrict,
)
from casework.matching import suggest_persons
from casework.persons import person_merge, person_unmerge
from casework.triage import mention_link, triage_take_in
from register.models import AuditEvent, Dossier, DossierPerson
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

SECRET = {"role": "suspect", "given_names": "Rico", "family_name": "Boss", "alias": "El Jefe",
          "phone": "+599 717 4242", "date_of_birth": dt.date(1970, 7, 7)}
OPEN = {"role": "suspect", "given_names": "Rico", "family_name": "Boss"}


@pytest.fixture
def kpcn(db):
    return persona("analyst_kpcn")


@pytest.fixture
def shared_person(kpcn):
    """Rico Boss, known from a restricted dossier (with alias, phone, birth date) and from an
    open signal (name only)."""
    secret = file_signal(persona("reporter_kmar"), persons=[SECRET])
    dossier = dossier_open(actor=kpcn, signals=[secret], title="Secret")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    person = Signal.objects.get(pk=secret.pk).persons.get().person
    public = file_signal(persona("reporter_szw"), persons=[OPEN])
    triage_take_in(actor=kpcn, signal=public)
    mention = Signal.objects.get(pk=public.pk).persons.get()
    mention_link(actor=kpcn, mention=mention, person=person)
    return person


def test_what_only_the_restricted_signal_says_does_not_find_the_person(shared_person, as_user):
    other = as_user("analyst_om")
    by_phone = other.post(reverse("casework:search"), {"query": "+599 717 4242"})
    assert by_phone.context["results"]["persons"] == []
    by_alias = other.post(reverse("casework:search"), {"query": "El Jefe"})
    assert by_alias.context["results"]["persons"] == []
    granted = as_user("analyst_kpcn").post(reverse("casework:search"), {"query": "El Jefe"})
    assert granted.context["results"]["persons"] == [shared_person]


def test_what_only_the_restricted_signal_says_is_not_a_suggestion_reason(shared_person):
    from django.utils import translation

    new = file_signal(persona("reporter_szw"), persons=[
        {"role": "witness", "family_name": "Boss", "phone": "7174242"}])
    mention = new.persons.get()
    with translation.override("en"):
        other = suggest_persons(mention, user=persona("analyst_om"))
        granted = suggest_persons(mention, user=persona("analyst_kpcn"))
    assert [s.person for s in granted] == [shared_person]
    assert "same phone number" in granted[0].reasons
    assert all("same phone number" not in s.reasons for s in other)


def test_the_person_page_shows_only_what_the_analyst_may_know(shared_person, as_user):
    url = reverse("casework:person", args=[shared_person.pk])
    other = as_user("analyst_om").get(url).content.decode()
    assert "Rico Boss" in other
    assert "El Jefe" not in other and "1970" not in other
    granted = as_user("analyst_kpcn").get(url).content.decode()
    assert "El Jefe" in granted


def test_a_person_known_only_from_a_restricted_role_stays_hidden(kpcn, as_user):
    secret = file_signal(persona("reporter_kmar"), persons=[SECRET])
    dossier = dossier_open(actor=kpcn, signals=[secret], title="Secret")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    mention = Signal.objects.get(pk=secret.pk).persons.get()
    person = mention.person
    dossier_person_update(actor=kpcn, role=dossier.persons.get(), values={
        "identified_on": dt.date(2026, 1, 1)})
    other = file_signal(persona("reporter_kmar"), persons=[OPEN])
    triage_take_in(actor=kpcn, signal=other)
    mention_link(actor=kpcn, mention=mention, person=Signal.objects.get(
        pk=other.pk).persons.get().person)  # the restricted mention moves on
    assert not person.mentions.exists()
    url = reverse("casework:person", args=[person.pk])
    assert as_user("analyst_om").get(url).status_code == 404


def test_only_assigned_analysts_decide_who_may_see_a_dossier(kpcn, as_user):
    dossier = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_kmar"))],
                           title="Case")
    with pytest.raises(ValidationError):
        dossier_restrict(actor=persona("analyst_om"), dossier=dossier,
                         analysts=[persona("analyst_om")])
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[persona("analyst_om")])
    assert as_user("analyst_kpcn").get(
        reverse("casework:dossier", args=[dossier.number])).status_code == 200


def test_two_dossiers_restricted_to_different_analysts_are_not_merged(kpcn):
    om = persona("analyst_om")
    first = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_kmar"))],
                         title="One")
    dossier_restrict(actor=kpcn, dossier=first, analysts=[kpcn])
    second = dossier_open(actor=om, signals=[file_signal(persona("reporter_kmar"))],
                          title="Two")
    dossier_restrict(actor=om, dossier=second, analysts=[om])
    with pytest.raises(ValidationError):
        dossier_merge(actor=kpcn, source=first, target=second)
    assert Dossier.objects.get(pk=first.pk).merged_into is None


def test_a_signal_does_not_leave_a_restricted_dossier_unnoticed(kpcn):
    signal = file_signal(persona("reporter_kmar"))
    secret = dossier_open(actor=kpcn, signals=[signal], title="Secret")
    dossier_restrict(actor=kpcn, dossier=secret, analysts=[kpcn])
    open_case = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_kmar"))],
                             title="Open")
    signal = Signal.objects.get(pk=signal.pk)
    with pytest.raises(ValidationError):
        dossier_remove_signal(actor=kpcn, dossier=secret, signal=signal)
    with pytest.raises(ValidationError):
        dossier_add_signals(actor=kpcn, dossier=open_case, signals=[signal])
    assert Signal.objects.get(pk=signal.pk).dossier == secret


def test_merges_keep_the_annual_figures_once(kpcn):
    victim = {"role": "victim", "given_names": "Ana", "family_name": "Pérez"}
    first_signal = file_signal(persona("reporter_kmar"), persons=[victim])
    second_signal = file_signal(persona("reporter_kmar"), persons=[victim])
    first = dossier_open(actor=kpcn, signals=[first_signal], title="One")
    person = Signal.objects.get(pk=first_signal.pk).persons.get().person
    triage_take_in(actor=kpcn, signal=second_signal)
    mention_link(actor=kpcn, mention=Signal.objects.get(pk=second_signal.pk).persons.get(),
                 person=person)
    second = dossier_open(actor=kpcn, signals=[Signal.objects.get(pk=second_signal.pk)],
                          title="Two")
    dossier_person_update(actor=kpcn, role=first.persons.get(), values={
        "victim_status": "confirmed", "identified_on": dt.date(2026, 1, 2)})
    dossier_merge(actor=kpcn, source=first, target=second)
    rows = DossierPerson.objects.filter(person=person, role="victim")
    assert rows.count() == 1
    assert (rows.get().dossier, rows.get().victim_status, rows.get().identified_on) == (
        second, "confirmed", dt.date(2026, 1, 2))


def test_a_person_merge_keeps_the_figures_and_its_undo_restores_both(kpcn):
    victim = {"role": "victim", "given_names": "Ana", "family_name": "Pérez",
              "phone": "+599 700 1111"}
    one = file_signal(persona("reporter_kmar"), persons=[victim])
    two = file_signal(persona("reporter_kmar"), persons=[{**victim, "phone": "+599 700 2222"}])
    dossier = dossier_open(actor=kpcn, signals=[one, two], title="Case")
    first, second = (Signal.objects.get(pk=s.pk).persons.get().person for s in (one, two))
    dossier_person_update(actor=kpcn, role=dossier.persons.get(person=second), values={
        "victim_status": "presumed", "identified_on": dt.date(2026, 3, 3)})
    merge = person_merge(actor=kpcn, source=second, target=first)
    kept = dossier.persons.get()
    assert (kept.person, kept.victim_status) == (first, "presumed")
    person_unmerge(actor=kpcn, merge=merge)
    assert {(r.person_id, r.victim_status) for r in dossier.persons.all()} == {
        (first.pk, ""), (second.pk, "presumed")}
    assert first.identifiers.filter(kind="phone", value="7001111").exists()


def test_a_late_answer_is_refused_once_the_signal_is_dealt_with(kpcn, as_user):
    signal = file_signal(persona("reporter_kmar"))
    client = as_user("analyst_kpcn")
    client.post(reverse("signals:ask", args=[signal.reference]), {"question": "?"})
    triage_take_in(actor=kpcn, signal=Signal.objects.get(pk=signal.pk))
    question = signal.questions.get()
    as_user("reporter_kmar").post(reverse("signals:answer_question",
                                          args=[signal.reference, question.pk]),
                                  {"answer": "too late"})
    assert signal.questions.get().answer == ""
    assert Signal.objects.get(pk=signal.pk).status == "in_register"


def test_a_closed_dossier_counts_as_followed_up(kpcn, as_user, settings):
    from django.utils import timezone

    settings.FOLLOW_UP_DAYS = 1
    signal = file_signal(persona("reporter_kmar"))
    Signal.objects.filter(pk=signal.pk).update(received_at=timezone.now() - dt.timedelta(days=5))
    dossier = dossier_open(actor=kpcn, signals=[signal], title="Case")
    overdue = reverse("casework:inbox")
    listed = as_user("analyst_kpcn").get(overdue, {"view": "overdue"}).context["page"]
    assert [s.pk for s in listed] == [signal.pk]
    Dossier.objects.filter(pk=dossier.pk).update(status="closed", closed_reason="No case")
    listed = as_user("analyst_kpcn").get(overdue, {"view": "overdue"}).context["page"]
    assert list(listed) == []


def test_removing_signals_through_the_api_is_all_or_nothing(kpcn, api_as):
    signals = [file_signal(persona("reporter_kmar")) for _ in range(2)]
    dossier = dossier_open(actor=kpcn, signals=signals, title="Case")
    response = api_as("analyst_kpcn").post(
        reverse("dossier-remove-signals", args=[dossier.number]),
        {"signals": [signals[0].reference, "MH-2026-999999"]}, format="json")
    assert response.status_code == 400
    assert dossier.signals.count() == 2


def test_the_auditor_finds_who_was_shown_a_person_on_a_dossier_page(kpcn, as_user):
    signal = file_signal(persona("reporter_kmar"), persons=[OPEN])
    dossier = dossier_open(actor=kpcn, signals=[signal], title="Case")
    person = Signal.objects.get(pk=signal.pk).persons.get().person
    as_user("analyst_om").get(reverse("casework:dossier", args=[dossier.number]))
    events = as_user("auditor").get(reverse("audit_events"), {
        "object_type": "register.person", "object_id": str(person.pk)}).context["page"]
    assert ("analyst.om", "register.dossier.viewed") in {(e.actor_username, e.action)
                                                         for e in events}


def test_the_dossier_history_keeps_what_was_done_not_who_looked(kpcn, as_user):
    dossier = dossier_open(actor=kpcn, signals=[file_signal(persona("reporter_kmar"))],
                           title="Case")
    client = as_user("analyst_kpcn")
    url = reverse("casework:dossier", args=[dossier.number])
    for _ in range(3):
        client.get(url)
    history = client.get(url).context["history"]
    assert {e.action for e, _sentence in history} == {"register.dossier.created",
                                                      "register.dossier.signals_added"}
    assert AuditEvent.objects.filter(action="register.dossier.viewed").count() == 4


def test_namesakes_known_only_from_a_restricted_dossier_do_not_change_the_scores(kpcn):
    from casework.match_statistics import register_statistics

    def sharing_the_name(mention, user):
        return register_statistics(mention, user).sharing_name

    namesake = {"role": "victim", "given_names": "Yanelis", "family_name": "Batista"}
    hidden = [file_signal(persona("reporter_kmar"), persons=[namesake]) for _ in range(3)]
    dossier = dossier_open(actor=kpcn, signals=hidden, title="Operation")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    new = Signal.objects.get(pk=file_signal(persona("reporter_szw"), persons=[namesake]).pk)
    mention = new.persons.get()
    assert sharing_the_name(mention, kpcn) == 3
    assert sharing_the_name(mention, persona("analyst_om")) == 0


def test_namesakes_hidden_from_the_analyst_do_not_crowd_a_visible_one_out_of_the_suggestions(
        kpcn):
    """Each lookup of the suggestions takes a limited number of rows: those of a restricted
    dossier full of one name must not be among them for an analyst it is hidden from."""
    from casework.matching import CANDIDATES
    from casework.persons import MentionFacts, person_create

    namesake = {"role": "victim", "given_names": "Yanelis", "family_name": "Batista"}
    hidden = [file_signal(persona("reporter_kmar"), persons=[namesake])
              for _ in range(CANDIDATES + 2)]
    dossier = dossier_open(actor=kpcn, signals=hidden, title="Operation")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    visible = person_create(actor=kpcn, facts=MentionFacts(given_names="Yanelis",
                                                           family_name="Batista"))
    mention = Signal.objects.get(
        pk=file_signal(persona("reporter_szw"), persons=[namesake]).pk).persons.get()
    found = suggest_persons(mention, user=persona("analyst_om"), weaker=True)
    assert [s.person.pk for s in found] == [visible.pk]
    # The analyst granted the dossier is suggested its persons too.
    assert len(suggest_persons(mention, user=kpcn, weaker=True)) > 1


def test_hidden_signals_do_not_crowd_visible_ones_out_of_the_search(kpcn, as_user):
    from casework.search import LIMIT

    name = {"role": "victim", "given_names": "Marisol", "family_name": "Quirindongo"}
    visible = file_signal(persona("reporter_szw"), persons=[name])
    hidden = [file_signal(persona("reporter_kmar"), persons=[name])
              for _ in range(LIMIT * 2 + 2)]
    dossier = dossier_open(actor=kpcn, signals=hidden, title="Operation")
    dossier_restrict(actor=kpcn, dossier=dossier, analysts=[kpcn])
    found = as_user("analyst_om").post(reverse("casework:search"),
                                       {"query": "Quirindongo"}).context["results"]["signals"]
    assert [s.pk for s in found] == [visible.pk]
