from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from signals.services import staged_uploads_purge


@shared_task(time_limit=120, soft_time_limit=100)
def purge_stale_uploads() -> int:
    """Files kept from failed form submissions are dropped after a day."""
    return staged_uploads_purge(
        older_than=timezone.now() - timedelta(hours=settings.STALE_UPLOAD_HOURS)
    )
