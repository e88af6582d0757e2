"""Triage starts when an analyst takes a signal up, never by looking at it; the analysts see who
is working on what, and every action on the triage page says what it did."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from casework.dossiers import dossier_open
from register.models import AuditEvent, User
from signals.models import Signal
from tests.casework.pages import act, detail
from tests.personas import persona
from tests.signals.builders import file_signal
from tests.test_route_matrix import (  # the route matrix's world: one of everything
    PERMITTED_PERSONA,
    ROUTES,
    call,
    kmar_signal,  # noqa: F401 (a fixture)
)

VICTIM = {"role": "victim", "given_names": "Luz Marina", "family_name": "García Londoño",
          "date_of_birth": dt.date(1998, 4, 12), "nationality": "DE", "sex": "female"}


def audited(signal, action):
    return AuditEvent.objects.filter(action=action, object_type="signals.signal",
                                     object_id=str(signal.pk))


def shown_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


GET_ROUTES = sorted(name for name, route in ROUTES.items()
                    if route.method == "get" and route.allowed)


def test_reading_every_page_as_every_role_leaves_the_signals_as_they_were(
        kmar_signal, as_user):  # noqa: F811 (the imported fixture)
    """What a crawl of the site does: every page anyone may open, signal pages included."""
    before = list(Signal.objects.order_by("pk").values_list("pk", "status",
                                                            "last_processed_at",
                                                            "taken_up_by"))
    assert kmar_signal.status == "received"
    for name in GET_ROUTES:
        for role in sorted(ROUTES[name].allowed):
            response = call(as_user(PERMITTED_PERSONA[role]), name, kmar_signal)
            assert response.status_code in ROUTES[name].ok, name
    assert "signals:detail" in GET_ROUTES and "signal-detail" in GET_ROUTES
    after = list(Signal.objects.order_by("pk").values_list("pk", "status",
                                                           "last_processed_at",
                                                           "taken_up_by"))
    assert after == before


def test_the_signal_page_offers_to_take_up_a_received_signal(analyst):
    signal = file_signal(persona("reporter_kmar"))
    page = analyst.get(detail(signal)).content.decode()
    assert act(signal, "take-up") in page
    assert "Nobody has taken up this signal yet" in page
    assert "Received" in page


def test_taking_up_puts_the_signal_in_triage_with_who_and_when_audited(analyst):
    signal = file_signal(persona("reporter_kmar"))
    before = signal.last_processed_at
    response = analyst.post(act(signal, "take-up"), follow=True)
    signal.refresh_from_db()
    assert signal.status == "in_triage"
    assert signal.taken_up_by == persona("analyst_kpcn")
    assert signal.taken_up_at is not None and signal.last_processed_at > before
    assert audited(signal, "signals.signal.taken_up").get().actor == persona("analyst_kpcn")
    assert shown_messages(response) == ["You have taken up this signal; it is now in triage."]
    page = response.content.decode()
    assert 'class="taken-up">Analyst Persona,' in page
    assert act(signal, "take-up") not in page  # hers already: nothing to take up


def test_the_inbox_shows_who_has_taken_up_each_signal(analyst):
    taken = file_signal(persona("reporter_kmar"))
    waiting = file_signal(persona("reporter_kmar"))
    analyst.post(act(taken, "take-up"))
    rows = {s.reference: s for s in analyst.get(reverse("casework:inbox")).context["page"]}
    assert rows[taken.reference].taken_up_by == persona("analyst_kpcn")
    assert rows[waiting.reference].taken_up_by is None
    page = analyst.get(reverse("casework:inbox")).content.decode()
    assert "<td>Analyst Persona</td>" in page


def test_another_analyst_may_take_a_signal_over_and_the_take_over_is_audited(analyst,
                                                                            as_user):
    signal = file_signal(persona("reporter_kmar"))
    analyst.post(act(signal, "take-up"), follow=True)
    colleague = as_user("analyst_kpcn_colleague")
    page = colleague.get(detail(signal)).content.decode()
    assert "Analyst Persona is working on this signal" in page and "Take over" in page
    response = colleague.post(act(signal, "take-up"), {"holder": "analyst.kpcn"}, follow=True)
    signal.refresh_from_db()
    assert (signal.status, signal.taken_up_by) == ("in_triage",
                                                   persona("analyst_kpcn_colleague"))
    event = audited(signal, "signals.signal.taken_over").get()
    assert event.detail == {"from": persona("analyst_kpcn").pk}
    assert shown_messages(response) == [
        "You have taken this signal over from Analyst Persona."]


def test_taking_up_a_signal_that_is_already_yours_changes_nothing(analyst):
    signal = file_signal(persona("reporter_kmar"))
    analyst.post(act(signal, "take-up"))
    signal.refresh_from_db()
    first = (signal.taken_up_at, signal.last_processed_at)
    analyst.post(act(signal, "take-up"))
    signal.refresh_from_db()
    assert (signal.taken_up_at, signal.last_processed_at) == first
    assert audited(signal, "signals.signal.taken_up").count() == 1
    assert not audited(signal, "signals.signal.taken_over").exists()


def test_a_signal_waiting_for_an_answer_keeps_that_status_when_taken_up(analyst, as_user):
    signal = file_signal(persona("reporter_kmar"))
    analyst.post(act(signal, "ask"), {"question": "Which street?"})
    as_user("analyst_kpcn_colleague").post(act(signal, "take-up"), {"holder": ""})
    signal.refresh_from_db()
    assert (signal.status, signal.taken_up_by) == ("question",
                                                   persona("analyst_kpcn_colleague"))


def test_a_triaged_signal_cannot_be_taken_up(analyst):
    signal = file_signal(persona("reporter_kmar"))
    analyst.post(act(signal, "take-in"), follow=True)
    response = analyst.post(act(signal, "take-up"), follow=True)
    signal.refresh_from_db()
    assert (signal.status, signal.taken_up_by) == ("in_register", None)
    assert shown_messages(response) == ["This signal was already triaged."]


# --- two analysts at once: nobody is taken over without knowing it ------------------------

@pytest.fixture
def colleague(as_user):
    """The second analyst, with a name of her own so messages show whom they mean."""
    User.objects.filter(username="analyst.kpcn.colleague").update(first_name="Colleague")
    return as_user("analyst_kpcn_colleague")


def test_the_take_up_form_posts_the_holder_the_page_shows(analyst, colleague):
    signal = file_signal(persona("reporter_kmar"))
    assert '<input type="hidden" name="holder" value="">' in colleague.get(
        detail(signal)).content.decode()
    analyst.post(act(signal, "take-up"), {"holder": ""})
    assert '<input type="hidden" name="holder" value="analyst.kpcn">' in colleague.get(
        detail(signal)).content.decode()


def test_taking_up_a_signal_a_colleague_took_up_meanwhile_is_refused_naming_her(analyst,
                                                                             colleague):
    signal = file_signal(persona("reporter_kmar"))
    # Both pages said "Nobody has taken up this signal yet"; the colleague clicked first.
    colleague.post(act(signal, "take-up"), {"holder": ""})
    response = analyst.post(act(signal, "take-up"), {"holder": ""}, follow=True)
    signal.refresh_from_db()
    assert signal.taken_up_by == persona("analyst_kpcn_colleague")
    assert not audited(signal, "signals.signal.taken_over").exists()
    assert shown_messages(response) == [
        "Colleague Persona took up this signal in the meantime. Take it over only if you "
        "mean to."]
    # The page she is shown now offers the take-over explicitly, from the colleague by name.
    page = response.content.decode()
    assert "Colleague Persona is working on this signal" in page and "Take over" in page
    assert '<input type="hidden" name="holder" value="analyst.kpcn.colleague">' in page


def test_after_the_refusal_the_offered_take_over_goes_through(analyst, colleague):
    signal = file_signal(persona("reporter_kmar"))
    colleague.post(act(signal, "take-up"), {"holder": ""})
    analyst.post(act(signal, "take-up"), {"holder": ""}, follow=True)  # refused, and read
    response = analyst.post(act(signal, "take-up"), {"holder": "analyst.kpcn.colleague"},
                            follow=True)
    signal.refresh_from_db()
    assert signal.taken_up_by == persona("analyst_kpcn")
    assert audited(signal, "signals.signal.taken_over").get().detail == {
        "from": persona("analyst_kpcn_colleague").pk}
    assert shown_messages(response) == ["You have taken this signal over from Colleague Persona."]


def test_a_take_over_from_someone_who_no_longer_holds_the_signal_is_refused(analyst,
                                                                           colleague, as_user):
    """The page said the colleague had it; a third analyst took it over since."""
    signal = file_signal(persona("reporter_kmar"))
    colleague.post(act(signal, "take-up"), {"holder": ""})
    User.objects.filter(username="analyst.om").update(first_name="Third")
    as_user("analyst_om").post(act(signal, "take-up"), {"holder": "analyst.kpcn.colleague"})
    assert Signal.objects.get(pk=signal.pk).taken_up_by == persona("analyst_om")
    response = analyst.post(act(signal, "take-up"), {"holder": "analyst.kpcn.colleague"},
                            follow=True)
    assert Signal.objects.get(pk=signal.pk).taken_up_by == persona("analyst_om")
    assert shown_messages(response) == [
        "Third Persona took up this signal in the meantime. Take it over only if you mean to."]


# --- the casework API does the same ------------------------------------------------------

def test_taking_up_through_the_api_does_what_the_page_does(api_as):
    signal = file_signal(persona("reporter_kmar"))
    url = reverse("signal-take-up", args=[signal.reference])
    answer = api_as("analyst_kpcn").post(url)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["reference"], body["status"], body["taken_up_by"], body["taken_over_from"]) \
        == (signal.reference, "in_triage", "analyst.kpcn", None)
    signal.refresh_from_db()
    assert signal.taken_up_by == persona("analyst_kpcn")
    assert audited(signal, "signals.signal.taken_up").exists()
    over = api_as("analyst_kpcn_colleague").post(url).json()
    assert (over["taken_up_by"], over["taken_over_from"]) == ("analyst.kpcn.colleague",
                                                             "analyst.kpcn")
    assert audited(signal, "signals.signal.taken_over").exists()


def test_the_api_refuses_with_409_when_the_holder_is_not_the_one_expected(api_as, colleague):
    signal = file_signal(persona("reporter_kmar"))
    url = reverse("signal-take-up", args=[signal.reference])
    assert api_as("analyst_kpcn_colleague").post(
        url, {"expected_holder": None}, format="json").status_code == 200
    refused = api_as("analyst_kpcn").post(url, {"expected_holder": None}, format="json")
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Colleague Persona took up this signal in the meantime. Take it over only "
                  "if you mean to.",
        "taken_up_by": "analyst.kpcn.colleague"}
    signal.refresh_from_db()
    assert signal.taken_up_by == persona("analyst_kpcn_colleague")
    assert not audited(signal, "signals.signal.taken_over").exists()
    taken = api_as("analyst_kpcn").post(url, {"expected_holder": "analyst.kpcn.colleague"},
                                        format="json")
    assert taken.status_code == 200
    assert taken.json()["taken_over_from"] == "analyst.kpcn.colleague"


def test_reading_a_signal_through_the_api_does_not_take_it_up(api_as):
    signal = file_signal(persona("reporter_kmar"))
    api_as("analyst_kpcn").get(reverse("signal-detail", args=[signal.reference]))
    signal.refresh_from_db()
    assert (signal.status, signal.taken_up_by) == ("received", None)


def test_the_api_take_up_is_for_analysts_and_refuses_a_triaged_signal(api_as):
    signal = file_signal(persona("reporter_kmar"))
    url = reverse("signal-take-up", args=[signal.reference])
    assert api_as("reporter_kmar").post(url).status_code == 403
    api_as("analyst_kpcn").post(reverse("signal-take-in", args=[signal.reference]))
    refused = api_as("analyst_kpcn").post(url)
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": ["This signal was already triaged."]}


def test_the_take_up_action_is_declared_in_the_api_schema(api_as):
    schema = api_as("analyst_kpcn").get(reverse("schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/signals/{reference}/take-up/"]["post"]
    declared = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert declared.endswith("/TakeUpResult")
    assert "taken_over_from" in schema["components"]["schemas"]["TakeUpResult"]["properties"]
    conflict = operation["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
    assert "taken_up_by" in schema["components"]["schemas"][conflict.rsplit("/", 1)[-1]][
        "properties"]
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "expected_holder" in schema["components"]["schemas"][request.rsplit("/", 1)[-1]][
        "properties"]


# --- how the holder and the time are shown ----------------------------------------------

def test_the_time_a_signal_was_taken_up_is_written_like_the_other_times(analyst):
    signal = file_signal(persona("reporter_kmar"))
    analyst.post(act(signal, "take-up"))
    moment = dt.datetime(2026, 1, 2, 16, 5, tzinfo=dt.UTC)  # 2 January: never 1 February
    Signal.objects.filter(pk=signal.pk).update(taken_up_at=moment, received_at=moment)
    page = analyst.get(detail(signal)).content.decode()
    with translation.override("en"):
        written = formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    assert f'class="taken-up">Analyst Persona, {written}</dd>' in page
    assert f"<dd>{written} (" in page  # received: the same format on the same page


def test_a_user_is_shown_by_full_name_or_else_by_username(db):
    user = persona("analyst_kpcn")
    assert user.display_name == "Analyst Persona"
    user.first_name = user.last_name = ""
    assert user.display_name == "analyst.kpcn"


def test_pages_show_a_user_without_a_name_by_username(analyst, as_user):
    User.objects.filter(username="analyst.kpcn").update(first_name="", last_name="")
    signal = file_signal(persona("reporter_kmar"))
    analyst.post(act(signal, "take-up"))
    colleague = as_user("analyst_kpcn_colleague")
    assert "analyst.kpcn is working on this signal" in colleague.get(
        detail(signal)).content.decode()
    assert "<td>analyst.kpcn</td>" in colleague.get(reverse("casework:inbox")).content.decode()
    assert "Welcome, analyst.kpcn" in analyst.get(reverse("home")).content.decode()


# --- every action says what it did ---------------------------------------------------------

def test_asking_a_question_says_it_was_sent(analyst):
    signal = file_signal(persona("reporter_kmar"))
    response = analyst.post(act(signal, "ask"), {"question": "Which street?"}, follow=True)
    assert shown_messages(response) == ["Your question was sent to the reporter."]


def test_opening_a_dossier_says_which_dossier_was_opened(analyst):
    signal = file_signal(persona("reporter_kmar"))
    response = analyst.post(act(signal, "open-dossier"), {"title": "Bar case", "priority": 2},
                            follow=True)
    number = Signal.objects.get(pk=signal.pk).dossier.number
    assert response.redirect_chain[-1][0] == reverse("casework:dossier", args=[number])
    assert shown_messages(response) == [f"Dossier {number} was opened with this signal."]
    assert f"Dossier {number} was opened with this signal." in response.content.decode()


def test_adding_a_signal_to_a_dossier_from_the_signal_says_so(analyst):
    first, second = (file_signal(persona("reporter_kmar")) for _ in range(2))
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[first], title="Case")
    response = analyst.post(act(second, "add-to-dossier"), {"number": dossier.number},
                            follow=True)
    assert shown_messages(response) == [
        f"{second.reference} was added to dossier {dossier.number}."]


def test_adding_a_signal_on_the_dossier_page_says_so(analyst):
    first, second = (file_signal(persona("reporter_kmar")) for _ in range(2))
    dossier = dossier_open(actor=persona("analyst_kpcn"), signals=[first], title="Case")
    response = analyst.post(reverse("casework:dossier_add_signal", args=[dossier.number]),
                            {"reference": second.reference}, follow=True)
    assert shown_messages(response) == [
        f"{second.reference} was added to dossier {dossier.number}."]
    assert Signal.objects.get(pk=second.pk).dossier == dossier


def test_accepting_a_match_says_which_person_the_mention_is_linked_to(analyst):
    first = file_signal(persona("reporter_kmar"), persons=[VICTIM])
    analyst.post(act(first, "take-in"), follow=True)  # its own message is read here
    person = first.persons.get().person
    second = file_signal(persona("reporter_szw"), persons=[VICTIM])
    mention = second.persons.get()
    response = analyst.post(reverse("signals:mention_link", args=[second.reference, mention.pk]),
                            {"person": person.pk}, follow=True)
    assert shown_messages(response) == [f"The mention is linked to {person.audit_ref}."]


@pytest.mark.parametrize(("language", "name"), [("en", "Germany"), ("nl", "Duitsland")])
def test_a_nationality_is_shown_by_its_name_on_the_signal_and_person_pages(as_user, language,
                                                                           name):
    analyst = as_user("analyst_kpcn", language=language)
    signal = file_signal(persona("reporter_kmar"), persons=[VICTIM])
    page = analyst.get(detail(signal)).content.decode()
    assert f" · {name}" in page and " · DE" not in page
    analyst.post(act(signal, "take-in"))
    person = signal.persons.get().person
    page = analyst.get(reverse("casework:person", args=[person.pk])).content.decode()
    assert f"<dd>{name}</dd>" in page and "<dd>DE</dd>" not in page
