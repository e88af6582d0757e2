"""Sessions in the audit trail: logins, logouts, failed logins and lockouts."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from register.middleware import SESSION_CONFIRMED, SESSION_STARTED
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


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    # The attempted username is kept (not whether it exists); the password never is.
    audit_record(actor=None, action="register.session.login_failed",
                 username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(actor=None, action="register.session.locked_out", username=str(username or ""))
