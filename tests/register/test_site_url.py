"""E-mails link to the address the register is configured under (SITE_URL), and `make run`
(runall) points SITE_URL at the port it serves on, so the demo's links work."""

import os
import signal
import socket
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse

from register.management.commands import runall
from register.models import Organisation, Role


class Inbox:
    """An aiosmtpd handler keeping each message it receives."""

    def __init__(self):
        self.messages: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on this machine, and the app set to send its mail there."""
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    server.stop()


def test_the_welcome_mail_links_to_the_configured_site_url_not_the_requests_host(
        as_user, settings, smtp_inbox):
    settings.SITE_URL = "http://register.example.test:8123/"
    settings.ALLOWED_HOSTS = ["*"]
    manager = as_user("manager")
    manager.post(reverse("manage_user_new"), {
        "username": "n.new.kmar", "first_name": "Nina", "last_name": "New",
        "email": "nina@example.invalid", "organisation": Organisation.objects.get(code="kmar").pk,
        "roles": [Role.REPORTER]}, HTTP_HOST="internal-host:9999")
    assert len(smtp_inbox.messages) == 1
    links = [line for line in smtp_inbox.messages[0].splitlines() if "/password/set/" in line]
    assert len(links) == 1
    assert links[0].startswith("http://register.example.test:8123/")
    assert "internal-host" not in smtp_inbox.messages[0]


class StoppedProcess:
    """Stands in for runserver and Celery: records the SITE_URL it was started with."""

    started_with: list[str | None] = []

    def __init__(self, command):
        StoppedProcess.started_with.append(os.environ.get("SITE_URL"))

    def poll(self):
        return 0

    def terminate(self):
        pass

    def wait(self, timeout=None):
        return 0

    def kill(self):
        pass


@pytest.fixture
def runall_without_serving(monkeypatch):
    StoppedProcess.started_with = []
    monkeypatch.setattr(runall.subprocess, "Popen", StoppedProcess)
    # The test database is migrated already; migrating again would re-run post-migrate hooks.
    monkeypatch.setattr(runall, "call_command", lambda *args, **kwargs: None)
    previous = signal.getsignal(signal.SIGTERM)
    yield StoppedProcess.started_with
    signal.signal(signal.SIGTERM, previous)


def test_runall_points_site_url_at_the_port_it_serves_on(db, runall_without_serving):
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    with mock.patch.dict(os.environ, environment, clear=True):
        call_command("runall", port=8765)
    # The web server, the worker (which sends the report mails) and beat all get it.
    assert runall_without_serving == ["http://127.0.0.1:8765"] * 3


def test_runall_keeps_a_site_url_that_was_configured(db, runall_without_serving):
    with mock.patch.dict(os.environ, {"SITE_URL": "https://register.example.test"}):
        call_command("runall", port=8765)
    assert runall_without_serving == ["https://register.example.test"] * 3


def test_runall_on_every_interface_links_to_this_machine():
    with mock.patch.dict(os.environ, {"SITE_URL": ""}):
        assert runall.serving_site_url("0.0.0.0", 8001) == "http://127.0.0.1:8001"  # noqa: S104
        assert runall.serving_site_url("::1", 8001) == "http://[::1]:8001"
