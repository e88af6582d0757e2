"""SESSION_ENGINE with Redis: read from the "sessions" cache, written at most once a minute."""

from register.sessions import CachedDatabaseSessionStore as SessionStore

__all__ = ["SessionStore"]
