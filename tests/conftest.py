import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from register.models import User
from register.seed import seed_organisations
from register.services.accounts import token_issue
from register.two_factor import ROLES_REQUIRING_TWO_FACTOR, two_factor_required
from tests.personas import PERSONAS, create_personas, persona, verify_with_one_time_code
from tests.register.test_site_url import Inbox, free_port


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the personas once; every test runs in a transaction on top of them."""
    with django_db_blocker.unblock():
        create_personas()
        if connection.vendor == "postgresql":
            # Tests with real transactions are cleaned up with TRUNCATE, which the audit
            # table refuses by design. Only the test database lifts that one guard; the test
            # of the guard puts it back inside its own transaction.
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE register_auditevent "
                               "DISABLE TRIGGER register_auditevent_no_truncate")


@pytest.fixture(autouse=True)
def _world(request):
    """A test with real transactions empties the database afterwards; lay the ground again."""
    if not {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("db" if "db" in request.fixturenames else "transactional_db")
    if not User.objects.filter(username="reporter.kmar").exists():
        seed_organisations()
        create_personas()


@pytest.fixture(autouse=True)
def _language_of_no_request():
    """Each test starts in the register's default language (Dutch), as a worker task does.

    A request activates its language on the thread and leaves it there; without this, a test
    outside a request read whatever language the test before it used.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the dashboard's estimate is kept there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Each test stores files in its own folder, so parallel workers never share one."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.AUDIT_CHECKPOINT_PATH = str(tmp_path / "audit-checkpoint.json")


@pytest.fixture
def as_user(db):
    """as_user("reporter_kmar") -> a Django test client logged in as that persona."""

    def login(name: str, language: str = "en", verified: bool = True) -> Client:
        client = Client()
        user = persona(name)
        client.force_login(user)
        if verified and two_factor_required(user):
            verify_with_one_time_code(client, user)
        # Assertions read English messages; Dutch as the default is tested on its own.
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


@pytest.fixture
def api_as(db):
    """api_as("reporter_kmar") -> a DRF client sending that persona's API token."""

    def client_for(name: str) -> APIClient:
        """Reporter accounts call with a token, as partner systems do; roles that need a
        one-time code have no tokens and use a verified session instead."""
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        user = persona(name)
        if user.has_role(*ROLES_REQUIRING_TWO_FACTOR):
            client.force_login(user)
            verify_with_one_time_code(client, user)
        else:
            key = token_issue(actor=None, user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return client_for


@pytest.fixture
def personas(db):
    return {name: persona(name) for name in PERSONAS}


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on this machine, and the app set to send its mail there."""
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield inbox
    server.stop()
