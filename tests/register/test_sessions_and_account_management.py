import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from register.middleware import SESSION_CONFIRMED, SESSION_STARTED
from register.models import ApiToken, AuditEvent, Organisation, Role, User
from register.services.accounts import token_issue, user_set_active
from tests.personas import PASSWORD, persona, totp_device


def age_session(client, key, seconds):
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_a_session_ends_twelve_hours_after_login_however_active(as_user):
    client = as_user("reporter_kmar")
    assert client.get(reverse("home")).status_code == 200
    age_session(client, SESSION_STARTED, 12 * 3600 + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302


def test_an_idle_session_expires_after_thirty_minutes(as_user, settings):
    import datetime as dt

    from django.utils import timezone

    client = as_user("reporter_kmar")
    client.get(reverse("home"))
    session = Session.objects.get(session_key=client.session.session_key)
    left = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("home")).status_code == 302


def test_logout_ends_the_session(as_user):
    client = as_user("reporter_kmar")
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302


def test_disabling_a_user_ends_their_sessions_and_tokens_at_once(as_user):
    user = persona("reporter_kmar")
    browser = as_user("reporter_kmar")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(actor=None, user=user)}")
    assert api.get(reverse("signal-list")).status_code == 200
    user_set_active(actor=persona("manager"), user=user, active=False)
    assert browser.get(reverse("home")).status_code == 302
    assert api.get(reverse("signal-list")).status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="register.user.disabled")
    assert event.detail["sessions_ended"] == 1


def test_sensitive_actions_ask_for_the_password_again_after_five_minutes(as_user):
    client = as_user("auditor")
    assert client.get(reverse("audit_export")).status_code == 200
    age_session(client, SESSION_CONFIRMED, 301)
    response = client.get(reverse("audit_export"))
    assert response["Location"].startswith(reverse("reauthenticate"))
    wrong = client.post(reverse("reauthenticate"), {"password": "nope", "next": "/audit/"})
    assert b"The password is not correct" in wrong.content
    right = client.post(reverse("reauthenticate"), {"password": PASSWORD,
                                                    "next": reverse("audit_export")})
    assert right["Location"] == reverse("audit_export")
    assert client.get(reverse("audit_export")).status_code == 200


@pytest.fixture
def manager(as_user):
    return as_user("manager")


def test_the_manager_creates_an_account_and_the_user_gets_a_link_to_set_a_password(manager):
    kmar = Organisation.objects.get(code="kmar")
    response = manager.post(reverse("manage_user_new"), {
        "username": "n.new.kmar", "first_name": "Nina", "last_name": "New",
        "email": "nina@example.invalid", "organisation": kmar.pk,
        "roles": [Role.ANALYST, Role.REPORTER]})
    user = User.objects.get(username="n.new.kmar")
    assert response["Location"] == reverse("manage_user", args=[user.pk])
    assert user.role_codes == {Role.ANALYST, Role.REPORTER}
    assert not user.has_usable_password()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/set/" in line)
    path = link.removeprefix(settings.SITE_URL.rstrip("/"))
    invited = Client()
    form = invited.get(path, follow=True)
    new_password = "a-long-new-passphrase-42"
    invited.post(form.redirect_chain[-1][0], {"new_password1": new_password,
                                              "new_password2": new_password})
    user.refresh_from_db()
    assert user.check_password(new_password)
    event = AuditEvent.objects.get(action="register.user.created", object_id=user.pk)
    assert event.actor == persona("manager")


def test_the_manager_cannot_make_a_labour_inspector_an_analyst(manager):
    szw = Organisation.objects.get(code="szw")
    response = manager.post(reverse("manage_user_new"), {
        "username": "i.inspector", "first_name": "I", "last_name": "I",
        "email": "i@example.invalid", "organisation": szw.pk, "roles": [Role.ANALYST]})
    assert response.status_code == 200
    assert b"Only staff of KPCN, KMar and OM can be analysts" in response.content
    assert not User.objects.filter(username="i.inspector").exists()


def test_a_role_change_is_audited_with_what_changed(manager):
    user = persona("reporter_kmar")
    manager.post(reverse("manage_user", args=[user.pk]), {
        "first_name": user.first_name, "last_name": "Renamed", "email": user.email,
        "phone": user.phone, "organisation": user.organisation.pk,
        "roles": [Role.REPORTER, Role.COORDINATOR]})
    event = AuditEvent.objects.get(action="register.user.changed", object_id=user.pk)
    assert event.detail["fields"] == ["last_name"]
    assert event.detail["roles_added"] == [Role.COORDINATOR]
    assert "Renamed" not in str(event.detail)
    assert persona("reporter_kmar").has_role(Role.COORDINATOR)


def test_the_manager_resets_a_lost_authenticator(manager):
    user = persona("analyst_om")
    totp_device(user)
    manager.post(reverse("manage_user_action", args=[user.pk, "reset-two-factor"]))
    assert not user.totpdevice_set.exists()
    assert AuditEvent.objects.filter(action="register.two_factor.reset").exists()


def test_the_manager_issues_a_token_that_is_shown_once(manager):
    user = persona("reporter_szw")
    response = manager.post(reverse("manage_user_action", args=[user.pk, "issue-token"]))
    key = response.context["key"]
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == ApiToken.hash_key(key)
    page = manager.get(reverse("manage_user", args=[user.pk])).content.decode()
    assert key not in page


def test_the_manager_requires_two_factor_for_an_organisation(manager):
    manager.post(reverse("manage_organisation_two_factor", args=["olb"]), {"required": "on"})
    assert Organisation.objects.get(code="olb").requires_two_factor
    manager.post(reverse("manage_organisation_two_factor", args=["olb"]), {})
    assert not Organisation.objects.get(code="olb").requires_two_factor


def test_permission_changes_need_a_recent_password(manager):
    age_session(manager, SESSION_CONFIRMED, 600)
    user = persona("reporter_szw")
    response = manager.post(reverse("manage_user_action", args=[user.pk, "disable"]))
    assert response["Location"].startswith(reverse("reauthenticate"))
    assert persona("reporter_szw").is_active
