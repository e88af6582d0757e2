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
    settings.LOGIN_FAILURES_PER_ACCOUNT = 6
    settings.LOGIN_FAILURES_PER_ADDRESS = 9


def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(db):
    client = Client()
    for _ in range(3):
        attempt(client, "reporter.kmar")
    assert attempt(client, "reporter.kmar", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="register.session.locked_out").exists()
    assert AuditEvent.objects.filter(action="register.session.login_failed",
                                     actor_username="reporter.kmar").count() >= 3


def test_an_account_is_locked_from_every_address_over_the_higher_account_limit(db):
    for i in range(6):
        attempt(Client(REMOTE_ADDR=f"10.0.0.{i}"), "reporter.kmar")
    assert attempt(Client(REMOTE_ADDR="10.0.0.99"), "reporter.kmar", PASSWORD).status_code == 429


def test_an_account_is_not_locked_from_every_address_below_the_account_limit(db):
    for i in range(5):
        attempt(Client(REMOTE_ADDR=f"10.0.1.{i}"), "reporter.kmar")
    assert attempt(Client(REMOTE_ADDR="10.0.1.99"), "reporter.kmar", PASSWORD).status_code == 302


def test_an_address_is_locked_after_failures_on_many_accounts_over_the_address_limit(db):
    client = Client(REMOTE_ADDR="192.0.2.7")
    for i in range(9):
        attempt(client, f"sprayed.{i}")
    assert attempt(client, "reporter.szw", PASSWORD).status_code == 429


def test_one_locked_account_does_not_lock_colleagues_behind_the_same_address(db):
    office = Client(REMOTE_ADDR="192.0.2.70")
    for _ in range(4):
        attempt(office, "reporter.kmar")
    assert attempt(office, "reporter.kmar", PASSWORD).status_code == 429
    assert attempt(Client(REMOTE_ADDR="192.0.2.70"), "reporter.szw", PASSWORD).status_code == 302


def test_hammering_one_locked_account_locks_neither_the_account_elsewhere_nor_the_office(db):
    office = Client(REMOTE_ADDR="192.0.2.71")
    for _ in range(12):
        attempt(office, "reporter.kmar")
    assert attempt(Client(REMOTE_ADDR="192.0.2.71"), "reporter.szw", PASSWORD).status_code == 302
    assert attempt(Client(REMOTE_ADDR="10.9.9.9"), "reporter.kmar", PASSWORD).status_code == 302


def test_logging_in_to_ones_own_account_does_not_reset_failures_against_another(db):
    """The hole an outside test found: 2 wrong, own login, 1 wrong, ... guessed forever."""
    attacker = Client(REMOTE_ADDR="192.0.2.80")
    attempt(attacker, "reporter.kmar")
    attempt(attacker, "reporter.kmar")
    assert attempt(attacker, "reporter.szw", PASSWORD).status_code == 302
    attacker.logout()
    attempt(attacker, "reporter.kmar")
    assert attempt(attacker, "reporter.kmar", PASSWORD).status_code == 429


def test_the_victims_own_login_does_not_give_a_guesser_elsewhere_fresh_guesses(db):
    for i in range(5):
        attempt(Client(REMOTE_ADDR=f"10.0.2.{i}"), "reporter.kmar")
    home = Client(REMOTE_ADDR="10.0.2.200")
    assert attempt(home, "reporter.kmar", PASSWORD).status_code == 302
    attempt(Client(REMOTE_ADDR="10.0.2.50"), "reporter.kmar")
    assert attempt(Client(REMOTE_ADDR="10.0.2.51"), "reporter.kmar", PASSWORD).status_code == 429


def test_a_successful_login_clears_that_accounts_failures_from_that_address(db):
    client = Client(REMOTE_ADDR="192.0.2.90")
    attempt(client, "reporter.kmar")
    attempt(client, "reporter.kmar")
    assert attempt(client, "reporter.kmar", PASSWORD).status_code == 302
    client.logout()
    attempt(client, "reporter.kmar")
    attempt(client, "reporter.kmar")
    assert attempt(client, "reporter.kmar", PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_lock(db):
    client = Client(REMOTE_ADDR="192.0.2.8")
    for _ in range(3):
        attempt(client, "reporter.szw", HTTP_X_FORWARDED_FOR="203.0.113.1")
    response = attempt(client, "reporter.szw", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.200")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_only_the_proxys_entry_counts(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.1.1.1")  # the proxy
    for i in range(3):
        attempt(client, "reporter.szw", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 198.51.100.9")
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


def logged_in_as_reporter(address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    assert attempt(client, "reporter.kmar", PASSWORD).status_code == 302
    return client


def test_guessing_the_old_password_on_the_change_page_is_throttled_and_ends_the_session(db):
    client = logged_in_as_reporter("192.0.2.120")
    for _ in range(3):
        client.post(reverse("password_change"), {"old_password": "guess",
                                                  "new_password1": "a-new-passphrase-99",
                                                  "new_password2": "a-new-passphrase-99"})
    assert AuditEvent.objects.filter(action="register.session.login_failed",
                                     actor_username="reporter.kmar").count() == 3
    assert client.get(reverse("home")).status_code == 302  # logged out
    assert attempt(Client(REMOTE_ADDR="192.0.2.120"), "reporter.kmar",
                   PASSWORD).status_code == 429


def test_a_lock_on_the_password_confirmation_page_ends_the_session(db):
    client = logged_in_as_reporter("192.0.2.121")
    for _ in range(3):
        client.post(reverse("reauthenticate"), {"password": "guess", "next": "/"})
    assert client.get(reverse("home")).status_code == 302
