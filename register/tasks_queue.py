"""Handing tasks to the broker from a user's request without ever failing that request.

What a request writes is committed first; the task is published after the commit. When the
broker is down or silent, the publish gives up within seconds (see the CELERY_* settings), is
logged, and the request still succeeds: whatever the task was to do is found again by a
periodic sweep (for reports: reporting.services.reports_sweep) once the broker is back.
"""

import logging
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass
class Publication:
    """Whether a task reached the broker: None until the surrounding transaction commits
    (and for ever if it rolls back), then True or False."""

    task: str
    sent: bool | None = None


def enqueue_on_commit(task, *args, **options) -> Publication:
    """Publish `task(*args)` once the current transaction commits; never raise for the broker.

    Outside a transaction the publish happens at once, so the caller can read `.sent` on
    return and tell the user when the background service could not be reached."""
    publication = Publication(task.name)

    def publish() -> None:
        try:
            task.apply_async(args=args, **options)
        except Exception as error:  # any broker failure: the request stands, a sweep recovers
            publication.sent = False
            # Ids only in the arguments; the task name and error type say what failed.
            logger.warning("Could not queue %s: %s", task.name, type(error).__name__)
        else:
            publication.sent = True

    transaction.on_commit(publish)
    return publication


def enqueue_each_on_commit(task, arguments: list[tuple]) -> None:
    """Publish `task(*args)` for each of `arguments` once the transaction commits. The first
    broker failure stops the rest: each would wait for the broker in turn, and whatever was
    not handed over is found by the task's periodic sweep."""
    if not arguments:
        return

    def publish() -> None:
        for args in arguments:
            try:
                task.apply_async(args=args)
            except Exception as error:  # any broker failure: the request stands
                logger.warning("Could not queue %s (%d not queued): %s", task.name,
                               len(arguments) - arguments.index(args),
                               type(error).__name__)
                return

    transaction.on_commit(publish)
