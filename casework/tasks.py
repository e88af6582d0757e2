from celery import shared_task

from casework.match_learning import refresh_match_statistics as refresh
from casework.task_work import task_reminders_send


@shared_task(time_limit=1800, soft_time_limit=1700, acks_late=True)
def refresh_match_statistics() -> int:
    """Nightly: learn the match weights from the analysts' judgements and count how common
    names and nationalities are in the register. Running it twice only adds a newer row."""
    return refresh().pk


@shared_task(time_limit=3600, soft_time_limit=3500, acks_late=True)
def run_signal_import(import_id: int) -> str:
    """Import a confirmed file of past signals (casework/imports). Safe to run again: rows
    already made are skipped by their key."""
    from casework.imports.service import import_run

    batch = import_run(batch_id=import_id)
    return batch.status if batch else "not_queued"
@shared_task(time_limit=600, soft_time_limit=540, acks_late=True)
def purge_import_files() -> int:
    """Daily: the uploaded files and reports of imports finished IMPORT_FILE_KEEP_DAYS ago
    are deleted (the imports' records and counts stay). Running it twice purges nothing
    twice."""
    from casework.imports.service import import_files_purge

    return import_files_purge()


@shared_task(time_limit=600, soft_time_limit=540, acks_late=True)
def remind_follow_up_tasks() -> int:
    """Daily: remind portfolio holders of tasks due within a week or overdue, and tell the
    analyst who asked when a task is overdue. Each task is claimed once a day."""
    return task_reminders_send()
