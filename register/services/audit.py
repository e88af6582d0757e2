"""Writing the audit trail. Every service calls `audit_record` inside its own transaction."""

from collections.abc import Iterable

from django.db import models

from register import request_context
from register.models import AuditEvent, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    result_ids: Iterable[str | int] = (),
    detail: dict | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one event. `detail` holds codes and field names only, never personal data."""
    context = request_context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    known = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=known,
        actor_username=known.get_username() if known else username[:150],
        organisation_code=known.organisation.code if known else "",
        roles=",".join(sorted(known.role_codes)) if known else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        request_id=context.request_id,
        ip=context.ip,
        result_ids=[str(i) for i in result_ids],
        detail=detail or {},
    )
