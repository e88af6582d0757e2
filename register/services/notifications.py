from collections.abc import Iterable

from django.utils import timezone

from register.models import Notification, User
from register.models.notifications import check_event


def notify(*, users: Iterable[User], event: str, params: dict | None = None,
           url: str = "") -> int:
    """Tell users in the app. `event` is a code from register.models.notifications.EVENTS and
    `params` its facts (codes, references, ISO dates), never a person: the sentence is worded
    when each reader opens it, in the reader's language and date format."""
    params = params or {}
    check_event(event, params)
    created = Notification.objects.bulk_create(
        Notification(user=user, event=event, params=params, url=url) for user in users)
    return len(created)


def notifications_read(*, user: User) -> None:
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
