"""SESSION_ENGINE without Redis: database sessions, written at most once a minute."""

from register.sessions import DatabaseSessionStore as SessionStore

__all__ = ["SessionStore"]
