import pytest
from django.test import Client
from django.urls import reverse

from register.models import AuditEvent
from tests.personas import PASSWORD


def attempt(client, username, password="wrong-password", **headers):
    return client.post(reverse("login"), {"username": username, "password": password},
                       **headers)


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(db):
    client = Client()
    for _ in range(3):
        attempt(client, "reporter.kmar")
    assert attempt(client, "reporter.kmar", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="register.session.locked_out").exists()
    assert AuditEvent.objects.filter(action="register.session.login_failed",
                                     actor_username="reporter.kmar").count() >= 3


def test_the_lock_on_an_account_holds_from_another_address(db):
    for i in range(3):
        attempt(Client(REMOTE_ADDR=f"10.0.0.{i}"), "reporter.kmar")
    assert attempt(Client(REMOTE_ADDR="10.0.0.99"), "reporter.kmar", PASSWORD).status_code == 429


def test_an_address_is_locked_after_failures_on_many_accounts(db):
    client = Client(REMOTE_ADDR="192.0.2.7")
    for name in ("a.one", "a.two", "a.three"):
        attempt(client, name)
    assert attempt(client, "reporter.szw", PASSWORD).status_code == 429


def test_a_forged_forwarded_for_header_does_not_reset_the_lock(db):
    client = Client(REMOTE_ADDR="192.0.2.8")
    for i in range(3):
        attempt(client, f"x.{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = attempt(client, "reporter.szw", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_only_the_proxys_entry_counts(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.1.1.1")  # the proxy
    for i in range(3):
        attempt(client, f"y.{i}", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 198.51.100.9")
    response = attempt(client, "reporter.szw", PASSWORD,
                       HTTP_X_FORWARDED_FOR="7.7.7.7, 198.51.100.9")
    assert response.status_code == 429
    other_client = attempt(client, "reporter.szw", PASSWORD,
                           HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert other_client.status_code == 302


def test_an_unknown_account_is_throttled_like_a_real_one(db):
    client = Client(REMOTE_ADDR="192.0.2.50")
    responses = [attempt(client, "no.such.user").status_code for _ in range(4)]
    assert responses[-1] == 429


def test_the_audit_trail_records_the_real_client_address(db):
    attempt(Client(REMOTE_ADDR="192.0.2.77"), "reporter.kmar",
            HTTP_X_FORWARDED_FOR="203.0.113.1")
    event = AuditEvent.objects.filter(action="register.session.login_failed").latest("id")
    assert event.ip == "192.0.2.77"
