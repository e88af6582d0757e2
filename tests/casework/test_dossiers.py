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
    follow_up_add,
)
from casework.models import PersonMerge
from register.models import (
    AuditEvent,
    Dossier,
    DossierPerson,
    FollowUpAction,
    Organisation,
)
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import file_signal

VICTIM = {"role": "victim", "given_names": "Ana", "family_name": "Pérez", "nationality": "VE"}
SUSPECT = {"role": "suspect", "given_names": "Rico", "family_name": "Boss", "nationality": "NL"}


@pytest.fixture
def analyst():
    return persona("analyst_kpcn")


@pytest.fixture
def signals(db):
    return [file_signal(persona("reporter_kmar"), persons=[VICTIM, SUSPECT],
                        businesses=[{"name": "Bar Demo"}], location="Rincon"),
            file_signal(persona("reporter_szw"), persons=[VICTIM], location="Kralendijk"),
            file_signal(persona("reporter_szw"))]


def test_a_dossier_is_opened_from_signals_and_takes_them_into_the_register(analyst, signals):
    dossier = dossier_open(actor=analyst, signals=signals[:2], title="Bar case")
    assert dossier.number.startswith("DS-") and dossier.status == "open"
    assert set(dossier.signals.values_list("status", flat=True)) == {"in_register"}
    roles = sorted(dossier.persons.values_list("role", flat=True))
    assert roles == ["suspect", "victim", "victim"]
    assert analyst in dossier.assigned_analysts.all()


def test_signals_are_added_moved_and_removed(analyst, signals):
    first = dossier_open(actor=analyst, signals=[signals[0]], title="One")
    second = dossier_open(actor=analyst, signals=[signals[1]], title="Two")
    dossier_add_signals(actor=analyst, dossier=second, signals=[Signal.objects.get(
        pk=signals[0].pk)])
    assert set(second.signals.values_list("pk", flat=True)) == {signals[0].pk, signals[1].pk}
    assert first.signals.count() == 0 and first.persons.count() == 0
    dossier_remove_signal(actor=analyst, dossier=second, signal=Signal.objects.get(
        pk=signals[0].pk))
    assert list(second.signals.values_list("pk", flat=True)) == [signals[1].pk]
    assert list(second.persons.values_list("role", flat=True)) == ["victim"]


def test_two_dossiers_merge_into_one(analyst, signals):
    first = dossier_open(actor=analyst, signals=[signals[0]], title="One")
    second = dossier_open(actor=analyst, signals=[signals[1]], title="Two")
    follow_up_add(actor=analyst, dossier=first, kind="victim_care",
                  organisation=analyst.organisation)
    dossier_merge(actor=analyst, source=first, target=second)
    first.refresh_from_db()
    assert first.merged_into == second and first.status == "closed"
    assert second.signals.count() == 2 and second.follow_ups.count() == 1
    assert AuditEvent.objects.filter(action="register.dossier.merged").exists()


def test_merging_a_restricted_dossier_keeps_it_restricted(analyst, signals):
    secret = dossier_open(actor=analyst, signals=[signals[0]], title="Secret")
    dossier_restrict(actor=analyst, dossier=secret, analysts=[analyst])
    open_case = dossier_open(actor=persona("analyst_om"), signals=[signals[1]], title="Open")
    dossier_merge(actor=analyst, source=secret, target=open_case)
    open_case.refresh_from_db()
    assert open_case.restricted


def test_follow_up_actions_record_the_annual_figures_with_dates(analyst, signals):
    dossier = dossier_open(actor=analyst, signals=signals[:1], title="Case")
    om = Organisation.objects.get(code="om")
    follow_up_add(actor=analyst, dossier=dossier, kind=FollowUpAction.Kind.INVESTIGATION,
                  organisation=analyst.organisation, outcome="done",
                  happened_on=dt.date(2026, 3, 1))
    follow_up_add(actor=analyst, dossier=dossier, kind=FollowUpAction.Kind.VERDICT,
                  organisation=om, outcome="conviction", happened_on=dt.date(2026, 9, 1))
    dossier.refresh_from_db()
    assert dossier.status == "in_follow_up"
    assert list(dossier.follow_ups.values_list("kind", "outcome", "happened_on")) == [
        ("criminal_investigation", "done", dt.date(2026, 3, 1)),
        ("verdict", "conviction", dt.date(2026, 9, 1))]
    victim = dossier.persons.get(role="victim")
    dossier_person_update(actor=analyst, role=victim, values={
        "victim_status": "presumed", "status_decided_by": "police",
        "identified_on": dt.date(2026, 2, 2), "form_of_exploitation": "sexual_exploitation"})
    victim.refresh_from_db()
    assert (victim.victim_status, victim.identified_on) == ("presumed", dt.date(2026, 2, 2))


@pytest.mark.parametrize(("kind", "values", "field"), [
    ("no_further_action", {}, "explanation"),
    ("verdict", {"outcome": "planned"}, "outcome"),
    ("victim_care", {"outcome": "conviction", "happened_on": dt.date(2026, 1, 1)}, "outcome"),
    ("victim_care", {"outcome": "done"}, "happened_on"),
    ("victim_care", {"outcome": "done", "happened_on": dt.date(2999, 1, 1)}, "happened_on"),
])
def test_a_follow_up_must_make_sense(analyst, signals, kind, values, field):
    dossier = dossier_open(actor=analyst, signals=signals[:1], title="Case")
    with pytest.raises(ValidationError) as refused:
        follow_up_add(actor=analyst, dossier=dossier, kind=kind,
                      organisation=analyst.organisation, **values)
    assert field in refused.value.message_dict


def test_closing_needs_a_reason(as_user, analyst, signals):
    dossier = dossier_open(actor=analyst, signals=signals[:1], title="Case")
    client = as_user("analyst_kpcn")
    url = reverse("casework:dossier_update", args=[dossier.number])
    response = client.post(url, {"title": "Case", "status": "closed", "priority": 2})
    assert b"Give the reason for closing" in response.content
    client.post(url, {"title": "Case", "status": "closed", "priority": 2,
                      "closed_reason": "No indication of exploitation."})
    dossier.refresh_from_db()
    assert dossier.status == "closed"


def test_the_dossier_page_shows_its_parts_and_history(as_user, analyst, signals):
    dossier = dossier_open(actor=analyst, signals=signals[:2], title="Bar case")
    client = as_user("analyst_kpcn")
    client.post(reverse("casework:dossier_note", args=[dossier.number]),
                {"text": "Check the licence of Bar Demo."})
    page = client.get(reverse("casework:dossier", args=[dossier.number])).content.decode()
    for expected in (signals[0].reference, signals[1].reference, "Ana Pérez", "Rico Boss",
                     "Bar Demo", "Rincon", "Check the licence", "opened the dossier"):
        assert expected in page


@pytest.fixture
def restricted(analyst, signals):
    dossier = dossier_open(actor=analyst, signals=[signals[0]], title="Need to know")
    dossier_restrict(actor=analyst, dossier=dossier, analysts=[analyst])
    return dossier


def test_a_restricted_dossier_is_hidden_from_other_analysts_everywhere(as_user, api_as,
                                                                       restricted, signals):
    other = as_user("analyst_om")
    signal = signals[0]
    person = signal.persons.get(role="suspect").person
    assert other.get(reverse("casework:dossier", args=[restricted.number])).status_code == 404
    assert restricted.number not in other.get(reverse("casework:dossiers")).content.decode()
    assert other.get(reverse("signals:detail", args=[signal.reference])).status_code == 404
    assert other.get(reverse("casework:person", args=[person.pk])).status_code == 404
    found = other.post(reverse("casework:search"), {"query": "Rico Boss"}).context["results"]
    assert found["persons"] == [] and found["signals"] == []
    assert other.get(reverse("casework:inbox"), {"view": "overdue"}).status_code == 200
    api = api_as("analyst_om")
    assert api.get(reverse("dossier-detail", args=[restricted.number])).status_code == 404
    assert api.get(reverse("signal-detail", args=[signal.reference])).status_code == 404
    assert restricted.number not in str(api.get(reverse("dossier-list")).json())


def test_the_named_analyst_finds_the_restricted_dossier(as_user, restricted, signals):
    client = as_user("analyst_kpcn")
    assert client.get(reverse("casework:dossier", args=[restricted.number])).status_code == 200
    found = client.post(reverse("casework:search"), {"query": "Rico Boss"}).context["results"]
    assert [p.family_name for p in found["persons"]] == ["Boss"]


def test_a_person_also_in_an_open_dossier_stays_visible(as_user, analyst, restricted, signals):
    victim = Signal.objects.get(pk=signals[0].pk).persons.get(role="victim").person
    second = Signal.objects.get(pk=signals[1].pk)
    mention = second.persons.get()
    from casework.triage import mention_link

    mention_link(actor=analyst, mention=mention, person=victim)
    dossier_open(actor=analyst, signals=[second], title="Open case")
    page = as_user("analyst_om").get(reverse("casework:person", args=[victim.pk]))
    assert page.status_code == 200
    assert signals[0].reference not in page.content.decode()


def test_the_manager_grants_access_without_seeing_contents(as_user, restricted):
    manager = as_user("manager")
    page = manager.get(reverse("manage_restrictions")).content.decode()
    assert restricted.number in page and "Need to know" not in page
    om = persona("analyst_om")
    manager.post(reverse("manage_restriction_set"), {"number": restricted.number,
                                                     "analysts": [om.pk]})
    assert as_user("analyst_om").get(
        reverse("casework:dossier", args=[restricted.number])).status_code == 200
    assert manager.get(reverse("casework:dossier", args=[restricted.number])).status_code == 403


def test_only_analysts_can_be_granted(analyst, restricted):
    with pytest.raises(ValidationError):
        dossier_restrict(actor=analyst, dossier=restricted, analysts=[persona("coordinator")])


def test_persons_are_merged_and_the_merge_undone(as_user, analyst, signals):
    dossier_open(actor=analyst, signals=signals[:2], title="Case")
    first = Signal.objects.get(pk=signals[0].pk).persons.get(role="victim").person
    second = Signal.objects.get(pk=signals[1].pk).persons.get().person
    client = as_user("analyst_kpcn")
    client.post(reverse("casework:person_merge", args=[first.pk]),
                {"person": second.audit_ref})
    second.refresh_from_db()
    assert second.merged_into == first
    assert Signal.objects.get(pk=signals[1].pk).persons.get().person == first
    dossier = Dossier.objects.get(title="Case")
    assert dossier.persons.filter(role="victim").count() == 1
    merge = PersonMerge.objects.get()
    client.post(reverse("casework:person_unmerge", args=[first.pk, merge.pk]))
    second.refresh_from_db()
    assert second.merged_into is None
    assert Signal.objects.get(pk=signals[1].pk).persons.get().person == second
    assert DossierPerson.objects.filter(dossier=dossier, role="victim").count() == 2


def test_the_history_reads_as_sentences_in_the_readers_language(as_user, analyst, signals):
    from register.models import User

    User.objects.filter(pk=analyst.pk).update(first_name="Ilse", last_name="Visser")
    dossier = dossier_open(actor=analyst, signals=signals[:2], title="Case")
    om = persona("analyst_om")
    dossier_restrict(actor=analyst, dossier=dossier, analysts=[analyst, om])
    english = as_user("analyst_kpcn").get(reverse("casework:dossier", args=[dossier.number]))
    sentences = [sentence for _event, sentence in english.context["history"]]
    assert "Ilse Visser added 2 signals." in sentences
    assert "Ilse Visser opened the dossier." in sentences
    restricted = next(s for s in sentences if "restricted the dossier to" in s)
    assert f"{om.display_name} (OM)" in restricted and "Ilse Visser (KPCN)" in restricted
    page = english.content.decode()
    assert "register.dossier.created" not in page
    dutch = as_user("analyst_kpcn", language="nl").get(
        reverse("casework:dossier", args=[dossier.number])).content.decode()
    assert "Ilse Visser heeft het dossier geopend." in dutch


def test_an_action_without_a_sentence_shows_its_code_rather_than_nothing(db):
    from casework.history import history_sentences
    from register.models import AuditEvent

    event = AuditEvent(action="register.dossier.something_new", actor_username="x", detail={})
    assert history_sentences([event]) == [(event, "register.dossier.something_new")]


def test_a_person_known_only_from_a_hidden_dossier_is_shown_by_number_only(as_user, analyst):
    """A role with MoU facts stays in a dossier after its signal moved to a restricted one;
    a reader without the grant sees the role, not who it is."""
    from casework.dossier_persons import dossier_sync_persons
    from casework.dossiers import dossier_add_signals, dossier_person_update

    signal = file_signal(persona("reporter_kmar"), persons=[VICTIM])
    open_case = dossier_open(actor=analyst, signals=[signal], title="Open case")
    role = open_case.persons.get()
    dossier_person_update(actor=analyst, role=role, values={
        "victim_status": "presumed", "status_decided_by": "police"})
    secret = dossier_open(actor=analyst, signals=[file_signal(persona("reporter_kmar"))],
                          title="Secret case")
    dossier_restrict(actor=analyst, dossier=secret, analysts=[analyst])
    dossier_add_signals(actor=analyst, dossier=secret, signals=[Signal.objects.get(
        pk=signal.pk)])
    dossier_sync_persons(open_case)
    assert open_case.persons.filter(pk=role.pk).exists()

    page = as_user("analyst_om").get(reverse("casework:dossier", args=[open_case.number]))
    html = page.content.decode()
    assert role.person.audit_ref in html
    assert VICTIM["family_name"] not in html
    granted = as_user("analyst_kpcn").get(reverse("casework:dossier", args=[open_case.number]))
    assert VICTIM["family_name"] in granted.content.decode()


def test_removing_a_signal_from_a_restricted_dossier_is_refused_with_a_message(as_user, analyst,
                                                                               restricted,
                                                                               signals):
    client = as_user("analyst_kpcn")
    response = client.post(reverse("casework:dossier_remove_signal",
                                   args=[restricted.number, signals[0].reference]), follow=True)
    assert response.status_code == 200
    assert "restricted dossier" in response.content.decode()
    signals[0].refresh_from_db()
    assert signals[0].dossier_id == restricted.pk


def test_closing_a_dossier_records_when_and_reopening_clears_it(analyst, signals):
    from casework.dossiers import dossier_update

    dossier = dossier_open(actor=analyst, signals=signals[:1], title="Case")
    assert dossier.closed_at is None
    dossier_update(actor=analyst, dossier=dossier, values={
        "status": "closed", "closed_reason": "No indication of exploitation."})
    closed_at = Dossier.objects.get(pk=dossier.pk).closed_at
    assert closed_at is not None
    # A later change that is not about the status keeps the moment it was closed.
    dossier_update(actor=analyst, dossier=dossier, values={"title": "Case, renamed"})
    assert Dossier.objects.get(pk=dossier.pk).closed_at == closed_at
    dossier_update(actor=analyst, dossier=dossier, values={"status": "open"})
    assert Dossier.objects.get(pk=dossier.pk).closed_at is None


def test_a_granted_analyst_not_assigned_cannot_open_a_restricted_dossier_to_someone_new(
        analyst, signals):
    from casework.dossiers import dossier_assign
    from casework.need_to_know import dossiers_visible_to

    om, colleague = persona("analyst_om"), persona("analyst_kpcn_colleague")
    dossier = dossier_open(actor=analyst, signals=signals[:1], title="Need to know")
    dossier_restrict(actor=analyst, dossier=dossier, analysts=[analyst, om])
    # OM's analyst may see it but is not assigned: she may not widen who sees it ...
    with pytest.raises(ValidationError) as refused:
        dossier_assign(actor=om, dossier=dossier, analysts=[analyst, colleague])
    assert "analysts" in refused.value.message_dict
    assert not dossiers_visible_to(colleague).filter(pk=dossier.pk).exists()
    # ... but may take it on among those who already see it, and an assigned analyst may open
    # it to a colleague, who is told.
    dossier_assign(actor=om, dossier=dossier, analysts=[analyst, om])
    dossier_assign(actor=analyst, dossier=dossier, analysts=[analyst, om, colleague])
    assert dossiers_visible_to(colleague).filter(pk=dossier.pk).exists()
    from register.models import Notification
    told = Notification.objects.get(user=colleague, event="casework.dossier.assigned")
    assert told.params == {"ref": dossier.number}
    assert not Notification.objects.filter(user=analyst, event="casework.dossier.assigned")
