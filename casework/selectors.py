"""Which signals a user may see (need to know). The pages and the API use these same
functions."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from casework.need_to_know import through_visible_dossier
from register.models import Dossier, FollowUpAction, Role, User
from signals.models import Signal
from signals.selectors import own_signals
from signals.vocab import OPEN_STATUSES, SignalStatus


def signals_visible_to(user: User) -> QuerySet[Signal]:
    signals = Signal.objects.select_related("reporter_organisation")
    if not (user.is_authenticated and user.is_active):
        return signals.none()
    if user.has_role(Role.ANALYST):
        # Need to know: signals in a restricted dossier follow the dossier's restriction.
        return signals.filter(through_visible_dossier(user, "dossier"))
    if user.has_role(Role.REPORTER):
        return own_signals(user)
    return signals.none()


def signal_detail_for(user: User, reference: str) -> Signal:
    """The signal with its parts, or Signal.DoesNotExist (a 404) when the user may not see it."""
    return (
        signals_visible_to(user)
        .select_related("dossier")
        .prefetch_related("forms", "indicators", "persons", "businesses", "vehicles",
                          "attachments__text", "questions")
        .get(reference=reference)
    )


def visible_signal_or_404(user: User, reference: str) -> Signal:
    """The signal with its parts; a 404 both when it does not exist and when this user may not
    see it, so nobody learns that a reference they may not see exists."""
    try:
        return signal_detail_for(user, reference)
    except Signal.DoesNotExist:
        raise Http404 from None


def inbox_for(user: User) -> QuerySet[Signal]:
    """Signals waiting for triage: someone in danger first, then the newest."""
    return (signals_visible_to(user).filter(status__in=OPEN_STATUSES)
            .prefetch_related("forms").order_by("-immediate_danger", "-received_at", "-id"))


def without_follow_up(user: User, *, now: dt.datetime | None = None) -> QuerySet[Signal]:
    """Signals older than FOLLOW_UP_DAYS that nobody has followed up yet: still in triage, or
    in the register with no dossier or a dossier without any follow-up action."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.FOLLOW_UP_DAYS)
    followed = FollowUpAction.objects.filter(dossier_id=OuterRef("dossier_id")).exclude(
        outcome=FollowUpAction.Outcome.CANCELLED)
    return (signals_visible_to(user).filter(received_at__lt=cutoff)
            .exclude(status=SignalStatus.NOT_TAKEN_UP)
            .exclude(dossier__status=Dossier.Status.CLOSED).exclude(Exists(followed))
            .prefetch_related("forms").order_by("received_at", "id"))
