"""An organisation's two-factor requirement holds for API tokens too; system accounts of
partner systems, marked by the register manager, keep theirs."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from register.models import ApiToken, AuditEvent, Organisation
from register.services.accounts import (
    organisation_require_two_factor,
    token_issue,
    user_set_system_account,
)
from tests.personas import persona


def api_with(key: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def require_two_factor(code: str = "szw") -> None:
    organisation_require_two_factor(actor=persona("manager"), required=True,
                                    organisation=Organisation.objects.get(code=code))


def test_a_token_stops_working_when_the_organisation_requires_two_factor(db):
    key = token_issue(actor=None, user=persona("reporter_szw"))
    assert api_with(key).get("/api/v1/signals/").status_code == 200
    require_two_factor()
    assert api_with(key).get("/api/v1/signals/").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_a_token_of_an_organisation_that_requires_two_factor_stops_even_if_not_revoked(db):
    key = token_issue(actor=None, user=persona("reporter_szw"))
    Organisation.objects.filter(code="szw").update(requires_two_factor=True)
    assert api_with(key).get("/api/v1/signals/").status_code == 401


def test_no_token_is_issued_to_staff_of_an_organisation_that_requires_two_factor(as_user):
    require_two_factor()
    user = persona("reporter_szw")
    response = as_user("manager").post(reverse("manage_user_action",
                                               args=[user.pk, "issue-token"]), follow=True)
    assert "requires two-factor login" in response.content.decode()
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_system_account_keeps_its_token_when_two_factor_is_required(as_user):
    user = persona("reporter_szw")
    as_user("manager").post(reverse("manage_user_action",
                                    args=[user.pk, "mark-system-account"]))
    assert persona("reporter_szw").is_system_account
    event = AuditEvent.objects.filter(action="register.user.changed",
                                      object_id=user.pk).latest("id")
    assert event.detail["fields"] == ["is_system_account"]
    key = token_issue(actor=None, user=persona("reporter_szw"))
    require_two_factor()
    assert api_with(key).get("/api/v1/signals/").status_code == 200


def test_unmarking_a_system_account_ends_its_tokens_where_two_factor_is_required(db):
    user = persona("reporter_szw")
    user_set_system_account(actor=persona("manager"), user=user, system=True)
    key = token_issue(actor=None, user=persona("reporter_szw"))
    require_two_factor()
    user_set_system_account(actor=persona("manager"), user=persona("reporter_szw"),
                            system=False)
    assert api_with(key).get("/api/v1/signals/").status_code == 401


def test_only_a_reporter_account_can_be_a_system_account(as_user):
    user = persona("coordinator")
    response = as_user("manager").post(reverse("manage_user_action",
                                               args=[user.pk, "mark-system-account"]),
                                       follow=True)
    assert "just the reporter role" in response.content.decode()
    assert not persona("coordinator").is_system_account


@pytest.mark.parametrize("persona_name", ["analyst_kpcn", "manager", "auditor"])
def test_roles_that_need_a_one_time_code_get_no_token(db, persona_name):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_issue(actor=None, user=persona(persona_name))
