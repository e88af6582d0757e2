"""Sessions in the audit trail: logins, logouts, failed logins and lockouts."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from register.middleware import SESSION_CONFIRMED, SESSION_STARTED
from register.models import User
from register.services.audit import audit_record


@receiver(user_logged_in)
def session_started(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_CONFIRMED] = now
    audit_record(actor=user, action="register.session.login")


@receiver(user_logged_out)
def session_ended(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="register.session.logout")


def _known(username) -> str:
    """What was typed is kept only when it is an account: a password typed into the username
    box must never end up in the permanent audit trail."""
    username = str(username or "")[:150]
    return username if User.objects.filter(username=username).exists() else "(unknown)"


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    audit_record(actor=None, action="register.session.login_failed",
                 username=_known(credentials.get("username")))


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(actor=None, action="register.session.locked_out", username=_known(username))
