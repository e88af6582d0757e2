"""The acting request's id and client address, available to services without passing the request.

Set by RequestIdMiddleware for web requests; Celery tasks set the task id. Services read it
when they write an audit event, so the event carries the request id and IP it came from.
"""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None


_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "register_request_context", default=RequestContext()  # noqa: B039 - frozen, immutable
)


def current() -> RequestContext:
    return _current.get()


def activate(context: RequestContext) -> contextvars.Token:
    return _current.set(context)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
