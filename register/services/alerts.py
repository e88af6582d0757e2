"""Alerts to the register managers, by e-mail (never with personal data in them)."""

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from register.models import Role, User
from register.services.audit import audit_chain_breaks, audit_record, write_checkpoint


def managers_email() -> list[str]:
    return list(User.objects.filter(is_active=True, role_grants__role=Role.MANAGER)
                .exclude(email="").values_list("email", flat=True))


def alert_managers(subject: str, body: str) -> None:
    recipients = managers_email()
    if recipients:
        send_mail(subject, body, None, recipients)


def audit_chain_check() -> bool:
    """True when the chain is intact; otherwise alert the managers and record the finding."""
    broken = next(audit_chain_breaks(), None)
    if broken is None:
        write_checkpoint()
        return True
    audit_record(actor=None, action="register.audit.chain_broken",
                 object_type="register.auditevent", object_id=broken.event_id,
                 detail={"reason": broken.code})
    alert_managers(
        _("Audit trail integrity check failed"),
        _("The daily check of the audit trail found a break at event %(id)s: %(reason)s. "
          "Secure the database and contact the privacy officer.")
        % {"id": broken.event_id, "reason": broken.reason},
    )
    return False
