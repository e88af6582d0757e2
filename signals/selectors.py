"""Which signals a user may see. The HTML views and the API use these same functions."""

from django.db.models import QuerySet

from register.models import Role, User
from signals.models import Signal


def signals_visible_to(user: User) -> QuerySet[Signal]:
    signals = Signal.objects.select_related("reporter_organisation")
    if not (user.is_authenticated and user.is_active):
        return signals.none()
    if user.has_role(Role.ANALYST):
        return signals
    if user.has_role(Role.REPORTER):
        # A reporter sees only what they filed themselves, nothing of colleagues or partners.
        return signals.filter(submitted_by=user)
    return signals.none()


def signal_detail_for(user: User, reference: str) -> Signal:
    """The signal with its parts, or Signal.DoesNotExist (a 404) when the user may not see it."""
    return (
        signals_visible_to(user)
        .prefetch_related("forms", "indicators", "persons", "businesses", "vehicles",
                          "attachments")
        .get(reference=reference)
    )
