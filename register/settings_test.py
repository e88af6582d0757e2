"""Settings for the test suite: production settings, with what tests need changed."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-installation")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from register.settings import *  # noqa: E402,F403
from register.settings import STATIC_ROOT, VAR_DIR  # noqa: E402

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing folder

# Fast hashing: the suite creates accounts; production keeps Django's default hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker started by a test sends its mail to that test's local SMTP server.
if os.environ.get("TEST_EMAIL_PORT"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = "127.0.0.1", int(os.environ["TEST_EMAIL_PORT"])
    EMAIL_USE_TLS = EMAIL_USE_SSL = False
# A worker started by a test writes where that test reads.
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or VAR_DIR / "test-uploads"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite reads and ages Session rows directly (idle expiry, disabling an account), so it
# keeps the sessions in the database; tests/register/test_sessions_in_redis.py runs login,
# two-factor, logout, re-authentication and disabling on the Redis engine production uses.
SESSION_ENGINE = "register.sessions.db"
# ... and writes them on every request, so a test's query count never depends on whether a
# minute passed since the session was last written (test_sessions_in_redis sets 60).
SESSION_RENEW_SECONDS = 0
