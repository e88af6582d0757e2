from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone

from signals.attachment_text import (
    attachments_without_text,
    read_attachment_text,
    record_unreadable,
)
from signals.models import AttachmentText
from signals.services import staged_uploads_purge

# Attachments filed within this time are still on their way to the worker.
SWEEP_GRACE = timedelta(minutes=10)
SWEEP_BATCH = 200


@shared_task(time_limit=120, soft_time_limit=100)
def purge_stale_uploads() -> int:
    """Files kept from failed form submissions are dropped after a day."""
    return staged_uploads_purge(
        older_than=timezone.now() - timedelta(hours=settings.STALE_UPLOAD_HOURS)
    )


@shared_task(time_limit=300, soft_time_limit=270)
def read_attachment(attachment_id: str) -> str | None:
    """Read the text of one attachment (queued when it is stored). Returns the status only:
    the worker logs what a task returns."""
    try:
        return read_attachment_text(attachment_id)
    except SoftTimeLimitExceeded:
        record_unreadable(attachment_id)
        return AttachmentText.Status.FAILED


@shared_task(time_limit=120, soft_time_limit=100)
def read_missing_attachment_texts() -> int:
    """Queue the attachments that were never read (the worker or the broker was down)."""
    ids = list(attachments_without_text(older_than=SWEEP_GRACE, limit=SWEEP_BATCH))
    for attachment_id in ids:
        read_attachment.delay(str(attachment_id))
    return len(ids)
