"""Logged-in sessions for the benchmarks, made the way a login makes them (with the one-time
code given), so every middleware and permission check runs as for a real analyst."""

from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from register.models import User
from register.services.accounts import token_issue


def verified_client(user: User) -> Client:
    """A test client logged in as `user`, past the one-time code."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="benchmark",
                                                 defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def session_cookie(client: Client) -> str:
    """The Cookie header that carries the client's session to a real server."""
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def api_token(user: User) -> str:
    return token_issue(actor=None, user=user)
