"""Session engines of the register: the session is read from Redis where there is one, and
written at most once a minute unless it changed.

`SESSION_SAVE_EVERY_REQUEST` keeps the 30-minute idle limit sliding: every request renews the
session's expiry. Writing the session on every request only to move its expiry by a few
seconds cost a database write (and a Redis write) on every page. These stores skip that write
when nothing in the session changed and the last write is less than `RENEW_SECONDS` old, so
a session ends between 29 and 30 minutes after its last request: the idle limit stays
accurate to the minute. A session whose content changed (login, one-time code, password
confirmed again, a message, a selection) is written at once.

- `register.sessions.cached_db` (REDIS_URL set): Django's cached_db store on the "sessions"
  cache (Redis). Reads come from Redis; the database keeps a copy, written with the same
  throttle, because disabling an account must find and end every session of that account.
- `register.sessions.db` (no REDIS_URL, the embedded default): database sessions.
"""

import time

from django.contrib.sessions.backends import cached_db as django_cached_db
from django.contrib.sessions.backends import db as django_db

# Kept in the session itself: when the session was last written (whole seconds, epoch).
SAVED_AT = "_register_saved_at"
RENEW_SECONDS = 60  # settings.SESSION_RENEW_SECONDS, this by default


def renew_seconds() -> int:
    from django.conf import settings

    return getattr(settings, "SESSION_RENEW_SECONDS", RENEW_SECONDS)


def now() -> float:
    return time.time()


class ThrottledSaves:
    """Skip a save that would only move the expiry by less than RENEW_SECONDS."""

    # Django's stores sign with their class name; keep theirs, so sessions written before
    # (and Session.get_decoded(), which uses the database store) read the same data.
    key_salt = "django.contrib.sessions.SessionStore"

    def save(self, must_create=False):
        moment = int(now())
        saved_at = self._session.get(SAVED_AT)
        if (not must_create and not self.modified and saved_at is not None
                and moment - saved_at < renew_seconds()):
            return
        self._session[SAVED_AT] = moment
        super().save(must_create)


class DatabaseSessionStore(ThrottledSaves, django_db.SessionStore):
    pass


class CachedDatabaseSessionStore(ThrottledSaves, django_cached_db.SessionStore):
    pass


def end_sessions(session_keys) -> None:
    """End these sessions wherever the configured engine keeps them (database and cache)."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store().delete(key)
