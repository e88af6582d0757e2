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


# Control characters never belong in a path, a query string or a header value; NUL cannot
# even be stored (PostgreSQL refuses it in text), so letting it through only turns a lookup
# into a database error. Tab, newline and carriage return are kept where text may hold them.
_CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_QUERY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_IN_HEADER = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseControlCharactersMiddleware:
    """Refuses, with 400 and before any view runs, a request with control characters where
    they are never legitimate: the path, the query string, header values, and NUL in a form
    field. One defence at the door instead of a check in every view and filter.

    The answer never repeats the input: it says where the problem is, not what was sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem is not None:
            return self.refuse(request, problem)
        return self.get_response(request)

    @staticmethod
    def problem(request):
        if _CONTROL_IN_PATH.search(request.path):
            return _("The address contains a control character.")
        if any(_CONTROL_IN_QUERY.search(text)
               for key, values in request.GET.lists() for text in (key, *values)):
            return _("The query string contains a control character.")
        if any(_CONTROL_IN_HEADER.search(value) for name, value in request.META.items()
               if name.startswith("HTTP_") and isinstance(value, str)):
            return _("A request header contains a control character.")
        if request.method in ("POST", "PUT", "PATCH") \
                and request.content_type in _FORM_TYPES \
                and any("\x00" in text for key, values in request.POST.lists()
                        for text in (key, *values)):
            return _("A form field contains a NUL character, which cannot be stored.")
        return None

    @staticmethod
    def refuse(request, message):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class ApiErrorsAsJsonMiddleware:
    """An API client gets its errors as JSON, whoever refused the request: Django's own 404
    for an address no route matches, a 400 or 500 page, or a plain-text refusal of a
    middleware. The schema declares `{"detail": ...}` for those answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code >= 400 and request.path.startswith("/api/")
                and not response.get("Content-Type", "").startswith("application/json")
                and not response.streaming):
            if response.get("Content-Type", "").startswith("text/plain"):
                detail = response.content.decode(errors="replace")  # our own message
            else:
                detail = response.reason_phrase
            replacement = JsonResponse({"detail": detail}, status=response.status_code)
            for header in ("X-Request-ID", "WWW-Authenticate", "Allow", "Retry-After"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response
