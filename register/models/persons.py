from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BirthPrecision(models.TextChoices):
    """How much of a date of birth is known. A date known only by its year is stored as
    1 January of that year, and must then not count as a birthday shared with everyone born
    on 1 January."""

    DAY = "day", _("day, month and year")
    MONTH = "month", _("month and year only")
    YEAR = "year", _("year only")


class Person(models.Model):
    """A person in the register, to which the mentions in signals are linked.

    The details are those of the first mention, completed by the analyst; every mention keeps
    its own spelling, and the identifiers table holds all known variants for matching.
    """

    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    given_names = models.CharField(_("given names"), max_length=150, blank=True)
    alias = models.CharField(_("alias"), max_length=150, blank=True)
    sex = models.CharField(_("sex"), max_length=10, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    date_of_birth_precision = models.CharField(
        _("date of birth known to"), max_length=5, choices=BirthPrecision.choices,
        default=BirthPrecision.DAY, db_default=BirthPrecision.DAY)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    # A merged person points to the one it was merged into; unmerging clears it again.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_persons")
    merged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.given_names, self.family_name) if p)
        return name or self.alias or f"#{self.pk}"

    @property
    def audit_ref(self) -> str:
        return f"P-{self.pk}"
