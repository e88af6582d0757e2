"""The signals a reporter filed. What an analyst may see (need to know) is casework's
(casework/selectors.py), which builds on this."""

from django.db.models import QuerySet

from register.access import INTAKE_ROLES
from register.models import User
from signals.models import Signal


def own_signals(user: User) -> QuerySet[Signal]:
    """A reporter sees only what they filed themselves, nothing of colleagues or partners."""
    signals = Signal.objects.select_related("reporter_organisation")
    if not (user.is_authenticated and user.is_active and user.has_role(*INTAKE_ROLES)):
        return signals.none()
    return signals.filter(submitted_by=user)
