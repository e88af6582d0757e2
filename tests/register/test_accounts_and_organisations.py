import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from register.models import ApiToken, AuditEvent, Organisation, Role, User
from register.services.accounts import user_create
from tests.personas import PASSWORD

PARTNERS = {"kpcn", "kmar", "om", "szw", "ind", "olb", "oles", "ols", "voogdijraad",
            "slachtofferhulp", "rst", "kustwacht", "douane"}


def test_the_organisations_are_seeded_as_data(db):
    assert set(Organisation.objects.values_list("code", flat=True)) >= PARTNERS


def test_only_kpcn_kmar_and_om_may_hold_analysts(db):
    assert set(Organisation.objects.filter(may_hold_analysts=True)
               .values_list("code", flat=True)) == {"kpcn", "kmar", "om"}


@pytest.mark.parametrize("code", ["szw", "ind", "olb", "voogdijraad"])
def test_staff_of_other_organisations_cannot_be_made_analyst(db, code):
    with pytest.raises(ValidationError) as refused:
        user_create(actor=None, username=f"would.be.{code}", password=PASSWORD,
                    organisation=Organisation.objects.get(code=code), roles=[Role.ANALYST])
    assert refused.value.code == "analyst_not_allowed"
    assert not User.objects.filter(username=f"would.be.{code}").exists()


def test_a_user_can_hold_several_roles(db):
    user = user_create(actor=None, username="two.hats", password=PASSWORD, roles=[
        Role.REPORTER, Role.ANALYST], organisation=Organisation.objects.get(code="kmar"))
    assert user.has_role(Role.ANALYST) and user.has_role(Role.REPORTER)
    assert not user.has_role(Role.AUDITOR)
    assert AuditEvent.objects.filter(action="register.user.created", object_id=user.pk).exists()


def test_issue_token_prints_a_key_that_authenticates_and_is_stored_hashed(db, capsys):
    call_command("issue_token", "reporter.kmar")
    key = capsys.readouterr().out.strip()
    assert len(key) >= 40
    assert not ApiToken.objects.filter(key_hash=key).exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("signal-list")).status_code == 200


def test_issue_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("issue_token", "nobody")


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses"):
        call_command("seed_demo", password="demo-password")


def test_seed_demo_creates_the_named_accounts_and_signals(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", password="demo-password", signals=5)
    names = set(User.objects.values_list("username", flat=True))
    assert {"reporter.kmar", "reporter.szw", "analyst.kpcn", "analyst.kmar", "analyst.om",
            "coordinator", "manager", "auditor"} <= names
    assert User.objects.get(username="analyst.om").has_role(Role.ANALYST)
    from signals.models import Signal

    assert Signal.objects.count() == 5
    call_command("seed_demo", password="demo-password", signals=5)
    assert Signal.objects.count() == 5, "a second run must not add signals again"


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_and_logout(client, db):
    response = login(client, "reporter.kmar", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_failed_login_does_not_tell_whether_the_account_exists(client, db):
    wrong_password = login(client, "reporter.kmar", "wrong-password").content.decode()
    no_account = login(client, "no.such.user", "wrong-password").content.decode()
    message = "De gebruikersnaam of het wachtwoord is niet juist."
    assert message in wrong_password and message in no_account


def test_the_navigation_follows_the_role(as_user):
    reporter = as_user("reporter_kmar").get(reverse("home")).content.decode()
    analyst = as_user("analyst_kpcn").get(reverse("home")).content.decode()
    coordinator = as_user("coordinator").get(reverse("home")).content.decode()
    assert reverse("signals:new") in reporter and reverse("signals:new_paper") not in reporter
    assert reverse("signals:new_paper") in analyst
    assert reverse("signals:new") not in coordinator


def test_demo_accounts_that_need_a_code_can_get_one_in_debug(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo", password="demo-password", signals=0)
    call_command("demo_code", "analyst.kmar")
    code = capsys.readouterr().out.strip().splitlines()[-1]
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username="analyst.kmar")
    assert device.verify_token(code)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code", "analyst.kmar")


@pytest.mark.parametrize("name", ["analyst.kpcn", "manager", "auditor"])
def test_no_token_for_accounts_that_need_a_one_time_code(db, name):
    with translation.override("en"), pytest.raises(CommandError,
                                                   match="only for reporter accounts"):
        call_command("issue_token", name)


def test_a_token_stops_working_when_its_account_gets_a_two_factor_role(db, capsys):
    call_command("issue_token", "reporter.szw")
    key = capsys.readouterr().out.strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("signal-list")).status_code == 200
    User.objects.get(username="reporter.szw").role_grants.create(role=Role.AUDITOR)
    assert client.get(reverse("signal-list")).status_code == 401


def test_an_expired_token_is_refused(db, capsys):
    import datetime as dt

    from django.utils import timezone

    call_command("issue_token", "reporter.szw")
    key = capsys.readouterr().out.strip()
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(reverse("signal-list")).status_code == 401
