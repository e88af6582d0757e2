import smtplib

from celery import shared_task

from register.services.alerts import audit_chain_check
from register.services.notifications import (
    notification_digests_send,
    notification_mail_send,
    notification_mails_sweep,
)
from register.services.privacy import retention_review_create, subject_requests_remind
from register.services.reading_alerts import reading_alerts_compute


@shared_task(time_limit=3600, soft_time_limit=3500, acks_late=True)
def verify_audit_chain() -> bool:
    """Daily: walk the whole chain; the register managers are alerted when it is broken."""
    return audit_chain_check()


@shared_task(time_limit=600, soft_time_limit=550, acks_late=True)
def remind_subject_requests() -> list[int]:
    """Daily: requests in their third week or later are brought to the managers' attention."""
    return subject_requests_remind()


@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=True)
def review_retention() -> int | None:
    """Weekly: list what is past its retention period for the register manager's review."""
    review = retention_review_create()
    return review.pk if review else None


# SMTP refusals and an unreachable mail server (OSError: connection refused, timeouts) are
# retried with a growing wait; the notification stays unmailed until one attempt succeeds.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=30, retry_backoff_max=1800,
             retry_jitter=True, max_retries=8, time_limit=120, soft_time_limit=100,
             acks_late=True)
def mail_notification(notification_id: int) -> bool:
    """One notification's e-mail, at once (the user chose it, or the event is urgent)."""
    return notification_mail_send(notification_id)


@shared_task(time_limit=120, soft_time_limit=100, acks_late=True)
def sweep_notification_mails() -> int:
    """Every few minutes: immediate mails the broker never got are queued again."""
    pending = notification_mails_sweep()
    for notification_id in pending:
        mail_notification.apply_async(args=[notification_id])
    return len(pending)


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=60, max_retries=5, time_limit=1800,
             soft_time_limit=1700, acks_late=True)
def mail_digests() -> int:
    """Daily: the digest e-mail of each user who chose it."""
    return notification_digests_send()


@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=True)
def find_unusual_reading() -> int:
    """Daily: yesterday's audit trail is searched for unusual reading; auditors are told."""
    return len(reading_alerts_compute())
