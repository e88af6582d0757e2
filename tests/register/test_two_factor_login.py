import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from register.models import AuditEvent
from register.two_factor import two_factor_required
from tests.personas import PASSWORD, current_code, persona, totp_device


def password_login(username: str) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("name", ["analyst_kpcn", "manager", "auditor"])
def test_analysts_managers_and_auditors_must_use_a_one_time_code(db, name):
    assert two_factor_required(persona(name))


def test_reporters_need_no_code_unless_their_organisation_requires_it(db):
    reporter = persona("reporter_szw")
    assert not two_factor_required(reporter)
    reporter.organisation.requires_two_factor = True
    reporter.organisation.save()
    assert two_factor_required(persona("reporter_szw"))


def test_a_reporter_who_enrolled_a_device_must_use_it(db):
    totp_device(persona("reporter_kmar"))
    assert two_factor_required(persona("reporter_kmar"))


def test_a_first_login_leads_to_enrolment_and_the_code_opens_the_register(db):
    client = password_login("analyst.om")
    page = client.get(reverse("home"))
    assert page["Location"].startswith(reverse("two_factor_setup"))
    setup = client.get(page["Location"])
    assert b"<svg" in setup.content
    device = TOTPDevice.objects.get(user=persona("analyst_om"), confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": "/"})
    assert b"This code is not correct" in wrong.content
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp makes the next try wait a second
    device.throttle_reset()
    response = client.post(reverse("two_factor_setup"), {"code": current_code(device),
                                                         "next": "/signals/paper/"})
    assert response["Location"] == "/signals/paper/"
    assert client.get("/signals/paper/").status_code == 200
    assert AuditEvent.objects.filter(action="register.two_factor.enrolled").exists()


def test_a_later_login_asks_for_the_code(db):
    device = totp_device(persona("analyst_om"))
    client = password_login("analyst.om")
    response = client.get("/signals/paper/")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_verify"), {"code": "123"}).status_code == 200
    assert client.get("/signals/paper/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    client.post(reverse("two_factor_verify"), {"code": current_code(device)})
    assert client.get("/signals/paper/").status_code == 200


def test_a_code_cannot_be_used_twice(db):
    device = totp_device(persona("analyst_om"))
    code = current_code(device)
    first = password_login("analyst.om")
    first.post(reverse("two_factor_verify"), {"code": code})
    assert first.get(reverse("home")).status_code == 200
    second = password_login("analyst.om")
    second.post(reverse("two_factor_verify"), {"code": code})
    assert second.get(reverse("home")).status_code == 302


def test_a_password_only_session_gets_no_api_data(db):
    client = password_login("analyst.kpcn")
    response = client.get(reverse("signal-list"))
    assert response.status_code == 403


def test_a_password_only_session_does_not_reach_the_admin(db):
    user = persona("manager")
    user.is_staff = user.is_superuser = True
    user.save()
    client = password_login("manager")
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_setup"))


def test_a_reporter_can_choose_to_enrol_from_the_start_page(as_user):
    client = as_user("reporter_szw")
    page = client.get(reverse("home")).content.decode()
    assert reverse("two_factor_setup") in page
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=persona("reporter_szw"))
    client.post(reverse("two_factor_setup"), {"code": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert reverse("two_factor_setup") not in client.get(reverse("home")).content.decode()
