"""Thin tasks: they take ids and call a service. PDFs render on their own queue."""

from celery import shared_task

from reporting.services import (
    MAX_ATTEMPTS,
    RENDER_TIME_LIMIT,
    report_failed,
    report_make,
    reports_schedule,
    reports_sweep,
)


@shared_task(bind=True, queue="pdf", acks_late=True, reject_on_worker_lost=True,
             time_limit=RENDER_TIME_LIMIT, soft_time_limit=RENDER_TIME_LIMIT - 60,
             max_retries=MAX_ATTEMPTS - 1, default_retry_delay=60)
def make_report(self, report_id: str) -> bool:
    try:
        return report_make(report_id)
    except Exception as error:
        if report_failed(report_id, error):
            raise
        raise self.retry(exc=error) from error


@shared_task(time_limit=300, soft_time_limit=270, acks_late=True)
def run_due_reports() -> int:
    return len(reports_schedule())


@shared_task(time_limit=120, soft_time_limit=100, acks_late=True)
def sweep_reports() -> int:
    """Every five minutes: take over reports whose worker died or that nobody took."""
    return len(reports_sweep())


@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=True)
def refresh_rollup() -> list[int]:
    """Every night before the scheduled reports: count the stale years of the rollup again."""
    from reporting.rollup import refresh_stale

    return refresh_stale()
