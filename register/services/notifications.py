from collections.abc import Iterable

from django.utils import timezone

from register.models import Notification, User


def notify(*, users: Iterable[User], message: str, url: str = "") -> int:
    """Tell users in the app. The message names what happened, never a person."""
    created = Notification.objects.bulk_create(
        Notification(user=user, message=message[:300], url=url) for user in users)
    return len(created)


def notifications_read(*, user: User) -> None:
    Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
