"""Notifications are stored as an event and its facts, and worded in the reader's language."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from controls.services import control_plan
from register.models import Notification, Organisation
from register.models.notifications import EVENTS, render_event
from register.services.notifications import notify
from tests.personas import persona

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DAY = dt.date(2026, 12, 1)


def sample_params(event: str) -> dict:
    """A value of the right kind for each parameter of an event."""
    params = {}
    for name, kind in EVENTS[event].kinds.items():
        if kind == "date":
            params[name] = DAY.isoformat()
        elif kind.startswith("choice:"):
            app_label, model_name, field_name = kind.removeprefix("choice:").split(".")
            model_field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
            params[name] = model_field.flatchoices[0][0]
        else:
            params[name] = "CO-7"
    return params


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_every_event_is_worded_in_each_language_without_an_iso_date(event):
    params = sample_params(event)
    worded = {language: render_event(event, params, language) for language in ("en", "nl", "pap")}
    for language, text in worded.items():
        assert text and "%(" not in text, (language, text)
        assert not ISO_DATE.search(text), (language, text)
    # Dutch and Papiamentu have their own wording, not the English msgid.
    assert worded["nl"] != worded["en"]
    assert worded["pap"] != worded["en"]
    if "date" in EVENTS[event].kinds.values():
        assert "1 December 2026" in worded["en"]
        assert "1 december 2026" in worded["nl"]


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_every_event_names_its_placeholders_as_parameters(event):
    assert EVENTS[event].placeholders() == set(EVENTS[event].kinds)


def test_a_choice_parameter_is_shown_by_its_label_in_the_readers_language():
    text = render_event("controls.control.planned",
                        {"ref": "CO-7", "date": "2026-12-01", "island": "bonaire"}, "en")
    assert "(Bonaire)" in text
    assert "bonaire" not in text


def test_notify_refuses_an_unknown_event_or_parameters_that_do_not_fit(db):
    user = persona("reporter_szw")
    with pytest.raises(ValueError):
        notify(users=[user], event="no.such.event", params={})
    with pytest.raises(ValueError):
        notify(users=[user], event="controls.control.planned", params={"ref": "CO-7"})
    with pytest.raises(ValueError):
        notify(users=[user], event="legacy", params={})
    assert not Notification.objects.exists()


def test_planning_a_control_stores_the_event_and_its_codes_not_a_sentence(db):
    control = control_plan(
        actor=persona("reporter_kmar"), businesses=[],
        participants=[(Organisation.objects.get(code="szw"), "")], values={
            "island": "bonaire", "place": "Playa", "sector": "construction",
            "planned_on": DAY, "initiating_organisation": Organisation.objects.get(code="kmar"),
            "directing_organisation": Organisation.objects.get(code="kpcn"), "goal": "Check",
            "team": "", "briefing": ""})
    stored = Notification.objects.filter(user=persona("reporter_szw")).get()
    assert stored.event == "controls.control.planned"
    assert stored.params == {"ref": control.audit_ref, "date": "2026-12-01", "island": "bonaire"}
    assert stored.message == ""


def test_the_notifications_page_words_each_notification_in_the_readers_language(as_user):
    reader = persona("reporter_szw")
    notify(users=[reader], event="controls.control.planned", url="/controls/",
           params={"ref": "CO-7", "date": DAY.isoformat(), "island": "bonaire"})
    english = as_user("reporter_szw", language="en").get(reverse("notifications"))
    page = english.content.decode()
    assert "You take part in control CO-7 on 1 December 2026 (Bonaire)." in page
    assert not ISO_DATE.search(page)
    with translation.override("nl"):
        dutch_sentence = render_event("controls.control.planned", Notification.objects.get(
            user=reader).params)
    dutch = as_user("reporter_szw", language="nl").get(reverse("notifications"))
    assert dutch_sentence in dutch.content.decode()
    assert "1 december 2026" in dutch_sentence


def test_a_notification_stored_before_events_keeps_its_old_sentence(as_user):
    reader = persona("reporter_szw")
    Notification.objects.create(user=reader, event="legacy",
                                message="U neemt deel aan controle CO-3 op 2026-01-05.")
    page = as_user("reporter_szw").get(reverse("notifications")).content.decode()
    assert "U neemt deel aan controle CO-3 op 2026-01-05." in page


def test_the_data_migration_turns_old_rows_into_legacy_events(db):
    migration = __import__("register.migrations.0010_notification_events",
                           fromlist=["mark_legacy"])
    old = Notification.objects.create(user=persona("reporter_szw"), event="", message="Oud")
    migration.mark_legacy(apps, None)
    old.refresh_from_db()
    assert (old.event, old.render()) == ("legacy", "Oud")
