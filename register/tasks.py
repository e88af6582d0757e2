from celery import shared_task

from register.services.alerts import audit_chain_check


@shared_task(time_limit=3600, soft_time_limit=3500, acks_late=True)
def verify_audit_chain() -> bool:
    """Daily: walk the whole chain; the register managers are alerted when it is broken."""
    return audit_chain_check()
