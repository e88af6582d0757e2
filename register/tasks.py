from celery import shared_task

from register.services.alerts import audit_chain_check
from register.services.privacy import retention_review_create, subject_requests_remind


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
