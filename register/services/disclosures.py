"""Recording that personal data left the register.

A minimal stand-in: the disclosure is an audit event (`register.disclosure.recorded`) with
what was disclosed (object labels and ids), to which organisation, on which legal ground and
until when the recipient may keep it. The full ledger (its own table, the privacy officer's
list and export) replaces the body of this function, not its callers.
"""

import datetime as dt

from register.models import Organisation, User
from register.services.audit import audit_record

# The legal grounds a disclosure names (codes; the ledger words them).
COVENANT = "covenant"  # sharing with a covenant partner for the follow-up the covenant names


def record_disclosure(*, actor: User, recipient: Organisation,
                      objects: list[tuple[str, int | str]],
                      legal_ground: str, keep_until: dt.date | None = None,
                      about: tuple[str, int] | None = None) -> None:
    """Record, in the caller's transaction, that `objects` ((model label, id) pairs) were
    disclosed to `recipient` by `actor` on `legal_ground`; `about` is what they were shared
    for (e.g. ("casework.followuptask", 7))."""
    audit_record(
        actor=actor, action="register.disclosure.recorded",
        object_type=about[0] if about else "", object_id=about[1] if about else "",
        result_ids=[f"{label}:{pk}" for label, pk in objects],
        detail={"recipient": recipient.code, "legal_ground": legal_ground,
                "keep_until": keep_until.isoformat() if keep_until else None})
