import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from register import request_context
from register.client_ip import client_ip
from register.two_factor import confirmed_device, two_factor_required

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (kept from our own proxy's X-Request-ID when well formed).

    The client address comes from `client_ip`, which a forged X-Forwarded-For cannot steer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only our own proxy may name the request; a client's header would let it tie its
        # events to someone else's request in the audit trail.
        incoming = request.META.get("HTTP_X_REQUEST_ID", "") if settings.TRUSTED_PROXY_COUNT \
            else ""
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_context.activate(
            request_context.RequestContext(
                request_id=request_id, ip=client_ip(request)
            )
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreForAuthenticatedMiddleware:
    """No page of the register may be kept by a browser or proxy cache.

    Applied to every response except static files: an anonymous login page costs nothing to
    regenerate, and it avoids any doubt about which responses held personal data.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


SESSION_STARTED = "register_auth_at"
SESSION_CONFIRMED = "register_reauth_at"


class SessionLimitsMiddleware:
    """A session ends 12 hours after login, however active it was (idle expiry is 30 minutes,
    set by SESSION_COOKIE_AGE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            if started is None or time.time() - started > settings.SESSION_MAX_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """A password-only session of someone who needs a one-time code reaches no data: every page,
    the admin and the API (by session) wait until the code is given."""

    EXEMPT_NAMES = ("two_factor_verify", "two_factor_setup", "logout", "set_language", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.static_prefix)
            and request.path not in {reverse(name) for name in self.EXEMPT_NAMES}
            and two_factor_required(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Log in with a one-time code before using the API.")},
                    status=403,
                )
            target = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Django caps form fields but not uploaded files: refuse a request larger than a full set
    of attachments before it is read, so nobody can fill the disk with one post."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = (settings.ATTACHMENT_MAX_BYTES * settings.ATTACHMENTS_PER_SIGNAL
                      + settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            return HttpResponse(_("The upload is too large."), status=413,
                                content_type="text/plain; charset=utf-8")
        return self.get_response(request)
