from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A covenant partner or another body taking part in the chain. Organisations are data."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_covenant_partner = models.BooleanField(_("covenant partner"), default=False)
    # Covenant 3.2: only staff of KPCN, KMar and OM may be authorised analysts.
    may_hold_analysts = models.BooleanField(_("may hold analysts"), default=False)
    requires_two_factor = models.BooleanField(
        _("two-factor login required for all staff"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name
