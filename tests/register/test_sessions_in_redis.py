"""Sessions as production keeps them: read from the "sessions" cache (Redis when REDIS_URL is
set, else an in-process cache standing in for it), with a database copy, and written at most
once a minute unless they changed. The suite's other tests keep database sessions because
they age Session rows directly; the flows that depend on the session run here again."""

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from register import sessions
from tests.personas import PASSWORD
from tests.register.test_sessions_and_account_management import (  # noqa: F401 - run here too
    test_a_session_ends_twelve_hours_after_login_however_active,
    test_disabling_a_user_ends_their_sessions_and_tokens_at_once,
    test_logout_ends_the_session,
    test_sensitive_actions_ask_for_the_password_again_after_five_minutes,
)
from tests.register.test_two_factor_login import (  # noqa: F401 - run here too
    test_a_code_cannot_be_used_twice,
    test_a_first_login_leads_to_enrolment_and_the_code_opens_the_register,
    test_a_later_login_asks_for_the_code,
    test_a_password_only_session_gets_no_api_data,
)


@pytest.fixture(autouse=True)
def _sessions_in_the_cache(settings):
    if "sessions" not in django_settings.CACHES:  # no REDIS_URL: an in-process stand-in
        settings.CACHES = {**django_settings.CACHES, "sessions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sessions-under-test"}}
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.SESSION_ENGINE = "register.sessions.cached_db"
    settings.SESSION_RENEW_SECONDS = 60  # production's; the rest of the suite writes always


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, moved by hand: clock.at(seconds after the login)."""
    import time

    class Clock:
        start = time.time()
        offset = 0

        def at(self, seconds):
            self.offset = seconds

    moved = Clock()
    monkeypatch.setattr(sessions, "now", lambda: moved.start + moved.offset)
    return moved


def session_writes(client, method="get", path="/", data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        getattr(client, method)(path, data or {})
    return sum(1 for query in captured if "django_session" in query["sql"]
               and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")))


def cached(client) -> dict | None:
    return caches["sessions"].get(sessions.CachedDatabaseSessionStore.cache_key_prefix
                                  + client.cookies[django_settings.SESSION_COOKIE_NAME].value)


def test_a_login_puts_the_session_in_the_cache_and_pages_read_it_from_there(as_user, clock):
    client = as_user("reporter_kmar")
    assert "_auth_user_id" in cached(client)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in captured if "django_session" in q["sql"]]


def test_a_session_is_not_written_again_within_a_minute_of_its_last_write(as_user, clock):
    client = as_user("reporter_kmar")
    saved = cached(client)[sessions.SAVED_AT]
    for seconds in (1, 30, 59):
        clock.at(seconds)
        assert session_writes(client, path=reverse("home")) == 0
    assert cached(client)[sessions.SAVED_AT] == saved


def test_a_session_is_written_again_a_minute_after_its_last_write_moving_its_expiry(
        as_user, clock):
    client = as_user("reporter_kmar")
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date="2000-01-01T00:00:00Z")
    clock.at(60)
    assert session_writes(client, path=reverse("home")) == 1
    assert cached(client)[sessions.SAVED_AT] == int(clock.start + 60)
    assert Session.objects.get(session_key=key).expire_date.year > 2000
    clock.at(100)
    assert session_writes(client, path=reverse("home")) == 0
    clock.at(121)
    assert session_writes(client, path=reverse("home")) == 1


def test_a_changed_session_is_written_at_once(as_user, clock):
    client = as_user("reporter_kmar")
    clock.at(5)
    assert session_writes(client, "post", reverse("reauthenticate"),
                          {"password": PASSWORD, "next": "/"}) == 1
    assert "register_reauth_at" in cached(client)


def test_the_idle_limit_is_thirty_minutes_after_the_last_write_so_accurate_to_the_minute(
        as_user, clock):
    """Expiry age is SESSION_COOKIE_AGE from the last write, and the last write is less than
    a minute before the last request: the session ends 29 to 30 minutes after it."""
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert sessions.RENEW_SECONDS == 60 == django_settings.SESSION_RENEW_SECONDS
    client = as_user("reporter_kmar")
    clock.at(59)
    client.get(reverse("home"))
    store = sessions.CachedDatabaseSessionStore(
        client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    row = Session.objects.get(session_key=store.session_key)
    written = store.load()[sessions.SAVED_AT]
    left_after_last_request = row.expire_date.timestamp() - (clock.start + 59)
    assert 29 * 60 <= left_after_last_request <= 30 * 60 + 1
    assert clock.start + 59 - written < 60
    if hasattr(caches["sessions"], "_cache") and hasattr(caches["sessions"]._cache,
                                                         "get_client"):  # Redis
        redis_key = caches["sessions"].make_and_validate_key(store.cache_key)
        ttl = caches["sessions"]._cache.get_client(redis_key).ttl(redis_key)
        assert 29 * 60 < ttl <= 30 * 60


def test_a_session_ended_in_the_database_by_disabling_is_gone_from_the_cache_too(as_user):
    from register.services.accounts import user_set_active
    from tests.personas import persona

    client = as_user("reporter_kmar")
    assert cached(client) is not None
    user_set_active(actor=persona("manager"), user=persona("reporter_kmar"), active=False)
    assert cached(client) is None
