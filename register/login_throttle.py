"""Login throttling with three scopes, each with its own limit.

django-axes counts failed logins; this handler decides what a failure locks:

- the pair (account, address) at AXES_FAILURE_LIMIT: the ordinary lock a guesser meets;
- the account at LOGIN_FAILURES_PER_ACCOUNT, higher, whatever the addresses: a guesser who
  rotates addresses still meets a lock;
- the address at LOGIN_FAILURES_PER_ADDRESS, far higher: password spraying from one address
  across many accounts stops, yet one person's typos never lock a whole office behind one NAT.

A successful login clears only the failures of that account from that address. Clearing more
would let anyone with an account of their own reset the count of failures they ran up against
somebody else's ("4 wrong, own login, 4 wrong, ..."), or let the victim's own login hand an
attacker elsewhere a fresh set of guesses.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class ScopedLoginThrottle(AxesDatabaseHandler):
    def _recent(self, request):
        attempts = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts

    def scope_failures(self, request, credentials=None) -> dict[str, int]:
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        recent = self._recent(request)
        return {
            "pair": _failures(recent.filter(username=username, ip_address=address)),
            "account": _failures(recent.filter(username=username)) if username else 0,
            "address": _failures(recent.filter(ip_address=address)),
        }

    def get_failures(self, request, credentials=None) -> int:
        """What axes compares with AXES_FAILURE_LIMIT: the pair's count, or the limit itself
        as soon as any scope has reached its own limit."""
        counts = self.scope_failures(request, credentials)
        limits = {"pair": settings.AXES_FAILURE_LIMIT,
                  "account": settings.LOGIN_FAILURES_PER_ACCOUNT,
                  "address": settings.LOGIN_FAILURES_PER_ADDRESS}
        if any(counts[scope] >= limits[scope] for scope in limits):
            return settings.AXES_FAILURE_LIMIT
        return counts["pair"]

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address).delete()
        return deleted
