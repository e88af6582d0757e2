"""Bad input is the caller's error: a 400 (or 404) with a clear message, never a 500.

Each case below was a 500 on PostgreSQL, which cannot store NUL in text, or (deep JSON) on
any database, because Python's JSON decoder ran out of stack.
"""

import json

import pytest
from django.urls import reverse

from controls.models import Control
from register.models import AuditEvent
from signals.models import Signal
from tests.personas import persona
from tests.signals.builders import api_payload, file_signal

NUL = "\x00"


def assert_refused_without_echo(response, marker="Kanariewitz"):
    assert response.status_code == 400, response.content[:300]
    body = response.content.decode()
    assert marker not in body and NUL not in body


@pytest.mark.parametrize("path", [
    "/signals/MH-2026-0000%00Kanariewitz/",
    "/signals/MH-2026-0000%00Kanariewitz/receipt/",
    "/register/dossiers/DS-2026-%00Kanariewitz/",
])
def test_a_nul_in_a_path_is_refused_with_a_clear_message(as_user, path):
    response = as_user("analyst_kpcn").get(path)
    assert_refused_without_echo(response)
    assert "control character" in response.content.decode()


def test_a_nul_in_the_manager_user_filter_is_refused(as_user):
    response = as_user("manager").get(reverse("manage_users"),
                                      {"organisation": f"kmar{NUL}Kanariewitz"})
    assert_refused_without_echo(response)


@pytest.mark.parametrize("field", ["user", "action", "reference", "object_id", "organisation"])
def test_a_nul_in_an_audit_search_is_refused_on_the_page_and_in_the_api(as_user, api_as, field):
    query = {field: f"x{NUL}Kanariewitz"}
    assert_refused_without_echo(as_user("auditor").get(reverse("audit_events"), query))
    api_answer = api_as("auditor").get(reverse("api_audit_events"), query)
    assert_refused_without_echo(api_answer)
    assert "query string" in api_answer.json()["detail"]


def test_other_control_characters_in_a_query_string_are_refused_too(as_user):
    response = as_user("auditor").get(reverse("audit_events"), {"user": "a\x1bb"})
    assert response.status_code == 400


def test_a_nul_in_the_idempotency_key_is_refused_and_nothing_is_filed(api_as):
    response = api_as("reporter_kmar").post(
        reverse("signal-list"), api_payload(), format="json",
        HTTP_IDEMPOTENCY_KEY=f"key{NUL}Kanariewitz")
    assert_refused_without_echo(response)
    assert "header" in response.json()["detail"]
    assert not Signal.objects.exists()


@pytest.mark.parametrize("changes", [
    {"initiating_organisation": f"kmar{NUL}"},
    {"participants": [{"organisation": f"ind{NUL}", "task": "x"}]},
    {"goal": f"Bars{NUL}Kanariewitz"},
])
def test_a_nul_in_a_json_value_of_the_controls_api_is_refused(api_as, changes):
    payload = {"planned_on": "2026-06-01", "island": "bonaire", "place": "Rincon",
               "sector": "hospitality", "initiating_organisation": "kmar",
               "directing_organisation": "kpcn", "goal": "Bars", **changes}
    response = api_as("reporter_kmar").post(reverse("control-list"), payload, format="json")
    assert_refused_without_echo(response)
    assert "NUL" in response.json()["detail"]
    assert not Control.objects.exists()


def test_a_nul_in_a_json_key_or_a_nested_value_is_refused(api_as):
    client = api_as("reporter_kmar")
    nested = api_payload(persons=[{"role": "victim", "family_name": f"A{NUL}B"}])
    assert_refused_without_echo(client.post(reverse("signal-list"), nested, format="json"))
    keyed = {**api_payload(), f"note{NUL}": "x"}
    assert_refused_without_echo(client.post(reverse("signal-list"), keyed, format="json"))


def test_a_nul_in_a_dossier_or_person_lookup_of_the_casework_api_is_refused(api_as):
    client = api_as("analyst_kpcn")
    merge = client.post(reverse("person-suggestions"), {"reference": f"MH-2026-000001{NUL}"},
                        format="json")
    assert_refused_without_echo(merge)
    assert client.get("/api/v1/dossiers/DS-2026-0001%00/").status_code == 400


def test_json_nested_thousands_deep_is_refused_with_a_clear_message(api_as):
    body = "[" * 5000 + "]" * 5000
    response = api_as("reporter_kmar").post(reverse("signal-list"), body,
                                            content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_json_just_over_the_depth_limit_is_refused_and_at_the_limit_reaches_validation(api_as):
    client = api_as("reporter_kmar")

    def nested(depth):
        value = "x"
        for _ in range(depth - 1):
            value = [value]
        return {"description": value}

    too_deep = client.post(reverse("signal-list"), nested(33), format="json")
    assert "nested more than" in too_deep.json()["detail"]
    at_limit = client.post(reverse("signal-list"), nested(32), format="json")
    assert at_limit.status_code == 400 and "description" in at_limit.json()


def test_a_json_body_larger_than_the_limit_is_refused_before_it_is_decoded(api_as, settings):
    settings.API_JSON_MAX_BYTES = 1000
    body = json.dumps(api_payload(description="x" * 2000))
    response = api_as("reporter_kmar").post(reverse("signal-list"), body,
                                            content_type="application/json")
    assert response.status_code == 413
    assert "larger than 1000 bytes" in response.json()["detail"]


def test_invalid_json_is_refused_without_quoting_the_body(api_as):
    response = api_as("reporter_kmar").post(reverse("signal-list"), '{"a": Kanariewitz}',
                                            content_type="application/json")
    assert_refused_without_echo(response)


def test_a_nul_in_a_form_field_is_refused_before_the_login_throttle_stores_it(client):
    response = client.post(reverse("login"), {"username": f"reporter.kmar{NUL}",
                                              "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    assert_refused_without_echo(response)
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_header_is_refused(as_user):
    response = as_user("reporter_kmar").get(reverse("signals:mine"),
                                            HTTP_X_PARTNER=f"a{NUL}Kanariewitz")
    assert_refused_without_echo(response)


def test_text_with_tabs_and_newlines_still_goes_through(api_as, as_user):
    filed = api_as("reporter_kmar").post(
        reverse("signal-list"), api_payload(description="Line one\n\tindented\r\nthree"),
        format="json")
    assert filed.status_code == 201
    assert Signal.objects.get().description.startswith("Line one\n\tindented")
    assert as_user("auditor").get(reverse("audit_events"),
                                  {"action": "signals.\t"}).status_code == 200


def test_a_reporter_filing_with_rtl_marks_and_emoji_is_not_refused(api_as):
    filed = api_as("reporter_kmar").post(
        reverse("signal-list"),
        api_payload(description="\u202eevil\u202c text \U0001F600 \u200f"), format="json")
    assert filed.status_code == 201


def test_a_real_signal_path_still_works_after_the_checks(as_user):
    signal = file_signal(persona("reporter_kmar"))
    assert as_user("reporter_kmar").get(
        reverse("signals:detail", args=[signal.reference])).status_code == 200
    assert AuditEvent.objects.filter(action="signals.signal.viewed").exists()


@pytest.mark.parametrize("length", [256, 1_000_000])
def test_a_username_longer_than_any_account_is_a_form_error_not_a_throttle_crash(client, length):
    response = client.post(reverse("login"), {"username": "u" * length, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_value_the_database_refuses_in_the_api_is_a_400_not_a_500(api_as, monkeypatch):
    """The last defence behind the edge checks: a DataError is the caller's error."""
    from django.db import DataError

    from casework.api import views

    def refuse(user):
        raise DataError("value too long for type character varying(Kanariewitz)")

    monkeypatch.setattr(views, "signals_visible_to", refuse)
    response = api_as("reporter_kmar").get(reverse("signal-list"))
    assert_refused_without_echo(response)
    assert response.json()["detail"] == "The request holds a value the register cannot store."


@pytest.mark.parametrize("content_type", ["multipart/form-data",
                                          "multipart/form-data; boundary=\x01"])
def test_a_broken_multipart_body_is_a_400(as_user, content_type):
    response = as_user("reporter_kmar").post(reverse("signals:new"), data=b"--x\r\nbroken",
                                             content_type=content_type)
    assert response.status_code == 400
