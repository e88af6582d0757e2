"""The client's address, decided in one place for the audit trail and the login throttle.

Behind TRUSTED_PROXY_COUNT reverse proxies, each proxy appends the address it saw to
X-Forwarded-For; the entry that many places from the right is the client as our outermost proxy
saw it. Anything to its left was written by the client and is ignored, so a forged header can
neither hide an address in the audit trail nor reset the login throttle.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXY_COUNT
    if hops == 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]
