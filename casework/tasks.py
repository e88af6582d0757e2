from celery import shared_task

from casework.match_learning import refresh_match_statistics as refresh


@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=True)
def refresh_match_statistics() -> int:
    """Nightly: learn the match weights from the analysts' judgements and count how common
    names and nationalities are in the register. Running it twice only adds a newer row."""
    return refresh().pk
