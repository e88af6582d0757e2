import re
import uuid

from django.conf import settings

from register import request_context

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (kept from a trusted proxy's X-Request-ID when well formed).

    The client address is REMOTE_ADDR only: X-Forwarded-For is set by whoever sends the
    request and must not decide what the audit trail or the login throttle records.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_context.activate(
            request_context.RequestContext(
                request_id=request_id, ip=request.META.get("REMOTE_ADDR") or None
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
