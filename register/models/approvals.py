from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Approval(models.Model):
    """A change a register manager asked for that would widen their own power: their own
    roles, the register manager role for anyone, or their own access to a restricted dossier.
    It takes effect only when a second register manager approves it (four eyes); both steps
    are in the audit trail."""

    class Kind(models.TextChoices):
        ROLES = "roles", _("Roles")
        OWN_DOSSIER_ACCESS = "own_dossier_access", _("Own access to a restricted dossier")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second register manager")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("change"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("asked by"))
    requested_at = models.DateTimeField(auto_now_add=True)
    # The account whose roles change; for dossier access, the account that gains access.
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("account"))
    dossier = models.ForeignKey("register.Dossier", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    # Roles: what was asked, against what the account held then; approving applies only that
    # difference, so a change made in between is not undone.
    roles_added = models.JSONField(default=list, blank=True)
    roles_removed = models.JSONField(default=list, blank=True)
    # Dossier access: lifting the restriction (which opens it to the asker) or not.
    lift_restriction = models.BooleanField(default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("change waiting for approval")

    def __str__(self) -> str:
        return self.audit_ref

    @property
    def audit_ref(self) -> str:
        return f"A-{self.pk}"
