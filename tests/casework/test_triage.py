import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation

from casework.models import MatchRejection
from register.models import AuditEvent, Person
from signals.models import Signal
from tests.casework.pages import act, detail
from tests.personas import persona
from tests.signals.builders import file_signal

VICTIM = {"role": "victim", "given_names": "Luz Marina", "family_name": "García Londoño",
          "date_of_birth": dt.date(1998, 4, 12), "nationality": "CO", "sex": "female"}


def test_the_inbox_shows_danger_first_then_the_newest_with_the_waiting_time(analyst):
    old = file_signal(persona("reporter_kmar"))
    Signal.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=3))
    new = file_signal(persona("reporter_szw"))
    danger = file_signal(persona("reporter_szw"), immediate_danger=True)
    Signal.objects.filter(pk=danger.pk).update(received_at=timezone.now() - dt.timedelta(days=9))
    response = analyst.get(reverse("casework:inbox"))
    assert [s.reference for s in response.context["page"]] == [
        danger.reference, new.reference, old.reference]
    assert "3\xa0days" in response.content.decode()


def test_opening_a_new_signal_leaves_it_received_and_only_records_the_read(analyst):
    signal = file_signal(persona("reporter_kmar"))
    before = signal.last_processed_at
    analyst.get(detail(signal))
    signal.refresh_from_db()
    assert (signal.status, signal.last_processed_at, signal.taken_up_by) == (
        "received", before, None)
    assert list(AuditEvent.objects.filter(object_type="signals.signal", object_id=str(signal.pk))
                .exclude(action="signals.signal.created")
                .values_list("action", flat=True)) == ["signals.signal.viewed"]


def test_taking_a_signal_in_creates_persons_for_unlinked_mentions(analyst):
    signal = file_signal(persona("reporter_kmar"), persons=[VICTIM])
    analyst.post(act(signal, "take-in"))
    signal.refresh_from_db()
    assert signal.status == "in_register"
    assert signal.triaged_by == persona("analyst_kpcn")
    person = signal.persons.get().person
    assert person.family_name == "García Londoño"
    assert person.identifiers.filter(kind="name").exists()


def test_a_signal_not_taken_up_needs_a_reason(analyst):
    signal = file_signal(persona("reporter_kmar"))
    response = analyst.post(act(signal, "decline"), {"reason": ""})
    assert b"This field is required" in response.content
    analyst.post(act(signal, "decline"), {"reason": "Duplicate of an earlier report."})
    signal.refresh_from_db()
    assert (signal.status, signal.not_taken_up_reason) == (
        "not_taken_up", "Duplicate of an earlier report.")


def test_the_reporter_answers_a_question_in_their_own_list(analyst, as_user):
    signal = file_signal(persona("reporter_kmar"))
    analyst.post(act(signal, "ask"), {"question": "Which street exactly?"})
    signal.refresh_from_db()
    assert signal.status == "question"
    reporter = as_user("reporter_kmar")
    mine = reporter.get(reverse("signals:mine")).content.decode()
    assert "Question for the reporter" in mine
    page = reporter.get(detail(signal)).content.decode()
    assert "Which street exactly?" in page
    question = signal.questions.get()
    reporter.post(reverse("signals:answer_question", args=[signal.reference, question.pk]),
                  {"answer": "Kaya Grandi, behind the bakery."})
    signal.refresh_from_db()
    assert signal.status == "in_triage"
    assert signal.questions.get().answer == "Kaya Grandi, behind the bakery."
    assert "Kaya Grandi, behind the bakery." in analyst.get(detail(signal)).content.decode()


def test_another_reporter_cannot_answer(analyst, as_user):
    signal = file_signal(persona("reporter_kmar"))
    analyst.post(act(signal, "ask"), {"question": "Where?"})
    question = signal.questions.get()
    response = as_user("reporter_kmar_colleague").post(
        reverse("signals:answer_question", args=[signal.reference, question.pk]),
        {"answer": "Nowhere"})
    assert response.status_code == 404
    assert signal.questions.get().answer == ""


def test_grading_and_correcting_the_coding_keep_the_original(analyst):
    signal = file_signal(persona("reporter_kmar"), sector="retail")
    analyst.post(act(signal, "grade"), {"source": "B", "information": "2"})
    analyst.post(act(signal, "coding"), {"island": "saba", "sector": "hospitality",
                                         "forms": ["sexual_exploitation"]})
    signal.refresh_from_db()
    assert (signal.source_reliability, signal.information_reliability) == ("B", "2")
    assert (signal.island, signal.sector, signal.form_codes) == (
        "saba", "hospitality", ["sexual_exploitation"])
    assert signal.original_coding == {"island": "bonaire", "sector": "retail",
                                      "forms": ["labour_exploitation"]}


def test_a_match_suggestion_is_confirmed_or_rejected_for_good(analyst):
    first = file_signal(persona("reporter_kmar"), persons=[VICTIM])
    analyst.post(act(first, "take-in"))
    person = first.persons.get().person
    second = file_signal(persona("reporter_szw"), persons=[{
        "role": "witness", "given_names": "Luz", "family_name": "Garcia",
        "date_of_birth": dt.date(1998, 12, 4), "nationality": "CO"}])
    page = analyst.get(detail(second))
    suggestions = page.context["mentions"][0][1]
    assert [s.person for s in suggestions] == [person]
    assert any("swapped" in reason for reason in suggestions[0].reasons)
    mention = second.persons.get()
    analyst.post(reverse("signals:mention_reject", args=[second.reference, mention.pk]),
                 {"person": person.pk})
    assert MatchRejection.objects.filter(mention=mention, person=person).exists()
    assert analyst.get(detail(second)).context["mentions"][0][1] == []
    analyst.post(reverse("signals:mention_link", args=[second.reference, mention.pk]),
                 {"person": person.pk})
    mention.refresh_from_db()
    assert mention.person == person


def test_signals_that_belong_together_are_suggested_with_their_dossier(analyst):
    first = file_signal(persona("reporter_kmar"), businesses=[{"name": "Bar La Demo"}],
                        location="Rincon")
    analyst.post(act(first, "open-dossier"), {"title": "Bar case", "priority": 2})
    second = file_signal(persona("reporter_szw"), businesses=[{"name": "BAR LA DEMO"}])
    third = file_signal(persona("reporter_szw"), location="rincon")
    unrelated = file_signal(persona("reporter_szw"), location="Kralendijk")
    page = analyst.get(detail(second)).context
    assert [r.signal for r in page["related"]] == [Signal.objects.get(pk=first.pk)]
    assert page["related"][0].reasons == ["same business"]
    assert [d.title for d in page["suggested_dossiers"]] == ["Bar case"]
    related_to_third = [r.signal.pk for r in analyst.get(detail(third)).context["related"]]
    assert first.pk in related_to_third and unrelated.pk not in related_to_third


def test_signals_without_follow_up_stand_out(analyst, settings):
    settings.FOLLOW_UP_DAYS = 10
    stale = file_signal(persona("reporter_kmar"))
    followed = file_signal(persona("reporter_kmar"))
    fresh = file_signal(persona("reporter_kmar"))
    Signal.objects.filter(pk__in=[stale.pk, followed.pk]).update(
        received_at=timezone.now() - dt.timedelta(days=11))
    analyst.post(act(followed, "open-dossier"), {"title": "Followed", "priority": 2})
    dossier = Signal.objects.get(pk=followed.pk).dossier
    analyst.post(reverse("casework:follow_up_add", args=[dossier.number]), {
        "kind": "victim_care", "organisation": persona("analyst_kpcn").organisation.pk,
        "outcome": "planned"})
    listed = analyst.get(reverse("casework:inbox"), {"view": "overdue"}).context["page"]
    assert [s.reference for s in listed] == [stale.reference]
    assert fresh.reference not in [s.reference for s in listed]


def test_reporters_coordinators_and_auditors_see_no_triage(as_user):
    signal = file_signal(persona("reporter_kmar"))
    for name in ("coordinator", "auditor"):
        assert as_user(name).get(reverse("casework:inbox")).status_code == 403
    assert as_user("reporter_kmar").post(act(signal, "take-in")).status_code == 403
    assert Person.objects.count() == 0


def test_the_signal_page_leads_into_the_network_of_its_businesses_vessels_and_phones(analyst):
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "suspect", "family_name": "Boss", "phone": "+599 717 4242"}],
        businesses=[{"name": "Bar Coral"}], vehicles=[{"kind": "vessel", "name": "Coral Queen"}])
    page = analyst.get(reverse("signals:detail", args=[signal.reference])).content.decode()
    links = [reverse("casework:business_network", args=[signal.businesses.get().pk]),
             reverse("casework:vessel_network", args=[signal.vehicles.get().pk]),
             reverse("casework:phone_network", args=[signal.persons.get().pk])]
    for link in links:
        assert f'href="{link}"' in page
        assert analyst.get(link).status_code == 200


def test_a_suggestion_shows_how_likely_it_is_and_the_evidence_and_weaker_ones_on_request(
        analyst):
    person_signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Marie-Claire", "family_name": "Dorvil",
         "date_of_birth": dt.date(1993, 6, 2), "nationality": "HT"}])
    analyst.post(act(person_signal, "take-up"))
    analyst.post(act(person_signal, "take-in"))
    signal = file_signal(persona("reporter_kmar"), persons=[
        {"role": "victim", "given_names": "Marie Claire", "family_name": "Dorvil",
         "date_of_birth": dt.date(1993, 6, 2)},
        {"role": "witness", "given_names": "Marie-Claire", "family_name": "Dorvil",
         "date_of_birth": dt.date(1975, 10, 21)}])
    url = reverse("signals:detail", args=[signal.reference])
    with translation.override("en"):
        page = analyst.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "% likely the same person" in page
    assert "For: 3 name words the same, date of birth equal." in page
    assert page.count("Show weaker matches") == 2
    witness = signal.persons.get(role="witness")
    weaker = analyst.get(url, {"weaker": witness.pk}, HTTP_ACCEPT_LANGUAGE="en")
    text = weaker.content.decode()
    assert "weaker match" in text and "Against: another date of birth." in text
    assert text.count("Show weaker matches") == 1
