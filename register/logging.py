import logging

from register import request_context


class RequestIdFilter(logging.Filter):
    """Adds the request id to every log line, so a log line leads to the audit events."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_context.current().request_id or "-"
        return True
